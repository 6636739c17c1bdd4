/**
 * The ELF reader's foundation: header, section table, bounded section data and cached string tables.
 *
 * This is the only file importing `elfy`. elfy parses the header and the section table (names, offsets, sizes,
 * links); this wrapper corrects what elfy gets wrong:
 * - ELF64 `sh_addralign`/`sh_entsize` are read at offsets 46/54 instead of 48/56: always re-read here.
 * - 64-bit fields are returned as lossy doubles: `sh_addr`, `e_entry` are re-read as `bigint`; `sh_flags`
 *   (low/high words), `sh_type` (elfy turns it into a name) and `sh_name` (elfy replaces it by the string) too.
 * - `e_ident[EI_OSABI]`/`[EI_ABIVERSION]` are read one byte early, `e_type`/`e_machine` are mapped to names:
 *   the header is read here directly.
 * - It throws plain `Error`/`AssertionError`/`RangeError`: caught and replaced by the reader's own parse of the
 *   section table, which handles inputs elfy rejects although they are valid ELF (`e_shstrndx` = `SHN_UNDEF` or
 *   naming a non-`SHT_STRTAB` section, program headers out of bounds — irrelevant to relocatable objects — or a
 *   header whose class/encoding bytes are ignored via {@link ElfParseOptions}). {@link ElfFile.parsedBy} says
 *   which path produced the table.
 * All sizes and offsets are checked against the input before anything reads through them, so malformed input
 * yields an `ElfError`, never an exception, and nothing allocates more than a small multiple of the input.
 * @see kernel/module/main.c elf_validity_cache_copy (the checks a module loader runs over these fields)
 * @module
 */
import { Buffer, isAscii } from 'node:buffer';
import elfy from 'elfy';
import {
  EI_ABIVERSION,
  EI_CLASS,
  EI_DATA,
  EI_NIDENT,
  EI_OSABI,
  EI_VERSION,
  ELFCLASS32,
  ELFCLASS64,
  ELFDATA2LSB,
  ELFDATA2MSB,
  ELFMAG0,
  ELFMAG1,
  ELFMAG2,
  ELFMAG3,
  SHT_NOBITS,
  SIZEOF_ELF32_EHDR,
  SIZEOF_ELF32_SHDR,
  SIZEOF_ELF64_EHDR,
  SIZEOF_ELF64_SHDR,
} from '../abi/elf.js';
import { ok } from '../core/result.js';
import { type ElfResult, elfFail } from './elf-error.js';

const TWO_32 = 4294967296;

/**
 * Longest string the reader decodes from a string table (bytes). Longer strings are cut here, which bounds the
 * memory decoding can take on hostile input (many names pointing into one huge unterminated string). The
 * kernel's own limit on symbol names is `KSYM_NAME_LEN` (512 in 6.1); real module names are far shorter.
 */
export const MAX_STRING_LENGTH = 1024;

/** Section-name lookups per file answered by a scan before the name index is built. */
const NAME_SCANS = 8;

/** Above this `e_shnum × name-table size`, elfy's unbounded per-section name scan is not risked. */
const ELFY_NAME_SCAN_BUDGET = 1 << 26;

/** A string decoded by {@link decodeCString}. */
export interface CString {
  /** The decoded text (UTF-8). */
  readonly text: string;
  /** Whether a NUL ended it within the limits. */
  readonly terminated: boolean;
}

/** `Buffer#utf8Slice`/`#latin1Slice`: what `toString` calls after its argument checks (not in the typings). */
type Slicer = (this: Buffer, start: number, end: number) => string;
const nativeSlicer = (name: 'utf8Slice' | 'latin1Slice', encoding: 'utf8' | 'latin1'): Slicer =>
  (Buffer.prototype as unknown as Partial<Record<typeof name, Slicer>>)[name] ??
  function (this: Buffer, start: number, end: number): string {
    return this.toString(encoding, start, end);
  };
const utf8Slice = nativeSlicer('utf8Slice', 'utf8');
const latin1Slice = nativeSlicer('latin1Slice', 'latin1');

/**
 * Decodes the NUL-terminated string at `start`, looking no further than `end` and {@link MAX_STRING_LENGTH}
 * bytes. Returns the string and whether a NUL was found within those limits.
 */
