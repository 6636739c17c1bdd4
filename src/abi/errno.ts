/**
 * Errno names shared by every personality. Numbers are per family: see `linux/errno.ts` and `hpux/errno.ts`.
 * Source: include/uapi/asm-generic/errno-base.h, include/uapi/asm-generic/errno.h, HP-UX <sys/errno.h>.
 * @module
 */

/** Every errno name a simulated syscall can report, in any family. */
export const ERRNO_NAMES = [
  'EPERM',
  'ENOENT',
  'ESRCH',
  'EINTR',
  'EIO',
  'ENXIO',
  'E2BIG',
  'ENOEXEC',
  'EBADF',
  'ECHILD',
  'EAGAIN',
  'EWOULDBLOCK',
  'ENOMEM',
  'EACCES',
  'EFAULT',
  'ENOTBLK',
  'EBUSY',
  'EEXIST',
  'EXDEV',
  'ENODEV',
  'ENOTDIR',
  'EISDIR',
  'EINVAL',
  'ENFILE',
  'EMFILE',
  'ENOTTY',
  'ETXTBSY',
  'EFBIG',
  'ENOSPC',
  'ESPIPE',
  'EROFS',
  'EMLINK',
  'EPIPE',
  'EDOM',
  'ERANGE',
  'EDEADLK',
  'ENAMETOOLONG',
  'ENOLCK',
  'ENOSYS',
  'ENOTEMPTY',
  'ELOOP',
  'ENOMSG',
  'EIDRM',
  'ENODATA',
  'ENOPKG',
  'EBADMSG',
  'EOVERFLOW',
  'EOPNOTSUPP',
  'ENOKEY',
  'EKEYREJECTED',
  'EKEYEXPIRED',
  'ENOREG',
  'ERELOC',
  'EBADVER',
] as const;

/** An errno name, e.g. `'EBUSY'`. */
export type ErrnoName = (typeof ERRNO_NAMES)[number];

/** Type guard: is `s` a known errno name? */
export function isErrnoName(s: string): s is ErrnoName {
  return (ERRNO_NAMES as readonly string[]).includes(s);
}

/** errno numbers of one family by name; a name the family lacks is absent. */
export type ErrnoTable = Readonly<Partial<Record<ErrnoName, number>>>;
