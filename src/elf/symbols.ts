/**
 * Symbol tables (`SHT_SYMTAB`, `Elf32_Sym` / `Elf64_Sym`): an index-based view over the raw entries with names
 * decoded on demand and cached.
 * @see kernel/module/main.c simplify_symbols (how a loader walks these entries)
 * @module
 */
import {
  SHN_ABS,
  SHN_COMMON,
  SHN_UNDEF,
  SHT_SYMTAB,
  SIZEOF_ELF32_SYM,
  SIZEOF_ELF64_SYM,
  STT_SECTION,
} from '../abi/elf.js';
import { ok } from '../core/result.js';
import { type ElfResult, elfFail } from './elf-error.js';
import { type ElfFile, type ElfSection, readU64Number, type StringTable } from './elf-file.js';

/** `ELF_ST_BIND(st_info)`. */
export function elfStBind(info: number): number {
  return info >>> 4;
}

/** `ELF_ST_TYPE(st_info)`. */
export function elfStType(info: number): number {
  return info & 0xf;
}

/** `ELF_ST_VISIBILITY(st_other)`. */
export function elfStVisibility(other: number): number {
  return other & 0x3;
}

/** One symbol as a plain object (convenience; hot paths use the {@link SymbolTable} accessors). */
export interface ElfSymbol {
  /** Index in the symbol table. */
  readonly index: number;
  /** Name (`''` for unnamed symbols; `undefined` when `st_name` is outside the string table). */
  readonly name: string | undefined;
  /** `st_name`. */
  readonly nameOffset: number;
  /** `st_value`. */
  readonly value: bigint;
  /** `st_size` (approximate only above 2^53). */
  readonly size: number;
  /** `ELF_ST_BIND(st_info)`. */
  readonly bind: number;
  /** `ELF_ST_TYPE(st_info)`. */
  readonly type: number;
  /** `st_other`. */
  readonly other: number;
  /** `st_shndx` (raw: `SHN_XINDEX` is not followed, as in the kernel). */
  readonly shndx: number;
}

/**
 * A view over one symbol table. Indices passed to the accessors must be in `[0, count)`.
 */
export class SymbolTable {
  /** Number of entries (`sh_size / sizeof(Elf_Sym)`, rounded down as the kernel does). */
  readonly count: number;
  /** Size of one entry. */
  readonly entrySize: number;
  private readonly view: DataView;
  private readonly le: boolean;
  private readonly is64: boolean;
  /** Index of each name (built on the first {@link SymbolTable.indexOf} call). */
  private byName: Map<string, number> | undefined;
  private undefinedTotal = -1;

