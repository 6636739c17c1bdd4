/**
 * modutils' in-memory relocatable object (`struct obj_file`): sections with mutable contents and a load order,
 * the symbol hash table (521 buckets, newest first in a bucket — the order `insmod` reports unresolved symbols
 * and exports in), the local symbol table, and the string/symbol patches resolved at relocation time.
 * @see modutils obj/obj_common.c, obj/obj_reloc.c (obj_string_patch, obj_symbol_patch), include/obj.h
 * @module
 */
import {
  SHF_ALLOC,
  SHF_EXECINSTR,
  SHF_WRITE,
  SHN_COMMON,
  SHN_LORESERVE,
  SHN_UNDEF,
  SHT_NOBITS,
  SHT_PROGBITS,
  STB_GLOBAL,
  STB_LOCAL,
  STB_WEAK,
  STT_NOTYPE,
  STT_OBJECT,
} from '../../../abi/elf.js';

/** `HASH_BUCKETS`. */
export const HASH_BUCKETS = 521;

/** `struct obj_section`. */
export interface ObjSection {
  /** Index. */
  readonly idx: number;
  /** Name. */
  name: string;
  /** `sh_type`. */
  type: number;
  /** `sh_flags`. */
  flags: number;
  /** `sh_size`. */
  size: number;
  /** `sh_addralign`. */
  addralign: number;
  /** `sh_addr`: offset in the module, then the final address after `obj_relocate`. */
  addr: number;
  /** `sh_link`. */
  readonly link: number;
  /** `sh_info`. */
  readonly info: number;
  /** `sh_entsize`. */
  readonly entsize: number;
  /** `sh_offset` in the file. */
  readonly offset: number;
  /** Contents (a copy insmod modifies), or `undefined`. */
  contents: Uint8Array | undefined;
}

/** `struct obj_symbol`. */
export interface ObjSymbol {
  /** Name. */
  name: string;
  /** Value (offset in its section, an absolute value, or an external address). */
  value: number;
  /** Size. */
  size: number;
  /** Defining section, or `SHN_HIRESERVE + 1` (kernel) / `+ 2 + i` (module i) for external symbols. */
  secidx: number;
  /** `st_info`. */
  info: number;
  /** GOT slot offset, once `arch_create_got` gave it one. */
  gotOffset?: number;
}

/** `ELFW(ST_BIND)`. */
export const stBind = (info: number): number => info >>> 4;
/** `ELFW(ST_TYPE)`. */
export const stType = (info: number): number => info & 0xf;
/** `ELFW(ST_INFO)`. */
export const stInfo = (bind: number, type: number): number => (bind << 4) + (type & 0xf);

/** The standard ELF hash (`obj_elf_hash_n`). */
export function elfHash(name: string, n = name.length): number {
  let h = 0;
  for (let i = 0; i < n; i++) {
    h = ((h << 4) + (name.charCodeAt(i) & 0xff)) >>> 0;
    const g = h & 0xf0000000;
    if (g !== 0) {
      h ^= g >>> 24;
      h &= ~g;
      h >>>= 0;
    }
  }
  return h >>> 0;
}

/** `struct obj_string_patch_struct`. */
interface StringPatch {
  readonly secidx: number;
  readonly offset: number;
  readonly stringOffset: number;
}

/** `struct obj_symbol_patch_struct`. */
interface SymbolPatch {
  readonly secidx: number;
  readonly offset: number;
  readonly sym: ObjSymbol;
}

function growTo(contents: Uint8Array | undefined, size: number): Uint8Array {
  const out = new Uint8Array(size);
  if (contents !== undefined) out.set(contents.subarray(0, Math.min(size, contents.length)));
  return out;
}

/** `struct obj_file`. */
export class ObjFile {
  /** Sections by index (created ones appended). */
  readonly sections: ObjSection[] = [];
  /** `load_order`. */
  readonly loadOrder: ObjSection[] = [];
  /** `load_order_search_start` as an index into {@link ObjFile.loadOrder}. */
  private searchStart = 0;
  /** `symtab[HASH_BUCKETS]`, each bucket newest first. */
  private buckets: ObjSymbol[][] = Array.from({ length: HASH_BUCKETS }, () => []);
  /** `local_symtab`. */
  localSymtab: (ObjSymbol | undefined)[] = [];
  /** `symbol_cmp` (equality here). */
  symbolEq: (a: string, b: string) => boolean = (a, b) => a === b;
  /** `symbol_hash`. */
  symbolHash: (name: string) => number = (n) => elfHash(n);
  /** `baseaddr`. */
  baseaddr = 0;
  private readonly stringPatches: StringPatch[] = [];
  private readonly symbolPatches: SymbolPatch[] = [];
  /** Error lines (each is `error()` output without the file prefix). */
  readonly errors: string[] = [];

