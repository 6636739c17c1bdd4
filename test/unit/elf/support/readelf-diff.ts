/**
 * Field-by-field comparison of the reader with parsed readelf output: section table (incl. addralign/entsize),
 * symbol table, every relocation entry and `.modinfo` strings.
 */
import { SHN_ABS, SHN_COMMON, SHN_UNDEF, STT_SECTION } from '../../../../src/abi/elf.js';
import type { ElfFile } from '../../../../src/elf/elf-file.js';
import { relocationTypeName, sectionFlagLetters, sectionTypeName } from '../../../../src/elf/inspect.js';
import { readModinfo } from '../../../../src/elf/modinfo.js';
import { readRelocationSections } from '../../../../src/elf/relocations.js';
import { SymbolTable } from '../../../../src/elf/symbols.js';
import type { ReadelfFile } from './readelf-output.js';

const STT_NAMES = ['NOTYPE', 'OBJECT', 'FUNC', 'SECTION', 'FILE', 'COMMON', 'TLS'];
const STB_NAMES = ['LOCAL', 'GLOBAL', 'WEAK'];
const STV_NAMES = ['DEFAULT', 'INTERNAL', 'HIDDEN', 'PROTECTED'];

/** readelf's `Ndx` column. */
function ndxName(shndx: number): string {
  if (shndx === SHN_UNDEF) return 'UND';
  if (shndx === SHN_ABS) return 'ABS';
  if (shndx === SHN_COMMON) return 'COM';
  return String(shndx);
}

/** readelf prints text as bytes; the reader decodes UTF-8. Compare in readelf's (latin1) terms. */
function asReadelf(s: string): string {
  return Buffer.from(s, 'utf8').toString('latin1');
}

/**
 * How binutils 2.40 `readelf -p` prints a string section (`display_section_as_strings`): non-printable bytes
 * before a string are skipped; inside it, control characters print as `^X` and a newline prints `\\n` and ends
 * the line — when the string goes on, the rest is a continuation line (joined here with `\n`), again after
 * skipping non-printable bytes. Bytes ≥ 0x80 print raw (latin1 here).
 */
export function renderReadelfStrings(bytes: Uint8Array): [number, string][] {
  const out: [number, string][] = [];
  const n = bytes.length;
  let i = 0;
  let continuation = false;
  while (i < n) {
    while (i < n && !(bytes[i] >= 0x20 && bytes[i] < 0x7f)) i++;
    if (i >= n) break;
    const start = i;
    const wasContinuation = continuation && out.length > 0;
    continuation = false;
    let text = '';
    while (i < n) {
      const c = bytes[i++];
      if (c === 0) break;
      if (c === 0x0a) {
        text += '\\n';
        continuation = i < n && bytes[i] !== 0;
        break;
      }
      text += c < 0x20 || c === 0x7f ? `^${String.fromCharCode(c + 0x40)}` : String.fromCharCode(c);
    }
    if (wasContinuation) out[out.length - 1][1] += `\n${text}`;
    else out.push([start, text]);
  }
  return out;
}

/** What was compared, for the caller to assert coverage. */
export interface DiffCounts {
  sections: number;
  symbols: number;
  relocations: number;
  modinfo: number;
}

