/**
 * `check_export_symbol_versions`: with modversions, a module exporting symbols must give their CRCs.
 * @see kernel/module/main.c check_export_symbol_versions
 * @module
 */
import { step } from '../../../core/pipeline.js';
import { err, OK_VOID } from '../../../core/result.js';
import { tryToForceLoad } from '../check-version.js';
import type { LoadInfo } from '../load-info.js';
import { findSec } from './elf-validity-cache-copy.js';

/** The pipeline step. */
export const checkExportSymbolVersions = step<LoadInfo>('checkExportSymbolVersions', (info) => {
  if (!info.k.versions.enabled) return OK_VOID;
  const secs = info.sechdrs ?? [];
  const alloc = info.alloc as Uint8Array;
  const has = (n: string) => {
    const i = findSec(secs, alloc, n);
    return i !== 0 && secs[i].size > 0;
  };
  const missing = (has('__ksymtab') && !has('__kcrctab')) || (has('__ksymtab_gpl') && !has('__kcrctab_gpl'));
  if (!missing || tryToForceLoad(info, 'no versions for exported symbols')) return OK_VOID;
  return err('ENOEXEC', `${info.modName}: no versions for exported symbols`);
});