export function decodeCString(bytes: Uint8Array, buffer: Buffer, start: number, end: number): CString {
  const limit = Math.min(end, start + MAX_STRING_LENGTH, bytes.length);
  if (!Number.isInteger(start) || start < 0) return decodeCStringSlow(bytes, buffer, start, end);
  let stop = start;
  while (stop < limit && bytes[stop] !== 0) stop++;
  return { text: stop > start ? utf8Slice.call(buffer, start, stop) : '', terminated: stop < limit };
}

/** {@link decodeCString} for a start outside the input: typed-array and Buffer clamping rules. */
function decodeCStringSlow(bytes: Uint8Array, buffer: Buffer, start: number, end: number): CString {
  const limit = Math.min(end, start + MAX_STRING_LENGTH);
  let stop = bytes.subarray(start, limit).indexOf(0);
  const terminated = stop >= 0;
  stop = terminated ? start + stop : limit;
  return { text: buffer.toString('utf8', start, stop), terminated };
}

/**
 * {@link decodeCString}'s text alone: the string at `start` up to its NUL, `end` or {@link MAX_STRING_LENGTH}
 * bytes (no result object: the hot path of symbol and section names).
 */
export function decodeCStringText(bytes: Uint8Array, buffer: Buffer, start: number, end: number): string {
  const limit = Math.min(end, start + MAX_STRING_LENGTH, bytes.length);
  if (!Number.isInteger(start) || start < 0) return decodeCStringSlow(bytes, buffer, start, end).text;
  let stop = start;
  while (stop < limit && bytes[stop] !== 0) stop++;
  return stop > start ? utf8Slice.call(buffer, start, stop) : '';
}

/** The ELF file header (`Elf32_Ehdr` / `Elf64_Ehdr`), every field exact. */
export interface ElfHeader {
  /** `e_ident[EI_CLASS]` as found in the file. */
  readonly elfClass: number;
  /** `e_ident[EI_DATA]` as found in the file. */
  readonly dataEncoding: number;
  /** `e_ident[EI_VERSION]`. */
  readonly identVersion: number;
  /** `e_ident[EI_OSABI]`. */
  readonly osabi: number;
  /** `e_ident[EI_ABIVERSION]`. */
  readonly abiVersion: number;
  /** Whether the structures were read as ELF64 (from the class byte, or forced by {@link ElfParseOptions}). */
  readonly is64: boolean;
  /** Whether the structures were read little-endian. */
  readonly littleEndian: boolean;
  /** `e_type`. */
  readonly type: number;
  /** `e_machine`. */
  readonly machine: number;
  /** `e_version`. */
  readonly version: number;
  /** `e_entry`. */
  readonly entry: bigint;
  /** `e_phoff` (an approximation ≥ 2^53 when the 64-bit value exceeds that: still larger than any input). */
  readonly phoff: number;
  /** `e_shoff` (same approximation rule as {@link ElfHeader.phoff}). */
  readonly shoff: number;
  /** `e_flags`. */
  readonly flags: number;
  /** `e_ehsize`. */
  readonly ehsize: number;
  /** `e_phentsize`. */
  readonly phentsize: number;
  /** `e_phnum`. */
  readonly phnum: number;
  /** `e_shentsize`. */
  readonly shentsize: number;
  /** `e_shnum`. Extended numbering (`e_shnum` = 0, count in section 0) is not followed, as in the kernel. */
  readonly shnum: number;
  /** `e_shstrndx`. */
  readonly shstrndx: number;
}

/** One section header (`Elf32_Shdr` / `Elf64_Shdr`). */
export interface ElfSection {
  /** Index in the section table. */
  readonly index: number;
  /** The name from the section-name table; `''` when `sh_name` is out of bounds or there is no name table. */
  readonly name: string;
  /** `sh_name`: offset of the name in the section-name table. */
  readonly nameOffset: number;
  /** `sh_type`. */
  readonly type: number;
  /** Low 32 bits of `sh_flags` (every defined `SHF_*` bit lives here). */
  readonly flags: number;
  /** High 32 bits of an ELF64 `sh_flags` (0 on ELF32). */
  readonly flagsHigh: number;
  /** `sh_addr`. */
  readonly addr: bigint;
  /** `sh_offset` (approximate only when above 2^53, i.e. far outside any input). */
  readonly offset: number;
  /** `sh_size` (same rule as {@link ElfSection.offset}). */
  readonly size: number;
  /** `sh_link`. */
  readonly link: number;
  /** `sh_info`. */
  readonly info: number;
  /** `sh_addralign` (same rule as {@link ElfSection.offset}). */
  readonly addralign: number;
  /** `sh_entsize` (same rule as {@link ElfSection.offset}). */
  readonly entsize: number;
  /** File offset of this section header. */
  readonly headerOffset: number;
}

