/**
 * The kernel's `struct module` for a linux-v26 module: what stays after `load_module` returns. The JSON part
 * lives in the registry record's `extra` (saved with `--state`); the allocations are found again by address.
 * @module
 */
import type { Allocation } from '../../core/address-space.js';
import type { ModuleRecord } from '../../core/module-registry.js';
import type { JsonValue } from '../../core/snapshot.js';
import { signedAddress } from '../../core/symbol-table.js';

/** Module state names as the registry stores them. */
export type V26State = 'UNFORMED' | 'COMING' | 'LIVE' | 'GOING';

/** A module parameter as `/sys/module/<m>/parameters` and `parse_args` see it. */
export interface ParamDef {
  /** Name. */
  readonly name: string;
  /** Standard type (`int`, `charp`, `bool`, …), `string`, or `custom` (the module's own ops). */
  readonly type: string;
  /** Array parameters: the element type; `max` elements. */
  readonly array?: { readonly max: number; readonly elemsize: number; readonly numAddr: number };
  /** `string` parameters: buffer size. */
  readonly maxlen?: number;
  /** sysfs mode. */
  readonly perm: number;
  /** `KERNEL_PARAM_FL_*`. */
  readonly flags: number;
  /** Address of the variable (`kp->arg`, or the array's `elem`, or the string buffer), signed-number form. */
  readonly addr: number;
}

/** The JSON part of a loaded module (registry `extra`). */
export interface ModuleExtra {
  /** Per-module taint bits. */
  taints: number;
  /** Whether `struct module.init` is set. */
  hasInit: boolean;
  /** Whether `struct module.exit` is set. */
  hasExit: boolean;
  /** Core allocation address (hex) and size; init allocation while COMING. */
  core: [string, number] | undefined;
  /** Init allocation (freed after a successful init). */
  init: [string, number] | undefined;
  /** Page-aligned sizes: core, init (0 after init). */
  coreSize: number;
  /** Init region size (0 once freed). */
  initSize: number;
  /** modinfo `version=`. */
  version: string | undefined;
  /** modinfo `srcversion=`. */
  srcversion: string | undefined;
  /** `mod->args`. */
  args: string;
  /** Parameters. */
  params: ParamDef[];
  /** charp / custom parameter values (the kernel keeps them in kmalloc'ed memory). */
  paramValues: Record<string, string | undefined>;
  /**
   * Names of the loaded ALLOC sections (`/sys/module/<name>/sections`), in section order; their addresses are
   * {@link ModuleExtra.sectionAddrs}. Two flat arrays rather than a pair per section: a whole tree loaded keeps
   * some 170,000 of them, and a pair is two more objects each for the collector to copy.
   */
  sectionNames: string[];
  /** Address of each of {@link ModuleExtra.sectionNames} (formatted when its file is read). */
  sectionAddrs: number[];
  /** Per-cpu area, if any: offset and size. */
  percpu: [number, number] | undefined;
  /** Whether the signature verified. */
  sigOk: boolean;
}

/** A loaded module as the loader works with it. */
export interface LoadedModule {
  /** The registry record (state, refcount, address, size, seq). */
  readonly record: ModuleRecord;
  /** Its JSON data. */
  readonly extra: ModuleExtra;
  /** Core allocation (text, rodata, data). */
  core: Allocation | undefined;
  /** Init allocation (`.init.*`), until freed. */
  init: Allocation | undefined;
}

/** The extra of a record, typed. */
export function moduleExtra(record: ModuleRecord): ModuleExtra {
  return record.extra as unknown as ModuleExtra;
}

/** Stores a typed extra in a record. */
export function setModuleExtra(record: ModuleRecord, extra: ModuleExtra): void {
  record.extra = extra as unknown as { [key: string]: JsonValue };
}

/** A kernel address (unsigned 64-bit) as the signed number the loader computes with (core's `signedAddress`). */
export const addrToNumber: (a: bigint) => number = signedAddress;

/** The unsigned 64-bit form of a signed-number address. */
export function numberToAddr(n: number): bigint {
  return BigInt.asUintN(64, BigInt(n));
}

/** `0x%016lx` of a signed-number address. */
export function hexAddr(n: number): string {
  return numberToAddr(n).toString(16).padStart(16, '0');
}
