/**
 * The configuration of a linux-v1 kernel, parsed and validated from {@link KernelConfig}. Every key is documented
 * in docs/personalities/linux-v1.md; scenario files use the same keys.
 * @module
 */
import type { KernelConfig } from '../../core/kernel-config.js';
import { configBool } from '../neutral-spec.js';

/** A kernel version as numbers (`1.2.13` → `[1, 2, 13]`). */
export type V1Version = readonly [number, number, number];

/**
 * How `init_module`'s "Non-module reference" failure behaves: `real` leaves the new symbol table attached and
 * the references linked before the bad one, as 1.2–2.0 did; `clean` undoes them (linux-legacy.md Part D.1).
 */
export type V1Residue = 'real' | 'clean';

/** The parsed configuration a linux-v1 kernel runs with. */
export interface LinuxV1Config {
  /** `kernelVersion` as numbers; selects the 1.2, 1.3 or 2.0 rules. */
  readonly version: V1Version;
  /** `uname -r` (default: the version string). */
  readonly release: string;
  /** `CONFIG_MODULES` (1.3+ has the switch): off makes every module call ENOSYS. */
  readonly modules: boolean;
  /** `CONFIG_MODVERSIONS`: kernel symbols carry `_R<crc>`, `Using_Versions` comes first. */
  readonly modversions: boolean;
  /** Extra kernel exports added to the built-in set. */
  readonly kernelSymbols: readonly string[];
  /** Replace the built-in kernel export set by `kernelSymbols` alone. */
  readonly replaceKernelSymbols: boolean;
  /** Resident symbol tables registered with `register_symtab` at boot: one pseudo module each. */
  readonly residentSymtabs: readonly (readonly string[])[];
  /** Residue fidelity of `init_module`'s reference check. */
  readonly residue: V1Residue;
  /** Physical memory in bytes: places `VMALLOC_START` and bounds what vmalloc can hand out. */
  readonly memory: number;
  /** Initial `securelevel` (2.0: above 0 refuses module calls with EPERM). */
  readonly securelevel: number;
}

/** The configuration error a bad key gives (thrown at boot: a caller error). */
export class LinuxV1ConfigError extends TypeError {
  /** @param message what is wrong. */
  constructor(message: string) {
    super(`linux-v1 config: ${message}`);
    this.name = 'LinuxV1ConfigError';
  }
}

/** Default `kernelVersion`: the MODULES(2) page's era. */
export const DEFAULT_V1_VERSION = '1.2.13';

/** Parses `1.2.13`, `1.3`, `2.0.40`… into numbers; `undefined` unless it is 1.0 – 2.1.17. */
export function parseV1Version(text: string): V1Version | undefined {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(text.trim());
  if (m === null) return undefined;
  const v: V1Version = [Number(m[1]), Number(m[2]), m[3] === undefined ? 0 : Number(m[3])];
  if (v[0] === 1) return v;
  if (v[0] === 2 && (v[1] === 0 || (v[1] === 1 && v[2] < 18))) return v;
  return undefined;
}

function bool(config: KernelConfig, key: string, alias: string, dflt: boolean): boolean {
  return configBool(config, key, alias, dflt, (m) => new LinuxV1ConfigError(m));
}

function names(raw: unknown, key: string): string[] {
  if (!Array.isArray(raw) || raw.some((s) => typeof s !== 'string'))
    throw new LinuxV1ConfigError(`${key} must be a list of names`);
  return raw as string[];
}

/** Reads and checks the keys linux-v1 understands. */
export function readLinuxV1Config(config: KernelConfig): LinuxV1Config {
  const versionText = config.kernelVersion ?? DEFAULT_V1_VERSION;
  if (typeof versionText !== 'string') throw new LinuxV1ConfigError('kernelVersion must be a string');
  const version = parseV1Version(versionText);
  if (version === undefined)
    throw new LinuxV1ConfigError(`kernelVersion ${versionText} is not a 1.x – 2.1.17 kernel`);
  const release = config.release ?? versionText;
  if (typeof release !== 'string') throw new LinuxV1ConfigError('release must be a string');
  const resident = config.residentSymtabs ?? [];
  if (!Array.isArray(resident)) throw new LinuxV1ConfigError('residentSymtabs must be a list of name lists');
  const residue = config.residue ?? 'real';
  if (residue !== 'real' && residue !== 'clean')
    throw new LinuxV1ConfigError(`residue must be "real" or "clean", got ${JSON.stringify(residue)}`);
  const memory = config.memory ?? 16 * 1024 * 1024;
  if (typeof memory !== 'number' || !Number.isSafeInteger(memory) || memory < 4 << 20 || memory > 960 << 20)
    throw new LinuxV1ConfigError('memory must be a byte count between 4 MiB and 960 MiB');
  const securelevel = config.securelevel ?? 0;
  if (typeof securelevel !== 'number' || !Number.isInteger(securelevel))
    throw new LinuxV1ConfigError('securelevel must be an integer');
  return {
    version,
    release,
    modules: bool(config, 'modules', 'CONFIG_MODULES', true),
    modversions: bool(config, 'modversions', 'MODVERSIONS', false),
    kernelSymbols: names(config.kernelSymbols ?? [], 'kernelSymbols'),
    replaceKernelSymbols: bool(config, 'replaceKernelSymbols', 'replaceKernelSymbols', false),
    residentSymtabs: resident.map((r, i) => names(r, `residentSymtabs[${i}]`)),
    residue,
    memory,
    securelevel,
  };
}