/** Options of {@link ElfFile.parse} and {@link readElfHeader}. */
export interface ElfParseOptions {
  /**
   * Read the structures with this class regardless of `e_ident[EI_CLASS]` — what a kernel does: it casts the
   * image to its native `Elf_Ehdr` and never looks at the class byte (`elf_check_arch` on x86_64).
   */
  readonly assumeClass?: 32 | 64;
  /** Read the structures with this byte order regardless of `e_ident[EI_DATA]`. */
  readonly assumeLittleEndian?: boolean;
}

/**
 * Above this many strings cut at {@link MAX_STRING_LENGTH} in one table, its strings are found by the bounded
 * byte scan only: an unbounded search for the NUL then costs at most this many passes over the table.
 */
const LONG_SCAN_LIMIT = 64;

/**
 * A NUL-terminated string table section. An all-ASCII table is decoded once, on the first request, and each
 * string is a slice of that text (one-byte characters are the bytes, and slicing is cheaper than decoding each
 * string); any other table decodes each requested string from UTF-8.
 */
export class StringTable {
  /** The whole table as text once decoded; `null` when it is not all ASCII (decoded string by string). */
  private text: string | null | undefined;
  private longScans = 0;

  /** @param bytes the section's bytes (already bounds-checked). @param buffer a Buffer view over the same bytes. */
  constructor(
    readonly bytes: Uint8Array,
    private readonly buffer: Buffer,
  ) {}

  /** Size of the table in bytes. */
  get size(): number {
    return this.bytes.length;
  }

  /**
   * The string starting at `offset`, up to its NUL, the end of the table or {@link MAX_STRING_LENGTH} bytes;
   * `undefined` when `offset` is outside the table.
   */
  get(offset: number): string | undefined {
    const length = this.bytes.length;
    if (!Number.isInteger(offset) || offset < 0 || offset >= length) return undefined;
    let text = this.text;
    if (text === undefined) {
      text = isAscii(this.bytes) ? latin1Slice.call(this.buffer, 0, length) : null;
      this.text = text;
    }
    if (text === null || this.longScans > LONG_SCAN_LIMIT) {
      return decodeCStringText(this.bytes, this.buffer, offset, length);
    }
    let end = text.indexOf('\0', offset);
    if (end < 0) end = length;
    if (end - offset > MAX_STRING_LENGTH) {
      this.longScans++;
      end = offset + MAX_STRING_LENGTH;
    }
    return text.slice(offset, end);
  }

  /** Whether the table's last byte is NUL, so that every string in it is terminated. */
  get isNulTerminated(): boolean {
    return this.bytes.length > 0 && this.bytes[this.bytes.length - 1] === 0;
  }
}

