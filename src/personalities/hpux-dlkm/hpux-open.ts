/**
 * `open(2)` and `close(2)`, as far as module use goes: opening a module's device is what holds a driver
 * (`ms_holdcnt`) and what autoloads an `auto` module.
 * @module
 */
import { err, ok } from '../../core/result.js';
import type { SyscallArgs, SyscallReturn } from '../../core/syscall-table.js';
import { toSyscallReturn } from '../personality.js';
import { copyInPath, type DlkmCallContext, intArg } from './dlkm-call-context.js';
import { deviceModule } from './dlkm-devices.js';

/**
 * Opens `path`. `/dev/<module>` of a registered (or loaded) module autoloads it when needed — failure is ENXIO,
 * the errno a device open reports for a driver that cannot be reached (hpux-dlkm.md §11 proposal) — and takes a
 * hold on it. Any other path is opened read-only through the file system with its usual errors.
 * @see hpux-dlkm.md §2.2 (busy while opens are outstanding), §11
 */
export function hpuxOpen(c: DlkmCallContext, args: SyscallArgs): SyscallReturn {
  const path = copyInPath(c, args.path, 'open');
  if (!path.ok) return toSyscallReturn('hpux', path);
  const module = deviceModule(path.value);
  if (module !== undefined && (c.core.modules.has(module) || c.dlkm.store.isRegistered(module))) {
    const loaded = c.dlkm.autoload(module);
    if (!loaded.ok) {
      c.core.log.err(`DLKM: autoload of ${module} failed: ${loaded.error.reason}`);
      return toSyscallReturn('hpux', err('ENXIO', `open ${path.value}: ${loaded.error.reason}`));
    }
    c.core.modules.hold(module);
    return toSyscallReturn('hpux', ok(c.devices.open(module)));
  }
  const fd = c.core.vfs.open(path.value, { read: true, write: false });
  if (!fd.ok) return toSyscallReturn('hpux', fd);
  c.core.vfs.close(fd.value);
  return toSyscallReturn('hpux', ok(c.devices.open(undefined)));
}

/** Closes `fd` (EBADF when not open), dropping the hold it had on a module. */
export function hpuxClose(c: DlkmCallContext, args: SyscallArgs): SyscallReturn {
  const fd = intArg(args.fd);
  if (fd === undefined || !c.devices.has(fd))
    return toSyscallReturn('hpux', err('EBADF', `close: ${args.fd}`));
  const module = c.devices.close(fd);
  if (module !== undefined && c.core.modules.has(module)) c.core.modules.put(module);
  return toSyscallReturn('hpux', ok(0));
}
