/**
 * kmod's own ELF view of a module (libkmod-elf.c, kmod 30): not the kernel's reader. It finds sections by name
 * (first match from index 1), splits `.modinfo` on runs of NULs, takes exports from the `__crc_*` symbols of
 * `.symtab` (falling back to `__ksymtab_strings`), and undefined symbols plus unmatched `__versions` entries as
 * dependency symbols. Its quirks decide what modinfo and depmod print, so they are reproduced here, including
 * the assertions that make the real tool abort on some malformed files.
 * @see libkmod/libkmod-elf.c (kmod 30)
 * @module
 */
import { Buffer } from 'node:buffer';
import type { ErrnoName } from '../../../abi/errno.js';
import { fail, ok, type Result } from '../../../core/result.js';
import { fnv1a, sameBytes } from '../../../elf/fnv1a.js';
import { kmodAssert } from './kmod-abort.js';

const ELF_FILE = '../libkmod/libkmod-elf.c';
const SHN_UNDEF = 0;
const SHN_ABS = 0xfff1;
const STB_LOCAL = 0;
const STB_GLOBAL = 1;
const STB_WEAK = 2;
const EM_SPARC = 2;
const EM_SPARCV9 = 43;
const STT_REGISTER = 13;
const MODVERSION_SIZE = 64;
const CRC_PREFIX = [0x5f, 0x5f, 0x63, 0x72, 0x63, 0x5f]; // "__crc_"

/** `enum kmod_symbol_bind`. Source: libkmod/libkmod-internal.h. */
export type KmodSymbolBind = 'none' | 'local' | 'global' | 'weak' | 'undef';

/** `struct kmod_modversion`: a symbol with its CRC and binding. */
export interface KmodModversion {
  /** CRC (64-bit field on ELF64, as kmod keeps it). */
  readonly crc: bigint;
  /** Binding as kmod classifies it. */
  readonly bind: KmodSymbolBind;
  /** Symbol name. */
  readonly symbol: string;
}

/** Where a named section lives in the file. */
export interface KmodSection {
  /** `sh_offset`. */
  readonly offset: number;
  /** `sh_size`. */
  readonly size: number;
}

/** `Buffer#latin1Slice` / `Buffer#utf8Slice`: what `toString` calls after its argument checks (not in the typings). */
type Slicer = (this: Buffer, start: number, end: number) => string;
const nativeSlicer = (name: 'latin1Slice' | 'utf8Slice', encoding: 'latin1' | 'utf8'): Slicer =>
  (Buffer.prototype as unknown as Partial<Record<typeof name, Slicer>>)[name] ??
  function (this: Buffer, start: number, end: number): string {
    return this.toString(encoding, start, end);
  };
const SLICERS: Readonly<Record<'utf8' | 'latin1', Slicer>> = {
  utf8: nativeSlicer('utf8Slice', 'utf8'),
  latin1: nativeSlicer('latin1Slice', 'latin1'),
};

/** `name + "\0"` as bytes, per section name looked up (a handful of names, asked for once per module). */
const SECTION_NAME_BYTES = new Map<string, Uint8Array>();

function sectionNameBytes(name: string): Uint8Array {
  let b = SECTION_NAME_BYTES.get(name);
  if (b === undefined) {
    b = Buffer.from(`${name}\0`, 'latin1');
    SECTION_NAME_BYTES.set(name, b);
  }
  return b;
}

/**
 * Makes `memory[offset, offset + length)` hold the file's bytes before they are read (a mapped file's page
 * faults; nothing to do for a file read whole).
 */
export type KmodFault = (offset: number, length: number) => void;

const NO_FAULT: KmodFault = () => {};

/** A failure as libkmod reports it: a negative errno. */
export type KmodElfResult<T> = Result<T, ErrnoName>;

/** `struct kmod_elf`. Build with {@link KmodElf.open}. */
export class KmodElf {
  private readonly view: DataView;
  private readonly buffer: Buffer;
  private readonly sectionCache = new Map<string, KmodSection | undefined>();

  /** How names are decoded: UTF-8 (display), or one character per byte (`latin1`: exact bytes, for depmod). */
  private encoding: 'utf8' | 'latin1' = 'utf8';
  private slice: Slicer = SLICERS.utf8;

