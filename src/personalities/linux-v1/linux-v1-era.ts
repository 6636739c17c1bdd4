/**
 * What differs between Linux 1.2, 1.3 and 2.0 in the module code, as one strategy object chosen from
 * `kernelVersion`, so the syscalls never compare version numbers themselves.
 * @see linux-legacy.md Part A and Part C; kernel/module.c of 1.2.13, 1.3.89 and 2.0.40
 * @module
 */
import { MOD_AUTOCLEAN, MOD_VISITED } from '../../abi/linux/v1.js';
import type { LinuxV1Config, V1Version } from './linux-v1-config.js';

/** The era's rules. */
export interface V1Era {
  /** `'1.2'` (up to 1.3.56), `'1.3'` (1.3.57 → 2.0 pre-releases) or `'2.0'`. */
  readonly line: '1.2' | '1.3' | '2.0';
  /** `MOD_AUTOCLEAN` in codesize and `delete_module(NULL)` reaping (1.3.57+). */
  readonly autoclean: boolean;
  /** `MOD_VISITED` set by the use-count macros and honoured by reaping (2.0). */
  readonly visited: boolean;
  /** `securelevel > 0` refuses create/init/delete with EPERM (2.0). */
  readonly securelevel: boolean;
  /** `init_module` runs `free_modules()` first (1.2, 1.3). */
  readonly initFreesModules: boolean;
  /** `init()` runs with the use count raised by one, and a failure zeroes the word (2.0). */
  readonly initHoldsCount: boolean;
  /** `free_modules()` also requires no referrers (1.3+). */
  readonly freeNeedsNoRefs: boolean;
  /** `/proc/modules` skips `kernel_module` and pseudo modules, prints the count (1.3+). */
  readonly procSkipsResident: boolean;
  /** `/proc/modules` always prints the tab before `[refs]` (2.0). */
  readonly procAlwaysTab: boolean;
  /** Flag bits masked out of the use-count word when it is read as a count. */
  readonly countMask: number;
  /** `printk` of a symbol table with bad counts. */
  illegalSymtab(nSymbols: number, nRefs: number): string;
  /** `/proc/ksyms` pages through the file (1.3+) instead of stopping near 4 KiB. */
  readonly ksymsPaged: boolean;
}

function atLeast(v: V1Version, major: number, minor: number, patch: number): boolean {
  if (v[0] !== major) return v[0] > major;
  if (v[1] !== minor) return v[1] > minor;
  return v[2] >= patch;
}

/** The rules of `config.version`. */
export function linuxV1Era(config: Pick<LinuxV1Config, 'version'>): V1Era {
  const v = config.version;
  const is13 = atLeast(v, 1, 3, 57);
  const is20 = atLeast(v, 2, 0, 0);
  const mask = is20 ? ~(MOD_AUTOCLEAN | MOD_VISITED) : is13 ? ~MOD_AUTOCLEAN : ~0;
  return {
    line: is20 ? '2.0' : is13 ? '1.3' : '1.2',
    autoclean: is13,
    visited: is20,
    securelevel: is20,
    initFreesModules: !is20,
    initHoldsCount: is20,
    freeNeedsNoRefs: is13,
    procSkipsResident: is13,
    procAlwaysTab: is20,
    countMask: mask,
    illegalSymtab: atLeast(v, 1, 3, 0)
      ? (n, r) => `Rejecting illegal symbol table (n_symbols=${n},n_refs=${r})`
      : () => 'Illegal symbol table! Rejected!',
    ksymsPaged: atLeast(v, 1, 3, 0),
  };
}
