/**
 * `mod_sysfs_setup`: `/sys/module/<name>/` with its attributes, `parameters/`, `holders/` links and `sections/`.
 * @see kernel/module/sysfs.c mod_sysfs_setup
 * @module
 */
import { step } from '../../../core/pipeline.js';
import { OK_VOID } from '../../../core/result.js';
import type { LoadInfo } from '../load-info.js';

/** The pipeline step: EINVAL when `/sys/module/<name>` already exists. */
export const modSysfsSetup = step<LoadInfo>('modSysfsSetup', (info, undo) => {
  const k = info.k;
  const mod = info.mod;
  if (mod === undefined) return OK_VOID;
  const r = k.sysfsSetup(mod);
  if (!r.ok) {
    k.core.log.err(r.error.reason);
    return r;
  }
  undo.push('tear down sysfs', () => k.sysfsTeardown(mod));
  return OK_VOID;
});
