/**
 * `ModuleSpec`: the personality-neutral description of a module (DESIGN.md §7) that the builders turn into the
 * image each personality takes — an x86_64 `.ko`, an i386 `.o` for the 2.4, 2.0 or 1.x module tools, or an
 * HP-UX DLKM object.
 * @module
 */
import type { BehaviourSpec } from './behaviour-spec.js';

/** Scalar parameter types (`module_param(name, <type>, perm)`), plus `string` (`module_param_string`). */
export const PARAM_TYPES = [
  'byte',
  'short',
  'ushort',
  'int',
  'uint',
  'long',
  'ulong',
  'hexint',
  'bool',
  'invbool',
  'charp',
  'string',
] as const;

/** A parameter type. */
export type ParamType = (typeof PARAM_TYPES)[number];

/** One value of a parameter: an integer (bigint for 64-bit values beyond 2^53), a boolean or a string. */
export type ParamValue = number | bigint | boolean | string;

/** A module parameter. */
export interface ParamSpec {
  /** The parameter (and C variable) name. */
  readonly name: string;
  /** Its type. */
  readonly type: ParamType;
  /** `module_param_array` with this many elements at most (not for `string`). */
  readonly array?: number;
  /** For `string`: size of the buffer including the NUL (`module_param_string(…, len, …)`). */
  readonly maxlen?: number;
  /** Initial value of the variable (an array for array parameters; absent: zero / NULL / empty). */
  readonly default?: ParamValue | readonly ParamValue[];
  /** sysfs mode (default 0644). */
  readonly perm?: number;
  /** `MODULE_PARM_DESC` text. */
  readonly description?: string;
}

/** An exported function. A plain string is a plain export. */
export type ExportSpec =
  | string
  | {
      /** Symbol name. */
      readonly name: string;
      /** `EXPORT_SYMBOL_GPL` (Linux 2.4: `GPLONLY_` name). */
      readonly gpl?: boolean;
      /** `EXPORT_SYMBOL_NS` namespace (Linux ≥ 5.4). */
      readonly namespace?: string;
    };

/** A symbol the module uses. A plain string is a called function. */
export type ImportSpec =
  | string
  | {
      /** Symbol name. */
      readonly name: string;
      /** How the code refers to it: a call (default) or a data load. */
      readonly kind?: 'call' | 'data';
      /** The module exporting it (added to the dependencies). */
      readonly module?: string;
      /** The namespace it is exported in (added to the imported namespaces). */
      readonly namespace?: string;
    };

/** HP-UX-only fields of a DLKM object. */
export interface DlkmSpec {
  /** Module type (`.modmeta` `type`; default `misc`). */
  readonly type?: string;
  /** `struct modwrapper.mw_rev` (default `MODREV`, 10). */
  readonly wrapperRevision?: number;
  /** `mtd_info` string of the module's `modlink` (default `<name> - <type> module`). */
  readonly linkInfo?: string;
  /** `depend interface <name>:<version>` lines. */
  readonly dependsInterface?: readonly string[];
  /** `exports <interface>:<version>` lines. */
  readonly exportsInterface?: readonly string[];
  /** `capable` states. */
  readonly capable?: readonly string[];
  /** `best` state. */
  readonly best?: string;
}

/** Minimum sizes (bytes) of the module's code and data; the builder pads up to them. */
export interface SizesSpec {
  /** `.text`. */
  readonly text?: number;
  /** `.data`. */
  readonly data?: number;
  /** `.bss`. */
  readonly bss?: number;
}

/** CRCs of symbols: a map, or a function of the name. Missing entries get {@link defaultSymbolCrc}. */
export type CrcSource = Readonly<Record<string, number>> | ((symbol: string) => number);

/** A personality-neutral module description. */
export interface ModuleSpec {
  /** Module name (letters, digits, `_`, `-`; a `.ko` records it with `-` turned into `_`, as kbuild does). */
  readonly name: string;
  /** `MODULE_LICENSE` (default `GPL`; `''` writes none). */
  readonly license?: string;
  /** `MODULE_DESCRIPTION`. */
  readonly description?: string;
  /** `MODULE_AUTHOR` (one or several). */
  readonly author?: string | readonly string[];
  /** `MODULE_VERSION` (HP-UX: the `.modmeta` version). */
  readonly version?: string;
  /** modinfo `srcversion=` (`.ko` only). */
  readonly srcversion?: string;
  /** Exported functions. */
  readonly exports?: readonly ExportSpec[];
  /** Symbols used. */
  readonly imports?: readonly ImportSpec[];
  /** Parameters. */
  readonly params?: readonly ParamSpec[];
  /** Modules this one depends on (modinfo `depends=`, HP-UX `depend module`). */
  readonly dependencies?: readonly string[];
  /** Namespaces imported (`MODULE_IMPORT_NS`), besides those of namespaced imports. */
  readonly importNs?: readonly string[];
  /** What init and cleanup do. */
  readonly behaviour?: BehaviourSpec;
  /** The kernel release built against (`.ko` build salt; 2.x/1.x `kernel_version`). */
  readonly kernelRelease?: string;
  /** Full `vermagic=` string (`.ko`; default `<release> SMP preempt mod_unload [modversions ]`). */
  readonly vermagic?: string;
  /** Symbol CRCs (modversions). */
  readonly crcs?: CrcSource;
  /** Minimum section sizes. */
  readonly sizes?: SizesSpec;
  /** modinfo `intree=Y` (`.ko`; default false: an out-of-tree module). */
  readonly intree?: boolean;
  /** Further modinfo `key=value` strings, in order (`alias`, `softdep`, `firmware`, `staging`…). */
  readonly extraModinfo?: readonly (readonly [string, string])[];
  /** No cleanup function: the module cannot be unloaded (`[permanent]`; default false). */
  readonly permanent?: boolean;
  /** HP-UX DLKM fields. */
  readonly dlkm?: DlkmSpec;
}

/** Kernel release each target defaults to. */
export const DEFAULT_KERNEL_RELEASE = {
  /** linux-v26: the Debian 12 kernel the real-module corpus comes from. */
  ko: '6.1.0-50-amd64',
  /** linux-v24. */
  '2.4': '2.4.27',
  /** linux-v1 on a 2.0 kernel. */
  '2.0': '2.0.40',
  /** linux-v1. */
  '1.x': '1.2.13',
} as const;

/** Default `MODULE_LICENSE`. */
export const DEFAULT_LICENSE = 'GPL';

/** Default sysfs mode of a parameter. */
export const DEFAULT_PARAM_PERM = 0o644;

/** The name of an import or export. */
export function symbolName(s: ImportSpec | ExportSpec): string {
  return typeof s === 'string' ? s : s.name;
}
