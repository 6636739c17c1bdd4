/**
 * Exported symbols: `__ksymtab*` (`struct kernel_symbol`), their CRCs in the parallel `__kcrctab*` and their
 * names and namespaces in `__ksymtab_strings`.
 *
 * Two layouts exist: PREL32 (`CONFIG_HAVE_ARCH_PREL32_RELOCATIONS`, x86_64 since 4.19:
 * `{s32 value_offset, name_offset[, namespace_offset]}`, 12 bytes since 5.4) and absolute
 * (`{unsigned long value; const char *name[; const char *namespace]}`). In a `.ko` every field is zero and a
 * relocation supplies it, so entries are decoded through the relocations: `.long sym - .` points at `S + A`.
 * @see include/linux/export.h __KSYMTAB_ENTRY, kernel/module/main.c find_exported_symbol_in_section
 * @module
 */
import {
  EM_386,
  R_386_32,
  R_386_PC32,
  R_386_PLT32,
  R_X86_64_32,
  R_X86_64_64,
  R_X86_64_PC32,
  R_X86_64_PLT32,
  SHN_ABS,
} from '../abi/elf.js';
import { ok } from '../core/result.js';
import { type ElfResult, elfFail } from './elf-error.js';
import type { ElfFile, ElfSection } from './elf-file.js';
import { type RelocationIndex, readSectionString, resolvePointer } from './relocations.js';
import type { SymbolTable } from './symbols.js';

/** Which export table a symbol comes from (`EXPORT_SYMBOL`, `EXPORT_SYMBOL_GPL`, and the pre-5.12 kinds). */
export type KsymtabKind = 'plain' | 'gpl' | 'unused' | 'unused_gpl' | 'gpl_future';

/** Section-name suffix of each {@link KsymtabKind}: `__ksymtab<suffix>`, `__kcrctab<suffix>`. */
export const KSYMTAB_SUFFIX: Readonly<Record<KsymtabKind, string>> = {
  plain: '',
  gpl: '_gpl',
  unused: '_unused',
  unused_gpl: '_unused_gpl',
  gpl_future: '_gpl_future',
};

/** `struct kernel_symbol` layouts. */
export type KsymtabLayout = 'prel32' | 'absolute';

/** One exported symbol. */
export interface ExportedSymbol {
  /** The table it comes from. */
  readonly kind: KsymtabKind;
  /** Index of the entry in its table. */
  readonly index: number;
  /** The exported name (from the name field); `undefined` when the field cannot be decoded. */
  readonly name: string | undefined;
  /** The symbol the value field relocates to (normally equal to {@link ExportedSymbol.name}). */
  readonly valueSymbol: string | undefined;
  /** The namespace (`EXPORT_SYMBOL_NS`); `undefined` when empty or absent. */
  readonly namespace: string | undefined;
  /** The CRC from the parallel `__kcrctab*` (low 32 bits), when present. */
  readonly crc: number | undefined;
}

/** Options of {@link readKsymtab}. */
export interface KsymtabOptions {
  /** Force the layout instead of detecting it from the first entry's relocation type. */
  readonly layout?: KsymtabLayout;
  /** Force the entry size in bytes instead of inferring it. */
  readonly entrySize?: number;
}

/** The layout found for one export table. */
export interface KsymtabLayoutInfo {
  /** PREL32 or absolute. */
  readonly layout: KsymtabLayout;
  /** Bytes per `struct kernel_symbol`. */
  readonly entrySize: number;
}

/** The decoded export tables of a module. */
export interface Ksymtab {
  /** Every exported symbol, plain table first, then GPL, then the older kinds. */
  readonly symbols: readonly ExportedSymbol[];
  /** The layout of each table found. */
  readonly layouts: Partial<Record<KsymtabKind, KsymtabLayoutInfo>>;
}

const PC_RELATIVE = new Set([R_X86_64_PC32, R_X86_64_PLT32]);
const PC_RELATIVE_386 = new Set([R_386_PC32, R_386_PLT32]);

function detectLayout(file: ElfFile, index: RelocationIndex, section: ElfSection): KsymtabLayout {
  const ref = index.at(section.index, 0);
  if (ref !== undefined) {
    const t = ref.relocations.type(ref.index);
    if (file.header.machine === EM_386) return PC_RELATIVE_386.has(t) ? 'prel32' : 'absolute';
    if (PC_RELATIVE.has(t)) return 'prel32';
    if (t === R_X86_64_64 || t === R_X86_64_32 || t === R_386_32) return 'absolute';
  }
  return file.is64 ? 'prel32' : 'absolute';
}

