/**
 * `strerror(3)` of HP-UX for the errnos the DLKM commands report.
 * Source: HP-UX errno(2) / perror(3C) message texts (the System V wording: "Not owner", "Device busy"…). The
 * texts of ENOREG, ERELOC and EBADVER are INVENTED, like their numbers (hpux-dlkm.md §3.1).
 * @module
 */
import type { ErrnoName } from '../../../abi/errno.js';

const MESSAGES: Partial<Record<ErrnoName, string>> = {
  EPERM: 'Not owner',
  ENOENT: 'No such file or directory',
  EINTR: 'Interrupted system call',
  ENXIO: 'No such device or address',
  EBADF: 'Bad file number',
  ENOMEM: 'Not enough space',
  EACCES: 'Permission denied',
  EFAULT: 'Bad address',
  EBUSY: 'Device busy',
  EEXIST: 'File exists',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EINVAL: 'Invalid argument',
  ENAMETOOLONG: 'File name too long',
  ENOSYS: 'Function is not available',
  ENOREG: 'Module is not registered',
  ERELOC: 'Module relocation error',
  EBADVER: 'Module has a bad version number',
};

/** The message for `errno`. */
export function hpuxStrerror(errno: ErrnoName): string {
  return MESSAGES[errno] ?? `Error ${errno}`;
}
