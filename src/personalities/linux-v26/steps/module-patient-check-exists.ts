/**
 * `module_patient_check_exists`: what happens when a module of the same `mod->name` is on the list. A module
 * still in its init here never finishes (its behaviour blocked), so a wait for it is interrupted (EINTR).
 * @see kernel/module/main.c module_patient_check_exists, add_unformed_module
 * @module
 */
import { step } from '../../../core/pipeline.js';
import { OK_VOID, type Result } from '../../../core/result.js';
import type { LoadInfo } from '../load-info.js';

/** The check: the era's {@link DuplicateStrategy} decides for an existing module of the same `mod->name`. */
export function checkExists(info: LoadInfo): Result<void> {
  const k = info.k;
  const old = k.find(info.modName, true);
  if (old === undefined) return OK_VOID;
  return k.era.duplicate.onExisting(k.state(old), info.modName);
}

/** Mainline's early duplicate check (part of `early_mod_check`). */
export const modulePatientCheckExists = step<LoadInfo>('modulePatientCheckExists', (info) =>
  checkExists(info),
);
