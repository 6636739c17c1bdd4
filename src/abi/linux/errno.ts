/**
 * Linux errno numbers (i386 and x86_64 share the asm-generic numbering).
 * Source: include/uapi/asm-generic/errno-base.h, include/uapi/asm-generic/errno.h.
 * @module
 */
import type { ErrnoTable } from '../errno.js';
import { UNIX_V7_ERRNO } from '../unix-errno.js';

/** Linux errno numbers by name. HP-UX-only names are absent: a Linux kernel never reports them. */
export const LINUX_ERRNO: ErrnoTable = {
  ...UNIX_V7_ERRNO,
  EWOULDBLOCK: 11,
  EDEADLK: 35,
  ENAMETOOLONG: 36,
  ENOLCK: 37,
  ENOSYS: 38,
  ENOTEMPTY: 39,
  ELOOP: 40,
  ENOMSG: 42,
  EIDRM: 43,
  ENODATA: 61,
  ENOPKG: 65,
  EBADMSG: 74,
  EOVERFLOW: 75,
  EOPNOTSUPP: 95,
  ENOKEY: 126,
  EKEYEXPIRED: 127,
  EKEYREJECTED: 129,
};
