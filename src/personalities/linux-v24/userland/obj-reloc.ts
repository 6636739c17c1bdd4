/**
 * The user-space link of modutils 2.4: undefined-symbol check, COMMON allocation, section layout
 * (`obj_load_size`), the i386 GOT, relocation at the address `create_module` returned (through the shared
 * insmod 2.4 i386 engine of `src/elf/relocate`), the string and symbol patches, and the image.
 * @see modutils obj/obj_reloc.c, obj/obj_i386.c (arch_create_got), obj/obj_gpl_license.c
 * @module
 */
import {
  R_386_GOT32,
  R_386_GOTOFF,
  R_386_GOTPC,
  SHF_ALLOC,
  SHF_WRITE,
  SHN_ABS,
  SHN_COMMON,
  SHN_UNDEF,
  SHT_NOBITS,
  SHT_PROGBITS,
  SHT_REL,
  STB_LOCAL,
  STB_WEAK,
} from '../../../abi/elf.js';
import { insmodApplyRelocationI386 } from '../../../elf/relocate/i386.js';
import { latin1 } from '../kernel-memory.js';
import { type ObjFile, type ObjSection, type ObjSymbol, stBind } from './obj-file.js';

const SIZEOF_SYM = 16;

/** `obj_check_undefineds`: weak undefineds become absolute 0; the others are reported (unless quiet). */
export function checkUndefineds(f: ObjFile, quiet: boolean, report: (line: string) => void): boolean {
  let ret = true;
  for (const sym of f.symbols()) {
    if (sym.secidx !== SHN_UNDEF) continue;
    if (stBind(sym.info) === STB_WEAK) {
      sym.secidx = SHN_ABS;
      sym.value = 0;
    } else {
      if (!quiet) report(`unresolved symbol ${sym.name}`);
      ret = false;
    }
  }
  return ret;
}

/** `obj_allocate_commons`: COMMONs into the bss sorted by size, then NOBITS sections get zeroed contents. */
export function allocateCommons(f: ObjFile): void {
  const commons: ObjSymbol[] = [];
  for (const sym of f.symbols()) {
    if (sym.secidx !== SHN_COMMON) continue;
    let i = 0;
    while (i < commons.length && !(sym.size <= commons[i].size)) i++;
    commons.splice(i, 0, sym);
  }
  for (let i = 1; i < f.localSymtab.length; i++) {
    const sym = f.localSymtab[i];
    if (sym === undefined || sym.secidx !== SHN_COMMON) continue;
    for (let j = 0; j < commons.length; j++) {
      if (sym === commons[j]) break;
      if (sym.size < commons[j].size) {
        commons.splice(j, 0, sym);
        break;
      }
    }
  }
  if (commons.length > 0) {
    let bss = f.sections.find((s) => s.type === SHT_NOBITS);
    if (bss === undefined) {
      bss = {
        idx: f.sections.length,
        name: '.bss',
        type: SHT_PROGBITS,
        flags: SHF_WRITE | SHF_ALLOC,
        size: 0,
        addralign: 0,
        addr: 0,
        link: 0,
        info: 0,
        entsize: 0,
        offset: 0,
        contents: undefined,
      };
      f.sections.push(bss);
    }
    let size = bss.size;
    let maxAlign = bss.addralign;
    for (const c of commons) {
      const align = c.value;
      if (align > maxAlign) maxAlign = align;
      if (align > 0 && size & (align - 1)) size = (size | (align - 1)) + 1;
      c.secidx = bss.idx;
      c.value = size;
      size += c.size;
    }
    bss.size = size;
    bss.addralign = maxAlign;
  }
  for (const s of f.sections) {
    if (s.type !== SHT_NOBITS) continue;
    s.contents = s.size > 0 ? new Uint8Array(s.size) : undefined;
    s.type = SHT_PROGBITS;
  }
}

/** `obj_load_size`: places the sections in load order, each at its alignment; the total size. */
export function loadSize(f: ObjFile): number {
  let dot = 0;
  for (const sec of f.loadOrder) {
    const align = sec.addralign;
    if (align > 0 && dot & (align - 1)) dot = (dot | (align - 1)) + 1;
    sec.addr = dot;
    dot += sec.size;
  }
  return dot;
}

function symbolEntries(f: ObjFile, symsec: ObjSection | undefined) {
  const c = symsec?.contents;
  const strtab = symsec === undefined ? undefined : f.sections[symsec.link]?.contents;
  const n = c === undefined ? 0 : Math.floor(c.length / SIZEOF_SYM);
  const v = c === undefined ? undefined : new DataView(c.buffer, c.byteOffset, c.byteLength);
  return {
    count: n,
    /** The name `obj_find_relsym` looks up. */
    name(i: number): string {
      if (v === undefined || i >= n) return '';
      const stName = v.getUint32(i * SIZEOF_SYM, true);
      if (stName !== 0 && strtab !== undefined && stName < strtab.length) {
        const end = strtab.indexOf(0, stName);
        return latin1(strtab.subarray(stName, end < 0 ? strtab.length : end));
      }
      return f.sections[v.getUint16(i * SIZEOF_SYM + 14, true)]?.name ?? '';
    },
    bind(i: number): number {
      return c === undefined || i >= n ? 0 : c[i * SIZEOF_SYM + 12] >>> 4;
    },
  };
}

