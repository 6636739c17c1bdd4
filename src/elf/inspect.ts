/**
 * A readelf-like report of a module image for `kmodsim elf FILE [--json]`: sections, symbol counts,
 * relocation counts by type, `.modinfo` and the signature trailer. Names follow GNU readelf's spelling.
 * @module
 */
import {
  EM_386,
  EM_IA_64,
  EM_X86_64,
  ET_CORE,
  ET_DYN,
  ET_EXEC,
  ET_NONE,
  ET_REL,
  R_386_NAMES,
  R_IA64_NAMES,
  R_X86_64_NAMES,
  SHF_ALLOC,
  SHF_COMPRESSED,
  SHF_EXCLUDE,
  SHF_EXECINSTR,
  SHF_GNU_RETAIN,
  SHF_GROUP,
  SHF_INFO_LINK,
  SHF_LINK_ORDER,
  SHF_MASKOS,
  SHF_MASKPROC,
  SHF_MERGE,
  SHF_OS_NONCONFORMING,
  SHF_STRINGS,
  SHF_TLS,
  SHF_WRITE,
} from '../abi/elf.js';
import { ok } from '../core/result.js';
import type { ElfResult } from './elf-error.js';
import { parseModuleImage } from './module-image.js';
import { relocationCountsByType } from './relocations.js';

/** One section line of an {@link ElfReport}. */
export interface ElfReportSection {
  /** Section index. */
  readonly index: number;
  /** Section name. */
  readonly name: string;
  /** Type as readelf prints it (`PROGBITS`, `RELA`, …). */
  readonly type: string;
  /** Flags as readelf's letters (`WA`, `AX`, `I`, …). */
  readonly flags: string;
  /** `sh_size`. */
  readonly size: number;
  /** `sh_addralign`. */
  readonly addralign: number;
  /** `sh_entsize`. */
  readonly entsize: number;
}

/** Header summary of an {@link ElfReport}. */
export interface ElfReportHeader {
  /** `ELF32` or `ELF64`. */
  readonly class: 'ELF32' | 'ELF64';
  /** Byte order. */
  readonly data: 'LSB' | 'MSB';
  /** `e_type` (`REL`, `EXEC`, …). */
  readonly type: string;
  /** `e_machine` (`x86-64`, `i386`, …). */
  readonly machine: string;
  /** Number of section headers. */
  readonly sections: number;
}

/** Symbol counts of an {@link ElfReport}. */
export interface ElfReportSymbols {
  /** Entries in the symbol table (including the null entry). */
  readonly total: number;
  /** `SHN_UNDEF` entries after the null entry. */
  readonly undefined: number;
}

/** Count of one relocation type. */
export interface ElfReportRelocationCount {
  /** C name of the type. */
  readonly type: string;
  /** Number of entries. */
  readonly count: number;
}

/** Relocation counts of an {@link ElfReport}. */
export interface ElfReportRelocations {
  /** Entries in all REL/RELA sections. */
  readonly total: number;
  /** Per type, most frequent first. */
  readonly byType: readonly ElfReportRelocationCount[];
}

/** Signature summary of an {@link ElfReport}. */
export interface ElfReportSignature {
  /** `id_type` (2 = PKCS#7). */
  readonly idType: number;
  /** Length of the signature blob. */
  readonly sigLen: number;
  /** Length of the signed module bytes. */
  readonly payloadLength: number;
  /** `algo`. */
  readonly algo: number;
  /** `hash`. */
  readonly hash: number;
}

/** The report {@link inspectElf} builds; plain JSON data (no bigint). */
export interface ElfReport {
  /** Header summary. */
  readonly header: ElfReportHeader;
  /** Every section. */
  readonly sections: readonly ElfReportSection[];
  /** Symbol counts (`undefined` when the file has no readable symbol table). */
  readonly symbols: ElfReportSymbols | undefined;
  /** Relocation entries: total and per type, most frequent first. */
  readonly relocations: ElfReportRelocations;
  /** `.modinfo` strings (`key=value`), in file order. */
  readonly modinfo: readonly string[];
  /** The signature trailer (`undefined` when unsigned). */
  readonly signature: ElfReportSignature | undefined;
  /** Parts that could not be read, with the reader's message. */
  readonly problems: readonly string[];
}

