/**
 * `check_modstruct_version`: the module's CRC of `module_layout` against the kernel's.
 * @see kernel/module/version.c check_modstruct_version
 * @module
 */
import { step } from '../../../core/pipeline.js';
import { err, OK_VOID } from '../../../core/result.js';
import type { LoadInfo } from '../load-info.js';

/** The pipeline step: ENOEXEC on a mismatch (the message comes from `check_version`). */
export const checkModstructVersion = step<LoadInfo>('checkModstructVersion', (info) => {
  const k = info.k;
  const crc = k.core.symbols.lookup('module_layout')?.crc;
  if (k.versions.checkVersion(info, 'module_layout', crc)) return OK_VOID;
  return err('ENOEXEC', `${info.name}: disagrees about version of symbol module_layout`);
});
