/**
 * The privilege test every module call of the era opens with: `suser()` (effective uid 0); 2.0.x adds
 * `|| securelevel > 0`.
 * @see kernel/module.c sys_create_module, sys_init_module, sys_delete_module (1.2.13, 2.0.40)
 * @module
 */
import { err, OK_VOID, type Result } from '../../core/result.js';
import type { LinuxV1Kernel } from './linux-v1-kernel.js';

/** EPERM unless the caller may manage modules. */
export function checkSuser(k: LinuxV1Kernel, call: string): Result<void> {
  if (!k.core.creds.isSuperuser()) return err('EPERM', `${call}: not superuser`);
  if (k.era.securelevel && k.securelevel > 0) return err('EPERM', `${call}: securelevel ${k.securelevel}`);
  return OK_VOID;
}
