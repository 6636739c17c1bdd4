/**
 * `int modstat(int module_id, struct modstatus *stbuf, int get_next_module)`.
 * @module
 */
import { err, ok } from '../../core/result.js';
import type { SyscallArgs, SyscallReturn } from '../../core/syscall-table.js';
import { toSyscallReturn } from '../personality.js';
import { boolArg, type DlkmCallContext, dlkmPrivileged, intArg, notPrivileged } from './dlkm-call-context.js';
import { encodeModStatus } from './modstatus.js';

/**
 * Copies the status of a module out to `stbuf`. Order (hpux-dlkm.md §3.4): ENOSYS; in 11.0/11i v1 EPERM for an
 * unprivileged caller; EINVAL when no registered module matches; EFAULT when `stbuf` is not writable. From 11i
 * v2 anyone may call it, but only privileged callers see `ms_base`, `ms_size`, `ms_bss` and `ms_bss_size`.
 * @see hpux-dlkm.md §2.3, §4
 */
export function modstat(c: DlkmCallContext, args: SyscallArgs): SyscallReturn {
  const on = c.facility.check();
  if (!on.ok) return toSyscallReturn('hpux', on);
  const privileged = dlkmPrivileged(c);
  if (c.era.v1 && !privileged) return toSyscallReturn('hpux', notPrivileged(c, 'modstat'));
  const id = intArg(args.module_id);
  if (id === undefined) return toSyscallReturn('hpux', err('EINVAL', 'modstat: bad module id'));
  const st = c.dlkm.status(id, boolArg(args.get_next_module), privileged);
  if (!st.ok) return toSyscallReturn('hpux', st);
  const ptr = intArg(args.stbuf) ?? 0;
  const out = c.core.user.write(ptr, encodeModStatus(st.value, c.era.v1));
  return toSyscallReturn('hpux', out.ok ? ok(0) : out);
}