/**
 * Reads the export tables. `symbols` and `index` are the file's symbol table and relocation index (see
 * {@link SymbolTable.read}, {@link RelocationIndex}). Tables absent from the file are skipped; a table whose
 * range lies outside the file fails.
 */
export function readKsymtab(
  file: ElfFile,
  symbols: SymbolTable,
  index: RelocationIndex,
  options: KsymtabOptions = {},
): ElfResult<Ksymtab> {
  const out: ExportedSymbol[] = [];
  const layouts: Ksymtab['layouts'] = {};
  const ptr = file.is64 ? 8 : 4;
  for (const kind of Object.keys(KSYMTAB_SUFFIX) as KsymtabKind[]) {
    const section = file.sectionByName(`__ksymtab${KSYMTAB_SUFFIX[kind]}`);
    if (section === undefined) continue;
    const data = file.sectionData(section);
    if (!data.ok) return data;
    const size = data.value.length;
    const layout = options.layout ?? detectLayout(file, index, section);
    const field = layout === 'prel32' ? 4 : ptr;
    const target = (off: number) =>
      resolvePointer(file, symbols, index, section.index, off, field === 8 ? 8 : 4);
    let entrySize = options.entrySize;
    if (entrySize === undefined) {
      // With a namespace field, the third field of entry 0 points into the same string section as its name.
      const three = size % (3 * field) === 0;
      const two = size % (2 * field) === 0;
      entrySize =
        three && (!two || size === 0 || target(2 * field)?.section === target(field)?.section)
          ? 3 * field
          : 2 * field;
    }
    if (entrySize <= 0 || !Number.isInteger(entrySize)) {
      return elfFail('bad-ksymtab', `bad __ksymtab entry size ${entrySize}`, section.headerOffset);
    }
    layouts[kind] = { layout, entrySize };
    const count = Math.floor(size / entrySize);
    const crcs = readCrcs(file, symbols, index, kind, count);
    if (!crcs.ok) return crcs;
    for (let i = 0; i < count; i++) {
      const base = i * entrySize;
      const value = target(base);
      const name = target(base + field);
      const ns = entrySize >= 3 * field ? target(base + 2 * field) : undefined;
      const nsText =
        ns?.section === undefined ? undefined : readSectionString(file, ns.section, ns.sectionOffset);
      out.push({
        kind,
        index: i,
        name:
          name?.section === undefined ? undefined : readSectionString(file, name.section, name.sectionOffset),
        valueSymbol: value?.symbolName,
        namespace: nsText === '' ? undefined : nsText,
        crc: crcs.value?.[i],
      });
    }
  }
  return ok({ symbols: out, layouts });
}

/**
 * Reads `__kcrctab<suffix>` as `count` CRCs. Entries are 4 bytes (raw `s32` CRCs, 4.x+ and 6.x) or
 * pointer-sized (older absolute `__crc_*` references, resolved through their `SHN_ABS` symbol).
 */
function readCrcs(
  file: ElfFile,
  symbols: SymbolTable,
  index: RelocationIndex,
  kind: KsymtabKind,
  count: number,
): ElfResult<(number | undefined)[] | undefined> {
  const section = file.sectionByName(`__kcrctab${KSYMTAB_SUFFIX[kind]}`);
  if (section === undefined || count === 0) return ok(undefined);
  const data = file.sectionData(section);
  if (!data.ok) return data;
  const width = data.value.length >= count * 8 && file.is64 && data.value.length % 8 === 0 ? 8 : 4;
  const v = new DataView(data.value.buffer, data.value.byteOffset, data.value.byteLength);
  const out: (number | undefined)[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const o = i * width;
    if (o + 4 > data.value.length) {
      out[i] = undefined;
      continue;
    }
    const p = resolvePointer(file, symbols, index, section.index, o, width === 8 ? 8 : 4);
    if (p !== undefined && p.symbolShndx === SHN_ABS) {
      out[i] = (symbols.valueNumber(p.symbolIndex) + p.addend) >>> 0;
    } else {
      out[i] = v.getUint32(o + (width === 8 && !file.littleEndian ? 4 : 0), file.littleEndian);
    }
  }
  return ok(out);
}