/** Compares `file` with readelf's view of the same bytes; returns mismatch descriptions (capped at `limit`). */
export function diffAgainstReadelf(file: ElfFile, re: ReadelfFile, counts: DiffCounts, limit = 20): string[] {
  const problems: string[] = [];
  const fail = (msg: string) => {
    if (problems.length < limit) problems.push(msg);
  };
  const eq = (what: string, ours: unknown, theirs: unknown) => {
    if (ours !== theirs) fail(`${what}: reader ${String(ours)} readelf ${String(theirs)}`);
  };
  const machine = file.header.machine;

  // Section table.
  eq('section count', file.sections.length, re.sections.length);
  for (const r of re.sections) {
    const s = file.sections[r.index];
    if (s === undefined) continue;
    const at = `section [${r.index}] ${r.name}`;
    eq(`${at} name`, asReadelf(s.name), r.name);
    eq(`${at} type`, sectionTypeName(s.type, machine), r.type);
    eq(`${at} addr`, s.addr, r.addr);
    eq(`${at} offset`, s.offset, r.offset);
    eq(`${at} size`, s.size, r.size);
    eq(`${at} entsize`, s.entsize, r.entsize);
    eq(`${at} flags`, sectionFlagLetters(s.flags, machine), r.flags);
    eq(`${at} link`, s.link, r.link);
    eq(`${at} info`, s.info, r.info);
    eq(`${at} addralign`, s.addralign, r.addralign);
    counts.sections++;
  }

  // Symbol table.
  const st = SymbolTable.read(file);
  if (!st.ok) {
    if (re.symbols.length > 0)
      fail(`symbols: reader failed (${st.error.message}), readelf lists ${re.symbols.length}`);
  } else {
    const t = st.value;
    eq('symbol count', t.count, re.symbols.length);
    for (const r of re.symbols) {
      if (r.index >= t.count) continue;
      const i = r.index;
      const at = `symbol ${i} ${r.name}`;
      const shndx = t.shndx(i);
      let name = t.name(i) ?? '<corrupt>';
      // readelf 2.40 shows a section symbol without a name as its section's name.
      if (t.type(i) === STT_SECTION && name === '') name = file.section(shndx)?.name ?? '';
      eq(`${at} name`, asReadelf(name), r.name);
      eq(`${at} value`, t.value(i), r.value);
      eq(`${at} size`, t.size(i), r.size);
      eq(`${at} type`, STT_NAMES[t.type(i)] ?? `?${t.type(i)}`, r.type);
      eq(`${at} bind`, STB_NAMES[t.bind(i)] ?? `?${t.bind(i)}`, r.bind);
      eq(`${at} vis`, STV_NAMES[t.other(i) & 3], r.vis);
      eq(`${at} ndx`, ndxName(shndx), r.ndx);
      counts.symbols++;
    }
  }

  // Relocations: every entry of every REL/RELA section, in order.
  const rs = readRelocationSections(file);
  if (!rs.ok) fail(`relocations: reader failed (${rs.error.message})`);
  else {
    eq('relocation section count', rs.value.length, re.relocations.length);
    const syms = st.ok ? st.value : undefined;
    for (let k = 0; k < Math.min(rs.value.length, re.relocations.length); k++) {
      const ours = rs.value[k];
      const theirs = re.relocations[k];
      const at = `relocations ${theirs.name}`;
      eq(`${at} name`, asReadelf(ours.section.name), theirs.name);
      eq(`${at} file offset`, ours.section.offset, theirs.offset);
      eq(`${at} count`, ours.count, theirs.entries.length);
      for (let i = 0; i < Math.min(ours.count, theirs.entries.length); i++) {
        const r = theirs.entries[i];
        const e = `${at}[${i}]`;
        eq(`${e} offset`, BigInt(ours.offset(i)), r.offset);
        const info = file.is64
          ? (BigInt(ours.symbolIndex(i)) << 32n) | BigInt(ours.type(i))
          : BigInt(((ours.symbolIndex(i) << 8) | ours.type(i)) >>> 0);
        eq(`${e} info`, info, r.info);
        eq(`${e} type`, relocationTypeName(machine, ours.type(i)), r.type);
        if (ours.isRela) eq(`${e} addend`, ours.addend(i), r.addend ?? 0n);
        const si = ours.symbolIndex(i);
        if (syms !== undefined && si !== 0 && si < syms.count && r.symName !== undefined) {
          let name = syms.name(si) ?? '';
          if (syms.type(si) === STT_SECTION && name === '') name = file.section(syms.shndx(si))?.name ?? '';
          eq(`${e} symbol`, asReadelf(name), r.symName);
          eq(`${e} symbol value`, syms.value(si), r.symValue);
        }
        counts.relocations++;
      }
    }
  }

  // .modinfo strings, as `readelf -p` lists them.
  const mi = readModinfo(file);
  if (!mi.ok) fail(`modinfo: reader failed (${mi.error.message})`);
  else if (re.modinfo !== undefined) {
    // Rebuild the section from the reader's entries (offset + text) and print it the way readelf does.
    const rebuilt = new Uint8Array(mi.value.section?.size ?? 0);
    for (const e of mi.value.entries)
      rebuilt.set(Buffer.from(e.text, 'utf8').subarray(0, rebuilt.length - e.offset), e.offset);
    const ours = renderReadelfStrings(rebuilt);
    eq('modinfo string count', ours.length, re.modinfo.length);
    for (let i = 0; i < Math.min(ours.length, re.modinfo.length); i++) {
      eq(`modinfo[${i}] offset`, ours[i][0], re.modinfo[i][0]);
      eq(`modinfo[${i}] text`, ours[i][1], re.modinfo[i][1]);
      counts.modinfo++;
    }
  } else if (mi.value.section !== undefined && mi.value.entries.length > 0) {
    fail('modinfo: readelf dumped nothing but the reader found strings');
  }
  return problems;
}
