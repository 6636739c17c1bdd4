/**
 * `module_patient_check_exists`: what happens when a module of the same `mod->name` is on the list. A module
 * still in its init here never finishes (its behaviour blocked), so a wait for it is interrupted (EINTR).
 * @see kernel/module/main.c module_patient_check_exists, add_unformed_module
 * @module
 */
import { step } from '../../../core/pipeline.js';
import { err, OK_VOID, type Result } from '../../../core/result.js';
import type { LoadInfo } from '../load-info.js';

/** The check by era (§2.7 of the reference). */
export function checkExists(info: LoadInfo): Result<void> {
  const k = info.k;
  const old = k.find(info.modName, true);
  if (old === undefined) return OK_VOID;
  const st = k.state(old);
  const name = info.modName;
  if (st === 'LIVE') return err('EEXIST', `module ${name} already loaded`);
  if (st === 'GOING') {
    if (k.era.goingIsEbusy) return err('EBUSY', `module ${name} is going away`);
    if (k.era.duplicate === 'retry-after-wait')
      return err('EINTR', `waiting for ${name} to go away interrupted`);
    return err('EEXIST', `module ${name} already loaded`);
  }
  if (k.era.duplicate === 'eexist') return err('EEXIST', `module ${name} already loaded`);
  return err('EINTR', `waiting for ${name} to finish loading interrupted`);
}

/** Mainline's early duplicate check (part of `early_mod_check`). */
export const modulePatientCheckExists = step<LoadInfo>('modulePatientCheckExists', (info) =>
  checkExists(info),
);
