/**
 * Linux errno numbers (i386 and x86_64 share the asm-generic numbering).
 * Source: include/uapi/asm-generic/errno-base.h, include/uapi/asm-generic/errno.h.
 * @module
 */
import type { ErrnoName } from '../errno.js';

/** Linux errno numbers by name. HP-UX-only names are absent: a Linux kernel never reports them. */
export const LINUX_ERRNO = {
  EPERM: 1,
  ENOENT: 2,
  ESRCH: 3,
  EINTR: 4,
  EIO: 5,
  ENXIO: 6,
  E2BIG: 7,
  ENOEXEC: 8,
  EBADF: 9,
  ECHILD: 10,
  EAGAIN: 11,
  EWOULDBLOCK: 11,
  ENOMEM: 12,
  EACCES: 13,
  EFAULT: 14,
  ENOTBLK: 15,
  EBUSY: 16,
  EEXIST: 17,
  EXDEV: 18,
  ENODEV: 19,
  ENOTDIR: 20,
  EISDIR: 21,
  EINVAL: 22,
  ENFILE: 23,
  EMFILE: 24,
  ENOTTY: 25,
  ETXTBSY: 26,
  EFBIG: 27,
  ENOSPC: 28,
  ESPIPE: 29,
  EROFS: 30,
  EMLINK: 31,
  EPIPE: 32,
  EDOM: 33,
  ERANGE: 34,
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
} as const satisfies Partial<Record<ErrnoName, number>>;

/** An errno name a Linux kernel can report. */
export type LinuxErrnoName = keyof typeof LINUX_ERRNO;
