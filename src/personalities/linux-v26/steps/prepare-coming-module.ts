/**
 * `prepare_coming_module`: ftrace, livepatch and the `MODULE_STATE_COMING` notifier chain. No notifier is
 * registered in the simulated kernel, so it always succeeds; the step keeps its place in the order.
 * @see kernel/module/main.c prepare_coming_module
 * @module
 */
import { step } from '../../../core/pipeline.js';
import { OK_VOID } from '../../../core/result.js';
import type { LoadInfo } from '../load-info.js';

/** The pipeline step. */
export const prepareComingModule = step<LoadInfo>('prepareComingModule', () => OK_VOID);
