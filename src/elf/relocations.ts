/**
 * Relocation sections (`SHT_REL` / `SHT_RELA`): an index-based view over the raw entries — no per-entry
 * objects — plus counts by type and an index from (target section, offset) to the entry relocating it.
 * @see kernel/module/main.c apply_relocations
 * @module
 */
import {
  SHN_UNDEF,
  SHT_REL,
  SHT_RELA,
  SIZEOF_ELF32_REL,
  SIZEOF_ELF32_RELA,
  SIZEOF_ELF64_REL,
  SIZEOF_ELF64_RELA,
} from '../abi/elf.js';
import { ok } from '../core/result.js';
import { type ElfResult, elfFail } from './elf-error.js';
import { decodeCString, type ElfFile, type ElfSection, readI64Number, readU64Number } from './elf-file.js';
import type { SymbolTable } from './symbols.js';

/**
 * A view over one `SHT_REL`/`SHT_RELA` section. Indices passed to the accessors must be in `[0, count)`.
 * `r_info` is split as `ELF64_R_SYM`/`ELF64_R_TYPE` (high/low 32 bits) or `ELF32_R_SYM`/`ELF32_R_TYPE`
 * (`>> 8` / `& 0xff`).
 */
export class RelocationSection {
  /** Whether entries carry an explicit addend (`SHT_RELA`). */
  readonly isRela: boolean;
  /** Size of one entry. */
  readonly entrySize: number;
  /** Number of entries (`sh_size / sizeof(entry)`, rounded down as the kernel does). */
  readonly count: number;
  private readonly view: DataView;
  private readonly le: boolean;
  private readonly is64: boolean;
  private typeCounts: Map<number, number> | undefined;

  private constructor(
    /** The relocation section itself. */
    readonly section: ElfSection,
    data: Uint8Array,
    file: ElfFile,
  ) {
    this.isRela = section.type === SHT_RELA;
    this.is64 = file.is64;
    this.le = file.littleEndian;
    this.entrySize = this.is64
      ? this.isRela
        ? SIZEOF_ELF64_RELA
        : SIZEOF_ELF64_REL
      : this.isRela
        ? SIZEOF_ELF32_RELA
        : SIZEOF_ELF32_REL;
    this.count = Math.floor(data.length / this.entrySize);
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  /** Reads one `SHT_REL`/`SHT_RELA` section. Fails when it is another type or lies outside the file. */
  static read(file: ElfFile, section: ElfSection): ElfResult<RelocationSection> {
    if (section.type !== SHT_REL && section.type !== SHT_RELA) {
      return elfFail('bad-section', `section ${section.index} is not SHT_REL/SHT_RELA`, section.headerOffset);
    }
    const data = file.sectionData(section);
    if (!data.ok) return data;
    return ok(new RelocationSection(section, data.value, file));
  }

  /** `sh_info`: index of the section the entries patch. */
  get targetSection(): number {
    return this.section.info;
  }

  /** `sh_link`: index of the symbol table the entries refer to. */
  get symbolTableSection(): number {
    return this.section.link;
  }

  /** `r_offset` (exact up to 2^53; larger values stay larger than any section). */
  offset(i: number): number {
    const b = i * this.entrySize;
    return this.is64 ? readU64Number(this.view, b, this.le) : this.view.getUint32(b, this.le);
  }

  /** `ELF_R_TYPE(r_info)`. */
  type(i: number): number {
    const b = i * this.entrySize;
    if (this.is64) return this.view.getUint32(this.le ? b + 8 : b + 12, this.le);
    return this.view.getUint32(b + 4, this.le) & 0xff;
  }

  /** `ELF_R_SYM(r_info)`: index into the symbol table. */
  symbolIndex(i: number): number {
    const b = i * this.entrySize;
    if (this.is64) return this.view.getUint32(this.le ? b + 12 : b + 8, this.le);
    return this.view.getUint32(b + 4, this.le) >>> 8;
  }

  /** `r_addend`, exact (0 for `SHT_REL`, whose addends live in the patched field). */
  addend(i: number): bigint {
    if (!this.isRela) return 0n;
    const b = i * this.entrySize;
    return this.is64 ? this.view.getBigInt64(b + 16, this.le) : BigInt(this.view.getInt32(b + 8, this.le));
  }

  /** `r_addend` as a number: exact when its magnitude is at most 2^53 (always on ELF32); 0 for `SHT_REL`. */
  addendNumber(i: number): number {
    if (!this.isRela) return 0;
    const b = i * this.entrySize;
    return this.is64 ? readI64Number(this.view, b + 16, this.le) : this.view.getInt32(b + 8, this.le);
  }

  /** Number of entries of each relocation type. */
  countsByType(): ReadonlyMap<number, number> {
    if (this.typeCounts === undefined) {
      const m = new Map<number, number>();
      for (let i = 0; i < this.count; i++) {
        const t = this.type(i);
        m.set(t, (m.get(t) ?? 0) + 1);
      }
      this.typeCounts = m;
    }
    return this.typeCounts;
  }
}

/** Reads every `SHT_REL`/`SHT_RELA` section, in table order. Fails on the first one outside the file. */
export function readRelocationSections(file: ElfFile): ElfResult<RelocationSection[]> {
  const out: RelocationSection[] = [];
  for (const s of file.sections) {
    if (s.type !== SHT_REL && s.type !== SHT_RELA) continue;
    const r = RelocationSection.read(file, s);
    if (!r.ok) return r;
    out.push(r.value);
  }
  return ok(out);
}

/** Sums {@link RelocationSection.countsByType} over several sections. */
export function relocationCountsByType(sections: readonly RelocationSection[]): Map<number, number> {
  const total = new Map<number, number>();
  for (const s of sections) {
    for (const [t, n] of s.countsByType()) total.set(t, (total.get(t) ?? 0) + n);
  }
  return total;
}

/** One relocation entry located through a {@link RelocationIndex}. */
export interface RelocationRef {
  /** The relocation section holding the entry. */
  readonly relocations: RelocationSection;
  /** The entry's index in it. */
  readonly index: number;
}

/**
 * Finds the relocation entry that patches a given (section, offset) — how the fields of `__ksymtab`, `__param`
 * and friends, which are zero in a `.ko`, are decoded. Per-section maps are built on first use.
 */
export class RelocationIndex {
  private readonly byTarget = new Map<number, RelocationSection[]>();
  private readonly maps = new Map<number, Map<number, RelocationRef>>();

