/**
 * What changes between Linux 2.6 and 6.x, as small strategy values picked once from `kernelVersion`, so the
 * steps never compare versions themselves. Boundaries are those of the reference (linux-v26.md §2–§5).
 * @module
 */
import {
  MODULE_INIT_COMPRESSED_FILE,
  MODULE_INIT_IGNORE_MODVERSIONS,
  MODULE_INIT_IGNORE_VERMAGIC,
} from '../../abi/linux/v26.js';
import {
  DELETE_BLOCKING,
  DELETE_NONBLOCKING,
  DELETE_WARN,
  type DeleteWaitStrategy,
  DUPLICATE_6_2,
  DUPLICATE_EEXIST,
  DUPLICATE_RETRY,
  type DuplicateStrategy,
  FD_COPY_MODULE_FROM_FD,
  FD_KERNEL_READ_FILE_4_6,
  FD_KERNEL_READ_FILE_5_15,
  type FdStrategy,
  SIG_3_7,
  SIG_5_4,
  SIG_MAINLINE,
  type SigPolicy,
} from './era-strategies.js';
import { atLeast, type KernelVersion } from './linux-v26-config.js';

/** Every era-dependent behaviour of the loader. */
export interface LinuxV26Era {
  /** The version these were picked for. */
  readonly version: KernelVersion;
  /** Largest `init_module` image: 64 MiB before 3.8 (`copy_and_check`), else the machine's memory. */
  readonly maxImageLength: number;
  /** `finit_module` exists (3.8+). */
  readonly hasFinitModule: boolean;
  /** Flag bits `finit_module` accepts. */
  readonly finitFlags: number;
  /** How `finit_module` reads its fd. */
  readonly fd: FdStrategy;
  /** What `module_sig_check` does. */
  readonly sig: SigPolicy;
  /** Taint letter for an unverified module: `E` from 3.15, `F` before. */
  readonly unsignedTaint: 'E' | 'F';
  /** `MODULE_STATE_UNFORMED` exists (3.9+). */
  readonly unformed: boolean;
  /** ≥ 6.4: `early_mod_check` (duplicate check before allocation; taints after `add_unformed_module`). */
  readonly earlyModCheck: boolean;
  /** What a module of the same name on the list means. */
  readonly duplicate: DuplicateStrategy;
  /** Unknown module parameter: warning (≥ 3.12) or ENOENT. */
  readonly unknownParamIsError: boolean;
  /** `parse_args` keeps going after an error and returns the last one (≥ 5.0), or stops at the first. */
  readonly parseArgsContinues: boolean;
  /** `kstrto*` semantics (ERANGE for out-of-range, 2.6.39+), or `strict_strto*` (EINVAL for everything). */
  readonly kstrto: boolean;
  /** Whether `delete_module` waits for references (≤ 3.12), warns (3.13 – 3.x) or neither. */
  readonly deleteWait: DeleteWaitStrategy;
  /** A symbol missing from `__versions`: ok with a warning (≥ 4.10) or a failure. */
  readonly missingVersionIsOk: boolean;
  /** Namespaces (`EXPORT_SYMBOL_NS`, `import_ns`), 5.4+. */
  readonly namespaces: boolean;
  /** `inherit_taint` (~5.13). */
  readonly inheritTaint: boolean;
  /** Per-module taint letters in bit order (mainline) or the 4.4 fixed order `P O F C E`. */
  readonly taintOrder: 'bits' | 'fixed';
  /** x86-64 PC32/PLT32 overflow check (pre-5.x form). */
  readonly pc32OverflowCheck: boolean;
  /** `R_X86_64_PLT32` known (4.16+). */
  readonly plt32: boolean;
  /** `R_X86_64_PC64` known. */
  readonly pc64: boolean;
  /** `module_blacklist=` (~4.10). */
  readonly blacklist: boolean;
  /** Extended modversions (`__version_ext_crcs` / `__version_ext_names`, 6.14+). */
  readonly extendedModversions: boolean;
  /** `struct kernel_symbol` layout of `__ksymtab*`: PREL32 with namespace (5.4+), PREL32 (4.19+), absolute. */
  readonly ksymtab: 'prel32-ns' | 'prel32' | 'absolute';
  /** `/proc/modules` and lsmod: refcount from `MODULE_REF_BASE` (4.0+) or per-cpu counters. */
  readonly modernRefcount: boolean;
}

/** Picks the era strategies for a kernel version. */
export function linuxV26Era(v: KernelVersion): LinuxV26Era {
  return {
    version: v,
    hasFinitModule: atLeast(v, 3, 8),
    maxImageLength: atLeast(v, 3, 8) ? 4 * 1024 ** 3 : 64 * 1024 * 1024,
    finitFlags:
      MODULE_INIT_IGNORE_MODVERSIONS |
      MODULE_INIT_IGNORE_VERMAGIC |
      (atLeast(v, 5, 17) ? MODULE_INIT_COMPRESSED_FILE : 0),
    fd: atLeast(v, 5, 15)
      ? FD_KERNEL_READ_FILE_5_15
      : atLeast(v, 4, 6)
        ? FD_KERNEL_READ_FILE_4_6
        : FD_COPY_MODULE_FROM_FD,
    sig: atLeast(v, 6, 4) ? SIG_MAINLINE : atLeast(v, 5, 4) ? SIG_5_4 : SIG_3_7,
    unsignedTaint: atLeast(v, 3, 15) ? 'E' : 'F',
    unformed: atLeast(v, 3, 9),
    earlyModCheck: atLeast(v, 6, 4),
    duplicate: atLeast(v, 6, 2) ? DUPLICATE_6_2 : atLeast(v, 3, 9) ? DUPLICATE_RETRY : DUPLICATE_EEXIST,
    unknownParamIsError: !atLeast(v, 3, 12),
    parseArgsContinues: atLeast(v, 5, 0),
    kstrto: atLeast(v, 2, 6, 39),
    deleteWait: atLeast(v, 4, 0) ? DELETE_NONBLOCKING : atLeast(v, 3, 13) ? DELETE_WARN : DELETE_BLOCKING,
    missingVersionIsOk: atLeast(v, 4, 10),
    namespaces: atLeast(v, 5, 4),
    inheritTaint: atLeast(v, 5, 13),
    taintOrder: atLeast(v, 4, 5) ? 'bits' : 'fixed',
    pc32OverflowCheck: !atLeast(v, 5, 8),
    plt32: atLeast(v, 4, 16),
    pc64: atLeast(v, 4, 19),
    blacklist: atLeast(v, 4, 10),
    modernRefcount: atLeast(v, 4, 0),
    extendedModversions: atLeast(v, 6, 14),
    ksymtab: atLeast(v, 5, 4) ? 'prel32-ns' : atLeast(v, 4, 19) ? 'prel32' : 'absolute',
  };
}
