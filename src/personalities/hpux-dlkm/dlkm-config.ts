/**
 * The `hpux-dlkm` keys of `KernelConfig`, read and validated once at boot. Documented in
 * docs/personalities/hpux-dlkm.md.
 * @module
 */
import type { KernelConfig } from '../../core/kernel-config.js';

/** A statically configured module of the running kernel. */
export interface StaticModuleConfig {
  /** Module name. */
  readonly name: string;
  /** Description. */
  readonly desc: string;
  /** Marked required (never `unused`). */
  readonly required: boolean;
}

/** The personality's configuration. */
export interface DlkmConfig {
  /** `dlkmInitialized` (default true): false → every DLKM call answers ENOSYS. */
  readonly initialised: boolean;
  /** `kernelProfiling` (default false): kernel profiling enabled → `moduload` answers EBUSY. */
  readonly profiling: boolean;
  /** `modpath` (default none): directories prepended to the search path at boot, as a boot script would. */
  readonly modpath: string | undefined;
  /** `staticModules`: modules bound into the kernel executable. */
  readonly staticModules: readonly StaticModuleConfig[];
  /** `registeredModules` (default none): modules registered at boot (state `auto`). */
  readonly registeredModules: readonly string[];
  /** `kernelSymbols` (default none): extra kernel symbols modules may reference. */
  readonly kernelSymbols: readonly string[];
  /** `actionsRegister` (default: true from 11i v2): the neutral `load` action registers an unregistered module. */
  readonly actionsRegister: boolean | undefined;
}

/** The kernel's default static modules: the kernel registry service, required since 11i v1.5. */
export const DEFAULT_STATIC_MODULES: readonly StaticModuleConfig[] = [
  { name: 'krs', desc: 'Kernel Registry Service', required: true },
];

function strings(v: unknown, key: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw new TypeError(`hpux-dlkm: config ${key} must be an array of strings`);
  return v as string[];
}

function bool(v: unknown, key: string): boolean | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw new TypeError(`hpux-dlkm: config ${key} must be a boolean`);
  return v;
}

/** Reads and validates the keys; throws a `TypeError` naming the bad key. */
export function readDlkmConfig(config: KernelConfig): DlkmConfig {
  let staticModules = DEFAULT_STATIC_MODULES;
  if (config.staticModules !== undefined) {
    if (!Array.isArray(config.staticModules))
      throw new TypeError('hpux-dlkm: config staticModules must be an array');
    staticModules = config.staticModules.map((m: unknown) => {
      if (typeof m === 'string') return { name: m, desc: '', required: false };
      if (m !== null && typeof m === 'object' && typeof (m as { name?: unknown }).name === 'string') {
        const o = m as { name: string; desc?: unknown; required?: unknown };
        return {
          name: o.name,
          desc: typeof o.desc === 'string' ? o.desc : '',
          required: o.required === true,
        };
      }
      throw new TypeError(
        'hpux-dlkm: config staticModules entries must be names or {name, desc?, required?}',
      );
    });
  }
  if (config.modpath !== undefined && typeof config.modpath !== 'string')
    throw new TypeError('hpux-dlkm: config modpath must be a string');
  return {
    initialised: bool(config.dlkmInitialized, 'dlkmInitialized') ?? true,
    profiling: bool(config.kernelProfiling, 'kernelProfiling') ?? false,
    modpath: config.modpath as string | undefined,
    staticModules,
    registeredModules: strings(config.registeredModules, 'registeredModules'),
    kernelSymbols: strings(config.kernelSymbols, 'kernelSymbols'),
    actionsRegister: bool(config.actionsRegister, 'actionsRegister'),
  };
}
