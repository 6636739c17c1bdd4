/**
 * DI identifiers of the linux-v24 personality's own services.
 * @module
 */
import type { ServiceIdentifier } from 'inversify';
import type { LinuxV24Config } from './linux-v24-config.js';
import type { V24Era } from './linux-v24-era.js';

/** Tokens of the linux-v24 unit. */
export const V24_TOKENS = {
  /** The parsed {@link LinuxV24Config}. */
  Config: Symbol.for('kmodsim.linux-v24.Config') as ServiceIdentifier<LinuxV24Config>,
  /** The {@link V24Era} rules. */
  Era: Symbol.for('kmodsim.linux-v24.Era') as ServiceIdentifier<V24Era>,
} as const;
