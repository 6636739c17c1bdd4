/**
 * Which HP-UX release the kernel simulates, and what that changes in the DLKM interface.
 * @module
 */
import { MAXPATHLEN, SIZEOF_MODSTATUS, SIZEOF_MODSTATUS_V1 } from '../../abi/hpux/dlkm.js';

/** The era-dependent facts of HP-UX DLKM, derived from `kernelVersion`. */
export interface DlkmEra {
  /** The release as configured, normalised (`"11.31"`). */
  readonly release: string;
  /** Marketing name (`11i v3`). */
  readonly title: string;
  /**
   * 11.0 / 11i v1 (and the IPF 11.20/11.22 releases): `kmadmin`/`kmmodreg`, master/system files, `modstat`
   * for privileged callers only, `struct modstatus` without `ms_reg`/`ms_version`.
   */
  readonly v1: boolean;
  /** 11i v3: the `PRIV_DLKM` fine-grained privilege grants what superuser does. */
  readonly privDlkm: boolean;
  /** The default (last) directory of the module search path. Source: modpath(2) per release. */
  readonly defaultModpath: string;
  /** `sizeof(struct modstatus)` as `modstat` copies it out. */
  readonly modstatusSize: number;
  /** `MAXPATHLEN`. */
  readonly maxPathLen: number;
}

/** Default release: 11i v3. */
export const DEFAULT_HPUX_RELEASE = '11.31';

/**
 * Parses `kernelVersion` (`"11.31"`, `"B.11.23"`, `"11.11"`, `"11.0"`). Throws a `TypeError` for anything that
 * is not an HP-UX 11.x release with DLKM (a configuration error, not a simulated failure).
 */
export function dlkmEra(kernelVersion: unknown): DlkmEra {
  const raw = kernelVersion === undefined ? DEFAULT_HPUX_RELEASE : String(kernelVersion);
  const m = /^(?:B\.)?11\.(\d{1,2})$/.exec(raw.trim());
  if (m === null) throw new TypeError(`hpux-dlkm: kernelVersion ${raw} is not an HP-UX 11.x release`);
  const minor = Number(m[1]);
  const release = `11.${String(minor).padStart(2, '0')}`;
  const v1 = minor < 23;
  const title = minor === 0 ? '11.0' : minor < 23 ? '11i v1' : minor < 31 ? '11i v2' : '11i v3';
  return {
    release,
    title,
    v1,
    privDlkm: minor >= 31,
    defaultModpath: v1 ? '/stand/dlkm/mod.d' : '/usr/conf/mod',
    modstatusSize: v1 ? SIZEOF_MODSTATUS_V1 : SIZEOF_MODSTATUS,
    maxPathLen: MAXPATHLEN,
  };
}