const SECTION_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'NULL',
  1: 'PROGBITS',
  2: 'SYMTAB',
  3: 'STRTAB',
  4: 'RELA',
  5: 'HASH',
  6: 'DYNAMIC',
  7: 'NOTE',
  8: 'NOBITS',
  9: 'REL',
  10: 'SHLIB',
  11: 'DYNSYM',
  14: 'INIT_ARRAY',
  15: 'FINI_ARRAY',
  16: 'PREINIT_ARRAY',
  17: 'GROUP',
  18: 'SYMTAB SECTION INDICES',
  19: 'RELR',
  1879048181: 'GNU_ATTRIBUTES',
  1879048182: 'GNU_HASH',
  1879048183: 'GNU_LIBLIST',
  1879048189: 'VERDEF',
  1879048190: 'VERNEED',
  1879048191: 'VERSYM',
};

/** The section type as GNU readelf names it (binutils `get_section_type_name`, common and x86/IA-64 types). */
export function sectionTypeName(type: number, machine: number): string {
  const known = SECTION_TYPE_NAMES[type];
  if (known !== undefined) return known;
  if (type === 0x70000001 && machine === EM_X86_64) return 'X86_64_UNWIND';
  if (type === 0x70000000 && machine === EM_IA_64) return 'IA_64_EXT';
  if (type === 0x70000001 && machine === EM_IA_64) return 'IA_64_UNWIND';
  if (type >= 0x70000000 && type <= 0x7fffffff) return `LOPROC+${(type - 0x70000000).toString(16)}`;
  if (type >= 0x60000000 && type <= 0x6fffffff) return `LOOS+${(type - 0x60000000).toString(16)}`;
  if (type >= 0x80000000 && type <= 0xffffffff) return `LOUSER+${(type - 0x80000000).toString(16)}`;
  return `<unknown>: ${type.toString(16)}`;
}

const FLAG_LETTERS: Readonly<Record<number, string>> = {
  [SHF_WRITE]: 'W',
  [SHF_ALLOC]: 'A',
  [SHF_EXECINSTR]: 'X',
  [SHF_MERGE]: 'M',
  [SHF_STRINGS]: 'S',
  [SHF_INFO_LINK]: 'I',
  [SHF_LINK_ORDER]: 'L',
  [SHF_OS_NONCONFORMING]: 'O',
  [SHF_GROUP]: 'G',
  [SHF_TLS]: 'T',
  [SHF_COMPRESSED]: 'C',
  [SHF_GNU_RETAIN]: 'R',
  [SHF_EXCLUDE]: 'E',
};

/** `SHF_X86_64_LARGE` (binutils letter `l`). */
const SHF_X86_64_LARGE = 0x10000000;

/**
 * `sh_flags` as GNU readelf's `-W` letters, lowest bit first (binutils `get_elf_section_flags`: known bits get
 * their letter, other OS bits `o`, processor bits `p`, anything else `x`).
 */
export function sectionFlagLetters(flags: number, machine: number): string {
  let out = '';
  let rest = flags >>> 0;
  while (rest !== 0) {
    const bit = (rest & -rest) >>> 0;
    const letter = FLAG_LETTERS[bit] ?? (machine === EM_X86_64 && bit === SHF_X86_64_LARGE ? 'l' : undefined);
    if (letter !== undefined) {
      out += letter;
      rest = (rest & ~bit) >>> 0;
    } else if (bit & SHF_MASKOS) {
      out += 'o';
      rest = (rest & ~SHF_MASKOS) >>> 0;
    } else if (bit & SHF_MASKPROC) {
      out += 'p';
      rest = (rest & ~SHF_MASKPROC) >>> 0;
    } else {
      out += 'x';
      rest = (rest & ~bit) >>> 0;
    }
  }
  return out;
}

/** The relocation type's C name for the machine (`R_X86_64_PC32`), or `unrecognized: <hex>` like readelf. */
export function relocationTypeName(machine: number, type: number): string {
  const table =
    machine === EM_X86_64
      ? R_X86_64_NAMES
      : machine === EM_386
        ? R_386_NAMES
        : machine === EM_IA_64
          ? R_IA64_NAMES
          : undefined;
  return table?.[type] ?? `unrecognized: ${type.toString(16)}`;
}

const ET_NAMES: Readonly<Record<number, string>> = {
  [ET_NONE]: 'NONE',
  [ET_REL]: 'REL',
  [ET_EXEC]: 'EXEC',
  [ET_DYN]: 'DYN',
  [ET_CORE]: 'CORE',
};

const EM_NAMES: Readonly<Record<number, string>> = {
  [EM_386]: 'i386',
  [EM_X86_64]: 'x86-64',
  [EM_IA_64]: 'IA-64',
  15: 'PA-RISC',
  183: 'AArch64',
};

