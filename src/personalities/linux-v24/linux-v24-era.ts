/**
 * What differs between the 2.2 and 2.4 module code (and the 2.4.27 deltas), as one strategy object chosen from
 * `kernelVersion`, so the syscalls never compare version numbers themselves.
 * @see linux-legacy.md Part C; kernel/module.c of 2.2.1, 2.4.0 and 2.4.27
 * @module
 */
import {
  MOD_DELETED,
  MOD_INITIALIZING,
  MOD_RUNNING,
  SIZEOF_MODULE_22,
  SIZEOF_MODULE_24,
} from '../../abi/linux/v24.js';
import type { LinuxV24Config, V24Version } from './linux-v24-config.js';

/** The era's rules. */
export interface V24Era {
  /** `'2.2'` (2.1.18 → 2.3.x before `MOD_INITIALIZING`) or `'2.4'`. */
  readonly line: '2.2' | '2.4';
  /** The kernel's `sizeof(struct module)`: 72 (2.2) or 96 (2.4). */
  readonly sizeofModule: number;
  /** `create_module` counts the NUL in its size check (`+ namelen + 1`, 2.4.27). */
  readonly createCountsNul: boolean;
  /** `init_module` copies the user header into a vmalloc'd bounce buffer first (2.4.27). */
  readonly bounceHeader: boolean;
  /** Header bytes `init_module` copies: the kernel's `sizeof` (2.2) or the user's `size_of_struct` (2.4). */
  headerCopyLength(userSize: number): number;
  /** Lower bound of `bound()`/`mod_bound()`: the kernel's sizeof (2.2) or the user's `size_of_struct` (2.4). */
  boundLower(userSize: number): number;
  /** 2.4 checks the `kallsyms_*`, `archdata_*` and `kernel_data` members. */
  readonly checksKallsyms: boolean;
  /** 2.4 saves the name with `kmalloc` and restores it with `strcpy` on error paths. */
  readonly restoresName: boolean;
  /** 2.4 prints "get_mod_name failure" when the name re-read fails. */
  readonly printsNameFailure: boolean;
  /** Whether dependencies are all checked before any is linked (2.4, or 2.2 with clean residue). */
  readonly checkDepsFirst: boolean;
  /** Whether the error paths also restore the header bytes past the struct and name (`residue: 'clean'`). */
  readonly restoresHeaderTail: boolean;
  /** 2.4 has `MOD_INITIALIZING` and returns the init's own error; 2.2 answers EBUSY. */
  readonly hasInitializing: boolean;
  /** `MOD_CAN_QUERY` (2.4) or `(flags & (RUNNING|DELETED)) == RUNNING` (2.2). */
  canQuery(flags: number): boolean;
  /** 2.4 sets `MOD_DELETED` under `unload_lock` before `free_module`; 2.2 sets it inside `free_module`. */
  readonly deletedBeforeFree: boolean;
  /** 2.4.27 pins the queried module's use count and reports `usecount - 1` in `QM_INFO`. */
  readonly queryPins: boolean;
  /** 2.2's `query_module` and `get_mod_name` refuse a pointer at or above `TASK_SIZE` before copying. */
  readonly checksTaskSize: boolean;
}

function atLeast(v: V24Version, major: number, minor: number, patch: number): boolean {
  if (v[0] !== major) return v[0] > major;
  if (v[1] !== minor) return v[1] > minor;
  return v[2] >= patch;
}

/** The rules of `config.version`. */
export function linuxV24Era(config: Pick<LinuxV24Config, 'version' | 'residue'>): V24Era {
  const v = config.version;
  const is24 = atLeast(v, 2, 4, 0);
  const late24 = atLeast(v, 2, 4, 27);
  const sizeofModule = is24 ? SIZEOF_MODULE_24 : SIZEOF_MODULE_22;
  return {
    line: is24 ? '2.4' : '2.2',
    sizeofModule,
    createCountsNul: late24,
    bounceHeader: late24,
    headerCopyLength: (userSize) => (is24 ? userSize : sizeofModule),
    boundLower: (userSize) => (is24 ? userSize : sizeofModule),
    checksKallsyms: is24,
    restoresName: is24,
    printsNameFailure: is24,
    checkDepsFirst: is24 || config.residue === 'clean',
    restoresHeaderTail: config.residue === 'clean',
    hasInitializing: is24,
    canQuery: is24
      ? (flags) => (flags & (MOD_RUNNING | MOD_INITIALIZING)) !== 0 && (flags & MOD_DELETED) === 0
      : (flags) => (flags & (MOD_RUNNING | MOD_DELETED)) === MOD_RUNNING,
    deletedBeforeFree: is24,
    queryPins: late24,
    checksTaskSize: !is24,
  };
}
