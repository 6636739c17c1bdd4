/**
 * `blacklisted`: the `module_blacklist=` boot parameter.
 * @see kernel/module/main.c blacklisted, early_mod_check
 * @module
 */
import { step } from '../../../core/pipeline.js';
import { err, OK_VOID } from '../../../core/result.js';
import type { LoadInfo } from '../load-info.js';

/** The pipeline step: EPERM for a listed name. */
export const blacklisted = step<LoadInfo>('blacklisted', (info) => {
  if (!info.k.config.moduleBlacklist.includes(info.name)) return OK_VOID;
  info.k.core.log.err(`Module ${info.name} is blacklisted`);
  return err('EPERM', `Module ${info.name} is blacklisted`);
});