/** Whether typed arrays are little-endian here (they use the host's byte order; DataView reads choose theirs). */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * An unsigned 64-bit value from its 32-bit words, as a number: exact up to 2^53, a larger approximation beyond. A
 * value below 2^32 is the low word itself (no arithmetic): a small integer, not a heap number, so the objects that
 * keep it (a section's offset and size) hold it in place instead of in a box of its own.
 */
export function u64FromWords(lo: number, hi: number): number {
  return hi === 0 ? lo : hi * TWO_32 + lo;
}

/**
 * A signed 64-bit value from its words (`hi` signed), as a number: exact when |value| ≤ 2^53. A value within
 * ±2^31 is taken from the low word without arithmetic, as above (module addresses, -2^30 and up, are small
 * integers then).
 */
export function i64FromWords(lo: number, hi: number): number {
  if (hi === 0) return lo;
  if (hi === -1 && lo >= 0x80000000) return lo | 0;
  return hi * TWO_32 + lo;
}

/** Reads an unsigned 64-bit field as a number ({@link u64FromWords}). */
export function readU64Number(view: DataView, offset: number, littleEndian: boolean): number {
  const lo = view.getUint32(littleEndian ? offset : offset + 4, littleEndian);
  const hi = view.getUint32(littleEndian ? offset + 4 : offset, littleEndian);
  return u64FromWords(lo, hi);
}

/** Reads a signed 64-bit field as a number ({@link i64FromWords}). */
export function readI64Number(view: DataView, offset: number, littleEndian: boolean): number {
  const lo = view.getUint32(littleEndian ? offset : offset + 4, littleEndian);
  const hi = view.getInt32(littleEndian ? offset + 4 : offset, littleEndian);
  return i64FromWords(lo, hi);
}

function identCheck(bytes: Uint8Array): ElfResult<undefined> {
  if (bytes.length < EI_NIDENT) {
    return elfFail('truncated', `file too short for e_ident: ${bytes.length} < ${EI_NIDENT} bytes`, 0);
  }
  if (bytes[0] !== ELFMAG0 || bytes[1] !== ELFMAG1 || bytes[2] !== ELFMAG2 || bytes[3] !== ELFMAG3) {
    return elfFail('bad-magic', 'not an ELF file: bad magic number', 0);
  }
  return ok(undefined);
}

/**
 * Reads and checks the ELF header only (magic, class, encoding, length). Nothing beyond `e_ident` and the
 * header is touched, so a caller can run its own header checks in the kernel's order before the section table
 * is looked at.
 */
export function readElfHeader(bytes: Uint8Array, options: ElfParseOptions = {}): ElfResult<ElfHeader> {
  const ident = identCheck(bytes);
  if (!ident.ok) return ident;
  const elfClass = bytes[EI_CLASS];
  const dataEncoding = bytes[EI_DATA];
  let is64: boolean;
  if (options.assumeClass !== undefined) is64 = options.assumeClass === 64;
  else if (elfClass === ELFCLASS64) is64 = true;
  else if (elfClass === ELFCLASS32) is64 = false;
  else return elfFail('bad-class', `unknown ELF class ${elfClass}`, EI_CLASS);
  let le: boolean;
  if (options.assumeLittleEndian !== undefined) le = options.assumeLittleEndian;
  else if (dataEncoding === ELFDATA2LSB) le = true;
  else if (dataEncoding === ELFDATA2MSB) le = false;
  else return elfFail('bad-encoding', `unknown ELF data encoding ${dataEncoding}`, EI_DATA);
  const ehdrSize = is64 ? SIZEOF_ELF64_EHDR : SIZEOF_ELF32_EHDR;
  if (bytes.length < ehdrSize) {
    return elfFail('truncated', `file too short for the ELF header: ${bytes.length} < ${ehdrSize} bytes`, 0);
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // One object literal per class (no spreads): every header has the same shape.
  if (is64) {
    return ok({
      elfClass,
      dataEncoding,
      identVersion: bytes[EI_VERSION],
      osabi: bytes[EI_OSABI],
      abiVersion: bytes[EI_ABIVERSION],
      is64,
      littleEndian: le,
      type: v.getUint16(16, le),
      machine: v.getUint16(18, le),
      version: v.getUint32(20, le),
      entry: v.getBigUint64(24, le),
      phoff: readU64Number(v, 32, le),
      shoff: readU64Number(v, 40, le),
      flags: v.getUint32(48, le),
      ehsize: v.getUint16(52, le),
      phentsize: v.getUint16(54, le),
      phnum: v.getUint16(56, le),
      shentsize: v.getUint16(58, le),
      shnum: v.getUint16(60, le),
      shstrndx: v.getUint16(62, le),
    });
  }
  return ok({
    elfClass,
    dataEncoding,
    identVersion: bytes[EI_VERSION],
    osabi: bytes[EI_OSABI],
    abiVersion: bytes[EI_ABIVERSION],
    is64,
    littleEndian: le,
    type: v.getUint16(16, le),
    machine: v.getUint16(18, le),
    version: v.getUint32(20, le),
    entry: BigInt(v.getUint32(24, le)),
    phoff: v.getUint32(28, le),
    shoff: v.getUint32(32, le),
    flags: v.getUint32(36, le),
    ehsize: v.getUint16(40, le),
    phentsize: v.getUint16(42, le),
    phnum: v.getUint16(44, le),
    shentsize: v.getUint16(46, le),
    shnum: v.getUint16(48, le),
    shstrndx: v.getUint16(50, le),
  });
}

/** Which parser produced the section table: elfy, or the reader's own fallback (see the module notes). */
export type ElfParsedBy = 'elfy' | 'own';

/**
 * A parsed ELF file: header, section table, and bounded accessors for section contents and string tables.
 * Construct with {@link ElfFile.parse}.
 */
export class ElfFile {
  /** The whole input. */
  readonly bytes: Uint8Array;
  /** A DataView over the whole input. */
  readonly view: DataView;
  /** A Buffer view (no copy) over the whole input. */
  readonly buffer: Buffer;
  /** The file header. */
  readonly header: ElfHeader;
  /** The section table, in file order. */
  readonly sections: readonly ElfSection[];
  /** Which parser produced {@link ElfFile.sections}. */
  readonly parsedBy: ElfParsedBy;
  /** Why elfy was not used, when {@link ElfFile.parsedBy} is `'own'`. */
  readonly fallbackReason: string | undefined;
  private readonly stringTables = new Map<number, ElfResult<StringTable>>();
  private byName: Map<string, ElfSection | ElfSection[]> | undefined;
  /** Name lookups answered by a scan so far (see {@link ElfFile.sectionByName}). */
  private nameScans = 0;

  private constructor(
    bytes: Uint8Array,
    header: ElfHeader,
    sections: readonly ElfSection[],
    parsedBy: ElfParsedBy,
    fallbackReason: string | undefined,
  ) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.header = header;
    this.sections = sections;
    this.parsedBy = parsedBy;
    this.fallbackReason = fallbackReason;
  }

  /** Whether structures are ELF64. */
  get is64(): boolean {
    return this.header.is64;
  }

  /** Whether structures are little-endian. */
  get littleEndian(): boolean {
    return this.header.littleEndian;
  }

  /**
   * Parses the header and the section table. Fails when the header is unusable, `e_shentsize` is not the
   * class's `sizeof(Elf_Shdr)` (with sections present) or the table does not fit in the input. Individual
   * sections are not validated here: {@link ElfFile.sectionData} checks each one when it is read.
   */
  static parse(bytes: Uint8Array, options: ElfParseOptions = {}): ElfResult<ElfFile> {
    const h = readElfHeader(bytes, options);
    if (!h.ok) return h;
    const header = h.value;
    const shdrSize = header.is64 ? SIZEOF_ELF64_SHDR : SIZEOF_ELF32_SHDR;
    if (header.shnum === 0) return ok(new ElfFile(bytes, header, [], 'own', 'no section headers'));
    if (header.shentsize !== shdrSize) {
      return elfFail('bad-header', `e_shentsize ${header.shentsize} != sizeof(Elf_Shdr) ${shdrSize}`, 0);
    }
    if (header.shoff >= bytes.length || header.shnum * shdrSize > bytes.length - header.shoff) {
      return elfFail(
        'truncated',
        `section header table (offset ${header.shoff}, ${header.shnum} entries) extends past the end of the file (${bytes.length} bytes)`,
        header.shoff,
      );
    }
    const reason = elfyUnsafeReason(bytes, header);
    if (reason === undefined) {
      const viaElfy = sectionsViaElfy(bytes, header);
      if (viaElfy.sections) return ok(new ElfFile(bytes, header, viaElfy.sections, 'elfy', undefined));
      return ok(new ElfFile(bytes, header, sectionsOwn(bytes, header), 'own', viaElfy.reason));
    }
    return ok(new ElfFile(bytes, header, sectionsOwn(bytes, header), 'own', reason));
  }

  /** The section at `index`, or `undefined` when out of range. */
  section(index: number): ElfSection | undefined {
    return index >= 0 && index < this.sections.length ? this.sections[index] : undefined;
  }

  /** The first section called `name` (any flags), or `undefined`. */
  sectionByName(name: string): ElfSection | undefined {
    // A loader asks for a few names per file: those are found by a scan, as the kernel's find_sec does, and only
    // a file asked more often gets the index.
    if (this.byName === undefined && this.nameScans++ < NAME_SCANS) {
      const list = this.sections;
      for (let i = 0; i < list.length; i++) if (list[i].name === name) return list[i];
      return undefined;
    }
    const found = this.nameIndex().get(name);
    return found === undefined || !Array.isArray(found) ? found : found[0];
  }

  /** Every section called `name`, in table order. */
  sectionsByName(name: string): readonly ElfSection[] {
    const found = this.nameIndex().get(name);
    return found === undefined ? [] : Array.isArray(found) ? found : [found];
  }

  /** Sections by name: the section itself when the name is unique (most are), else all of them in table order. */
  private nameIndex(): Map<string, ElfSection | ElfSection[]> {
    if (this.byName === undefined) {
      const m = new Map<string, ElfSection | ElfSection[]>();
      for (const s of this.sections) {
        const found = m.get(s.name);
        if (found === undefined) m.set(s.name, s);
        else if (Array.isArray(found)) found.push(s);
        else m.set(s.name, [found, s]);
      }
      this.byName = m;
    }
    return this.byName;
  }

  /** Whether the section's file range lies inside the input (`SHT_NOBITS` sections always do). */
  sectionInBounds(section: ElfSection): boolean {
    if (section.type === SHT_NOBITS) return true;
    return (
      Number.isSafeInteger(section.offset) &&
      Number.isSafeInteger(section.size) &&
      section.offset <= this.bytes.length &&
      section.size <= this.bytes.length - section.offset
    );
  }

  /**
   * The section's bytes (a view, no copy). `SHT_NOBITS` sections have none (empty view). Fails with
   * `bad-section` when the range does not lie inside the input.
   */
  sectionData(section: ElfSection): ElfResult<Uint8Array> {
    if (section.type === SHT_NOBITS) return ok(this.bytes.subarray(0, 0));
    if (!this.sectionInBounds(section)) {
      return elfFail(
        'bad-section',
        `section ${section.index} (${section.name || section.nameOffset}) offset ${section.offset} size ${section.size} lies outside the file (${this.bytes.length} bytes)`,
        section.headerOffset,
      );
    }
    return ok(this.bytes.subarray(section.offset, section.offset + section.size));
  }

  /** The string table in section `index` (cached). Fails when the index or the section's range is bad. */
  stringTable(index: number): ElfResult<StringTable> {
    const cached = this.stringTables.get(index);
    if (cached !== undefined) return cached;
    const section = this.section(index);
    let result: ElfResult<StringTable>;
    if (section === undefined) {
      result = elfFail(
        'bad-section',
        `string table section index ${index} out of range (${this.sections.length} sections)`,
      );
    } else {
      const data = this.sectionData(section);
      result = data.ok
        ? ok(
            new StringTable(
              data.value,
              Buffer.from(data.value.buffer, data.value.byteOffset, data.value.length),
            ),
          )
        : data;
    }
    this.stringTables.set(index, result);
    return result;
  }
}

/** Why elfy must not be given this file (it would misread it or do unbounded work), or `undefined`. */
function elfyUnsafeReason(bytes: Uint8Array, h: ElfHeader): string | undefined {
  const identMatches =
    (h.is64 ? h.elfClass === ELFCLASS64 : h.elfClass === ELFCLASS32) &&
    (h.littleEndian ? h.dataEncoding === ELFDATA2LSB : h.dataEncoding === ELFDATA2MSB);
  if (!identMatches) return 'class/encoding forced by options differ from e_ident';
  if (h.shstrndx < h.shnum) {
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const size = Math.min(sectionSize(v, h, h.shstrndx), bytes.length);
    if (h.shnum * size > ELFY_NAME_SCAN_BUDGET)
      return "section-name table too large for elfy's unbounded name scan";
  }
  return undefined;
}

/**
 * Section `index` of the table, every field read from its header; `name` as given. One object literal, so every
 * section has the same shape whichever parser made it.
 */
function readSection(v: DataView, header: ElfHeader, index: number, name: string): ElfSection {
  const le = header.littleEndian;
  if (header.is64) {
    const o = header.shoff + index * SIZEOF_ELF64_SHDR;
    return {
      index,
      name,
      nameOffset: v.getUint32(o, le),
      type: v.getUint32(o + 4, le),
      flags: v.getUint32(le ? o + 8 : o + 12, le),
      flagsHigh: v.getUint32(le ? o + 12 : o + 8, le),
      // Relocatable objects leave sh_addr 0: no BigInt allocated for it.
      addr: v.getUint32(o + 16, le) === 0 && v.getUint32(o + 20, le) === 0 ? 0n : v.getBigUint64(o + 16, le),
      offset: readU64Number(v, o + 24, le),
      size: readU64Number(v, o + 32, le),
      link: v.getUint32(o + 40, le),
      info: v.getUint32(o + 44, le),
      addralign: readU64Number(v, o + 48, le),
      entsize: readU64Number(v, o + 56, le),
      headerOffset: o,
    };
  }
  const o = header.shoff + index * SIZEOF_ELF32_SHDR;
  return {
    index,
    name,
    nameOffset: v.getUint32(o, le),
    type: v.getUint32(o + 4, le),
    flags: v.getUint32(o + 8, le),
    flagsHigh: 0,
    addr: BigInt(v.getUint32(o + 12, le)),
    offset: v.getUint32(o + 16, le),
    size: v.getUint32(o + 20, le),
    link: v.getUint32(o + 24, le),
    info: v.getUint32(o + 28, le),
    addralign: v.getUint32(o + 32, le),
    entsize: v.getUint32(o + 36, le),
    headerOffset: o,
  };
}

/** File offset of section header `index`. */
function sectionHeaderOffset(header: ElfHeader, index: number): number {
  return header.shoff + index * (header.is64 ? SIZEOF_ELF64_SHDR : SIZEOF_ELF32_SHDR);
}

/** `sh_size` of section `index` alone (the table is known to lie inside the input). */
function sectionSize(v: DataView, header: ElfHeader, index: number): number {
  const le = header.littleEndian;
  return header.is64
    ? readU64Number(v, header.shoff + index * SIZEOF_ELF64_SHDR + 32, le)
    : v.getUint32(header.shoff + index * SIZEOF_ELF32_SHDR + 20, le);
}

/** elfy's section table, with every field elfy gets wrong or lossy replaced by an exact re-read. */
function sectionsViaElfy(
  bytes: Uint8Array,
  header: ElfHeader,
): { sections: ElfSection[]; reason?: undefined } | { sections?: undefined; reason: string } {
  let parsed: elfy.ElfyFile;
  try {
    parsed = elfy.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    return { reason: `elfy rejected the file: ${e instanceof Error ? e.message : String(e)}` };
  }
  const list = parsed.body.sections;
  if (list.length !== header.shnum) {
    return { reason: `elfy returned ${list.length} sections, e_shnum is ${header.shnum}` };
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const names = list[header.shstrndx]?.data;
  const out: ElfSection[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const e = list[i];
    let name = typeof e.name === 'string' ? e.name : '';
    // elfy decodes names without a length limit: apply the reader's cap the same way the fallback does.
    if (name.length > MAX_STRING_LENGTH && names !== undefined) {
      name = decodeCString(
        names,
        names,
        v.getUint32(sectionHeaderOffset(header, i), header.littleEndian),
        names.length,
      ).text;
    }
    const s = readSection(v, header, i, name);
    // elfy's off/size/link/info are exact whenever the value is a safe integer; anything else is the re-read.
    const offset = Number.isSafeInteger(e.off) ? e.off : s.offset;
    const size = Number.isSafeInteger(e.size) ? e.size : s.size;
    out[i] =
      offset === s.offset && size === s.size && e.link === s.link && e.info === s.info
        ? s
        : { ...s, offset, size, link: e.link, info: e.info };
  }
  return { sections: out };
}

/** The reader's own section-table parse. Names resolve like elfy's `resolveStr`, capped like every string. */
function sectionsOwn(bytes: Uint8Array, header: ElfHeader): ElfSection[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shnum = header.shnum;
  let namesStart = 0;
  let namesEnd = 0;
  if (header.shstrndx !== 0 && header.shstrndx < shnum) {
    const strtab = readSection(v, header, header.shstrndx, '');
    if (strtab.type !== SHT_NOBITS) {
      // Clamped like elfy's `buf.slice(off, off + size)`.
      namesStart = Math.min(strtab.offset, bytes.length);
      namesEnd = Math.min(namesStart + Math.min(strtab.size, bytes.length), bytes.length);
    }
  }
  const out: ElfSection[] = new Array(shnum);
  const names = new StringTable(bytes.subarray(namesStart, namesEnd), buffer.subarray(namesStart, namesEnd));
  for (let i = 0; i < shnum; i++) {
    const nameOffset = v.getUint32(sectionHeaderOffset(header, i), header.littleEndian);
    out[i] = readSection(v, header, i, names.get(nameOffset) ?? '');
  }
  return out;
}
