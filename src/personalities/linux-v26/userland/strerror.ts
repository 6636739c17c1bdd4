/**
 * glibc's `strerror()` texts, which kmod prints in its messages (`%m`, `strerror(-err)`).
 * Source: glibc 2.36 sysdeps/gnu/errlist.h (Debian 12).
 * @module
 */
import type { ErrnoName } from '../../../abi/errno.js';
import { LINUX_ERRNO } from '../../../abi/linux/errno.js';

const MESSAGES: Readonly<Partial<Record<ErrnoName, string>>> = {
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  ESRCH: 'No such process',
  EINTR: 'Interrupted system call',
  EIO: 'Input/output error',
  ENXIO: 'No such device or address',
  E2BIG: 'Argument list too long',
  ENOEXEC: 'Exec format error',
  EBADF: 'Bad file descriptor',
  ECHILD: 'No child processes',
  EAGAIN: 'Resource temporarily unavailable',
  EWOULDBLOCK: 'Resource temporarily unavailable',
  ENOMEM: 'Cannot allocate memory',
  EACCES: 'Permission denied',
  EFAULT: 'Bad address',
  ENOTBLK: 'Block device required',
  EBUSY: 'Device or resource busy',
  EEXIST: 'File exists',
  EXDEV: 'Invalid cross-device link',
  ENODEV: 'No such device',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EINVAL: 'Invalid argument',
  ENFILE: 'Too many open files in system',
  EMFILE: 'Too many open files',
  ENOTTY: 'Inappropriate ioctl for device',
  ETXTBSY: 'Text file busy',
  EFBIG: 'File too large',
  ENOSPC: 'No space left on device',
  ESPIPE: 'Illegal seek',
  EROFS: 'Read-only file system',
  EMLINK: 'Too many links',
  EPIPE: 'Broken pipe',
  EDOM: 'Numerical argument out of domain',
  ERANGE: 'Numerical result out of range',
  EDEADLK: 'Resource deadlock avoided',
  ENAMETOOLONG: 'File name too long',
  ENOLCK: 'No locks available',
  ENOSYS: 'Function not implemented',
  ENOTEMPTY: 'Directory not empty',
  ELOOP: 'Too many levels of symbolic links',
  ENOMSG: 'No message of desired type',
  EIDRM: 'Identifier removed',
  ENODATA: 'No data available',
  ENOPKG: 'Package not installed',
  EBADMSG: 'Bad message',
  EOVERFLOW: 'Value too large for defined data type',
  EOPNOTSUPP: 'Operation not supported',
  ENOKEY: 'Required key not available',
  EKEYREJECTED: 'Key was rejected by service',
  EKEYEXPIRED: 'Key has expired',
};

/** glibc's message for `errno` (`Unknown error N` for a number glibc has no text for, as `strerror` does). */
export function strerror(errno: ErrnoName): string {
  return MESSAGES[errno] ?? `Unknown error ${LINUX_ERRNO[errno] ?? 0}`;
}