  private constructor(
    readonly memory: Uint8Array,
    readonly is32: boolean,
    readonly msb: boolean,
    private readonly shoff: number,
    private readonly shnum: number,
    private readonly shentsize: number,
    private readonly names: KmodSection,
    readonly machine: number,
    private readonly fault: KmodFault,
  ) {
    this.view = new DataView(memory.buffer, memory.byteOffset, memory.byteLength);
    this.buffer = Buffer.from(memory.buffer, memory.byteOffset, memory.byteLength);
  }

  /**
   * `kmod_elf_new` (names decoded with `encoding`): ENOEXEC without the ELF magic (or 16 bytes or fewer), EINVAL for an unknown class or data
   * encoding, a header longer than the file, a section entry size other than `sizeof(ElfN_Shdr)`, section headers
   * past the end, or a section-name table that is out of bounds, empty or not NUL-terminated.
   * `fault` reads each range before it is looked at, for a mapped file.
   * @throws KmodAbort where kmod's assertions fail (`e_shstrndx` of 0 or out of range).
   */
  static open(
    memory: Uint8Array,
    encoding: 'utf8' | 'latin1' = 'utf8',
    fault: KmodFault = NO_FAULT,
  ): KmodElfResult<KmodElf> {
    const size = memory.length;
    fault(0, 64);
    if (size <= 16 || memory[0] !== 0x7f || memory[1] !== 0x45 || memory[2] !== 0x4c || memory[3] !== 0x46) {
      return fail('ENOEXEC');
    }
    let is32: boolean;
    if (memory[4] === 1) {
      if (size <= 52) return fail('EINVAL');
      is32 = true;
    } else if (memory[4] === 2) {
      if (size <= 64) return fail('EINVAL');
      is32 = false;
    } else return fail('EINVAL');
    let msb: boolean;
    if (memory[5] === 1) msb = false;
    else if (memory[5] === 2) msb = true;
    else return fail('EINVAL');
    const v = new DataView(memory.buffer, memory.byteOffset, memory.byteLength);
    const le = !msb;
    const shoff = is32 ? v.getUint32(32, le) : readU64(v, 40, le);
    const machine = v.getUint16(18, le);
    const shentsize = v.getUint16(is32 ? 46 : 58, le);
    const shnum = v.getUint16(is32 ? 48 : 60, le);
    const shstrndx = v.getUint16(is32 ? 50 : 62, le);
    const shdrSize = is32 ? 40 : 64;
    if (shentsize !== shdrSize) return fail('EINVAL');
    if (shoff + shdrSize * shnum > size) return fail('EINVAL');
    fault(shoff, shdrSize * shnum);
    const names = { offset: 0, size: 0 };
    const partial = new KmodElf(memory, is32, msb, shoff, shnum, shentsize, names, machine, fault);
    const info = partial.sectionInfo(shstrndx);
    if (info === undefined) return fail('EINVAL');
    kmodAssert(info.offset < size, ELF_FILE, 202, 'elf_get_mem', 'offset < elf->size');
    fault(info.offset, info.size);
    if (info.size === 0 || memory[info.offset + info.size - 1] !== 0) return fail('EINVAL');
    const elf = new KmodElf(memory, is32, msb, shoff, shnum, shentsize, info, machine, fault);
    elf.encoding = encoding;
    elf.slice = SLICERS[encoding];
    return ok(elf);
  }

  /** `kmod_elf_get_section`: the first section (from index 1) with this name, or ENOENT. */
  section(name: string): KmodElfResult<KmodSection> {
    if (!this.sectionCache.has(name)) this.sectionCache.set(name, this.findSection(name));
    const found = this.sectionCache.get(name);
    if (found === undefined) return fail('ENOENT');
    kmodAssert(found.offset < this.memory.length, ELF_FILE, 202, 'elf_get_mem', 'offset < elf->size');
    this.fault(found.offset, found.size);
    return ok(found);
  }

  /**
   * `kmod_elf_get_strings`: the section's NUL-separated strings, runs of NULs counting as one separator.
   * `latin1` gives one character per byte (byte lengths, as C's `strlen`, for non-UTF-8 contents).
   */
  strings(name: string, encoding: 'utf8' | 'latin1' = this.encoding): KmodElfResult<string[]> {
    const ranges = this.stringRanges(name);
    if (!ranges.ok) return ranges;
    const r = ranges.value;
    const slice = SLICERS[encoding];
    const out: string[] = new Array(r.length / 2);
    for (let k = 0; k < r.length; k += 2) out[k / 2] = slice.call(this.buffer, r[k], r[k + 1]);
    return ok(out);
  }

