/**
 * The writer every builder shares: an ELF32/ELF64, LSB/MSB relocatable object assembled from sections, symbols
 * and relocations, laid out the way binutils lays out `ET_REL` files.
 *
 * - Symbols are ordered as assemblers and `ld -r` order them: the null entry, `STT_FILE` symbols, section
 *   symbols (in section order), other locals (in insertion order), then globals and weaks; `.symtab`'s
 *   `sh_info` is the index of the first non-local.
 * - A `SHT_RELA`/`SHT_REL` section named `.rela<target>`/`.rel<target>` is created right after each section that
 *   has relocations (entries sorted by offset, stable), as `ld -r` and gas emit them.
 * - File layout: ELF header, section contents in table order (relocation and symbol/string tables excepted),
 *   `.symtab`, `.strtab`, the relocation sections, `.shstrtab`, then the section header table — the order
 *   `ld -r` writes a kbuild `.ko` in.
 * - Table order of the three tables: `ld` (`.symtab`, `.strtab`, `.shstrtab` — binutils ≥ 2.26 and `ld -r`) or
 *   `bfd-legacy` (`.shstrtab`, `.symtab`, `.strtab` — how older BFD numbered them in `assign_section_numbers`).
 * @module
 */
import {
  EI_NIDENT,
  ELFCLASS32,
  ELFCLASS64,
  ELFDATA2LSB,
  ELFDATA2MSB,
  ELFMAG0,
  ELFMAG1,
  ELFMAG2,
  ELFMAG3,
  ET_REL,
  EV_CURRENT,
  SHF_INFO_LINK,
  SHN_UNDEF,
  SHT_NOBITS,
  SHT_REL,
  SHT_RELA,
  SHT_STRTAB,
  SHT_SYMTAB,
  SIZEOF_ELF32_EHDR,
  SIZEOF_ELF32_REL,
  SIZEOF_ELF32_RELA,
  SIZEOF_ELF32_SHDR,
  SIZEOF_ELF32_SYM,
  SIZEOF_ELF64_EHDR,
  SIZEOF_ELF64_REL,
  SIZEOF_ELF64_RELA,
  SIZEOF_ELF64_SHDR,
  SIZEOF_ELF64_SYM,
  STB_LOCAL,
  STT_FILE,
  STT_NOTYPE,
  STT_SECTION,
} from '../../abi/elf.js';
import { ByteBuffer, utf8 } from './byte-buffer.js';

/** How the writer numbers the symbol and string tables (see the module notes). */
export type TableOrder = 'ld' | 'bfd-legacy';

/** Object-wide options. */
export interface ElfWriterOptions {
  /** ELF class. */
  readonly elfClass: 32 | 64;
  /** Byte order. */
  readonly littleEndian: boolean;
  /** `e_machine`. */
  readonly machine: number;
  /** `e_ident[EI_OSABI]` (default 0, System V). */
  readonly osabi?: number;
  /** `e_flags` (default 0). */
  readonly flags?: number;
  /** Relocation sections are `SHT_RELA` (true) or `SHT_REL` with addends in place (false). */
  readonly rela: boolean;
  /** `sh_flags` of relocation sections (default `SHF_INFO_LINK`, as binutils ≥ 2.26 sets it). */
  readonly relocationSectionFlags?: number;
  /** Table order of `.symtab`/`.strtab`/`.shstrtab` (default `ld`). */
  readonly tableOrder?: TableOrder;
}

/** A section to write. */
export interface SectionSpec {
  /** Name. */
  readonly name: string;
  /** `sh_type`. */
  readonly type: number;
  /** `sh_flags`. */
  readonly flags: number;
  /** Contents (ignored for `SHT_NOBITS`; may be replaced before {@link ElfWriter.build}). */
  readonly data?: Uint8Array;
  /** `sh_size` of an `SHT_NOBITS` section. */
  readonly size?: number;
  /** `sh_addralign`. */
  readonly addralign: number;
  /** `sh_entsize` (default 0). */
  readonly entsize?: number;
  /** `sh_link` (default 0). */
  readonly link?: WriterSection;
  /** `sh_info` (default 0). */
  readonly info?: number;
}

/** A section added to a writer; its index is known once the writer has built. */
export class WriterSection {
  /** Contents (`SHT_NOBITS`: empty). */
  data: Uint8Array;
  /** `sh_size` of an `SHT_NOBITS` section (may be changed before {@link ElfWriter.build}). */
  nobitsSize: number;
  /** `sh_addralign` (may be raised before {@link ElfWriter.build}, when the contents need more). */
  addralign: number;
  /** Index in the written section table (set by {@link ElfWriter.build}). */
  index = -1;
  /** @param spec what to write. @param order insertion order. */
  constructor(
    readonly spec: SectionSpec,
    readonly order: number,
  ) {
    this.data = spec.data ?? new Uint8Array(0);
    this.nobitsSize = spec.size ?? 0;
    this.addralign = spec.addralign;
  }

