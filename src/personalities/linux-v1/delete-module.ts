/**
 * `delete_module(name)` and `delete_module(NULL)`. Named: refused while another module refers to it or its count
 * (the word with the era's flag bits masked) is not zero; a running module's cleanup runs, the module becomes
 * `MOD_DELETED` and `free_modules()` frees what it can. NULL: 1.2 only collects deleted modules; 1.3 reaps every
 * running, unreferenced module whose word is exactly `MOD_AUTOCLEAN`; 2.0 makes one pass newest first, clearing
 * `MOD_VISITED` on a module used since the last pass instead of reaping it ("one cycle after last use").
 * @see kernel/module.c sys_delete_module (1.2.13, 1.3.89, 2.0.40); linux-legacy.md §A.7
 * @module
 */
import { MOD_AUTOCLEAN, MOD_DELETED, MOD_RUNNING, MOD_VISITED } from '../../abi/linux/v1.js';
import { err, ok, type Result } from '../../core/result.js';
import { getModName } from './get-mod-name.js';
import type { LinuxV1Kernel, V1Module } from './linux-v1-kernel.js';
import { checkSuser } from './privilege.js';

/**
 * Runs the module's cleanup when it is running and marks it deleted. A cleanup that never returns leaves the
 * module running (the state is set after the call); the simulated caller is interrupted: false.
 */
function retire(k: LinuxV1Kernel, m: V1Module): boolean {
  if (m.state === MOD_RUNNING && k.core.behaviours.resolve(m.name).cleanup(k.behaviourHost(m.name)).blocked)
    return false;
  m.state = MOD_DELETED;
  return true;
}

/** The syscall body; `namePtr` 0 is NULL. */
export function deleteModule(k: LinuxV1Kernel, namePtr: number): Result<number> {
  const perm = checkSuser(k, 'delete_module');
  if (!perm.ok) return perm;
  if (namePtr !== 0) {
    const n = getModName(k.core.user, namePtr);
    if (!n.ok) return n;
    const mp = k.findModule(n.value);
    if (mp === undefined) return err('ENOENT', `delete_module: no module ${n.value}`);
    if (mp.referrers.length > 0 || k.useCount(mp) !== 0)
      return err('EBUSY', `delete_module: ${n.value} is in use`);
    if (k.era.autoclean) k.setUseWord(mp, k.useWord(mp) & k.era.countMask);
    if (!retire(k, mp)) return err('EINTR', `delete_module: ${n.value}'s cleanup never returned`);
    k.freeModules();
    return ok(0);
  }
  if (k.era.visited) {
    for (const mp of [...k.modules]) {
      if (mp.referrers.length > 0 || mp.state !== MOD_RUNNING) continue;
      const word = k.useWord(mp);
      if ((word & ~MOD_VISITED) !== MOD_AUTOCLEAN) continue;
      if (word & MOD_VISITED) {
        k.setUseWord(mp, word & ~MOD_VISITED);
        continue;
      }
      k.setUseWord(mp, 0);
      if (retire(k, mp)) k.freeModules();
    }
  } else if (k.era.autoclean) {
    for (const mp of [...k.modules]) {
      if (mp.referrers.length > 0 || mp.state !== MOD_RUNNING || k.useWord(mp) !== MOD_AUTOCLEAN) continue;
      k.setUseWord(mp, 0);
      if (retire(k, mp)) k.freeModules();
    }
  } else k.freeModules();
  return ok(0);
}