  constructor(
    /** The file name (messages). */
    readonly filename: string,
    /** The original file bytes (relocation entries are read from here). */
    readonly bytes: Uint8Array,
  ) {}

  /** `obj_find_section`. */
  findSection(name: string): ObjSection | undefined {
    return this.sections.find((s) => s.name === name);
  }

  /** Every symbol in hash-table order (bucket 0 first, newest first within a bucket). */
  *symbols(): IterableIterator<ObjSymbol> {
    for (const b of this.buckets) yield* b;
  }

  /** `obj_find_symbol`. */
  findSymbol(name: string): ObjSymbol | undefined {
    const bucket = this.buckets[this.symbolHash(name) % HASH_BUCKETS];
    return bucket.find((s) => this.symbolEq(s.name, name));
  }

  /** `obj_set_symbol_compare`: a new comparison and hash; the table is rebuilt with the new hash. */
  setSymbolCompare(eq: (a: string, b: string) => boolean, hash: (name: string) => number): void {
    this.symbolEq = eq;
    this.symbolHash = hash;
    const old = this.buckets;
    this.buckets = Array.from({ length: HASH_BUCKETS }, () => []);
    // Walking a chain and prepending reverses it, as the C loop does.
    for (const bucket of old)
      for (const sym of bucket) this.buckets[hash(sym.name) % HASH_BUCKETS].unshift(sym);
  }

  /** `obj_add_symbol`: new definitions, and the redefinition rules (undefined, weak, common, local). */
  addSymbol(
    name: string,
    symidx: number,
    info: number,
    secidx: number,
    value: number,
    size: number,
  ): ObjSymbol {
    const bucket = this.buckets[this.symbolHash(name) % HASH_BUCKETS];
    const nType = stType(info);
    const nBind = stBind(info);
    const fill = (sym: ObjSymbol): ObjSymbol => {
      sym.name = name;
      sym.value = value >>> 0;
      sym.size = size;
      sym.secidx = secidx;
      sym.info = info;
      return sym;
    };
    const fresh = (): ObjSymbol => ({ name, value: 0, size: 0, secidx: 0, info: 0 });
    const i = bucket.findIndex((s) => this.symbolEq(s.name, name));
    if (i >= 0) {
      const sym = bucket[i];
      const oType = stType(sym.info);
      const oBind = stBind(sym.info);
      if (secidx === SHN_UNDEF) return sym;
      if (sym.secidx === SHN_UNDEF) return fill(sym);
      if (nBind === STB_GLOBAL && oBind === STB_LOCAL) {
        // A local and a global of the same name (ld -r): the global replaces the local in the hash chain.
        const n = fresh();
        bucket[i] = n;
        return fill(n);
      }
      if (nBind === STB_LOCAL) {
        const n = fresh();
        if (symidx >= 0) this.localSymtab[symidx] = n;
        return fill(n);
      }
      if (nBind === STB_WEAK) return sym;
      if (oBind === STB_WEAK) return fill(sym);
      if (secidx === SHN_COMMON && (oType === STT_NOTYPE || oType === STT_OBJECT)) return sym;
      if (sym.secidx === SHN_COMMON && (nType === STT_NOTYPE || nType === STT_OBJECT)) return fill(sym);
      if (secidx <= 0xffff) this.errors.push(`${name} multiply defined`);
      return sym;
    }
    const sym = fresh();
    bucket.unshift(sym);
    if (nBind === STB_LOCAL && symidx >= 0) {
      if (symidx >= this.localSymtab.length)
        this.errors.push(
          `local symbol ${name} with index ${symidx} exceeds local_symtab_size ${this.localSymtab.length}`,
        );
      else this.localSymtab[symidx] = sym;
    }
    return fill(sym);
  }

  /** `obj_symbol_final_value`. */
  finalValue(sym: ObjSymbol | undefined): number {
    if (sym === undefined) return 0;
    if (sym.secidx >= SHN_LORESERVE) return sym.value >>> 0;
    return (sym.value + (this.sections[sym.secidx]?.addr ?? 0)) >>> 0;
  }

