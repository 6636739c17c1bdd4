/**
 * The ELF passes of the benchmark, each over every module file of a tree: reading every symbol (name, value,
 * size, binding, section), and parsing plus relocating every module at a simulated module-area layout the way the
 * linux-v26 loader does it (every RELA section whose target is SHF_ALLOC; undefined symbols from a simulated
 * kernel symbol table).
 * @module
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import {
  SHF_ALLOC,
  SHN_ABS,
  SHN_COMMON,
  SHN_UNDEF,
  SHT_NOBITS,
  SHT_RELA,
  SHT_SYMTAB,
  STB_LOCAL,
  STT_FUNC,
  STT_SECTION,
} from '../../abi/elf.js';
import { ElfFile } from '../../elf/elf-file.js';
import { RELOCATORS } from '../../elf/relocate/index.js';
import { SymbolTable } from '../../elf/symbols.js';
import { FileReader } from '../../host/file-reader.js';

/** Bytes of a file's first read: smaller files are read whole in that one call (most modules are). */
const FIRST_READ = 128 << 10;

/** Sections closer than this are read in one call (the padding between them is read too). */
const READ_MERGE_GAP = 4096;

/**
 * Reads only what a symbol listing needs, as readelf does with fseek/fread: the ELF header, the section table,
 * the section-name table, and every `SHT_SYMTAB` with its string table, each at its file offset in a buffer the
 * size of the file (the rest is left unread); neighbouring ranges (a module's `.symtab`, `.strtab` and
 * `.shstrtab` usually follow each other) in one read. ELF64 little-endian only; anything else is read whole.
 */
export class SymbolTableReader {
  private buf = new Uint8Array(1 << 20);
  private view = new DataView(this.buf.buffer);
  private readonly whole = new FileReader();
  private readonly ranges: number[] = [];

  /** The file's bytes as far as a symbol listing looks, or `undefined` when it cannot be read. */
  read(path: string): Uint8Array | undefined {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      return undefined;
    }
    try {
      // One read for a small file: fewer than FIRST_READ bytes back means the whole file is in (a short read of a
      // regular file is its end), with no fstat and no read per table.
      let head = readSync(fd, this.buf, 0, FIRST_READ, 0);
      if (head < FIRST_READ) return this.buf.subarray(0, head);
      const size = fstatSync(fd).size;
      if (size > this.buf.length) {
        this.buf = new Uint8Array(Math.max(size, this.buf.length * 2));
        this.view = new DataView(this.buf.buffer);
        head = 0;
      }
      const b = this.buf;
      const v = this.view;
      const at = (off: number, len: number): boolean =>
        off >= 0 &&
        len >= 0 &&
        off + len <= size &&
        (off + len <= head || readSync(fd, b, off, len, off) === len);
      const u64 = (o: number): number => v.getUint32(o + 4, true) * 4294967296 + v.getUint32(o, true);
      // ELF64 LSB header and a section table of 64-byte entries inside the file; else fall back.
      if (!at(0, 64) || b[4] !== 2 || b[5] !== 1) return this.whole.tryRead(path);
      const shoff = u64(40);
      const shnum = v.getUint16(60, true);
      const shstrndx = v.getUint16(62, true);
      if (v.getUint16(58, true) !== 64 || !at(shoff, shnum * 64)) return this.whole.tryRead(path);
      // [offset, end) pairs of the sections to read.
      const ranges = this.ranges;
      ranges.length = 0;
      const want = (i: number): void => {
        const o = shoff + i * 64;
        if (v.getUint32(o + 4, true) === SHT_NOBITS) return;
        const offset = u64(o + 24);
        ranges.push(offset, offset + u64(o + 32));
      };
      if (shstrndx < shnum) want(shstrndx);
      for (let i = 0; i < shnum; i++) {
        const o = shoff + i * 64;
        if (v.getUint32(o + 4, true) !== SHT_SYMTAB) continue;
        want(i);
        const link = v.getUint32(o + 40, true);
        if (link < shnum) want(link);
      }
      // Sort the ranges by offset (a handful), then read each run of neighbours at once.
      const order: number[] = [];
      for (let k = 0; k < ranges.length; k += 2) order.push(k);
      order.sort((x, y) => ranges[x] - ranges[y]);
      let start = -1;
      let end = -1;
      for (const k of order) {
        const s = ranges[k];
        const e = ranges[k + 1];
        if (start >= 0 && s <= end + READ_MERGE_GAP) {
          if (e > end) end = e;
          continue;
        }
        if (start >= 0 && !at(start, end - start)) return this.whole.tryRead(path);
        start = s;
        end = e;
      }
      if (start >= 0 && !at(start, end - start)) return this.whole.tryRead(path);
      return b.subarray(0, size);
    } finally {
      closeSync(fd);
    }
  }
}

/** Totals of {@link symbolsPass}. */
export interface SymbolsPassResult {
  /** Files read. */
  readonly modules: number;
  /** Symbols read (entry 0 excluded). */
  readonly symbols: number;
  /** Undefined symbols among them. */
  readonly undefinedSymbols: number;
  /** Defined `STB_GLOBAL`/`STB_WEAK` symbols among them. */
  readonly definedGlobals: number;
  /** Bytes of all symbol names. */
  readonly nameBytes: number;
  /** Sum of every symbol's `st_size`. */
  readonly sizeTotal: number;
  /** `STT_FUNC` symbols among them. */
  readonly functions: number;
  /** `file: reason` for every file that failed. */
  readonly failures: readonly string[];
}

