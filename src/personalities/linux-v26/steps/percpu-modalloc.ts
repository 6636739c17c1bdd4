/**
 * `percpu_modalloc`: room for `.data..percpu` in the per-cpu area.
 * @see kernel/module/main.c percpu_modalloc
 * @module
 */
import { step } from '../../../core/pipeline.js';
import { OK_VOID } from '../../../core/result.js';
import type { LoadInfo } from '../load-info.js';

const PAGE = 4096;

/** The pipeline step. */
export const percpuModalloc = step<LoadInfo>('percpuModalloc', (info, undo) => {
  const k = info.k;
  const idx = info.index.pcpu;
  const s = idx === 0 ? undefined : info.sechdrs?.[idx];
  if (s === undefined || s.size === 0) return OK_VOID;
  let align = s.addralign || 1;
  if (align > PAGE) {
    k.core.log.warn(`${info.modName}: per-cpu alignment ${align} > ${PAGE}`);
    align = PAGE;
  }
  const at = k.percpuAlloc(s.size, align);
  const x = info.mod?.extra;
  if (x !== undefined) x.percpu = [at, s.size];
  undo.push('free per-cpu area', () => {
    k.percpuFree(at);
    if (x !== undefined) x.percpu = undefined;
  });
  return OK_VOID;
});