  private static prio(s: ObjSection): number {
    let ac = 0;
    if (!(s.name.length === 10 && s.name[0] === '.' && s.name.slice(5) === '.init')) ac |= 64;
    if (s.flags & SHF_ALLOC) ac |= 32;
    if (s.flags & SHF_EXECINSTR) ac |= 16;
    if (!(s.flags & SHF_WRITE)) ac |= 8;
    if (s.type !== SHT_NOBITS) ac |= 4;
    if (s.name === '.got') ac |= 2;
    return ac;
  }

  /** `obj_insert_section_load_order`: before the first section (from the search start) of lower priority. */
  insertLoadOrder(sec: ObjSection): void {
    const prio = ObjFile.prio(sec);
    let i = this.searchStart;
    while (i < this.loadOrder.length && ObjFile.prio(this.loadOrder[i]) >= prio) i++;
    this.loadOrder.splice(i, 0, sec);
  }

  private newSection(name: string, align: number, size: number, flags: number): ObjSection {
    const sec: ObjSection = {
      idx: this.sections.length,
      name,
      type: SHT_PROGBITS,
      flags,
      size,
      addralign: align,
      addr: 0,
      link: 0,
      info: 0,
      entsize: 0,
      offset: 0,
      contents: size > 0 ? new Uint8Array(size) : undefined,
    };
    this.sections.push(sec);
    return sec;
  }

  /** `obj_create_alloced_section`. */
  createAllocedSection(name: string, align: number, size: number, flags = 0): ObjSection {
    const sec = this.newSection(name, align, size, flags | SHF_ALLOC);
    this.insertLoadOrder(sec);
    return sec;
  }

  /** `obj_create_alloced_section_first`: at the head of the load order. */
  createAllocedSectionFirst(name: string, align: number, size: number): ObjSection {
    const sec = this.newSection(name, align, size, SHF_WRITE | SHF_ALLOC);
    this.loadOrder.unshift(sec);
    this.searchStart++;
    return sec;
  }

  /** `obj_extend_section`: grows the section; returns the offset of the new bytes. */
  extendSection(sec: ObjSection, more: number): number {
    const old = sec.size;
    sec.size += more;
    sec.contents = growTo(sec.contents, sec.size);
    return old;
  }

  /** `obj_string_patch`: the string goes to `.kstrtab` (created on first use); its address is stored at relocation. */
  stringPatch(secidx: number, offset: number, text: string): void {
    const bytes = new Uint8Array(text.length + 1);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
    let strsec = this.findSection('.kstrtab');
    let at: number;
    if (strsec === undefined) {
      strsec = this.createAllocedSection('.kstrtab', 1, bytes.length);
      at = 0;
    } else at = this.extendSection(strsec, bytes.length);
    strsec.contents?.set(bytes, at);
    this.stringPatches.unshift({ secidx, offset, stringOffset: at });
  }

  /** `obj_symbol_patch`: the symbol's final value is stored at relocation. */
  symbolPatch(secidx: number, offset: number, sym: ObjSymbol): void {
    this.symbolPatches.unshift({ secidx, offset, sym });
  }

  /** Writes the patches (the end of `obj_relocate`). */
  applyPatches(): void {
    const strsec = this.findSection('.kstrtab');
    for (const p of this.stringPatches)
      writeU32(this.sections[p.secidx], p.offset, ((strsec?.addr ?? 0) + p.stringOffset) >>> 0);
    for (const p of this.symbolPatches) writeU32(this.sections[p.secidx], p.offset, this.finalValue(p.sym));
  }
}

/** Stores a word into a section's contents (ignored past its end, where C would scribble on the heap). */
export function writeU32(sec: ObjSection | undefined, offset: number, value: number): void {
  const c = sec?.contents;
  if (c === undefined || offset + 4 > c.length) return;
  new DataView(c.buffer, c.byteOffset, c.byteLength).setUint32(offset, value >>> 0, true);
}

/** Reads a word from a section's contents (0 past its end). */
export function readU32(sec: ObjSection | undefined, offset: number): number {
  const c = sec?.contents;
  if (c === undefined || offset + 4 > c.length) return 0;
  return new DataView(c.buffer, c.byteOffset, c.byteLength).getUint32(offset, true);
}