  /** The section's name. */
  get name(): string {
    return this.spec.name;
  }

  /** `sh_size`. */
  get size(): number {
    return this.spec.type === SHT_NOBITS ? this.nobitsSize : this.data.length;
  }
}

/** A symbol to write. */
export interface SymbolSpec {
  /** Name (`''` for none). */
  readonly name: string;
  /** `STB_*`. */
  readonly bind: number;
  /** `STT_*`. */
  readonly type: number;
  /** The defining section, or a special index (`SHN_UNDEF`, `SHN_ABS`, `SHN_COMMON`). */
  readonly section: WriterSection | number;
  /** `st_value`. */
  readonly value?: bigint | number;
  /** `st_size`. */
  readonly size?: bigint | number;
  /** `st_other` (default 0). */
  readonly other?: number;
}

/** A symbol added to a writer; its index is known once the writer has built. */
export class WriterSymbol {
  /** Index in the written symbol table (set by {@link ElfWriter.build}). */
  index = -1;
  /** @param spec what to write. @param order insertion order. */
  constructor(
    readonly spec: SymbolSpec,
    readonly order: number,
  ) {}
}

/** One relocation entry. */
export interface RelocationSpec {
  /** `r_offset` in the target section. */
  readonly offset: number;
  /** The symbol. */
  readonly symbol: WriterSymbol;
  /** Relocation type. */
  readonly type: number;
  /** `r_addend` (RELA); a REL object keeps it in the relocated field, which the caller writes. */
  readonly addend?: bigint | number;
}

/** The written image and where each section landed. */
export interface WrittenElf {
  /** The object file. */
  readonly bytes: Uint8Array;
  /** File offset of a section's contents. */
  offsetOf(section: WriterSection): number;
}

/** A string table under construction (exact-string deduplication; offset 0 is the empty string). */
export class StringTableBuilder {
  private readonly out = new ByteBuffer(true, 64).u8(0);
  private readonly at = new Map<string, number>([['', 0]]);

  /** Offset of `text`, adding it on first use. */
  add(text: string): number {
    const have = this.at.get(text);
    if (have !== undefined) return have;
    const off = this.out.length;
    this.out.bytes(utf8(text)).u8(0);
    this.at.set(text, off);
    return off;
  }

  /** The table's bytes. */
  bytes(): Uint8Array {
    return this.out.toBytes();
  }
}

function symbolRank(s: WriterSymbol): number {
  if (s.spec.bind !== STB_LOCAL) return 3;
  if (s.spec.type === STT_FILE) return 0;
  if (s.spec.type === STT_SECTION) return 1;
  return 2;
}

/** Builds one ELF relocatable object. */
export class ElfWriter {
  private readonly sections: WriterSection[] = [];
  private readonly symbols: WriterSymbol[] = [];
  private readonly relocations = new Map<WriterSection, RelocationSpec[]>();
  private readonly sectionSymbols = new Map<WriterSection, WriterSymbol>();
  private readonly undefinedSymbols = new Map<string, WriterSymbol>();
  private readonly is64: boolean;

  /** @param options object-wide options. */
  constructor(readonly options: ElfWriterOptions) {
    this.is64 = options.elfClass === 64;
  }

  /** Width of an address-sized field. */
  get pointerSize(): 4 | 8 {
    return this.is64 ? 8 : 4;
  }

  /** Adds a section (written in insertion order). */
  addSection(spec: SectionSpec): WriterSection {
    const s = new WriterSection(spec, this.sections.length);
    this.sections.push(s);
    return s;
  }

  /** Adds a symbol. */
  addSymbol(spec: SymbolSpec): WriterSymbol {
    const s = new WriterSymbol(spec, this.symbols.length);
    this.symbols.push(s);
    return s;
  }

  /** The `STT_SECTION` symbol of a section (created on first use). */
  sectionSymbol(section: WriterSection): WriterSymbol {
    let s = this.sectionSymbols.get(section);
    if (s === undefined) {
      s = this.addSymbol({ name: '', bind: STB_LOCAL, type: STT_SECTION, section });
      this.sectionSymbols.set(section, s);
    }
    return s;
  }

  /** The undefined symbol `name` with binding `bind` (created on first use, `STT_NOTYPE`). */
  undefinedSymbol(name: string, bind: number): WriterSymbol {
    let s = this.undefinedSymbols.get(name);
    if (s === undefined) {
      s = this.addSymbol({ name, bind, type: STT_NOTYPE, section: SHN_UNDEF });
      this.undefinedSymbols.set(name, s);
    }
    return s;
  }

