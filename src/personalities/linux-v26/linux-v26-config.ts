/**
 * The configuration of a linux-v26 kernel, parsed and validated from {@link KernelConfig}. Every key is
 * documented in docs/personalities/linux-v26.md; scenario files use the same keys. The `CONFIG_*`-style
 * spellings (`MODVERSIONS`, `MODULE_SIG`, `MODULE_SIG_FORCE`, …) are accepted as aliases.
 * @module
 */
import type { KernelConfig } from '../../core/kernel-config.js';

/** A kernel version as numbers (`2.6.32` → `[2, 6, 32]`). */
export type KernelVersion = readonly [number, number, number];

/** In-kernel decompression algorithm (`CONFIG_MODULE_COMPRESS_*` with `CONFIG_MODULE_DECOMPRESS`). */
export type DecompressAlgorithm = 'gzip' | 'xz' | 'zstd';

/** Kernel lockdown level (`lockdown=`). */
export type LockdownLevel = 'none' | 'integrity' | 'confidentiality';

/** The parsed configuration a linux-v26 kernel runs with. */
export interface LinuxV26Config {
  /** `kernelVersion` as numbers (`[6, 1, 0]`); selects the era's behaviours. */
  readonly version: KernelVersion;
  /** `uname -r`. */
  readonly release: string;
  /** The vermagic string the kernel expects (`6.1.0-50-amd64 SMP preempt mod_unload modversions `). */
  readonly vermagic: string;
  /** `CONFIG_MODVERSIONS`. */
  readonly modversions: boolean;
  /** `CONFIG_MODULE_SIG` (3.7+). */
  readonly moduleSig: boolean;
  /** `CONFIG_MODULE_SIG_FORCE`. */
  readonly sigForce: boolean;
  /** `module.sig_enforce=1` on the command line. */
  readonly sigEnforce: boolean;
  /** `CONFIG_MODULE_UNLOAD`. */
  readonly moduleUnload: boolean;
  /** `CONFIG_MODULE_FORCE_UNLOAD`. */
  readonly forceUnload: boolean;
  /** `CONFIG_MODULE_FORCE_LOAD`. */
  readonly forceLoad: boolean;
  /** `CONFIG_MODULE_DECOMPRESS` and its algorithm; `undefined` when off. */
  readonly decompress: DecompressAlgorithm | undefined;
  /** Host path of a `Module.symvers` whose `vmlinux` entries are the kernel's exports. */
  readonly symvers: string | undefined;
  /** Extra kernel exports (names; `name:gpl`, `name:ns=NS` forms) added to the built-in or symvers set. */
  readonly kernelSymbols: readonly string[];
  /** X.509 certificates (DER or PEM host paths, or PEM text) on the built-in trusted keyring. */
  readonly trustedCerts: readonly string[];
  /** `module_blacklist=` names. */
  readonly moduleBlacklist: readonly string[];
  /** `CONFIG_LIVEPATCH`. */
  readonly livepatch: boolean;
  /** `CONFIG_RETPOLINE` (a module without `retpoline=Y` gets a warning). */
  readonly retpoline: boolean;
  /** `CONFIG_STRICT_MODULE_RWX`. */
  readonly strictModuleRwx: boolean;
  /** Lockdown level. */
  readonly lockdown: LockdownLevel;
}

/** The configuration error a bad key gives (thrown at boot: a caller error). */
export class LinuxV26ConfigError extends TypeError {
  /** @param message what is wrong. */
  constructor(message: string) {
    super(`linux-v26 config: ${message}`);
    this.name = 'LinuxV26ConfigError';
  }
}

/** Default `kernelVersion`: the Debian 12 kernel of the real-module corpus. */
export const DEFAULT_KERNEL_VERSION = '6.1';
/** Default `release`. */
export const DEFAULT_RELEASE = '6.1.0-50-amd64';

const ALIASES: Readonly<Record<string, string>> = {
  MODVERSIONS: 'modversions',
  MODULE_SIG: 'moduleSig',
  MODULE_SIG_FORCE: 'sigForce',
  SIG_FORCE: 'sigForce',
  MODULE_UNLOAD: 'moduleUnload',
  MODULE_FORCE_UNLOAD: 'forceUnload',
  FORCE_UNLOAD: 'forceUnload',
  MODULE_FORCE_LOAD: 'forceLoad',
  FORCE_LOAD: 'forceLoad',
  MODULE_DECOMPRESS: 'decompress',
  DECOMPRESS: 'decompress',
  LIVEPATCH: 'livepatch',
  RETPOLINE: 'retpoline',
  STRICT_MODULE_RWX: 'strictModuleRwx',
};

