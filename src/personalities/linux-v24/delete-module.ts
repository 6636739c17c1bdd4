/**
 * `delete_module(name)` and `delete_module(NULL)`. A named module goes only when nothing references it (`refs`)
 * and it is not in use; it is freed at once. NULL reaps autoclean modules: each pass frees the unreferenced,
 * unused, running autoclean modules that were used once and not visited since the previous pass (or lost their
 * last dependent in this call, `MOD_JUST_FREED`), clearing `MOD_VISITED` on the others; a pass that freed
 * anything restarts, so a module spared earlier in the same call is reaped on the restart.
 * @see kernel/module.c sys_delete_module (2.2.1, 2.4.0, 2.4.27); linux-legacy.md §B.6
 * @module
 */
import {
  MOD_AUTOCLEAN,
  MOD_DELETED,
  MOD_JUST_FREED,
  MOD_RUNNING,
  MOD_USED_ONCE,
  MOD_VISITED,
} from '../../abi/linux/v24.js';
import { err, ok, type Result } from '../../core/result.js';
import { KERNEL_MODULE_ADDR } from './kernel-symbols.js';
import type { LinuxV24Kernel } from './linux-v24-kernel.js';
import { getModName } from './user-access.js';

function interrupted(name: string): Result<number> {
  return err('EINTR', `delete_module: ${name}'s cleanup did not return`);
}

/** The syscall body. */
export function deleteModule(k: LinuxV24Kernel, namePtr: number): Result<number> {
  if (!k.core.creds.capable('CAP_SYS_MODULE')) return err('EPERM', 'delete_module: not CAP_SYS_MODULE');
  if (namePtr !== 0) {
    const n = getModName(k.core.user, namePtr, k.era.checksTaskSize);
    if (!n.ok) return n;
    const mod = k.findModule(n.value.name);
    if (mod === undefined) return err('ENOENT', `delete_module: no module ${n.value.name}`);
    if (mod.get('refs') !== 0) return err('EBUSY', `delete_module: ${n.value.name} is used by other modules`);
    if (k.inUse(mod)) return err('EBUSY', `delete_module: ${n.value.name} is in use`);
    if (k.era.deletedBeforeFree) mod.flags = mod.flags | MOD_DELETED;
    return k.freeModule(mod, false) === 'done' ? ok(0) : interrupted(n.value.name);
  }
  for (;;) {
    let changed = false;
    for (let a = k.moduleList; a !== KERNEL_MODULE_ADDR; ) {
      const mod = k.struct(a);
      const next = mod.next;
      const f = mod.flags;
      if (
        mod.get('refs') === 0 &&
        f & MOD_AUTOCLEAN &&
        f & MOD_RUNNING &&
        !(f & MOD_DELETED) &&
        f & MOD_USED_ONCE &&
        !k.inUse(mod)
      ) {
        if (f & MOD_VISITED && !(f & MOD_JUST_FREED)) {
          mod.flags = f & ~MOD_VISITED;
        } else {
          const name = mod.name();
          if (k.era.deletedBeforeFree) mod.flags = f | MOD_DELETED;
          if (k.freeModule(mod, true) === 'blocked') return interrupted(name);
          changed = true;
        }
      }
      a = next;
    }
    if (!changed) break;
  }
  for (const mod of k.list()) mod.flags = mod.flags & ~MOD_JUST_FREED;
  return ok(0);
}
