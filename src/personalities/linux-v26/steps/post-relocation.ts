/**
 * `post_relocation` (and the reads of `find_module_sections` that need relocated memory): the exported symbols
 * from `__ksymtab*` (`struct kernel_symbol`, PREL32 or absolute), their CRCs from `__kcrctab*`, the parameters
 * from `__param` (`struct kernel_param`, its `ops` recognised by address), and `struct module`'s `init`/`exit`.
 * Everything is read from the module's own relocated memory, as the kernel reads it.
 * @see kernel/module/main.c post_relocation, find_module_sections; kernel/params.c; include/linux/moduleparam.h
 * @module
 */
import { STRUCT_MODULE_EXIT_OFFSET, STRUCT_MODULE_INIT_OFFSET } from '../../../abi/linux/v26.js';
import { step } from '../../../core/pipeline.js';
import { OK_VOID } from '../../../core/result.js';
import { readI64Number } from '../../../elf/elf-file.js';
import type { LoadInfo } from '../load-info.js';
import type { ParamDef } from '../loaded-module.js';
import type { ParamMemory } from '../params/param-ops.js';
import { findSec } from './elf-validity-cache-copy.js';

function ptr(mem: ParamMemory, addr: number): number | undefined {
  const m = mem.at(addr, 8);
  if (m === undefined) return undefined;
  return readI64Number(m.view, m.off, true);
}

function u32(mem: ParamMemory, addr: number): number | undefined {
  const m = mem.at(addr, 4);
  return m === undefined ? undefined : m.view.getUint32(m.off, true);
}

function cstr(mem: ParamMemory, addr: number | undefined): string | undefined {
  if (addr === undefined || addr === 0) return undefined;
  const first = mem.at(addr, 1);
  if (first === undefined) return undefined;
  const { bytes, off } = first;
  let end = off;
  const limit = Math.min(bytes.length, off + 1024);
  while (end < limit && bytes[end] !== 0) end++;
  return Buffer.from(bytes.buffer, bytes.byteOffset + off, end - off).toString('latin1');
}

/**
 * The exported symbols of `__ksymtab` and `__ksymtab_gpl` with their CRCs, into `info.exports`.
 * @see kernel/module/main.c find_module_sections (the ksymtab sections), verify_exported_symbols' input
 */
function readExports(info: LoadInfo, mem: ParamMemory): void {
  const secs = info.sechdrs ?? [];
  const alloc = info.alloc as Uint8Array;
  const placed = info.placed ?? [];
  const layout = info.k.era.ksymtab;
  const entry = layout === 'prel32-ns' ? 12 : layout === 'prel32' ? 8 : 16;
  // Indexed, not a for-of with destructuring (iterator protocol and exception handling for the JIT to compile).
  for (let t = 0; t < 2; t++) {
    const suffix = t === 0 ? '' : '_gpl';
    const gpl = t === 1;
    const ti = findSec(secs, alloc, `__ksymtab${suffix}`);
    const tab = placed[ti];
    if (ti === 0 || tab === undefined) continue;
    const ci = findSec(secs, alloc, `__kcrctab${suffix}`);
    const crcs = ci === 0 ? undefined : placed[ci];
    const count = Math.floor(tab.size / entry);
    const crcWidth = crcs !== undefined && crcs.size >= count * 8 && layout === 'absolute' ? 8 : 4;
    for (let j = 0; j < count; j++) {
      const at = tab.addr + j * entry;
      // The entry lies inside its placed section, so one view serves all its fields.
      const e = mem.at(at, entry);
      if (e === undefined) continue;
      const { view, off } = e;
      let addr: number;
      let nameAddr: number;
      let nsAddr: number | undefined;
      if (layout === 'absolute') {
        addr = readI64Number(view, off, true);
        nameAddr = readI64Number(view, off + 8, true);
      } else {
        addr = at + view.getInt32(off, true);
        nameAddr = at + 4 + view.getInt32(off + 4, true);
        if (layout === 'prel32-ns') {
          const ns = view.getInt32(off + 8, true);
          nsAddr = ns === 0 ? undefined : at + 8 + ns;
        }
      }
      const name = cstr(mem, nameAddr);
      if (name === undefined) continue;
      const ns = cstr(mem, nsAddr);
      const crc = crcs === undefined ? undefined : u32(mem, crcs.addr + j * crcWidth);
      info.exports.push({ name, addr, gpl, ns: ns === '' ? undefined : ns, crc });
    }
  }
}