  /**
   * {@link KmodElf.strings} as byte ranges of {@link KmodElf.memory}: `[start0, end0, start1, end1, ...]`
   * (for callers that decode parts of each string themselves).
   */
  stringRanges(name: string): KmodElfResult<number[]> {
    const sec = this.section(name);
    if (!sec.ok) return sec;
    let start = sec.value.offset;
    let size = sec.value.size;
    if (size === 0) return ok([]);
    const m = this.memory;
    while (m[start] === 0 && size > 1) {
      start++;
      size--;
    }
    if (size <= 1) return ok([]);
    const out: number[] = [];
    const end = start + size;
    let i = start;
    while (i < end) {
      let j = i;
      while (j < end && m[j] !== 0) j++;
      out.push(i, j);
      while (j < end && m[j] === 0) j++;
      i = j;
    }
    return ok(out);
  }

  /** The bytes `[start, end)` of {@link KmodElf.memory} decoded as names are (the encoding given to open). */
  text(start: number, end: number): string {
    return this.slice.call(this.buffer, start, end);
  }

  /** The bytes `[start, end)` of {@link KmodElf.memory} decoded as UTF-8. */
  utf8(start: number, end: number): string {
    return SLICERS.utf8.call(this.buffer, start, end);
  }

  /** `kmod_elf_get_modversions`: the `__versions` entries (a leading `.` of a name is dropped). */
  modversions(): KmodElfResult<KmodModversion[]> {
    const sec = this.section('__versions');
    if (!sec.ok) return sec;
    const { offset, size } = sec.value;
    if (size === 0) return ok([]);
    if (size % MODVERSION_SIZE !== 0) return fail('EINVAL');
    const crcLen = this.is32 ? 4 : 8;
    const out: KmodModversion[] = [];
    for (let off = offset; off < offset + size; off += MODVERSION_SIZE) {
      let nameAt = off + crcLen;
      if (this.memory[nameAt] === 0x2e) nameAt++;
      out.push({ crc: this.uint(off, crcLen), bind: 'undef', symbol: this.cString(nameAt, offset + size) });
    }
    return ok(out);
  }

  /**
   * `kmod_elf_get_symbols`: exported symbols from the `__crc_<name>` entries of `.symtab` with their CRCs;
   * without such entries (or a usable `.symtab`/`.strtab`), every string of `__ksymtab_strings` with CRC 0.
   * @throws KmodAbort when a `__crc_` symbol names a section index at or past `e_shnum`.
   */
  symbols(): KmodElfResult<KmodModversion[]> {
    const tabs = this.symtab();
    if (tabs === undefined) return this.symbolsFromKsymtabStrings();
    const { strtab, symtab, symLen } = tabs;
    const m = this.memory;
    const count = symtab.size / symLen;
    const crcSyms: number[] = [];
    // The prefix test below may read up to 5 bytes past a name at the very end of the table.
    this.fault(strtab.offset, strtab.size + CRC_PREFIX.length);
    for (let i = 1; i < count; i++) {
      const symOff = symtab.offset + i * symLen;
      const nameOff = this.view.getUint32(symOff, !this.msb);
      if (nameOff >= strtab.size) return this.symbolsFromKsymtabStrings();
      const at = strtab.offset + nameOff;
      if (
        m[at] === CRC_PREFIX[0] &&
        m[at + 1] === CRC_PREFIX[1] &&
        m[at + 2] === CRC_PREFIX[2] &&
        m[at + 3] === CRC_PREFIX[3] &&
        m[at + 4] === CRC_PREFIX[4] &&
        m[at + 5] === CRC_PREFIX[5]
      ) {
        crcSyms.push(symOff);
      }
    }
    if (crcSyms.length === 0) return this.symbolsFromKsymtabStrings();
    const out: KmodModversion[] = [];
    for (const symOff of crcSyms) {
      const s = this.readSym(symOff);
      const name = this.cString(strtab.offset + s.name + CRC_PREFIX.length, strtab.offset + strtab.size);
      out.push({ crc: this.resolveCrc(s.value, s.shndx), bind: bindFromElf(s.info >> 4), symbol: name });
    }
    return ok(out);
  }

