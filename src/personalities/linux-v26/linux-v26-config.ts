/**
 * The configuration of a linux-v26 kernel, parsed and validated from {@link KernelConfig}.
 * @module
 */

/** The parsed configuration a linux-v26 kernel runs with (every key is documented in docs/personalities/linux-v26.md). */
export interface LinuxV26Config {
  /** `kernelVersion` as numbers (`[6, 1, 0]`); selects the era's behaviours. */
  readonly version: readonly [number, number, number];
  /** `uname -r`. */
  readonly release: string;
  /** The vermagic string the kernel expects (`6.1.0-50-amd64 SMP preempt mod_unload modversions `). */
  readonly vermagic: string;
  /** `CONFIG_MODVERSIONS`. */
  readonly modversions: boolean;
  /** `CONFIG_MODULE_SIG`. */
  readonly moduleSig: boolean;
  /** `CONFIG_MODULE_SIG_FORCE`. */
  readonly sigForce: boolean;
  /** `module.sig_enforce` at boot. */
  readonly sigEnforce: boolean;
  /** `CONFIG_MODULE_UNLOAD`. */
  readonly moduleUnload: boolean;
  /** `CONFIG_MODULE_FORCE_UNLOAD`. */
  readonly forceUnload: boolean;
  /** `CONFIG_MODULE_FORCE_LOAD`. */
  readonly forceLoad: boolean;
  /** `CONFIG_MODULE_DECOMPRESS` and its algorithm, when on. */
  readonly decompress: 'gzip' | 'xz' | 'zstd' | undefined;
  /** Path (host or VFS) of a `Module.symvers` whose `vmlinux` entries are the kernel's exports. */
  readonly symvers: string | undefined;
  /** X.509 certificates (DER or PEM paths) on the kernel's trusted keyring. */
  readonly trustedCerts: readonly string[];
}
