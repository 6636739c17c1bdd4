/**
 * HP-UX errno numbers.
 * Source: HP-UX 9.x <sys/errno.h> (RCS errno.h,v 1.32.83.5 93/12/06), as quoted in the HP-UX DLKM reference §3.1.
 *
 * Caveat recorded from the reference: HP documents that the numeric values "can vary from system to system", and
 * the values of `ENOREG`, `ERELOC` and `EBADVER` are not published anywhere public. They are INVENTED here
 * (210, 211, 212: a range HP-UX 9 leaves unused) and must be treated symbolically by experiments.
 * @module
 */
import type { ErrnoTable } from '../errno.js';

/** HP-UX errno numbers by name (classic V.4 values below 35 match Linux's). */
export const HPUX_ERRNO: ErrnoTable = {
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
  /** INVENTED: no public source gives HP-UX's value. */
  ENOREG: 210,
  /** INVENTED: no public source gives HP-UX's value. */
  ERELOC: 211,
  /** INVENTED: no public source gives HP-UX's value. */
  EBADVER: 212,
  EWOULDBLOCK: 246,
  ENOTEMPTY: 247,
  ENAMETOOLONG: 248,
  ELOOP: 249,
  ENOSYS: 251,
};
