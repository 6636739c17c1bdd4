/**
 * `int modpath(const char *pathname)`.
 * @module
 */
import { ok } from '../../core/result.js';
import type { SyscallArgs, SyscallReturn } from '../../core/syscall-table.js';
import { toSyscallReturn } from '../personality.js';
import {
  copyInPath,
  type DlkmCallContext,
  dlkmPrivileged,
  intArg,
  notPrivileged,
} from './dlkm-call-context.js';
import { parseModpathList } from './module-search-path.js';

/**
 * Prepends a colon- (or space-) separated list of absolute directories to the module search path; NULL resets
 * it to the release's default. Order (hpux-dlkm.md §3.4): EPERM, ENOSYS, EFAULT/ENAMETOOLONG, EINVAL
 * (malformed list). The directories need not exist.
 * @see hpux-dlkm.md §2.4
 */
export function modpath(c: DlkmCallContext, args: SyscallArgs): SyscallReturn {
  if (!dlkmPrivileged(c)) return toSyscallReturn('hpux', notPrivileged(c, 'modpath'));
  const on = c.facility.check();
  if (!on.ok) return toSyscallReturn('hpux', on);
  const search = c.dlkm.searchPath;
  if (args.pathname === undefined || intArg(args.pathname) === 0) {
    search.reset();
    return toSyscallReturn('hpux', ok(0));
  }
  const list = copyInPath(c, args.pathname, 'modpath');
  if (!list.ok) return toSyscallReturn('hpux', list);
  const dirs = parseModpathList(list.value);
  if (!dirs.ok) return toSyscallReturn('hpux', dirs);
  search.prepend(dirs.value);
  return toSyscallReturn('hpux', ok(0));
}
