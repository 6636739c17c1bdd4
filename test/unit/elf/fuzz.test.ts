/**
 * Fuzz property: mutated module images (truncated, flipped bytes, corrupted header, section-header, symbol and
 * relocation fields) never make the reader throw or run away. `FUZZ_RUNS` overrides the run count
 * (`npm run conform:long` uses 100k).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SHT_REL, SHT_RELA, SHT_SYMTAB } from '../../../src/abi/elf.js';
import { ElfFile, MAX_STRING_LENGTH } from '../../../src/elf/elf-file.js';
import { formatElfReport, inspectElf } from '../../../src/elf/inspect.js';
import { parseModuleImage } from '../../../src/elf/module-image.js';
import { readExtendedVersions } from '../../../src/elf/versions.js';
import { buildModuleFixture } from './fixtures/module-fixture.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);

interface Base {
  readonly bytes: Uint8Array;
  readonly is64: boolean;
  readonly le: boolean;
  readonly shoff: number;
  readonly shnum: number;
  readonly symtab: { offset: number; count: number };
  readonly relocs: { offset: number; count: number; entsize: number }[];
}

function describeBase(is64: boolean, le: boolean): Base {
  const bytes = buildModuleFixture({ is64, le });
  const f = ElfFile.parse(bytes);
  if (!f.ok) throw new Error(f.error.message);
  const sym = f.value.sections.find((s) => s.type === SHT_SYMTAB);
  if (sym === undefined) throw new Error('fixture without symtab');
  const symSize = is64 ? 24 : 16;
  return {
    bytes,
    is64,
    le,
    shoff: f.value.header.shoff,
    shnum: f.value.header.shnum,
    symtab: { offset: sym.offset, count: sym.size / symSize },
    relocs: f.value.sections
      .filter((s) => s.type === SHT_RELA || s.type === SHT_REL)
      .map((s) => ({ offset: s.offset, count: s.size / s.entsize, entsize: s.entsize })),
  };
}

const BASES = [
  describeBase(true, true),
  describeBase(false, true),
  describeBase(true, false),
  describeBase(false, false),
];

const interesting = fc.oneof(
  fc.constantFrom(0n, 1n, 0xffn, 0xffffn, 0x7fffffffn, 0xffffffffn, 2n ** 53n, 2n ** 63n, 2n ** 64n - 1n),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  fc.bigInt({ min: 0n, max: 4096n }),
);

type Field = { off: number; width: 1 | 2 | 4 | 8 };

const EHDR64: Record<string, Field> = {
  shoff: { off: 40, width: 8 },
  shentsize: { off: 58, width: 2 },
  shnum: { off: 60, width: 2 },
  shstrndx: { off: 62, width: 2 },
};
const EHDR32: Record<string, Field> = {
  shoff: { off: 32, width: 4 },
  shentsize: { off: 46, width: 2 },
  shnum: { off: 48, width: 2 },
  shstrndx: { off: 50, width: 2 },
};
const SHDR64: Record<string, Field> = {
  name: { off: 0, width: 4 },
  type: { off: 4, width: 4 },
  flags: { off: 8, width: 8 },
  offset: { off: 24, width: 8 },
  size: { off: 32, width: 8 },
  link: { off: 40, width: 4 },
  info: { off: 44, width: 4 },
  addralign: { off: 48, width: 8 },
  entsize: { off: 56, width: 8 },
};
const SHDR32: Record<string, Field> = {
  name: { off: 0, width: 4 },
  type: { off: 4, width: 4 },
  flags: { off: 8, width: 4 },
  offset: { off: 16, width: 4 },
  size: { off: 20, width: 4 },
  link: { off: 24, width: 4 },
  info: { off: 28, width: 4 },
  addralign: { off: 32, width: 4 },
  entsize: { off: 36, width: 4 },
};
const SYM64: Record<string, Field> = {
  name: { off: 0, width: 4 },
  info: { off: 4, width: 1 },
  shndx: { off: 6, width: 2 },
  value: { off: 8, width: 8 },
};
const SYM32: Record<string, Field> = {
  name: { off: 0, width: 4 },
  value: { off: 4, width: 4 },
  info: { off: 12, width: 1 },
  shndx: { off: 14, width: 2 },
};

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; value: number }
  | { kind: 'header'; field: string; value: bigint }
  | { kind: 'section'; index: number; field: string; value: bigint }
  | { kind: 'symbol'; index: number; field: string; value: bigint }
  | { kind: 'reloc'; section: number; index: number; part: 'offset' | 'info' | 'symbol'; value: bigint };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({
    kind: fc.constant('header' as const),
    field: fc.constantFrom(...Object.keys(EHDR64)),
    value: interesting,
  }),
  fc.record({
    kind: fc.constant('section' as const),
    index: fc.nat({ max: 40 }),
    field: fc.constantFrom(...Object.keys(SHDR64)),
    value: interesting,
  }),
  fc.record({
    kind: fc.constant('symbol' as const),
    index: fc.nat({ max: 20 }),
    field: fc.constantFrom(...Object.keys(SYM64)),
    value: interesting,
  }),
  fc.record({
    kind: fc.constant('reloc' as const),
    section: fc.nat({ max: 8 }),
    index: fc.nat({ max: 16 }),
    part: fc.constantFrom('offset' as const, 'info' as const, 'symbol' as const),
    value: interesting,
  }),
);

function write(bytes: Uint8Array, off: number, width: 1 | 2 | 4 | 8, value: bigint, le: boolean): void {
  if (off < 0 || off + width > bytes.length) return;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const x = BigInt.asUintN(width * 8, value);
  if (width === 1) v.setUint8(off, Number(x));
  else if (width === 2) v.setUint16(off, Number(x), le);
  else if (width === 4) v.setUint32(off, Number(x), le);
  else v.setBigUint64(off, x, le);
}

function mutate(base: Base, mutations: readonly Mutation[]): Uint8Array {
  let bytes = base.bytes.slice();
  const le = base.le;
  for (const m of mutations) {
    switch (m.kind) {
      case 'truncate':
        bytes = bytes.slice(0, m.at % (bytes.length + 1));
        break;
      case 'flip':
        if (bytes.length > 0) bytes[m.at % bytes.length] = m.value;
        break;
      case 'header': {
        const f = (base.is64 ? EHDR64 : EHDR32)[m.field];
        write(bytes, f.off, f.width, m.value, le);
        break;
      }
      case 'section': {
        const f = (base.is64 ? SHDR64 : SHDR32)[m.field];
        const index = m.index % base.shnum;
        write(bytes, base.shoff + index * (base.is64 ? 64 : 40) + f.off, f.width, m.value, le);
        break;
      }
      case 'symbol': {
        const f = (base.is64 ? SYM64 : SYM32)[m.field];
        const index = m.index % base.symtab.count;
        write(bytes, base.symtab.offset + index * (base.is64 ? 24 : 16) + f.off, f.width, m.value, le);
        break;
      }
      case 'reloc': {
        const r = base.relocs[m.section % base.relocs.length];
        const at = r.offset + (m.index % r.count) * r.entsize;
        const word = base.is64 ? 8 : 4;
        if (m.part === 'offset') write(bytes, at, base.is64 ? 8 : 4, m.value, le);
        else if (m.part === 'info') write(bytes, at + word, base.is64 ? 8 : 4, m.value, le);
        else if (base.is64) write(bytes, at + (le ? 12 : 8), 4, m.value, le);
        else write(bytes, at + 4, 4, (m.value << 8n) | 1n, le);
        break;
      }
    }
  }
  return bytes;
}

/** Drives every reader entry point over `bytes`; returns the total length of decoded strings. */
function exercise(bytes: Uint8Array): number {
  let chars = 0;
  for (const options of [
    {},
    { assumeClass: 64 as const },
    { assumeClass: 32 as const, assumeLittleEndian: false },
  ]) {
    const f = ElfFile.parse(bytes, options);
    if (f.ok) for (const s of f.value.sections) chars += s.name.length + (f.value.sectionData(s).ok ? 0 : 1);
  }
  const report = inspectElf(bytes);
  if (report.ok) chars += formatElfReport(report.value).length;
  const image = parseModuleImage(bytes);
  if (!image.ok) return chars;
  const m = image.value;
  const syms = m.symbols();
  if (syms.ok) {
    const t = syms.value;
    for (let i = 0; i < t.count; i++) {
      chars += t.name(i)?.length ?? 0;
      t.get(i);
    }
    t.indexOf('foo');
  }
  const relocs = m.relocations();
  const index = m.relocationIndex();
  if (relocs.ok && index.ok) {
    for (const r of relocs.value) {
      for (let i = 0; i < r.count; i++) {
        r.offset(i);
        r.type(i);
        r.symbolIndex(i);
        r.addend(i);
        r.addendNumber(i);
      }
      r.countsByType();
      index.value.at(r.targetSection, 0);
    }
  }
  const mi = m.modinfo();
  if (mi.ok) for (const e of mi.value.entries) chars += e.text.length;
  const v = m.versions();
  if (v.ok && v.value) for (const e of v.value.entries) chars += e.name.length;
  readExtendedVersions(m.elf);
  const k = m.ksymtab();
  if (k.ok) for (const s of k.value.symbols) chars += (s.name?.length ?? 0) + (s.namespace?.length ?? 0);
  const p = m.params();
  if (p.ok) for (const x of p.value) chars += x.name?.length ?? 0;
  m.thisModule();
  chars += m.name()?.length ?? 0;
  return chars;
}