  /**
   * `kmod_elf_get_dependency_symbols`: every named undefined symbol of `.symtab` (weak or undef) with the CRC of
   * its `__versions` entry (0 when none), then the `__versions` entries no symbol matched (`module_layout`).
   * EINVAL without `.symtab`/`.strtab`, for a `.symtab` size that is not a multiple of the entry size, or for a
   * name offset outside `.strtab`.
   */
  dependencySymbols(): KmodElfResult<KmodModversion[]> {
    const out: KmodModversion[] = [];
    const r = this.visitDependencySymbols((start, end, crc, weak) => {
      out.push({ crc, bind: weak ? 'weak' : 'undef', symbol: this.slice.call(this.buffer, start, end) });
    });
    return r.ok ? ok(out) : r;
  }

  /**
   * {@link KmodElf.dependencySymbols} without building its list: `visit` gets each symbol's name as the byte
   * range `[start, end)` of {@link KmodElf.memory}, its CRC and whether it is weak, in the same order. On
   * failure (same errnos) some symbols may have been visited already; returns the number visited.
   */
  visitDependencySymbols(
    visit: (start: number, end: number, crc: bigint, weak: boolean) => void,
  ): KmodElfResult<number> {
    const crcLen = this.is32 ? 4 : 8;
    let versions: KmodSection | undefined;
    const vsec = this.section('__versions');
    if (vsec.ok && vsec.value.size % MODVERSION_SIZE === 0) versions = vsec.value;
    const strtabR = this.section('.strtab');
    if (!strtabR.ok) return fail('EINVAL');
    const symtabR = this.section('.symtab');
    if (!symtabR.ok) return fail('EINVAL');
    const strtab = strtabR.value;
    const symtab = symtabR.value;
    const symLen = this.is32 ? 16 : 24;
    if (symtab.size % symLen !== 0) return fail('EINVAL');

    // Index of the first __versions entry by name (kmod_elf_crc_find scans from the start and compares with
    // strcmp: the first entry with the same bytes wins), as an open-addressing table over the names' bytes.
    const m = this.memory;
    const nVersions = versions === undefined ? 0 : versions.size / MODVERSION_SIZE;
    const versionEnds = new Int32Array(nVersions);
    const mask = (1 << Math.max(4, Math.ceil(Math.log2(2 * nVersions + 1)))) - 1;
    if (VERSION_SLOTS.length <= mask) VERSION_SLOTS = new Int32Array(mask + 1);
    const slots = VERSION_SLOTS;
    slots.fill(-1, 0, mask + 1);
    const nameAt = (k: number): number => (versions?.offset ?? 0) + k * MODVERSION_SIZE + crcLen;
    if (versions !== undefined) {
      const versionsEnd = versions.offset + versions.size;
      for (let k = 0; k < nVersions; k++) {
        const at = nameAt(k);
        const end = this.cEnd(at, versionsEnd);
        versionEnds[k] = end;
        let i = fnv1a(m, at, end) & mask;
        for (;;) {
          const other = slots[i];
          if (other < 0) {
            slots[i] = k;
            break;
          }
          if (sameBytes(m, at, end, nameAt(other), versionEnds[other])) break;
          i = (i + 1) & mask;
        }
      }
    }
    const versionOf = (at: number, end: number): number => {
      for (let i = fnv1a(m, at, end) & mask; ; i = (i + 1) & mask) {
        const k = slots[i];
        if (k < 0 || sameBytes(m, at, end, nameAt(k), versionEnds[k])) return k;
      }
    };
    const visited = new Uint8Array(nVersions);
    const registerSymbols = this.machine === EM_SPARC || this.machine === EM_SPARCV9;
    const count = symtab.size / symLen;
    const v = this.view;
    const le = !this.msb;
    const infoAt = this.is32 ? 12 : 4;
    const shndxAt = this.is32 ? 14 : 6;
    const strtabEnd = strtab.offset + strtab.size;
    let n = 0;
    // Only st_shndx of every entry is needed; st_info and st_name only of the undefined ones.
    for (let off = symtab.offset + symLen; off < symtab.offset + count * symLen; off += symLen) {
      if (v.getUint16(off + shndxAt, le) !== SHN_UNDEF) continue;
      const info = m[off + infoAt];
      if (registerSymbols && (info & 0xf) === STT_REGISTER) continue;
      const nameOff = v.getUint32(off, le);
      if (nameOff >= strtab.size) return fail('EINVAL');
      const at = strtab.offset + nameOff;
      if (m[at] === 0) continue;
      const end = this.cEnd(at, strtabEnd);
      let crc = 0n;
      if (versions !== undefined) {
        const idx = versionOf(at, end);
        if (idx >= 0) {
          visited[idx] = 1;
          crc = this.uint(versions.offset + idx * MODVERSION_SIZE, crcLen);
        }
      }
      visit(at, end, crc, info >> 4 === STB_WEAK);
      n++;
    }
    if (versions !== undefined) {
      for (let k = 0; k < nVersions; k++) {
        if (visited[k] !== 0) continue;
        const entry = versions.offset + k * MODVERSION_SIZE;
        visit(entry + crcLen, versionEnds[k], this.uint(entry, crcLen), false);
        n++;
      }
    }
    return ok(n);
  }

