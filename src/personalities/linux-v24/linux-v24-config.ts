/**
 * The configuration of a linux-v24 kernel, parsed and validated from {@link KernelConfig}. Every key is
 * documented in docs/personalities/linux-v24.md; scenario files use the same keys.
 * @module
 */
import type { KernelConfig } from '../../core/kernel-config.js';
import { configBool } from '../neutral-spec.js';

/** A kernel version as numbers (`2.4.27` → `[2, 4, 27]`). */
export type V24Version = readonly [number, number, number];

/**
 * How error paths behave where a real kernel left residue behind (linux-legacy.md Part D): `real` reproduces it
 * (2.2's dangling `refs` links after a bad dependency), `clean` checks every dependency before linking any, as
 * 2.4 does.
 */
export type ResidueFidelity = 'real' | 'clean';

/** The parsed configuration a linux-v24 kernel runs with. */
export interface LinuxV24Config {
  /** `kernelVersion` as numbers; selects the 2.2 or 2.4 rules (and the 2.4.27 deltas). */
  readonly version: V24Version;
  /** `uname -r` (default: the version string). */
  readonly release: string;
  /** `CONFIG_MODULES`: off makes every module call ENOSYS except `query_module(…, 0, …)`. */
  readonly modules: boolean;
  /** `CONFIG_MODVERSIONS`: kernel symbols carry `_R<crc>` and `Using_Versions` is exported. */
  readonly modversions: boolean;
  /** Extra kernel exports (`name`, `name:gpl`) added to the built-in set. */
  readonly kernelSymbols: readonly string[];
  /** Replace the built-in kernel export set by `kernelSymbols` alone. */
  readonly replaceKernelSymbols: boolean;
  /** Residue fidelity of error paths. */
  readonly residue: ResidueFidelity;
  /** Size of the vmalloc area modules are carved from, in bytes. */
  readonly moduleAreaSize: number;
}

/** The configuration error a bad key gives (thrown at boot: a caller error). */
export class LinuxV24ConfigError extends TypeError {
  /** @param message what is wrong. */
  constructor(message: string) {
    super(`linux-v24 config: ${message}`);
    this.name = 'LinuxV24ConfigError';
  }
}

/** Default `kernelVersion`. */
export const DEFAULT_V24_VERSION = '2.4.27';

/** Parses `2.2.26`, `2.4`, `2.4.0-test11`… into numbers; `undefined` when it is not a 2.1.18 → 2.4 version. */
export function parseV24Version(text: string): V24Version | undefined {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(text.trim());
  if (m === null) return undefined;
  const v: V24Version = [Number(m[1]), Number(m[2]), m[3] === undefined ? 0 : Number(m[3])];
  if (v[0] !== 2) return undefined;
  if (v[1] === 1 && v[2] < 18) return undefined;
  if (v[1] < 1 || v[1] > 4) return undefined;
  return v;
}

function bool(config: KernelConfig, key: string, alias: string, dflt: boolean): boolean {
  return configBool(config, key, alias, dflt, (m) => new LinuxV24ConfigError(m));
}

/** Reads and checks the keys linux-v24 understands. */
export function readLinuxV24Config(config: KernelConfig): LinuxV24Config {
  const versionText = config.kernelVersion ?? DEFAULT_V24_VERSION;
  if (typeof versionText !== 'string') throw new LinuxV24ConfigError('kernelVersion must be a string');
  const version = parseV24Version(versionText);
  if (version === undefined)
    throw new LinuxV24ConfigError(`kernelVersion ${versionText} is not a 2.1.18 – 2.4.x kernel`);
  const release = config.release ?? versionText;
  if (typeof release !== 'string') throw new LinuxV24ConfigError('release must be a string');
  const symbols = config.kernelSymbols ?? [];
  if (!Array.isArray(symbols) || symbols.some((s) => typeof s !== 'string'))
    throw new LinuxV24ConfigError('kernelSymbols must be a list of names');
  const residue = config.residue ?? 'real';
  if (residue !== 'real' && residue !== 'clean')
    throw new LinuxV24ConfigError(`residue must be "real" or "clean", got ${JSON.stringify(residue)}`);
  const area = config.moduleAreaSize ?? 0x08000000;
  if (typeof area !== 'number' || !Number.isSafeInteger(area) || area < 0x10000 || area > 0x3f000000)
    throw new LinuxV24ConfigError('moduleAreaSize must be a byte count between 64 KiB and 1008 MiB');
  return {
    version,
    release,
    modules: bool(config, 'modules', 'CONFIG_MODULES', true),
    modversions: bool(config, 'modversions', 'MODVERSIONS', false),
    kernelSymbols: symbols as string[],
    replaceKernelSymbols: bool(config, 'replaceKernelSymbols', 'replaceKernelSymbols', false),
    residue,
    moduleAreaSize: area,
  };
}
