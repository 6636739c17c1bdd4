/**
 * `module_unload_init`: the reference count starts at `MODULE_REF_BASE + 1` — `module_refcount()` shows 1 while
 * the init runs.
 * @see kernel/module/main.c module_unload_init
 * @module
 */
import { step } from '../../../core/pipeline.js';
import { OK_VOID } from '../../../core/result.js';
import type { LoadInfo } from '../load-info.js';

/** The pipeline step. */
export const moduleUnloadInit = step<LoadInfo>('moduleUnloadInit', (info) => {
  if (info.mod !== undefined) info.mod.record.refcount = 1;
  return OK_VOID;
});