/**
 * The module's parameters from `__param` (`struct kernel_param`, its `ops` recognised by address).
 * @see kernel/module/main.c find_module_sections (`__param`); include/linux/moduleparam.h
 */
function readParams(info: LoadInfo, mem: ParamMemory): ParamDef[] {
  const k = info.k;
  const secs = info.sechdrs ?? [];
  const alloc = info.alloc as Uint8Array;
  const placed = info.placed ?? [];
  const pi = findSec(secs, alloc, '__param');
  const ptab = placed[pi];
  const params: ParamDef[] = [];
  if (pi !== 0 && ptab !== undefined) {
    const count = Math.floor(ptab.size / 40);
    for (let j = 0; j < count; j++) {
      const at = ptab.addr + j * 40;
      const name = cstr(mem, ptr(mem, at));
      if (name === undefined) continue;
      const opsAddr = ptr(mem, at + 16) ?? 0;
      const permM = mem.at(at + 24, 4);
      const perm = permM === undefined ? 0 : permM.view.getUint16(permM.off, true);
      const flags = permM === undefined ? 0 : permM.view.getUint8(permM.off + 3);
      const arg = ptr(mem, at + 32) ?? 0;
      const ops = k.paramOpsAt(opsAddr);
      if (ops === 'param_array_ops') {
        const max = u32(mem, arg) ?? 0;
        const elemsize = u32(mem, arg + 4) ?? 0;
        const numAddr = ptr(mem, arg + 8) ?? 0;
        const elemOps = k.paramOpsAt(ptr(mem, arg + 16) ?? 0);
        const elem = ptr(mem, arg + 24) ?? 0;
        params.push({
          name,
          type: elemOps?.slice('param_ops_'.length) ?? 'custom',
          array: { max, elemsize, numAddr },
          perm,
          flags,
          addr: elem,
        });
      } else if (ops === 'param_ops_string') {
        params.push({
          name,
          type: 'string',
          maxlen: u32(mem, arg) ?? 0,
          perm,
          flags,
          addr: ptr(mem, arg + 8) ?? 0,
        });
      } else {
        params.push({ name, type: ops?.slice('param_ops_'.length) ?? 'custom', perm, flags, addr: arg });
      }
    }
  }
  return params;
}

/** Runs the reads (each part its own function: smaller units for the JIT, recompiled alone when one changes). */
export function runPostRelocation(info: LoadInfo): void {
  const mod = info.mod;
  if (mod === undefined) return;
  const secs = info.sechdrs ?? [];
  const placed = info.placed ?? [];
  const mem = info.k.paramMemory(mod);
  const x = mod.extra;
  readExports(info, mem);
  const params = readParams(info, mem);
  info.params = params;
  x.params = params;
  // struct module: init and exit.
  const ms = placed[info.index.mod];
  if (ms !== undefined) {
    x.hasInit = (ptr(mem, ms.addr + STRUCT_MODULE_INIT_OFFSET) ?? 0) !== 0;
    x.hasExit = (ptr(mem, ms.addr + STRUCT_MODULE_EXIT_OFFSET) ?? 0) !== 0;
  }
  const names: string[] = [];
  const addrs: number[] = [];
  for (let i = 1; i < secs.length; i++) {
    const p = placed[i];
    if (p !== undefined && secs[i].size > 0 && info.placement?.[i]?.region === 'core') {
      names.push(secs[i].name);
      addrs.push(p.addr);
    }
  }
  x.sectionNames = names;
  x.sectionAddrs = addrs;
}

/** The pipeline step (cannot fail for x86-64). */
export const postRelocation = step<LoadInfo>('postRelocation', (info) => {
  runPostRelocation(info);
  return OK_VOID;
});
