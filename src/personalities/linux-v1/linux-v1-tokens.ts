/**
 * DI identifiers of the linux-v1 personality's own services.
 * @module
 */
import type { ServiceIdentifier } from 'inversify';
import type { LinuxV1Config } from './linux-v1-config.js';
import type { V1Era } from './linux-v1-era.js';

/** Tokens of the linux-v1 unit. */
export const V1_TOKENS = {
  /** The parsed {@link LinuxV1Config}. */
  Config: Symbol.for('kmodsim.linux-v1.Config') as ServiceIdentifier<LinuxV1Config>,
  /** The {@link V1Era} rules. */
  Era: Symbol.for('kmodsim.linux-v1.Era') as ServiceIdentifier<V1Era>,
} as const;
