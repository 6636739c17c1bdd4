/**
 * What changes between Linux 2.6 and 6.x, as small strategy values picked once from `kernelVersion`, so the
 * steps never compare versions themselves. Boundaries are those of the reference (linux-v26.md §2–§5).
 * @module
 */
import type { ErrnoName } from '../../abi/errno.js';
import {
  MODULE_INIT_COMPRESSED_FILE,
  MODULE_INIT_IGNORE_MODVERSIONS,
  MODULE_INIT_IGNORE_VERMAGIC,
} from '../../abi/linux/v26.js';
import { atLeast, type KernelVersion } from './linux-v26-config.js';

/** How `finit_module` reports fd problems (§2.2 era table). */
export interface FdErrors {
  /** `fd` not open. */
  readonly badFd: ErrnoName;
  /** Open but not for reading (`O_WRONLY`). */
  readonly notReadable: ErrnoName;
  /** Whether an fd open for writing is refused with ETXTBSY before the read-mode check (4.6–5.14). */
  readonly denyWriteFirst: boolean;
  /** Whether a writer (any fd, this one included) makes the read fail with ETXTBSY. */
  readonly denyWrite: boolean;
  /** A directory. */
  readonly directory: ErrnoName;
}

/** What `module_sig_check` does with soft failures (§2.3, §6.3). */
export interface SigCheckEra {
  /** ≥ 5.4: soft errors become EKEYREJECTED when enforced; ≤ 5.3: ENOKEY is returned. */
  readonly rejectWithEkeyrejected: boolean;
  /** ≤ 6.x: only `flags == 0` loads look at the signature; mainline only excludes the IGNORE flags. */
  readonly onlyWithoutFlags: boolean;
  /** Taint letter for an unverified module: `E` from 3.15, `F` before. */
  readonly unsignedTaint: 'E' | 'F';
}

/** What `add_unformed_module` does when a module of the same name exists (§2.7). */
export type DuplicatePolicy = 'ebusy-after-wait' | 'retry-after-wait' | 'eexist';

/** Every era-dependent behaviour of the loader. */
export interface LinuxV26Era {
  /** The version these were picked for. */
  readonly version: KernelVersion;
  /** `finit_module` exists (3.8+). */
  readonly hasFinitModule: boolean;
  /** Flag bits `finit_module` accepts. */
  readonly finitFlags: number;
  /** fd error spelling. */
  readonly fd: FdErrors;
  /** Signature check semantics. */
  readonly sig: SigCheckEra;
  /** `MODULE_STATE_UNFORMED` exists (3.9+). */
  readonly unformed: boolean;
  /** ≥ 6.4: `early_mod_check` (duplicate check before allocation; taints after `add_unformed_module`). */
  readonly earlyModCheck: boolean;
  /** Duplicate-name policy. */
  readonly duplicate: DuplicatePolicy;
  /** A GOING module of the same name: EBUSY at once (≥ 6.2) or treated like the others. */
  readonly goingIsEbusy: boolean;
  /** Unknown module parameter: warning (≥ 3.12) or ENOENT. */
  readonly unknownParamIsError: boolean;
  /** `parse_args` keeps going after an error and returns the last one (≥ 5.0), or stops at the first. */
  readonly parseArgsContinues: boolean;
  /** `kstrto*` semantics (ERANGE for out-of-range, 2.6.39+), or `strict_strto*` (EINVAL for everything). */
  readonly kstrto: boolean;
  /** `delete_module` without O_NONBLOCK waits for the refcount (≤ 3.12); after, it warns (3.13–?) or not. */
  readonly deleteWait: 'blocking' | 'warn' | 'silent';
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
  const fd: FdErrors = !atLeast(v, 4, 6)
    ? { badFd: 'ENOEXEC', notReadable: 'EBADF', denyWriteFirst: false, denyWrite: false, directory: 'EISDIR' }
    : !atLeast(v, 5, 15)
      ? { badFd: 'EBADF', notReadable: 'ETXTBSY', denyWriteFirst: true, denyWrite: true, directory: 'EINVAL' }
      : { badFd: 'EBADF', notReadable: 'EBADF', denyWriteFirst: false, denyWrite: true, directory: 'EINVAL' };
  return {
    version: v,
    hasFinitModule: atLeast(v, 3, 8),
    finitFlags:
      MODULE_INIT_IGNORE_MODVERSIONS |
      MODULE_INIT_IGNORE_VERMAGIC |
      (atLeast(v, 5, 17) ? MODULE_INIT_COMPRESSED_FILE : 0),
    fd,
    sig: {
      rejectWithEkeyrejected: atLeast(v, 5, 4),
      onlyWithoutFlags: !atLeast(v, 6, 4),
      unsignedTaint: atLeast(v, 3, 15) ? 'E' : 'F',
    },
    unformed: atLeast(v, 3, 9),
    earlyModCheck: atLeast(v, 6, 4),
    duplicate: atLeast(v, 6, 2) ? 'ebusy-after-wait' : atLeast(v, 3, 9) ? 'retry-after-wait' : 'eexist',
    goingIsEbusy: atLeast(v, 6, 2),
    unknownParamIsError: !atLeast(v, 3, 12),
    parseArgsContinues: atLeast(v, 5, 0),
    kstrto: atLeast(v, 2, 6, 39),
    deleteWait: atLeast(v, 3, 13) ? (atLeast(v, 4, 0) ? 'silent' : 'warn') : 'blocking',
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
