/**
 * Configuration of one simulated kernel. Common keys are typed here; each personality reads and validates its
 * own keys (documented in docs/personalities/<id>.md). Scenario files use the same keys.
 */
export interface KernelConfig {
  /** Kernel version that selects era features (`"6.1"`, `"2.4.27"`, `"1.2.13"`, `"11.31"`). */
  readonly kernelVersion?: string;
  /** Full release string (`uname -r`), e.g. `6.1.0-50-amd64`; sets the expected vermagic on Linux 2.6+. */
  readonly release?: string;
  /** Size of the simulated module area in bytes. */
  readonly moduleAreaSize?: number;
  /** Start with module loading disabled (`modules_disabled=1`). */
  readonly modulesDisabled?: boolean;
  /** Identity of the calling process. Default: root with every capability. */
  readonly credentials?: CredentialsConfig;
  /** Personality-specific keys. */
  readonly [key: string]: unknown;
}

/** The calling process's identity in a {@link KernelConfig}. */
export interface CredentialsConfig {
  /** Real user id. */
  readonly uid?: number;
  /** Effective user id; a non-zero euid without `capabilities` has none. */
  readonly euid?: number;
  /** Effective group id. */
  readonly gid?: number;
  /** Effective Linux capabilities (`CAP_SYS_MODULE`…). */
  readonly capabilities?: readonly string[];
  /** HP-UX privileges (`PRIV_DLKM`). */
  readonly privileges?: readonly string[];
}