  /** Adds a relocation against `target`. */
  addRelocation(target: WriterSection, relocation: RelocationSpec): void {
    let list = this.relocations.get(target);
    if (list === undefined) {
      list = [];
      this.relocations.set(target, list);
    }
    list.push(relocation);
  }

  /** Writes the object. */
  build(): WrittenElf {
    const { is64, options } = this;
    const le = options.littleEndian;
    const ptrAlign = is64 ? 8 : 4;

    // Symbol table order and indices.
    // Section symbols follow their sections' order; everything else keeps insertion order within its rank.
    const key = (s: WriterSymbol) =>
      s.spec.type === STT_SECTION && typeof s.spec.section !== 'number' ? s.spec.section.order : s.order;
    const ordered = this.symbols
      .map((s) => ({ s, rank: symbolRank(s) }))
      .sort((a, b) => a.rank - b.rank || key(a.s) - key(b.s))
      .map((x) => x.s);
    ordered.forEach((s, i) => {
      s.index = i + 1;
    });
    const firstGlobal = 1 + ordered.filter((s) => s.spec.bind === STB_LOCAL).length;

    // Section table: user sections, each followed by its relocation section, then the tables.
    interface Entry {
      readonly name: string;
      readonly type: number;
      readonly flags: number;
      readonly addralign: number;
      readonly entsize: number;
      link: number;
      info: number;
      data: Uint8Array;
      readonly size: () => number;
      offset: number;
      readonly kind: 'content' | 'relocation' | 'symtab' | 'strtab' | 'shstrtab';
      readonly owner?: WriterSection;
    }
    const table: Entry[] = [];
    const relocationEntries: { entry: Entry; target: WriterSection; list: RelocationSpec[] }[] = [];
    const relType = options.rela ? SHT_RELA : SHT_REL;
    const relSize = is64
      ? options.rela
        ? SIZEOF_ELF64_RELA
        : SIZEOF_ELF64_REL
      : options.rela
        ? SIZEOF_ELF32_RELA
        : SIZEOF_ELF32_REL;
    for (const s of this.sections) {
      const entry: Entry = {
        name: s.spec.name,
        type: s.spec.type,
        flags: s.spec.flags,
        addralign: s.addralign,
        entsize: s.spec.entsize ?? 0,
        link: 0,
        info: s.spec.info ?? 0,
        data: s.spec.type === SHT_NOBITS ? new Uint8Array(0) : s.data,
        size: () => s.size,
        offset: 0,
        kind: 'content',
        owner: s,
      };
      s.index = table.length + 1;
      table.push(entry);
      const list = this.relocations.get(s);
      if (list !== undefined && list.length > 0) {
        const rel: Entry = {
          name: `${options.rela ? '.rela' : '.rel'}${s.spec.name}`,
          type: relType,
          flags: options.relocationSectionFlags ?? SHF_INFO_LINK,
          addralign: ptrAlign,
          entsize: relSize,
          link: 0,
          info: s.index,
          data: new Uint8Array(0),
          size: () => rel.data.length,
          offset: 0,
          kind: 'relocation',
        };
        table.push(rel);
        relocationEntries.push({ entry: rel, target: s, list });
      }
    }
    const makeTable = (
      name: string,
      kind: Entry['kind'],
      type: number,
      align: number,
      ent: number,
    ): Entry => {
      const e: Entry = {
        name,
        type,
        flags: 0,
        addralign: align,
        entsize: ent,
        link: 0,
        info: 0,
        data: new Uint8Array(0),
        size: () => e.data.length,
        offset: 0,
        kind,
      };
      return e;
    };
    const symtab = makeTable(
      '.symtab',
      'symtab',
      SHT_SYMTAB,
      ptrAlign,
      is64 ? SIZEOF_ELF64_SYM : SIZEOF_ELF32_SYM,
    );
    const strtab = makeTable('.strtab', 'strtab', SHT_STRTAB, 1, 0);
    const shstrtab = makeTable('.shstrtab', 'shstrtab', SHT_STRTAB, 1, 0);
    if (options.tableOrder === 'bfd-legacy') table.push(shstrtab, symtab, strtab);
    else table.push(symtab, strtab, shstrtab);
    const indexOf = (e: Entry) => table.indexOf(e) + 1;
    const symtabIndex = indexOf(symtab);
    symtab.link = indexOf(strtab);
    symtab.info = firstGlobal;
    for (const r of relocationEntries) r.entry.link = symtabIndex;
    for (const e of table) if (e.owner?.spec.link !== undefined) e.link = e.owner.spec.link.index;

    // .strtab and .symtab.
    const names = new StringTableBuilder();
    const sym = new ByteBuffer(le, (ordered.length + 1) * 24);
    sym.fill(is64 ? SIZEOF_ELF64_SYM : SIZEOF_ELF32_SYM);
    for (const s of ordered) {
      const spec = s.spec;
      const nameOff = names.add(spec.name);
      const info = ((spec.bind & 0xf) << 4) | (spec.type & 0xf);
      const shndx = typeof spec.section === 'number' ? spec.section : spec.section.index;
      const value = spec.value ?? 0;
      const size = spec.size ?? 0;
      if (is64) {
        sym
          .u32(nameOff)
          .u8(info)
          .u8(spec.other ?? 0)
          .u16(shndx)
          .u64(value)
          .u64(size);
      } else {
        sym.u32(nameOff).u32(Number(BigInt.asUintN(32, BigInt(value))));
        sym
          .u32(Number(BigInt.asUintN(32, BigInt(size))))
          .u8(info)
          .u8(spec.other ?? 0)
          .u16(shndx);
      }
    }
    symtab.data = sym.toBytes();
    strtab.data = names.bytes();

    // Relocation sections.
    for (const { entry, list } of relocationEntries) {
      const sorted = list.map((r, i) => ({ r, i })).sort((a, b) => a.r.offset - b.r.offset || a.i - b.i);
      const out = new ByteBuffer(le, sorted.length * relSize);
      for (const { r } of sorted) {
        const symIndex = r.symbol.index;
        if (is64) {
          out.u64(r.offset).u64((BigInt(symIndex) << 32n) | BigInt(r.type >>> 0));
          if (options.rela) out.u64(r.addend ?? 0);
        } else {
          out.u32(r.offset).u32(((symIndex << 8) | (r.type & 0xff)) >>> 0);
          if (options.rela) out.u32(Number(BigInt.asUintN(32, BigInt(r.addend ?? 0))));
        }
      }
      entry.data = out.toBytes();
    }

    // .shstrtab.
    const shnames = new StringTableBuilder();
    const nameOffsets = table.map((e) => shnames.add(e.name));
    shstrtab.data = shnames.bytes();

    // File layout.
    const ehsize = is64 ? SIZEOF_ELF64_EHDR : SIZEOF_ELF32_EHDR;
    const out = new ByteBuffer(le, 4096);
    out.fill(ehsize);
    const place = (e: Entry) => {
      out.align(Math.max(1, e.addralign));
      e.offset = out.length;
      if (e.type !== SHT_NOBITS) out.bytes(e.data);
    };
    for (const e of table) if (e.kind === 'content') place(e);
    place(symtab);
    place(strtab);
    for (const e of table) if (e.kind === 'relocation') place(e);
    place(shstrtab);
    out.align(ptrAlign);
    const shoff = out.length;
    const shentsize = is64 ? SIZEOF_ELF64_SHDR : SIZEOF_ELF32_SHDR;
    out.fill(shentsize); // SHT_NULL entry
    table.forEach((e, i) => {
      const size = e.size();
      if (is64) {
        out
          .u32(nameOffsets[i])
          .u32(e.type)
          .u64(e.flags >>> 0)
          .u64(0)
          .u64(e.offset)
          .u64(size);
        out.u32(e.link).u32(e.info).u64(e.addralign).u64(e.entsize);
      } else {
        out.u32(nameOffsets[i]).u32(e.type).u32(e.flags).u32(0).u32(e.offset).u32(size);
        out.u32(e.link).u32(e.info).u32(e.addralign).u32(e.entsize);
      }
    });
    const bytes = out.toBytes();

    // ELF header.
    const h = new ByteBuffer(le, ehsize);
    h.bytes([ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, is64 ? ELFCLASS64 : ELFCLASS32]);
    h.u8(le ? ELFDATA2LSB : ELFDATA2MSB)
      .u8(EV_CURRENT)
      .u8(options.osabi ?? 0);
    h.fill(EI_NIDENT - h.length);
    h.u16(ET_REL).u16(options.machine).u32(EV_CURRENT);
    if (is64) h.u64(0).u64(0).u64(shoff);
    else h.u32(0).u32(0).u32(shoff);
    h.u32(options.flags ?? 0)
      .u16(ehsize)
      .u16(0)
      .u16(0)
      .u16(shentsize);
    h.u16(table.length + 1).u16(indexOf(shstrtab));
    bytes.set(h.toBytes(), 0);

    const offsets = new Map<WriterSection, number>();
    for (const e of table) if (e.owner !== undefined) offsets.set(e.owner, e.offset);
    return {
      bytes,
      offsetOf(section: WriterSection): number {
        const o = offsets.get(section);
        if (o === undefined) throw new RangeError(`section ${section.name} is not part of this object`);
        return o;
      },
    };
  }
}
