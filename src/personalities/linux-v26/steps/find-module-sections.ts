/**
 * `find_module_sections`: the sections the module structure points into; only the failing checks matter here
 * (both `.ctors` and `.init_array`; obsolete `__obsparm`).
 * @see kernel/module/main.c find_module_sections
 * @module
 */
import { step } from '../../../core/pipeline.js';
import { err, OK_VOID } from '../../../core/result.js';
import type { LoadInfo } from '../load-info.js';
import { findSec } from './elf-validity-cache-copy.js';

/** The pipeline step. */
export const findModuleSections = step<LoadInfo>('findModuleSections', (info) => {
  const secs = info.sechdrs ?? [];
  const alloc = info.alloc as Uint8Array;
  const log = info.k.core.log;
  if (findSec(secs, alloc, '.ctors') !== 0 && findSec(secs, alloc, '.init_array') !== 0) {
    const text = `${info.modName}: has both .ctors and .init_array.`;
    log.err(text);
    return err('EINVAL', text);
  }
  if (findSec(secs, alloc, '__obsparm') !== 0) log.warn(`${info.modName}: Ignoring obsolete parameters`);
  return OK_VOID;
});
