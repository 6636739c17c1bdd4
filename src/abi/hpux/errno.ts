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
import { UNIX_V7_ERRNO } from '../unix-errno.js';

/** HP-UX errno numbers by name (classic V.4 values below 35 match Linux's). */
export const HPUX_ERRNO: ErrnoTable = {
  ...UNIX_V7_ERRNO,
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