/**
 * Reads every symbol of every file as `readelf -Ws` does: name, value, size, type, binding and section index
 * (each feeds a total, so none of the reads can be skipped). The header and section table come from elfy, as
 * every parse of the reader does.
 */
export function symbolsPass(files: readonly string[]): SymbolsPassResult {
  const reader = new SymbolTableReader();
  let symbols = 0;
  let undefinedSymbols = 0;
  let definedGlobals = 0;
  let nameBytes = 0;
  let sizeTotal = 0;
  let functions = 0;
  const failures: string[] = [];
  for (const path of files) {
    const bytes = reader.read(path);
    const elf = bytes === undefined ? undefined : ElfFile.parse(bytes);
    if (elf === undefined || !elf.ok) {
      failures.push(`${path}: ${elf === undefined ? 'cannot read' : elf.error.message}`);
      continue;
    }
    const st = SymbolTable.read(elf.value);
    if (!st.ok) {
      failures.push(`${path}: ${st.error.message}`);
      continue;
    }
    const t = st.value;
    for (let i = 1; i < t.count; i++) {
      // The name as name(i) decodes it, without keeping it: each is read once here.
      nameBytes += t.strings.get(t.nameOffset(i))?.length ?? 0;
      sizeTotal += t.size(i);
      const info = t.info(i);
      const type = info & 0xf;
      if (type === STT_FUNC) functions++;
      if (t.isUndefined(i)) undefinedSymbols++;
      else if (info >>> 4 !== STB_LOCAL && type !== STT_SECTION && t.valueNumber(i) >= 0) definedGlobals++;
    }
    symbols += t.count - 1;
  }
  return {
    modules: files.length - failures.length,
    symbols,
    undefinedSymbols,
    definedGlobals,
    nameBytes,
    sizeTotal,
    functions,
    failures,
  };
}

/** Totals of {@link relocatePass}. */
export interface RelocatePassResult {
  /** Files parsed and relocated. */
  readonly modules: number;
  /** RELA entries applied. */
  readonly relocations: number;
  /** `file: reason` for every file that failed. */
  readonly failures: readonly string[];
}

/** Parses and relocates every file at consecutive page-aligned addresses in the x86-64 module area. */
export function relocatePass(files: readonly string[]): RelocatePassResult {
  const reader = new FileReader();
  const kernelSymbols = new Map<string, bigint>();
  const kernelAddress = (name: string): bigint => {
    let a = kernelSymbols.get(name);
    if (a === undefined) {
      a = 0xffffffff81000000n + BigInt(kernelSymbols.size) * 16n;
      kernelSymbols.set(name, a);
    }
    return a;
  };
  let next = 0xffffffffc0000000n;
  let relocations = 0;
  const failures: string[] = [];
  for (const path of files) {
    const bytes = reader.tryRead(path);
    const r = bytes === undefined ? 'cannot read' : relocateOne(bytes);
    if (typeof r === 'string') failures.push(`${path}: ${r}`);
    else relocations += r;
  }
  return { modules: files.length - failures.length, relocations, failures };

  /** Returns the number of entries applied, or why it failed. */
  function relocateOne(bytes: Uint8Array): number | string {
    const f = ElfFile.parse(bytes);
    if (!f.ok) return f.error.message;
    const elf = f.value;
    const syms = SymbolTable.read(elf);
    if (!syms.ok) return syms.error.message;
    const st = syms.value;
    const secs = elf.sections;
    // layout_and_allocate: every SHF_ALLOC section copied into the module area, aligned.
    const addr: bigint[] = new Array(secs.length).fill(0n);
    const placed: (Uint8Array | undefined)[] = new Array(secs.length);
    let at = next;
    for (const s of secs) {
      if ((s.flags & SHF_ALLOC) === 0) continue;
      const align = BigInt(Math.max(1, s.addralign));
      at = ((at + align - 1n) / align) * align;
      addr[s.index] = at;
      if (s.type === SHT_NOBITS) placed[s.index] = new Uint8Array(s.size);
      else {
        const d = elf.sectionData(s);
        if (!d.ok) return d.error.message;
        placed[s.index] = d.value.slice();
      }
      at += BigInt(s.size);
    }
    next = ((at + 0xfffn) / 0x1000n) * 0x1000n;
    // simplify_symbols
    const values = new BigUint64Array(st.count);
    for (let i = 1; i < st.count; i++) {
      const sh = st.shndx(i);
      if (sh === SHN_UNDEF) values[i] = kernelAddress(st.name(i) ?? '');
      else if (sh === SHN_ABS || sh === SHN_COMMON) values[i] = st.value(i);
      else values[i] = BigInt.asUintN(64, (addr[sh] ?? 0n) + st.value(i));
    }
    // apply_relocations
    const relocator = RELOCATORS.get(elf.header.machine);
    if (relocator === undefined) return `no relocator for e_machine ${elf.header.machine}`;
    let n = 0;
    for (const s of secs) {
      if (s.type !== SHT_RELA || s.info >= secs.length || (secs[s.info].flags & SHF_ALLOC) === 0) continue;
      const target = placed[s.info];
      if (target === undefined) continue;
      const r = relocator.applyRelocations({
        image: elf.bytes,
        relOffset: s.offset,
        relSize: s.size,
        isRela: true,
        target,
        targetAddress: addr[s.info],
        symbolValues: values,
        moduleName: 'bench',
      });
      if (!r.ok) return r.error.reason;
      n += Math.floor(s.size / 24);
    }
    return n;
  }
}