describe('ELF reader fuzz', () => {
  it('unmutated fixtures exercise every reader successfully', () => {
    for (const b of BASES) {
      const image = parseModuleImage(b.bytes);
      expect(image.ok).toBe(true);
      expect(exercise(b.bytes)).toBeGreaterThan(100);
    }
  });

  it(`never throws and stays bounded on mutated images (${RUNS} runs)`, () => {
    let parsed = 0;
    fc.assert(
      fc.property(
        fc.nat({ max: BASES.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (b, ms) => {
          const bytes = mutate(BASES[b], ms);
          if (parseModuleImage(bytes).ok) parsed++;
          const chars = exercise(bytes);
          // Decoded text stays within a bounded multiple of the input (each string ≤ MAX_STRING_LENGTH).
          expect(chars).toBeLessThanOrEqual(64 * bytes.length + 8 * MAX_STRING_LENGTH);
        },
      ),
      { numRuns: RUNS },
    );
    // The mutations must leave enough images parseable for the deeper readers to be exercised at all.
    expect(parsed).toBeGreaterThan(RUNS / 5);
  });

  it('survives a section-name table of one unterminated string named by every section', () => {
    // Every sh_name points one byte further into a long run without NUL: decoding must stay capped.
    const base = BASES[0];
    const bytes = base.bytes.slice();
    const f = ElfFile.parse(bytes);
    if (!f.ok) throw new Error(f.error.message);
    const shstr = f.value.sections[f.value.header.shstrndx];
    bytes.fill(0x41, shstr.offset, shstr.offset + shstr.size);
    for (let i = 0; i < base.shnum; i++) write(bytes, base.shoff + i * 64, 4, BigInt(i), true);
    const r = ElfFile.parse(bytes);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.sections.every((s) => s.name.length <= MAX_STRING_LENGTH)).toBe(true);
    expect(() => exercise(bytes)).not.toThrow();
  });
});
