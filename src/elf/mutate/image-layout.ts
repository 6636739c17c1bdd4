/**
 * Where the structures of an ELF image lie — header fields, section headers, symbol and relocation entries —
 * so mutators can aim at a field instead of a random byte. Field offsets follow `Elf32_*`/`Elf64_*`.
 * @module
 */
import { SHT_REL, SHT_RELA, SHT_SYMTAB } from '../../abi/elf.js';
import { ElfFile } from '../elf-file.js';

/** Header fields a mutation can set. */
export const HEADER_FIELDS = [
  'ei_class',
  'ei_data',
  'ei_version',
  'ei_osabi',
  'e_type',
  'e_machine',
  'e_version',
  'e_entry',
  'e_phoff',
  'e_shoff',
  'e_flags',
  'e_ehsize',
  'e_phentsize',
  'e_phnum',
  'e_shentsize',
  'e_shnum',
  'e_shstrndx',
] as const;
/** A header field. */
export type HeaderField = (typeof HEADER_FIELDS)[number];

/** Section header fields. */
export const SECTION_FIELDS = [
  'sh_name',
  'sh_type',
  'sh_flags',
  'sh_addr',
  'sh_offset',
  'sh_size',
  'sh_link',
  'sh_info',
  'sh_addralign',
  'sh_entsize',
] as const;
/** A section header field. */
export type SectionField = (typeof SECTION_FIELDS)[number];

/** Symbol fields. */
export const SYMBOL_FIELDS = ['st_name', 'st_value', 'st_size', 'st_info', 'st_other', 'st_shndx'] as const;
/** A symbol field. */
export type SymbolField = (typeof SYMBOL_FIELDS)[number];

/** Relocation fields (`r_sym`/`r_type` are the two parts of `r_info`). */
export const RELOCATION_FIELDS = ['r_offset', 'r_sym', 'r_type', 'r_addend'] as const;
/** A relocation field. */
export type RelocationField = (typeof RELOCATION_FIELDS)[number];

/** A byte range holding one field. */
export interface FieldLocation {
  /** File offset. */
  readonly offset: number;
  /** Bytes. */
  readonly width: 1 | 2 | 4 | 8;
}

/** A table of fixed-size entries in the file. */
export interface EntryTable {
  /** Section index. */
  readonly section: number;
  /** File offset of entry 0. */
  readonly offset: number;
  /** Entries that lie wholly inside the file. */
  readonly count: number;
  /** Bytes per entry. */
  readonly entsize: number;
}

/** A relocation section's entries. */
export interface RelocationTable extends EntryTable {
  /** `SHT_RELA` (entries carry an addend) rather than `SHT_REL`. */
  readonly rela: boolean;
}

/** The structures of an image. */
export interface ImageLayout {
  /** Input length. */
  readonly length: number;
  /** ELF64. */
  readonly is64: boolean;
  /** Little-endian. */
  readonly littleEndian: boolean;
  /** File offset of the section header table. */
  readonly shoff: number;
  /** Section headers that lie wholly inside the file. */
  readonly shnum: number;
  /** Bytes per section header. */
  readonly shentsize: number;
  /** The symbol table, if any. */
  readonly symtab: EntryTable | undefined;
  /** The REL/RELA sections. */
  readonly relocations: readonly RelocationTable[];
}

const H64: Record<HeaderField, FieldLocation> = {
  ei_class: { offset: 4, width: 1 },
  ei_data: { offset: 5, width: 1 },
  ei_version: { offset: 6, width: 1 },
  ei_osabi: { offset: 7, width: 1 },
  e_type: { offset: 16, width: 2 },
  e_machine: { offset: 18, width: 2 },
  e_version: { offset: 20, width: 4 },
  e_entry: { offset: 24, width: 8 },
  e_phoff: { offset: 32, width: 8 },
  e_shoff: { offset: 40, width: 8 },
  e_flags: { offset: 48, width: 4 },
  e_ehsize: { offset: 52, width: 2 },
  e_phentsize: { offset: 54, width: 2 },
  e_phnum: { offset: 56, width: 2 },
  e_shentsize: { offset: 58, width: 2 },
  e_shnum: { offset: 60, width: 2 },
  e_shstrndx: { offset: 62, width: 2 },
};
const H32: Record<HeaderField, FieldLocation> = {
  ...H64,
  e_entry: { offset: 24, width: 4 },
  e_phoff: { offset: 28, width: 4 },
  e_shoff: { offset: 32, width: 4 },
  e_flags: { offset: 36, width: 4 },
  e_ehsize: { offset: 40, width: 2 },
  e_phentsize: { offset: 42, width: 2 },
  e_phnum: { offset: 44, width: 2 },
  e_shentsize: { offset: 46, width: 2 },
  e_shnum: { offset: 48, width: 2 },
  e_shstrndx: { offset: 50, width: 2 },
};
type Rel = [number, 1 | 2 | 4 | 8];
const SH64: Record<SectionField, Rel> = {
  sh_name: [0, 4],
  sh_type: [4, 4],
  sh_flags: [8, 8],
  sh_addr: [16, 8],
  sh_offset: [24, 8],
  sh_size: [32, 8],
  sh_link: [40, 4],
  sh_info: [44, 4],
  sh_addralign: [48, 8],
  sh_entsize: [56, 8],
};
const SH32: Record<SectionField, Rel> = {
  sh_name: [0, 4],
  sh_type: [4, 4],
  sh_flags: [8, 4],
  sh_addr: [12, 4],
  sh_offset: [16, 4],
  sh_size: [20, 4],
  sh_link: [24, 4],
  sh_info: [28, 4],
  sh_addralign: [32, 4],
  sh_entsize: [36, 4],
};
const ST64: Record<SymbolField, Rel> = {
  st_name: [0, 4],
  st_info: [4, 1],
  st_other: [5, 1],
  st_shndx: [6, 2],
  st_value: [8, 8],
  st_size: [16, 8],
};
const ST32: Record<SymbolField, Rel> = {
  st_name: [0, 4],
  st_value: [4, 4],
  st_size: [8, 4],
  st_info: [12, 1],
  st_other: [13, 1],
  st_shndx: [14, 2],
};

