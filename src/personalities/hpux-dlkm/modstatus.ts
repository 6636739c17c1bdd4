/**
 * `struct modstatus` encoding and decoding, byte-exact (LP64, big-endian; offsets in src/abi/hpux/dlkm.ts).
 * @module
 */
import {
  MAXPATHLEN,
  MODMAXLINK,
  MODMAXLINKINFOLEN,
  MODMAXVERLEN,
  MODSPECIFIC_STAT,
  MODSTATUS,
  SIZEOF_MODSPECIFIC_STAT,
  SIZEOF_MODSTATUS,
  SIZEOF_MODSTATUS_V1,
} from '../../abi/hpux/dlkm.js';

/** Equivalent to `struct modspecific_stat`. */
export interface ModSpecificStat {
  /** `mss_linkinfo`: the wrapper's `mtd_info` string. */
  readonly linkinfo: string;
  /** `mss_type`. */
  readonly type: number;
  /** `mss_p0[2]`: `{bmajor, cmajor}` for drivers. */
  readonly p0: readonly [number, number];
  /** `mss_p1[2]`: `{flags, 0}` for drivers. */
  readonly p1: readonly [number, number];
}

/** Equivalent to `struct modstatus`. */
export interface ModStatus {
  /** `ms_id`. */
  readonly id: number;
  /** `ms_base`. */
  readonly base: bigint;
  /** `ms_size`. */
  readonly size: number;
  /** `ms_bss`. */
  readonly bss: bigint;
  /** `ms_bss_size`. */
  readonly bssSize: number;
  /** `ms_rev`. */
  readonly rev: number;
  /** `ms_path`. */
  readonly path: string;
  /** `ms_unload_delay` (always 0 seconds). */
  readonly unloadDelay: bigint;
  /** `ms_holdcnt`. */
  readonly holdcnt: number;
  /** `ms_depcnt`. */
  readonly depcnt: number;
  /** `ms_msinfo[MODMAXLINK]` (unused entries are all zero). */
  readonly msinfo: readonly ModSpecificStat[];
  /** `ms_reg` (11i v2+; 1 = registered). */
  readonly reg: number;
  /** `ms_version` (11i v2+). */
  readonly version: string;
}

/** An all-zero `struct modspecific_stat`. */
export const EMPTY_MSINFO: ModSpecificStat = { linkinfo: '', type: 0, p0: [0, 0], p1: [0, 0] };

const enc = new TextEncoder();
const dec = new TextDecoder('latin1');

function putString(bytes: Uint8Array, offset: number, size: number, s: string): void {
  const b = enc.encode(s).subarray(0, size - 1);
  bytes.set(b, offset);
}

function getString(bytes: Uint8Array, offset: number, size: number): string {
  const field = bytes.subarray(offset, offset + size);
  const nul = field.indexOf(0);
  return dec.decode(nul < 0 ? field : field.subarray(0, nul));
}

/** `sizeof(struct modstatus)` for the era (11.0/11i v1 lack `ms_reg` and `ms_version`). */
export function modstatusSize(v1: boolean): number {
  return v1 ? SIZEOF_MODSTATUS_V1 : SIZEOF_MODSTATUS;
}

/** Encodes `s` as the kernel copies it out; strings are cut to their field size minus the NUL. */
export function encodeModStatus(s: ModStatus, v1: boolean): Uint8Array {
  const bytes = new Uint8Array(modstatusSize(v1));
  const v = new DataView(bytes.buffer);
  v.setInt32(MODSTATUS.ms_id, s.id, false);
  v.setBigUint64(MODSTATUS.ms_base, s.base, false);
  v.setUint32(MODSTATUS.ms_size, s.size >>> 0, false);
  v.setBigUint64(MODSTATUS.ms_bss, s.bss, false);
  v.setUint32(MODSTATUS.ms_bss_size, s.bssSize >>> 0, false);
  v.setInt32(MODSTATUS.ms_rev, s.rev, false);
  putString(bytes, MODSTATUS.ms_path, MAXPATHLEN, s.path);
  v.setBigInt64(MODSTATUS.ms_unload_delay, s.unloadDelay, false);
  v.setInt32(MODSTATUS.ms_holdcnt, s.holdcnt, false);
  v.setInt32(MODSTATUS.ms_depcnt, s.depcnt, false);
  for (let i = 0; i < MODMAXLINK && i < s.msinfo.length; i++) {
    const m = s.msinfo[i];
    const o = MODSTATUS.ms_msinfo + i * SIZEOF_MODSPECIFIC_STAT;
    putString(bytes, o + MODSPECIFIC_STAT.mss_linkinfo, MODMAXLINKINFOLEN, m.linkinfo);
    v.setInt32(o + MODSPECIFIC_STAT.mss_type, m.type, false);
    v.setInt32(o + MODSPECIFIC_STAT.mss_p0, m.p0[0], false);
    v.setInt32(o + MODSPECIFIC_STAT.mss_p0 + 4, m.p0[1], false);
    v.setInt32(o + MODSPECIFIC_STAT.mss_p1, m.p1[0], false);
    v.setInt32(o + MODSPECIFIC_STAT.mss_p1 + 4, m.p1[1], false);
  }
  if (!v1) {
    v.setInt32(MODSTATUS.ms_reg, s.reg, false);
    putString(bytes, MODSTATUS.ms_version, MODMAXVERLEN, s.version);
  }
  return bytes;
}

/** Decodes a `struct modstatus` buffer (what user space does with `modstat`'s output). */
export function decodeModStatus(bytes: Uint8Array, v1: boolean): ModStatus {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const msinfo: ModSpecificStat[] = [];
  for (let i = 0; i < MODMAXLINK; i++) {
    const o = MODSTATUS.ms_msinfo + i * SIZEOF_MODSPECIFIC_STAT;
    msinfo.push({
      linkinfo: getString(bytes, o + MODSPECIFIC_STAT.mss_linkinfo, MODMAXLINKINFOLEN),
      type: v.getInt32(o + MODSPECIFIC_STAT.mss_type, false),
      p0: [
        v.getInt32(o + MODSPECIFIC_STAT.mss_p0, false),
        v.getInt32(o + MODSPECIFIC_STAT.mss_p0 + 4, false),
      ],
      p1: [
        v.getInt32(o + MODSPECIFIC_STAT.mss_p1, false),
        v.getInt32(o + MODSPECIFIC_STAT.mss_p1 + 4, false),
      ],
    });
  }
  return {
    id: v.getInt32(MODSTATUS.ms_id, false),
    base: v.getBigUint64(MODSTATUS.ms_base, false),
    size: v.getUint32(MODSTATUS.ms_size, false),
    bss: v.getBigUint64(MODSTATUS.ms_bss, false),
    bssSize: v.getUint32(MODSTATUS.ms_bss_size, false),
    rev: v.getInt32(MODSTATUS.ms_rev, false),
    path: getString(bytes, MODSTATUS.ms_path, MAXPATHLEN),
    unloadDelay: v.getBigInt64(MODSTATUS.ms_unload_delay, false),
    holdcnt: v.getInt32(MODSTATUS.ms_holdcnt, false),
    depcnt: v.getInt32(MODSTATUS.ms_depcnt, false),
    msinfo,
    reg: v1 ? 0 : v.getInt32(MODSTATUS.ms_reg, false),
    version: v1 ? '' : getString(bytes, MODSTATUS.ms_version, MODMAXVERLEN),
  };
}
