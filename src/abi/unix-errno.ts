/**
 * The errno numbers 1–34 every Unix kept from Version 7 (`errno-base.h` on Linux, the same values in HP-UX's
 * `<sys/errno.h>`); each family's table starts from these.
 * Source: include/uapi/asm-generic/errno-base.h; HP-UX 9.x <sys/errno.h> as quoted in the HP-UX DLKM reference §3.1.
 * @module
 */
import type { ErrnoName } from './errno.js';

/** The classic errno numbers shared by Linux and HP-UX. */
export const UNIX_V7_ERRNO = {
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
} as const satisfies Partial<Record<ErrnoName, number>>;