/** Location of a header field (`undefined` when the file is too short to hold it). */
export function headerFieldLocation(layout: ImageLayout, field: HeaderField): FieldLocation | undefined {
  const loc = (layout.is64 ? H64 : H32)[field];
  return loc.offset + loc.width <= layout.length ? loc : undefined;
}

/** Location of a field of section header `index`. */
export function sectionFieldLocation(
  layout: ImageLayout,
  index: number,
  field: SectionField,
): FieldLocation | undefined {
  if (!Number.isSafeInteger(index) || index < 0 || index >= layout.shnum) return undefined;
  const [rel, width] = (layout.is64 ? SH64 : SH32)[field];
  return { offset: layout.shoff + index * layout.shentsize + rel, width };
}

/** Location of a field of symbol `index`. */
export function symbolFieldLocation(
  layout: ImageLayout,
  index: number,
  field: SymbolField,
): FieldLocation | undefined {
  const t = layout.symtab;
  if (t === undefined || !Number.isSafeInteger(index) || index < 0 || index >= t.count) return undefined;
  const [rel, width] = (layout.is64 ? ST64 : ST32)[field];
  return { offset: t.offset + index * t.entsize + rel, width };
}

/**
 * Location of a relocation field: `r_info` is split (ELF64: two 32-bit halves; ELF32: the type byte, and for
 * the 24-bit symbol index the whole word, which the mutator rewrites keeping the type). `r_addend` exists only
 * in RELA entries.
 */
export function relocationFieldLocation(
  layout: ImageLayout,
  table: number,
  index: number,
  field: RelocationField,
): FieldLocation | undefined {
  const t = layout.relocations[table];
  if (t === undefined || !Number.isSafeInteger(index) || index < 0 || index >= t.count) return undefined;
  const base = t.offset + index * t.entsize;
  const le = layout.littleEndian;
  if (layout.is64) {
    if (field === 'r_offset') return { offset: base, width: 8 };
    if (field === 'r_type') return { offset: base + (le ? 8 : 12), width: 4 };
    if (field === 'r_sym') return { offset: base + (le ? 12 : 8), width: 4 };
    return t.rela ? { offset: base + 16, width: 8 } : undefined;
  }
  if (field === 'r_offset') return { offset: base, width: 4 };
  if (field === 'r_type') return { offset: base + (le ? 4 : 7), width: 1 };
  if (field === 'r_sym') return { offset: base + 4, width: 4 };
  return t.rela ? { offset: base + 8, width: 4 } : undefined;
}

/** The layout of an image, or `undefined` when its header or section table cannot be read. */
export function describeImage(bytes: Uint8Array): ImageLayout | undefined {
  const f = ElfFile.parse(bytes);
  if (!f.ok) return undefined;
  const { header } = f.value;
  const inFile = (off: number, size: number) =>
    Number.isSafeInteger(off) && Number.isSafeInteger(size) && off >= 0 && off + size <= bytes.length;
  const table = (index: number, entsize: number) => {
    const s = f.value.sections[index];
    const count =
      entsize > 0 && inFile(s.offset, 0)
        ? Math.floor(Math.min(s.size, bytes.length - s.offset) / entsize)
        : 0;
    return { section: index, offset: s.offset, count, entsize };
  };
  const symIndex = f.value.sections.findIndex((s) => s.type === SHT_SYMTAB);
  const symEnt = header.is64 ? 24 : 16;
  return {
    length: bytes.length,
    is64: header.is64,
    littleEndian: header.littleEndian,
    shoff: header.shoff,
    shnum: f.value.sections.filter((s) => inFile(s.headerOffset, header.shentsize)).length,
    shentsize: header.shentsize,
    symtab: symIndex < 0 ? undefined : table(symIndex, symEnt),
    relocations: f.value.sections
      .filter((s) => s.type === SHT_REL || s.type === SHT_RELA)
      .map((s) => {
        const rela = s.type === SHT_RELA;
        const ent = header.is64 ? (rela ? 24 : 16) : rela ? 12 : 8;
        return { ...table(s.index, ent), rela };
      }),
  };
}
