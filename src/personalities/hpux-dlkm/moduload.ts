/**
 * `int moduload(long module_id)`.
 * @module
 */
import { err, ok } from '../../core/result.js';
import type { SyscallArgs, SyscallReturn } from '../../core/syscall-table.js';
import { toSyscallReturn } from '../personality.js';
import {
  type DlkmCallContext,
  dlkmPrivileged,
  intArg,
  notPrivileged,
  SYSCTL_HPUX_PROFILING,
} from './dlkm-call-context.js';

/**
 * Unloads module `module_id`, or every unloadable module when it is 0. Order (hpux-dlkm.md §3.3): EPERM,
 * ENOSYS, `0` → all (0 if at least one went, else EBUSY), EINVAL for an id that is not a loaded module, EBUSY
 * (holds, loaded dependents, load/unload in progress, profiling), then `_unload()`'s own errno.
 * @see hpux-dlkm.md §2.2, §3.3
 */
export function moduload(c: DlkmCallContext, args: SyscallArgs): SyscallReturn {
  if (!dlkmPrivileged(c)) return toSyscallReturn('hpux', notPrivileged(c, 'moduload'));
  const on = c.facility.check();
  if (!on.ok) return toSyscallReturn('hpux', on);
  const id = intArg(args.module_id);
  const profiling = c.core.sysctl.get(SYSCTL_HPUX_PROFILING) !== 0;
  if (id === undefined) return toSyscallReturn('hpux', err('EINVAL', 'moduload: bad module id'));
  const r = id === 0 ? c.dlkm.unloadAll(profiling) : c.dlkm.unloadById(id, profiling);
  return toSyscallReturn('hpux', r.ok ? ok(0) : r);
}
