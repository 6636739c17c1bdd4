/**
 * Reads the relocated `struct modwrapper`: its revision (EBADVER) and its `modlink` list, which gives `modstat`
 * its `ms_msinfo[]` information strings (hpux-dlkm.md §3.2 row 16, §2.3, §8.2).
 * @module
 */
import {
  MOD_TYPE_DATA,
  MODLINK,
  MODMAXLINK,
  MODMAXLINKINFOLEN,
  MODREV,
  MODWRAPPER,
  SIZEOF_MODLINK,
} from '../../../abi/hpux/dlkm.js';
import type { AddressSpace } from '../../../core/address-space.js';
import { step } from '../../../core/pipeline.js';
import { err, OK_VOID } from '../../../core/result.js';
import type { DlkmLoadInfo } from '../load-info.js';

function readU64(memory: AddressSpace, address: bigint): bigint | undefined {
  const r = memory.read(address, 8);
  return r.ok ? new DataView(r.value.buffer, r.value.byteOffset).getBigUint64(0, false) : undefined;
}

/** A NUL-terminated string in kernel memory, cut to `max` bytes; undefined when the pointer is not mapped. */
function readCString(memory: AddressSpace, address: bigint, max: number): string | undefined {
  const alloc = memory.find(address);
  if (alloc === undefined) return undefined;
  const start = Number(address - alloc.address);
  const field = alloc.bytes.subarray(start, Math.min(alloc.bytes.length, start + max));
  const nul = field.indexOf(0);
  return new TextDecoder('latin1').decode(nul < 0 ? field : field.subarray(0, nul));
}

/**
 * The information strings of the wrapper's NULL-terminated `modlink` array (`ml_type_data → mtd_info`), at most
 * `MODMAXLINK`; entries whose pointers do not lead into mapped memory give an empty string.
 */
export function wrapperLinkInfo(memory: AddressSpace, wrapper: bigint): string[] {
  const out: string[] = [];
  const links = readU64(memory, wrapper + BigInt(MODWRAPPER.mw_modlink));
  if (links === undefined || links === 0n) return out;
  for (let i = 0; i < MODMAXLINK; i++) {
    const link = links + BigInt(i * SIZEOF_MODLINK);
    const ops = readU64(memory, link + BigInt(MODLINK.ml_ops));
    if (ops === undefined || ops === 0n) break;
    const typeData = readU64(memory, link + BigInt(MODLINK.ml_type_data));
    const info =
      typeData === undefined || typeData === 0n
        ? undefined
        : readU64(memory, typeData + BigInt(MOD_TYPE_DATA.mtd_info));
    out.push(
      info === undefined || info === 0n ? '' : (readCString(memory, info, MODMAXLINKINFOLEN - 1) ?? ''),
    );
  }
  return out;
}

/**
 * `mw_rev` must be `MODREV` (10); checked after relocation, as the lineage does. The `modlink` strings are
 * collected for `modstat`; a wrapper without any falls back to the metadata's description. A NULL `mw_unload`
 * marks a module without an unload routine: it can never be unloaded (`moduload` answers EBUSY).
 * @see hpux-dlkm.md §3.2 row 16, §8.2 ("The modwrapper revision numbers will be used to maintain
 * backward/forward compatibility of DLKM modules")
 */
export const modWrapperRev = step<DlkmLoadInfo>('modWrapperRev', (ctx) => {
  const memory = ctx.k.core.memory;
  const wrapper = ctx.symbolValues![ctx.wrapperIndex!];
  const raw = memory.read(wrapper + BigInt(MODWRAPPER.mw_rev), 4);
  if (!raw.ok) return err('EINVAL', `${ctx.name}: wrapper is not in module memory`);
  const rev = new DataView(raw.value.buffer, raw.value.byteOffset).getInt32(0, false);
  if (rev !== MODREV)
    return err('EBADVER', `${ctx.name}: module wrapper revision ${rev}, expected ${MODREV}`);
  ctx.wrapperAddress = wrapper;
  ctx.rev = rev;
  ctx.permanent = readU64(memory, wrapper + BigInt(MODWRAPPER.mw_unload)) === 0n;
  const infos = wrapperLinkInfo(memory, wrapper);
  if (infos.length === 0) infos.push(ctx.meta!.desc ?? ctx.name!);
  ctx.msinfo = infos.map((linkinfo) => ({ linkinfo, type: 0, p0: [0, 0], p1: [0, 0] }));
  return OK_VOID;
});
