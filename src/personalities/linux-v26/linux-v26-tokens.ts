/**
 * DI identifiers of the linux-v26 personality's own services.
 * @module
 */
import type { ServiceIdentifier } from 'inversify';
import type { VersionSupport } from './check-version.js';
import type { DecompressSupport, SignatureSupport } from './features.js';
import type { LinuxV26Config } from './linux-v26-config.js';
import type { LinuxV26Era } from './linux-v26-era.js';

/** Tokens of the linux-v26 unit. */
export const V26_TOKENS = {
  /** The parsed {@link LinuxV26Config}. */
  Config: Symbol.for('kmodsim.linux-v26.Config') as ServiceIdentifier<LinuxV26Config>,
  /** The {@link LinuxV26Era} strategies. */
  Era: Symbol.for('kmodsim.linux-v26.Era') as ServiceIdentifier<LinuxV26Era>,
  /** `CONFIG_MODULE_SIG` support (or its null implementation). */
  Signatures: Symbol.for('kmodsim.linux-v26.Signatures') as ServiceIdentifier<SignatureSupport>,
  /** `CONFIG_MODVERSIONS` support (or its null implementation). */
  Versions: Symbol.for('kmodsim.linux-v26.Versions') as ServiceIdentifier<VersionSupport>,
  /** `CONFIG_MODULE_DECOMPRESS` support (or the EOPNOTSUPP stub). */
  Decompress: Symbol.for('kmodsim.linux-v26.Decompress') as ServiceIdentifier<DecompressSupport>,
} as const;
