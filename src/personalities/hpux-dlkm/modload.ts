/**
 * `int modload(char *pathname)`.
 * @module
 */
import type { SyscallArgs, SyscallReturn } from '../../core/syscall-table.js';
import { toSyscallReturn } from '../personality.js';
import { copyInPath, type DlkmCallContext, dlkmPrivileged, notPrivileged } from './dlkm-call-context.js';

/**
 * Loads a module by name (searched along `modpath`) or absolute pathname; returns its id. Checks in the order
 * of hpux-dlkm.md §3.2: EPERM, EFAULT, ENAMETOOLONG, ENOSYS, then the load path (EINVAL for a static module,
 * success with the existing id when already loaded, ENOREG, ENOENT/EACCES, EINVAL, EINVAL for dependencies,
 * ERELOC, EBADVER, the errno of `_load()`).
 * @see hpux-dlkm.md §2.1, §3.2
 */
export function modload(c: DlkmCallContext, args: SyscallArgs): SyscallReturn {
  if (!dlkmPrivileged(c)) return toSyscallReturn('hpux', notPrivileged(c, 'modload'));
  const path = copyInPath(c, args.pathname, 'modload');
  if (!path.ok) return toSyscallReturn('hpux', path);
  const on = c.facility.check();
  if (!on.ok) return toSyscallReturn('hpux', on);
  const steps: string[] = [];
  const r = c.dlkm.load(path.value, 'explicit', [], steps);
  return { ...toSyscallReturn('hpux', r), pipeline: steps };
}