/**
 * Inspects a module (or any ELF) image. Fails only when the header or the section table is unusable; any
 * other part that cannot be read is left empty and described in {@link ElfReport.problems}.
 */
export function inspectElf(bytes: Uint8Array): ElfResult<ElfReport> {
  const parsed = parseModuleImage(bytes);
  if (!parsed.ok) return parsed;
  const image = parsed.value;
  const elf = image.elf;
  const h = elf.header;
  const problems: string[] = [];
  const sections = elf.sections.map((s) => ({
    index: s.index,
    name: s.name,
    type: sectionTypeName(s.type, h.machine),
    flags: sectionFlagLetters(s.flags, h.machine),
    size: s.size,
    addralign: s.addralign,
    entsize: s.entsize,
  }));
  const syms = image.symbols();
  if (!syms.ok) problems.push(`symbols: ${syms.error.message}`);
  const relocs = image.relocations();
  let byType: ElfReportRelocationCount[] = [];
  let total = 0;
  if (relocs.ok) {
    const counts = relocationCountsByType(relocs.value);
    byType = [...counts]
      .map(([t, count]) => ({ type: relocationTypeName(h.machine, t), count }))
      .sort((a, b) => b.count - a.count || (a.type < b.type ? -1 : 1));
    for (const { count } of byType) total += count;
  } else problems.push(`relocations: ${relocs.error.message}`);
  const mi = image.modinfo();
  if (!mi.ok) problems.push(`modinfo: ${mi.error.message}`);
  const sig = image.signature;
  if (!sig.ok) problems.push(`signature: ${sig.error.message}`);
  return ok({
    header: {
      class: h.is64 ? 'ELF64' : 'ELF32',
      data: h.littleEndian ? 'LSB' : 'MSB',
      type: ET_NAMES[h.type] ?? `0x${h.type.toString(16)}`,
      machine: EM_NAMES[h.machine] ?? `EM ${h.machine}`,
      sections: elf.sections.length,
    },
    sections,
    symbols: syms.ok ? { total: syms.value.count, undefined: syms.value.undefinedCount() } : undefined,
    relocations: { total, byType },
    modinfo: mi.ok ? mi.value.entries.map((e) => e.text) : [],
    signature:
      sig.ok && sig.value !== undefined
        ? {
            idType: sig.value.idType,
            sigLen: sig.value.sigLen,
            payloadLength: sig.value.payloadLength,
            algo: sig.value.algo,
            hash: sig.value.hash,
          }
        : undefined,
    problems,
  });
}

/** Formats an {@link ElfReport} as text, one readelf-like block per part. */
export function formatElfReport(report: ElfReport): string {
  const h = report.header;
  const lines: string[] = [
    `${h.class} ${h.data} ${h.type}, ${h.machine}, ${h.sections} section headers`,
    '',
    'Sections:',
  ];
  const nameWidth = Math.max(4, ...report.sections.map((s) => s.name.length));
  const typeWidth = Math.max(4, ...report.sections.map((s) => s.type.length));
  lines.push(`  [Nr] ${'Name'.padEnd(nameWidth)} ${'Type'.padEnd(typeWidth)} Flg       Size Al ES`);
  for (const s of report.sections) {
    lines.push(
      `  [${String(s.index).padStart(2)}] ${s.name.padEnd(nameWidth)} ${s.type.padEnd(typeWidth)} ${s.flags.padEnd(3)} ${String(s.size).padStart(10)} ${String(s.addralign).padStart(2)} ${String(s.entsize).padStart(2)}`,
    );
  }
  lines.push('');
  lines.push(
    report.symbols === undefined
      ? 'Symbols: none'
      : `Symbols: ${report.symbols.total} entries, ${report.symbols.undefined} undefined`,
  );
  lines.push(`Relocations: ${report.relocations.total} entries`);
  for (const r of report.relocations.byType)
    lines.push(`  ${r.type.padEnd(24)} ${String(r.count).padStart(8)}`);
  lines.push('', `Modinfo: ${report.modinfo.length} strings`);
  for (const m of report.modinfo) lines.push(`  ${m}`);
  lines.push('');
  const sig = report.signature;
  lines.push(
    sig === undefined
      ? 'Signature: none'
      : `Signature: id_type ${sig.idType}${sig.idType === 2 ? ' (PKCS#7)' : ''}, ${sig.sigLen} bytes, signed payload ${sig.payloadLength} bytes`,
  );
  for (const p of report.problems) lines.push(`Problem: ${p}`);
  return `${lines.join('\n')}\n`;
}