/** The object's symbol for entry `i` of a symbol table (`obj_find_relsym`). */
function relSymbol(f: ObjFile, table: ReturnType<typeof symbolEntries>, i: number): ObjSymbol | undefined {
  return table.bind(i) === STB_LOCAL ? f.localSymtab[i] : f.findSymbol(table.name(i));
}

/** `arch_create_got` (i386): a `.got` slot per symbol used through GOT32; the section when any GOT form occurs. */
export function archCreateGot(f: ObjFile): ObjSection | undefined {
  let offset = 0;
  let needed = false;
  for (const relsec of f.sections) {
    if (relsec.type !== SHT_REL || relsec.contents === undefined) continue;
    const table = symbolEntries(f, f.sections[relsec.link]);
    const c = relsec.contents;
    const v = new DataView(c.buffer, c.byteOffset, c.byteLength);
    for (let j = 0; j + 8 <= c.length; j += 8) {
      const info = v.getUint32(j + 4, true);
      const type = info & 0xff;
      if (type === R_386_GOTPC || type === R_386_GOTOFF) needed = true;
      if (type !== R_386_GOT32) continue;
      const sym = f.findSymbol(table.name(info >>> 8));
      if (sym !== undefined && sym.gotOffset === undefined) {
        sym.gotOffset = offset;
        offset += 4;
      }
    }
  }
  return offset > 0 || needed ? f.createAllocedSection('.got', 4, offset) : undefined;
}

/**
 * `obj_relocate(f, base)`: every section address moves by `base`, each REL section is applied by the insmod
 * 2.4 i386 engine, then the patches. The error lines of bad entries go to `report`; false when any failed.
 */
export function objRelocate(
  f: ObjFile,
  base: number,
  got: ObjSection | undefined,
  report: (line: string) => void,
): boolean {
  f.baseaddr = base >>> 0;
  for (const s of f.sections) s.addr = (s.addr + base) >>> 0;
  let ok = true;
  const filled = new Set<number>();
  for (const relsec of f.sections) {
    if (relsec.type !== SHT_REL) continue;
    const target = f.sections[relsec.info];
    const symsec = f.sections[relsec.link];
    if (target?.contents === undefined || symsec === undefined) continue;
    const table = symbolEntries(f, symsec);
    const values = new BigUint64Array(table.count);
    const gotSlots = new Map<number, number>();
    for (let i = 1; i < table.count; i++) {
      const sym = relSymbol(f, table, i);
      values[i] = BigInt(f.finalValue(sym));
      if (sym?.gotOffset !== undefined) gotSlots.set(i, sym.gotOffset);
    }
    const r = insmodApplyRelocationI386(
      {
        image: f.bytes,
        relOffset: relsec.offset,
        relSize: relsec.size,
        isRela: false,
        target: target.contents,
        targetAddress: BigInt(target.addr),
        symbolValues: values,
        moduleName: f.filename,
        symbolName: (i) => table.name(i),
      },
      {
        baseAddress: f.baseaddr,
        ...(got === undefined
          ? {}
          : {
              got: {
                address: got.addr,
                contents: got.contents ?? new Uint8Array(0),
                slotOf: (i: number) => gotSlots.get(i),
                filled,
              },
            }),
      },
    );
    if (!r.ok) {
      for (const line of r.error.lines) report(line);
      ok = false;
    }
  }
  f.applyPatches();
  return ok;
}

/** `obj_create_image`: each section's contents at its offset from the base. */
export function createImage(f: ObjFile, size: number): Uint8Array {
  const image = new Uint8Array(size);
  for (const sec of f.loadOrder) {
    if (sec.contents === undefined) continue;
    const at = (sec.addr - f.baseaddr) >>> 0;
    if (at >= size) continue;
    image.set(sec.contents.subarray(0, Math.min(sec.size, size - at)), at);
  }
  return image;
}

/** Every `key=value` of `.modinfo`, in order (`get_modinfo_value` returns the first match). */
export function modinfoEntries(f: ObjFile): string[] {
  const sec = f.findSection('.modinfo');
  const c = sec?.contents;
  if (c === undefined) return [];
  const out: string[] = [];
  let p = 0;
  while (p < c.length) {
    let end = c.indexOf(0, p);
    if (end < 0) end = c.length;
    out.push(latin1(c.subarray(p, end)));
    p = end + 1;
  }
  return out;
}

/** `get_modinfo_value(f, key)`: the value, `''` for a bare key, `undefined` when absent. */
export function modinfoValue(f: ObjFile, key: string): string | undefined {
  for (const e of modinfoEntries(f)) {
    const eq = e.indexOf('=');
    if (eq >= 0 ? e.slice(0, eq) === key : e === key) return eq >= 0 ? e.slice(eq + 1) : '';
  }
  return undefined;
}

const GPL_LICENSES = ['GPL', 'GPL and additional rights', 'Dual BSD/GPL', 'Dual MPL/GPL'];

/**
 * `obj_gpl_license`: 0 for a GPL-compatible license, 1 for none, 2 for another (and the license text). A key
 * that is a prefix of `license` matches, as the C `strncmp(ptr, "license", value-ptr)` does.
 */
export function gplLicense(f: ObjFile): { kind: 0 | 1 | 2; license?: string } {
  for (const e of modinfoEntries(f)) {
    const eq = e.indexOf('=');
    if (eq < 0 || !'license'.startsWith(e.slice(0, eq))) continue;
    const value = e.slice(eq + 1);
    return { kind: GPL_LICENSES.includes(value) ? 0 : 2, license: value };
  }
  return { kind: 1 };
}