  /** `kmod_elf_strip_section`: a copy with `SHF_ALLOC` cleared on the named section (ENOENT without it). */
  stripSection(name: string, into: Uint8Array): KmodElfResult<void> {
    const idx = this.findSectionIndex(name);
    if (idx < 0) return fail('ENOENT');
    const hdr = this.shoff + idx * this.shentsize;
    const flagsOff = hdr + 8;
    const v = new DataView(into.buffer, into.byteOffset, into.byteLength);
    const low = v.getUint32(this.msb ? flagsOff + (this.is32 ? 0 : 4) : flagsOff, !this.msb);
    v.setUint32(this.msb ? flagsOff + (this.is32 ? 0 : 4) : flagsOff, low & ~2, !this.msb);
    return { ok: true, value: undefined };
  }

  /** `kmod_elf_strip_vermagic`: zeroes the `vermagic=...` string of `.modinfo` in `into` (ENOENT without it). */
  stripVermagic(into: Uint8Array): KmodElfResult<void> {
    const sec = this.section('.modinfo');
    if (!sec.ok) return sec;
    let start = sec.value.offset;
    let size = sec.value.size;
    const m = this.memory;
    if (size === 0) return { ok: true, value: undefined };
    while (m[start] === 0 && size > 1) {
      start++;
      size--;
    }
    if (size <= 1) return { ok: true, value: undefined };
    const key = 'vermagic=';
    for (let i = 0; i < size; i++) {
      if (m[start + i] === 0) continue;
      if (i + 1 >= size) continue;
      if (i + key.length >= size) continue;
      const s = start + i;
      if (this.buffer.toString('latin1', s, s + key.length) !== key) {
        i += this.cLength(s);
        continue;
      }
      into.fill(0, s, s + this.cLength(s));
      return { ok: true, value: undefined };
    }
    return fail('ENOENT');
  }

  /** Reads `size` bytes at `offset` as an unsigned integer in the file's byte order. */
  private uint(offset: number, size: number): bigint {
    kmodAssert(
      offset + size <= this.memory.length,
      ELF_FILE,
      137,
      'elf_get_uint',
      'offset + size <= elf->size',
    );
    if (size === 8) return this.view.getBigUint64(offset, !this.msb);
    if (size === 4) return BigInt(this.view.getUint32(offset, !this.msb));
    return BigInt(this.view.getUint16(offset, !this.msb));
  }

  /** Length of the C string at `at`, bounded by the end of the file (faulted in as the scan goes). */
  private cLength(at: number): number {
    const m = this.memory;
    let j = at;
    for (let window = 256; ; window *= 2) {
      const stop = Math.min(m.length, j + window);
      this.fault(j, stop - j);
      while (j < stop && m[j] !== 0) j++;
      if (j < stop || stop >= m.length) return j - at;
    }
  }

  /**
   * The C string at `at`. `faultedEnd` ends the range already faulted in (the string's section): the scan
   * stays there when it finds the NUL, else goes on to the end of the file as C would.
   */
  private cString(at: number, faultedEnd: number): string {
    return this.slice.call(this.buffer, at, this.cEnd(at, faultedEnd));
  }

  /** Where the C string at `at` ends (its NUL, or the end of the file); see {@link KmodElf.cString}. */
  private cEnd(at: number, faultedEnd: number): number {
    const m = this.memory;
    const end = Math.min(faultedEnd, m.length);
    let j = at;
    while (j < end && m[j] !== 0) j++;
    return j < end ? j : at + this.cLength(at);
  }

