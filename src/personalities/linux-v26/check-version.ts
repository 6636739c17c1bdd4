/**
 * `check_version` / `check_modstruct_version` / `try_to_force_load` (`CONFIG_MODVERSIONS`), and the null
 * implementation used without it (every check passes).
 * @see kernel/module/version.c check_version, check_modstruct_version; kernel/module/main.c try_to_force_load
 * @module
 */
import { TAINT } from '../../abi/linux/v26.js';
import type { LoadInfo } from './load-info.js';
import { testTaint } from './taint.js';

/** What the loader asks of modversions. */
export interface VersionSupport {
  /** Whether `CONFIG_MODVERSIONS` is on. */
  readonly enabled: boolean;
  /** `check_version(info, symname, mod, crc)`: true when the import may be used. */
  checkVersion(info: LoadInfo, symname: string, crc: number | undefined): boolean;
}

/**
 * `try_to_force_load`: with `CONFIG_MODULE_FORCE_LOAD` the module is tainted `F` (and the kernel warned once);
 * without it the load fails (the caller turns `false` into ENOEXEC).
 */
export function tryToForceLoad(info: LoadInfo, reason: string): boolean {
  const k = info.k;
  if (!k.config.forceLoad) return false;
  if (!testTaint(k.core.sysctl, TAINT.FORCED_MODULE))
    k.core.log.warn(`${info.modName}: ${reason}: kernel tainted.`);
  k.taintPending(info, TAINT.FORCED_MODULE);
  return true;
}

/** `CONFIG_MODVERSIONS=y`. */
export const MODVERSIONS: VersionSupport = {
  enabled: true,
  checkVersion(info, symname, crc) {
    if (crc === undefined) return true;
    const k = info.k;
    if (info.extVersions !== undefined) {
      const e = info.extVersions.get(symname);
      if (e === undefined) {
        k.warnOnce(`noextver`, `${info.name}: no extended symbol version for ${symname}`);
        return true;
      }
      if (e === crc) return true;
      k.core.log.warn(`${info.name}: disagrees about version of symbol ${symname}`);
      return false;
    }
    if (info.index.vers === 0 || info.versions === undefined) return tryToForceLoad(info, symname);
    const v = info.versions;
    const i = v.indexOf(symname);
    if (i >= 0) {
      if (v.crc(i) === crc && v.crcHigh(i) === 0) return true;
      k.core.log.warn(`${info.name}: disagrees about version of symbol ${symname}`);
      return false;
    }
    if (k.era.missingVersionIsOk) {
      k.warnOnce('nosymver', `${info.name}: no symbol version for ${symname}`);
      return true;
    }
    k.core.log.warn(`${info.name}: no symbol version for ${symname}`);
    return false;
  },
};

/** `CONFIG_MODVERSIONS` off: `check_version` is `return 1`. */
export const NO_MODVERSIONS: VersionSupport = {
  enabled: false,
  checkVersion: () => true,
};
