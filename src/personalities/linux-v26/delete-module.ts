/**
 * `delete_module(name_user, flags)`: privilege, name copy (truncated at `MODULE_NAME_LEN - 1`), lookup, users,
 * state, permanent modules, references (`O_TRUNC` forces with `CONFIG_MODULE_FORCE_UNLOAD`), then the exit
 * function and `free_module`.
 * @see kernel/module/main.c SYSCALL_DEFINE2(delete_module), try_stop_module, try_release_module_ref,
 *   try_force_unload, free_module
 * @module
 */
import { MODULE_NAME_LEN, O_TRUNC, TAINT } from '../../abi/linux/v26.js';
import { err, ok, type Result } from '../../core/result.js';
import type { LinuxV26Kernel } from './linux-v26-kernel.js';
import { addTaint } from './taint.js';

/** `try_force_unload`: only with `CONFIG_MODULE_FORCE_UNLOAD` and `O_TRUNC`; taints `R`. */
function tryForceUnload(k: LinuxV26Kernel, flags: number): boolean {
  if (!k.config.forceUnload || (flags & O_TRUNC) === 0) return false;
  addTaint(k.core.sysctl, TAINT.FORCED_RMMOD);
  return true;
}

/** The syscall body. */
export function deleteModule(k: LinuxV26Kernel, nameUser: number, flags: number): Result<number> {
  if (!k.core.creds.capable('CAP_SYS_MODULE') || k.modulesDisabled)
    return err('EPERM', 'delete_module: operation not permitted');
  const s = k.core.user.strncpyFromUser(nameUser, MODULE_NAME_LEN - 1);
  if (!s.ok) return err('EFAULT', s.error.reason);
  const name = s.value.value;
  const mod = k.find(name);
  if (mod === undefined) return err('ENOENT', `delete_module: no module ${name}`);
  if (k.core.modules.usedBy(mod.record.name).length > 0)
    return err('EWOULDBLOCK', `delete_module: ${name} is in use by other modules`);
  if (k.state(mod) !== 'LIVE') return err('EBUSY', `${name} already dying`);
  const x = mod.extra;
  if (x.hasInit && !x.hasExit && !tryForceUnload(k, flags))
    return err('EBUSY', `delete_module: ${name} cannot be unloaded`);
  k.era.deleteWait.before(k, flags);
  if (mod.record.refcount !== 0 && !tryForceUnload(k, flags)) {
    const e = k.era.deleteWait.referenced(k, mod, flags);
    return err(e.errno, e.reason);
  }
  k.setState(mod, 'GOING');
  if (k.finishUnload(mod) === 'blocked') return err('EINTR', `delete_module: ${name}'s exit did not return`);
  return ok(0);
}
