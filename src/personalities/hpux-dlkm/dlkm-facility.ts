/**
 * Whether the DLKM feature is initialised: every DLKM call answers ENOSYS when it is not ("The Dynamically
 * Loadable Kernel Module feature is not initialized", modload(2)). Selected by the `dlkmInitialized` config key;
 * the uninitialised kernel gets the null implementation, so the calls never branch on configuration.
 * @module
 */
import { err, OK_VOID, type Result } from '../../core/result.js';

/** The feature gate each DLKM call consults at its documented position. */
export interface DlkmFacility {
  /** OK when the feature is initialised, ENOSYS otherwise. */
  check(): Result<void>;
}

/** The initialised feature. */
export const DLKM_INITIALISED: DlkmFacility = { check: () => OK_VOID };

/** The null implementation: DLKM was never initialised (early boot, or configured off). */
export const DLKM_UNINITIALISED: DlkmFacility = {
  check: () => err('ENOSYS', 'the Dynamically Loadable Kernel Module feature is not initialized'),
};
