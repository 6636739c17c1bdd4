/**
 * DI identifiers private to the `hpux-dlkm` personality.
 * @module
 */
import type { ServiceIdentifier } from 'inversify';
import type { DlkmEra } from './dlkm-era.js';
import type { DlkmFacility } from './dlkm-facility.js';
import type { DlkmRelocator } from './dlkm-relocator.js';

/** Tokens bound by `hpuxDlkmModule`. */
export const DLKM_TOKENS = {
  /** The {@link DlkmEra} derived from `kernelVersion`. */
  Era: Symbol.for('kmodsim.hpux.Era') as ServiceIdentifier<DlkmEra>,
  /** Whether the DLKM feature is initialised ({@link DlkmFacility}). */
  Facility: Symbol.for('kmodsim.hpux.Facility') as ServiceIdentifier<DlkmFacility>,
  /** The relocation engine for DLKM objects. */
  Relocator: Symbol.for('kmodsim.hpux.Relocator') as ServiceIdentifier<DlkmRelocator>,
} as const;