  /** @param sections the file's relocation sections ({@link readRelocationSections}). */
  constructor(sections: readonly RelocationSection[]) {
    for (const s of sections) {
      const list = this.byTarget.get(s.targetSection);
      if (list === undefined) this.byTarget.set(s.targetSection, [s]);
      else list.push(s);
    }
  }

  /** The relocation sections whose `sh_info` is `targetSection`. */
  sectionsFor(targetSection: number): readonly RelocationSection[] {
    return this.byTarget.get(targetSection) ?? [];
  }

  /** The first entry whose `r_offset` is `offset` in section `targetSection`, or `undefined`. */
  at(targetSection: number, offset: number): RelocationRef | undefined {
    let m = this.maps.get(targetSection);
    if (m === undefined) {
      m = new Map();
      for (const relocations of this.sectionsFor(targetSection)) {
        for (let index = 0; index < relocations.count; index++) {
          const off = relocations.offset(index);
          if (!m.has(off)) m.set(off, { relocations, index });
        }
      }
      this.maps.set(targetSection, m);
    }
    return m.get(offset);
  }
}

/** Where a relocated pointer field points: the symbol, the addend and, for defined symbols, the pointee. */
export interface PointerTarget {
  /** The relocation type. */
  readonly type: number;
  /** `ELF_R_SYM(r_info)`. */
  readonly symbolIndex: number;
  /** The symbol's name (`''` for section symbols; `undefined` when unreadable or out of range). */
  readonly symbolName: string | undefined;
  /** The symbol's `st_shndx` (`undefined` when the symbol index is out of range). */
  readonly symbolShndx: number | undefined;
  /** `r_addend`, or for `SHT_REL` the addend stored in the field. */
  readonly addend: number;
  /** Section holding the pointee, when the symbol is defined in a section. */
  readonly section: number | undefined;
  /** Offset of the pointee in {@link PointerTarget.section}: `st_value + addend`. */
  readonly sectionOffset: number | undefined;
}

/**
 * Decodes the pointer-sized (or PREL32) field at `offset` in section `sectionIndex` through the relocation
 * patching it: `S + A` for absolute and PC-relative types alike (a PREL32 field `.long sym - .` points at
 * `sym + A`). Returns `undefined` when no relocation patches the field.
 */
export function resolvePointer(
  file: ElfFile,
  symbols: SymbolTable,
  index: RelocationIndex,
  sectionIndex: number,
  offset: number,
  width: 4 | 8,
): PointerTarget | undefined {
  const ref = index.at(sectionIndex, offset);
  if (ref === undefined) return undefined;
  const { relocations: r, index: i } = ref;
  let addend = r.addendNumber(i);
  if (!r.isRela) {
    const target = file.section(sectionIndex);
    const data = target === undefined ? undefined : file.sectionData(target);
    if (data?.ok && offset >= 0 && offset + width <= data.value.length) {
      const v = new DataView(data.value.buffer, data.value.byteOffset, data.value.byteLength);
      addend =
        width === 8 ? readI64Number(v, offset, file.littleEndian) : v.getInt32(offset, file.littleEndian);
    }
  }
  const symbolIndex = r.symbolIndex(i);
  if (symbolIndex >= symbols.count) {
    return {
      type: r.type(i),
      symbolIndex,
      symbolName: undefined,
      symbolShndx: undefined,
      addend,
      section: undefined,
      sectionOffset: undefined,
    };
  }
  const shndx = symbols.shndx(symbolIndex);
  const defined = shndx !== SHN_UNDEF && shndx < file.sections.length;
  return {
    type: r.type(i),
    symbolIndex,
    symbolName: symbols.name(symbolIndex),
    symbolShndx: shndx,
    addend,
    section: defined ? shndx : undefined,
    sectionOffset: defined ? symbols.valueNumber(symbolIndex) + addend : undefined,
  };
}

/**
 * The NUL-terminated string at `offset` in section `sectionIndex` (bounded by the section and by
 * `MAX_STRING_LENGTH`), or `undefined` when the section or offset is unusable.
 */
export function readSectionString(
  file: ElfFile,
  sectionIndex: number,
  offset: number | undefined,
): string | undefined {
  if (offset === undefined) return undefined;
  const section = file.section(sectionIndex);
  if (section === undefined) return undefined;
  const data = file.sectionData(section);
  if (!data.ok || !Number.isSafeInteger(offset) || offset < 0 || offset >= data.value.length)
    return undefined;
  const start = data.value.byteOffset - file.bytes.byteOffset + offset;
  return decodeCString(file.bytes, file.buffer, start, start + data.value.length - offset).text;
}