  private constructor(
    /** The `SHT_SYMTAB` section. */
    readonly section: ElfSection,
    /** The linked string table (`sh_link`). */
    readonly strings: StringTable,
    data: Uint8Array,
    file: ElfFile,
  ) {
    this.is64 = file.is64;
    this.le = file.littleEndian;
    this.entrySize = this.is64 ? SIZEOF_ELF64_SYM : SIZEOF_ELF32_SYM;
    this.count = Math.floor(data.length / this.entrySize);
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  /**
   * Reads the symbol table in section `sectionIndex`, or the first `SHT_SYMTAB` section (the 6.1 loader's
   * choice in `setup_load_info`). Fails when there is none, its range lies outside the file, or its `sh_link`
   * does not name a readable string table.
   */
  static read(file: ElfFile, sectionIndex?: number): ElfResult<SymbolTable> {
    const section =
      sectionIndex === undefined
        ? file.sections.find((s) => s.type === SHT_SYMTAB)
        : file.section(sectionIndex);
    if (section === undefined) {
      return elfFail(
        'missing-section',
        sectionIndex === undefined ? 'no symbol table' : `no section ${sectionIndex}`,
      );
    }
    const data = file.sectionData(section);
    if (!data.ok) return data;
    if (section.link === 0 || section.link >= file.sections.length) {
      return elfFail(
        'bad-section',
        `symbol table sh_link ${section.link} is not a valid section index (${file.sections.length} sections)`,
        section.headerOffset,
      );
    }
    const strings = file.stringTable(section.link);
    if (!strings.ok) return strings;
    return ok(new SymbolTable(section, strings.value, data.value, file));
  }

  private base(i: number): number {
    return i * this.entrySize;
  }

  /** `st_name`. */
  nameOffset(i: number): number {
    return this.view.getUint32(this.base(i), this.le);
  }

  /**
   * The symbol's name; `undefined` when `st_name` is outside the string table. Not cached: a loader asks for each
   * name once, and a per-table cache cost more (an array per module, a slow dictionary-mode one above ~16 K
   * symbols) than the string table's own slice.
   */
  name(i: number): string | undefined {
    return this.strings.get(this.nameOffset(i));
  }

  /** `st_info`. */
  info(i: number): number {
    return this.view.getUint8(this.base(i) + (this.is64 ? 4 : 12));
  }

  /** `ELF_ST_BIND(st_info)`. */
  bind(i: number): number {
    return this.info(i) >>> 4;
  }

  /** `ELF_ST_TYPE(st_info)`. */
  type(i: number): number {
    return this.info(i) & 0xf;
  }

  /** `st_other`. */
  other(i: number): number {
    return this.view.getUint8(this.base(i) + (this.is64 ? 5 : 13));
  }

  /** `st_shndx` (raw). */
  shndx(i: number): number {
    return this.view.getUint16(this.base(i) + (this.is64 ? 6 : 14), this.le);
  }

  /** `st_value`, exact. */
  value(i: number): bigint {
    const b = this.base(i);
    return this.is64 ? this.view.getBigUint64(b + 8, this.le) : BigInt(this.view.getUint32(b + 4, this.le));
  }

  /** `st_value` as a number: exact up to 2^53 (always for ELF32), approximate beyond. */
  valueNumber(i: number): number {
    const b = this.base(i);
    return this.is64 ? readU64Number(this.view, b + 8, this.le) : this.view.getUint32(b + 4, this.le);
  }

  /** `st_size` (approximate only above 2^53). */
  size(i: number): number {
    const b = this.base(i);
    return this.is64 ? readU64Number(this.view, b + 16, this.le) : this.view.getUint32(b + 8, this.le);
  }

  /** Whether `st_shndx` is `SHN_UNDEF`. */
  isUndefined(i: number): boolean {
    return this.shndx(i) === SHN_UNDEF;
  }

  /** Whether `st_shndx` is `SHN_ABS`. */
  isAbsolute(i: number): boolean {
    return this.shndx(i) === SHN_ABS;
  }

  /** Whether `st_shndx` is `SHN_COMMON`. */
  isCommon(i: number): boolean {
    return this.shndx(i) === SHN_COMMON;
  }

  /** Whether the symbol is an `STT_SECTION` symbol. */
  isSection(i: number): boolean {
    return this.type(i) === STT_SECTION;
  }

  /** Number of `SHN_UNDEF` symbols after the null entry 0 (the imports a loader must resolve). */
  undefinedCount(): number {
    if (this.undefinedTotal < 0) {
      let n = 0;
      for (let i = 1; i < this.count; i++) if (this.shndx(i) === SHN_UNDEF) n++;
      this.undefinedTotal = n;
    }
    return this.undefinedTotal;
  }

  /** The index of the first symbol called `name` (index ≥ 1), or `undefined`. */
  indexOf(name: string): number | undefined {
    if (this.byName === undefined) {
      const m = new Map<string, number>();
      for (let i = 1; i < this.count; i++) {
        const n = this.name(i);
        if (n !== undefined && n !== '' && !m.has(n)) m.set(n, i);
      }
      this.byName = m;
    }
    return this.byName.get(name);
  }

  /** Symbol `i` as an object. */
  get(i: number): ElfSymbol {
    const info = this.info(i);
    return {
      index: i,
      name: this.name(i),
      nameOffset: this.nameOffset(i),
      value: this.value(i),
      size: this.size(i),
      bind: info >>> 4,
      type: info & 0xf,
      other: this.other(i),
      shndx: this.shndx(i),
    };
  }
}