/** Parses `2.6.32`, `6.1`, `6.1.0-50-amd64` into numbers; `undefined` when it does not start with `N.N`. */
export function parseKernelVersion(text: string): KernelVersion | undefined {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (m === null) return undefined;
  return [Number(m[1]), Number(m[2]), m[3] === undefined ? 0 : Number(m[3])];
}

/** Compares two versions (negative, 0, positive). */
export function compareVersion(a: KernelVersion, b: KernelVersion): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** Whether `v` is at least `major.minor.patch`. */
export function atLeast(v: KernelVersion, major: number, minor: number, patch = 0): boolean {
  return compareVersion(v, [major, minor, patch]) >= 0;
}

/**
 * `VERMAGIC_STRING` for x86_64: `UTS_RELEASE " SMP preempt " ["mod_unload "] ["modversions "]`.
 * @see include/linux/vermagic.h
 */
export function kernelVermagic(release: string, moduleUnload: boolean, modversions: boolean): string {
  return `${release} SMP preempt ${moduleUnload ? 'mod_unload ' : ''}${modversions ? 'modversions ' : ''}`;
}

function normalise(config: KernelConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) out[ALIASES[k] ?? k] = v;
  return out;
}

function bool(c: Record<string, unknown>, key: string, dflt: boolean): boolean {
  const v = c[key];
  if (v === undefined) return dflt;
  if (typeof v === 'boolean') return v;
  if (v === 'y' || v === 'Y' || v === 1) return true;
  if (v === 'n' || v === 'N' || v === 0) return false;
  throw new LinuxV26ConfigError(`${key} must be a boolean`);
}

function strings(c: Record<string, unknown>, key: string): string[] {
  const v = c[key];
  if (v === undefined) return [];
  if (typeof v === 'string') return v === '' ? [] : v.split(',');
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return [...v];
  throw new LinuxV26ConfigError(`${key} must be a string or a list of strings`);
}

function optionalString(c: Record<string, unknown>, key: string): string | undefined {
  const v = c[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new LinuxV26ConfigError(`${key} must be a string`);
  return v;
}

/** Reads and validates the linux-v26 keys of a {@link KernelConfig}; throws {@link LinuxV26ConfigError}. */
export function readLinuxV26Config(config: KernelConfig): LinuxV26Config {
  const c = normalise(config);
  const release = optionalString(c, 'release');
  const versionText = optionalString(c, 'kernelVersion') ?? release ?? DEFAULT_KERNEL_VERSION;
  const version = parseKernelVersion(versionText);
  if (version === undefined || version[0] < 2 || (version[0] === 2 && version[1] < 6))
    throw new LinuxV26ConfigError(`kernelVersion ${versionText} is not a 2.6+ version`);
  const rel = release ?? (optionalString(c, 'kernelVersion') === undefined ? DEFAULT_RELEASE : versionText);
  const modversions = bool(c, 'modversions', true);
  const moduleUnload = bool(c, 'moduleUnload', true);
  const signing = atLeast(version, 3, 7);
  const moduleSig = bool(c, 'moduleSig', signing) && signing;
  let decompress: DecompressAlgorithm | undefined;
  const d = c.decompress;
  if (d === undefined || d === false || d === 'none') decompress = undefined;
  else if (d === true) decompress = 'xz';
  else if (d === 'gzip' || d === 'xz' || d === 'zstd') decompress = d;
  else throw new LinuxV26ConfigError('decompress must be false, "gzip", "xz" or "zstd"');
  const lockdown = optionalString(c, 'lockdown') ?? 'none';
  if (lockdown !== 'none' && lockdown !== 'integrity' && lockdown !== 'confidentiality')
    throw new LinuxV26ConfigError('lockdown must be none, integrity or confidentiality');
  return {
    version,
    release: rel,
    vermagic: optionalString(c, 'vermagic') ?? kernelVermagic(rel, moduleUnload, modversions),
    modversions,
    moduleSig,
    sigForce: moduleSig && bool(c, 'sigForce', false),
    sigEnforce: moduleSig && bool(c, 'sigEnforce', false),
    moduleUnload,
    forceUnload: moduleUnload && bool(c, 'forceUnload', false),
    forceLoad: bool(c, 'forceLoad', false),
    decompress: atLeast(version, 5, 17) ? decompress : undefined,
    symvers: optionalString(c, 'symvers'),
    kernelSymbols: strings(c, 'kernelSymbols'),
    trustedCerts: strings(c, 'trustedCerts'),
    moduleBlacklist: strings(c, 'moduleBlacklist'),
    livepatch: bool(c, 'livepatch', false),
    retpoline: bool(c, 'retpoline', true),
    strictModuleRwx: bool(c, 'strictModuleRwx', true),
    lockdown,
  };
}
