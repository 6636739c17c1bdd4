/**
 * Runs GNU readelf (`-W -S -s -r -p .modinfo`) over a batch of files and parses its text output, so tests can
 * compare the reader with binutils field by field.
 */
import { execFileSync } from 'node:child_process';

export interface ReadelfSection {
  readonly index: number;
  readonly name: string;
  readonly type: string;
  readonly addr: bigint;
  readonly offset: number;
  readonly size: number;
  readonly entsize: number;
  readonly flags: string;
  readonly link: number;
  readonly info: number;
  readonly addralign: number;
}

export interface ReadelfSymbol {
  readonly index: number;
  readonly value: bigint;
  readonly size: number;
  readonly type: string;
  readonly bind: string;
  readonly vis: string;
  readonly ndx: string;
  readonly name: string;
}

export interface ReadelfReloc {
  readonly offset: bigint;
  readonly info: bigint;
  readonly type: string;
  /** Symbol value and name, when the entry has a symbol. */
  readonly symValue: bigint | undefined;
  readonly symName: string | undefined;
  /** The addend (RELA only). */
  readonly addend: bigint | undefined;
}

export interface ReadelfRelocSection {
  readonly name: string;
  readonly offset: number;
  readonly entries: ReadelfReloc[];
}

export interface ReadelfFile {
  readonly sections: ReadelfSection[];
  readonly symbols: ReadelfSymbol[];
  readonly relocations: ReadelfRelocSection[];
  /** `[offset, text]` of `readelf -p .modinfo`, or `undefined` when the section was not dumped. */
  readonly modinfo: [number, string][] | undefined;
}

/** Whether `readelf` can be run. */
export function haveReadelf(): boolean {
  try {
    execFileSync('readelf', ['--version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

const SECTION_RE =
  /^\s*\[\s*(\d+)\]\s(.*?)\s+(\S+(?: SECTION INDICES)?)\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)\s+(\S*)\s+(\d+)\s+(\d+)\s+(\d+)$/;
const SYMBOL_RE = /^\s*(\d+):\s+([0-9a-f]+)\s+(\d+|0x[0-9a-f]+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s?(.*)$/;
const RELOC_RE = /^([0-9a-f]+)\s+([0-9a-f]+)\s+(\S+(?: \S+)?)\s*(.*)$/;
const STRING_RE = /^\s+\[\s*([0-9a-f]+)\]\s\s(.*)$/;
/** readelf indents the continuation of a string after an embedded newline by 12 spaces. */
const CONTINUATION = ' '.repeat(12);

function parseRelocTail(tail: string, rela: boolean): Pick<ReadelfReloc, 'symValue' | 'symName' | 'addend'> {
  const t = tail.trim();
  if (t === '') return { symValue: undefined, symName: undefined, addend: undefined };
  if (rela) {
    const m = /^([0-9a-f]+)\s+(.*) ([+-]) ([0-9a-f]+)$/.exec(t);
    if (m) {
      const a = BigInt(`0x${m[4]}`);
      return { symValue: BigInt(`0x${m[1]}`), symName: m[2].trim(), addend: m[3] === '-' ? -a : a };
    }
    // No symbol: only the addend is printed.
    return { symValue: undefined, symName: undefined, addend: BigInt(`0x${t}`) };
  }
  const m = /^([0-9a-f]+)\s+(.*)$/.exec(t);
  return m
    ? { symValue: BigInt(`0x${m[1]}`), symName: m[2].trim(), addend: undefined }
    : { symValue: BigInt(`0x${t}`), symName: '', addend: undefined };
}

/** Parses the output of `readelf -W -S -s -r -p .modinfo` for one file. */
export function parseReadelf(text: string): ReadelfFile {
  const sections: ReadelfSection[] = [];
  const symbols: ReadelfSymbol[] = [];
  const relocations: ReadelfRelocSection[] = [];
  let modinfo: [number, string][] | undefined;
  let mode: 'none' | 'sections' | 'symbols' | 'relocs' | 'strings' = 'none';
  let current: ReadelfRelocSection | undefined;
  let rela = true;
  for (const line of text.split('\n')) {
    if (line.startsWith('Section Headers:')) {
      mode = 'sections';
      continue;
    }
    if (line.startsWith('Key to Flags:')) {
      mode = 'none';
      continue;
    }
    const relHead = /^Relocation section '(.*)' at offset 0x([0-9a-f]+) contains/.exec(line);
    if (relHead) {
      mode = 'relocs';
      current = { name: relHead[1], offset: Number.parseInt(relHead[2], 16), entries: [] };
      rela = relHead[1].startsWith('.rela');
      relocations.push(current);
      continue;
    }
    if (/^Symbol table '.*' contains/.test(line)) {
      mode = 'symbols';
      continue;
    }
    if (line.startsWith("String dump of section '.modinfo':")) {
      mode = 'strings';
      modinfo = [];
      continue;
    }
    if (mode === 'sections') {
      const m = SECTION_RE.exec(line);
      if (m) {
        sections.push({
          index: Number(m[1]),
          name: m[2].trim(),
          type: m[3],
          addr: BigInt(`0x${m[4]}`),
          offset: Number.parseInt(m[5], 16),
          size: Number.parseInt(m[6], 16),
          entsize: Number.parseInt(m[7], 16),
          flags: m[8],
          link: Number(m[9]),
          info: Number(m[10]),
          addralign: Number(m[11]),
        });
      }
    } else if (mode === 'symbols') {
      const m = SYMBOL_RE.exec(line);
      if (m) {
        symbols.push({
          index: Number(m[1]),
          value: BigInt(`0x${m[2]}`),
          size: m[3].startsWith('0x') ? Number.parseInt(m[3].slice(2), 16) : Number(m[3]),
          type: m[4],
          bind: m[5],
          vis: m[6],
          ndx: m[7],
          name: m[8],
        });
      }
    } else if (mode === 'relocs' && current !== undefined) {
      if (line.trim() === '' || /^\s*Offset\s/.test(line)) continue;
      const m = RELOC_RE.exec(line);
      if (m) {
        current.entries.push({
          offset: BigInt(`0x${m[1]}`),
          info: BigInt(`0x${m[2]}`),
          type: m[3],
          ...parseRelocTail(m[4], rela),
        });
      }
    } else if (mode === 'strings' && modinfo !== undefined) {
      const m = STRING_RE.exec(line);
      if (m) modinfo.push([Number.parseInt(m[1], 16), m[2]]);
      else if (line.startsWith(CONTINUATION) && modinfo.length > 0)
        modinfo[modinfo.length - 1][1] += `\n${line.slice(12)}`;
    }
  }
  return { sections, symbols, relocations, modinfo };
}

/** Runs readelf over `files` in one process and returns the parsed output of each, keyed by path. */
export function readelfBatch(files: readonly string[]): Map<string, ReadelfFile> {
  const out = execFileSync('readelf', ['-W', '-S', '-s', '-r', '-p', '.modinfo', ...files], {
    encoding: 'latin1',
    maxBuffer: 1 << 30,
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, LC_ALL: 'C' },
  });
  const result = new Map<string, ReadelfFile>();
  if (files.length === 1) {
    result.set(files[0], parseReadelf(out));
    return result;
  }
  const parts = out.split(/^File: (.*)$/m);
  for (let i = 1; i + 1 < parts.length; i += 2) result.set(parts[i], parseReadelf(parts[i + 1]));
  return result;
}
