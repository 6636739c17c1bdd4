/**
 * `rewrite_section_headers`: the sections that never reach module memory lose `SHF_ALLOC`.
 * @see kernel/module/main.c rewrite_section_headers
 * @module
 */
import { step } from '../../../core/pipeline.js';
import { OK_VOID } from '../../../core/result.js';
import type { LoadInfo } from '../load-info.js';

const DROPPED = new Set(['__versions', '.modinfo', '__version_ext_crcs', '__version_ext_names']);

/** The pipeline step (cannot fail). */
export const rewriteSectionHeaders = step<LoadInfo>('rewriteSectionHeaders', (info) => {
  const secs = info.sechdrs ?? [];
  const alloc = info.alloc as Uint8Array;
  for (let i = 1; i < secs.length; i++) if (DROPPED.has(secs[i].name)) alloc[i] = 0;
  return OK_VOID;
});