  /** `elf_get_section_info`; undefined when the section's bytes are out of bounds. */
  private sectionInfo(idx: number): (KmodSection & { readonly nameOff: number }) | undefined {
    kmodAssert(idx !== SHN_UNDEF, ELF_FILE, 213, 'elf_get_section_header', 'idx != SHN_UNDEF');
    kmodAssert(idx < this.shnum, ELF_FILE, 214, 'elf_get_section_header', 'idx < elf->header.section.count');
    const off = this.shoff + idx * this.shentsize;
    const le = !this.msb;
    const v = this.view;
    let size: number;
    let offset: number;
    if (this.is32) {
      size = v.getUint32(off + 20, le);
      offset = v.getUint32(off + 16, le);
    } else {
      size = readU64(v, off + 32, le);
      offset = readU64(v, off + 24, le);
    }
    const nameOff = v.getUint32(off, le);
    if (offset + size > this.memory.length) return undefined;
    return { offset, size, nameOff };
  }

  private findSectionIndex(name: string): number {
    const names = this.names;
    const want = sectionNameBytes(name);
    const v = this.view;
    const le = !this.msb;
    for (let i = 1; i < this.shnum; i++) {
      // sectionInfo's checks without its object: the name, then whether the section lies inside the file.
      const off = this.shoff + i * this.shentsize;
      const nameOff = v.getUint32(off, le);
      if (nameOff >= names.size || !this.matches(names.offset + nameOff, want)) continue;
      if (this.sectionInfo(i) === undefined) continue;
      return i;
    }
    return -1;
  }

  private findSection(name: string): KmodSection | undefined {
    const idx = this.findSectionIndex(name);
    if (idx < 0) return undefined;
    const info = this.sectionInfo(idx);
    return info === undefined ? undefined : { offset: info.offset, size: info.size };
  }

  private matches(at: number, want: Uint8Array): boolean {
    const m = this.memory;
    for (let k = 0; k < want.length; k++) if (m[at + k] !== want[k]) return false;
    return true;
  }

  private symtab(): { strtab: KmodSection; symtab: KmodSection; symLen: number } | undefined {
    const strtab = this.section('.strtab');
    if (!strtab.ok) return undefined;
    const symtab = this.section('.symtab');
    if (!symtab.ok) return undefined;
    const symLen = this.is32 ? 16 : 24;
    if (symtab.value.size % symLen !== 0) return undefined;
    return { strtab: strtab.value, symtab: symtab.value, symLen };
  }

  private readSym(off: number): { name: number; info: number; shndx: number; value: bigint } {
    const v = this.view;
    const le = !this.msb;
    if (this.is32) {
      return {
        name: v.getUint32(off, le),
        value: BigInt(v.getUint32(off + 4, le)),
        info: v.getUint8(off + 12),
        shndx: v.getUint16(off + 14, le),
      };
    }
    return {
      name: v.getUint32(off, le),
      info: v.getUint8(off + 4),
      shndx: v.getUint16(off + 6, le),
      value: v.getBigUint64(off + 8, le),
    };
  }

  /** `kmod_elf_resolve_crc`: an absolute CRC as is, else the u32 at that offset of the symbol's section. */
  private resolveCrc(crc: bigint, shndx: number): bigint {
    if (shndx === SHN_ABS || shndx === SHN_UNDEF) return crc;
    const info = this.sectionInfo(shndx);
    if (info === undefined) return 0xffffffffffffffffn;
    if (info.size < 4 || crc > BigInt(info.size - 4)) return 0xffffffffffffffffn;
    this.fault(info.offset + Number(crc), 4);
    return this.uint(info.offset + Number(crc), 4);
  }

  /** `kmod_elf_get_symbols_symtab`: the fallback over `__ksymtab_strings`. */
  private symbolsFromKsymtabStrings(): KmodElfResult<KmodModversion[]> {
    const r = this.strings('__ksymtab_strings');
    if (!r.ok) return r;
    return ok(r.value.map((symbol) => ({ crc: 0n, bind: 'global' as const, symbol })));
  }
}

/** Slots of the `__versions` name table of {@link KmodElf.visitDependencySymbols}, reused from module to module. */
let VERSION_SLOTS = new Int32Array(1024);

function bindFromElf(b: number): KmodSymbolBind {
  if (b === STB_LOCAL) return 'local';
  if (b === STB_GLOBAL) return 'global';
  if (b === STB_WEAK) return 'weak';
  return 'none';
}

/** u64 as a number: exact below 2^53, and anything larger is beyond every file's size anyway. */
function readU64(v: DataView, off: number, le: boolean): number {
  const lo = v.getUint32(le ? off : off + 4, le);
  const hi = v.getUint32(le ? off + 4 : off, le);
  return hi * 4294967296 + lo;
}
