import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import {
  EM_386,
  EM_PARISC,
  SHF_ALLOC,
  SHF_EXCLUDE,
  SHF_WRITE,
  SHT_NOBITS,
  SHT_PROGBITS,
  SHT_STRTAB,
} from '../../../src/abi/elf.js';
import { ElfFile, MAX_STRING_LENGTH, readElfHeader, StringTable } from '../../../src/elf/elf-file.js';
import { buildTinyElf } from './fixtures/tiny-elf.js';

function parse(bytes: Uint8Array) {
  const r = ElfFile.parse(bytes);
  if (!r.ok) throw new Error(`unexpected error ${r.error.kind}: ${r.error.message}`);
  return r.value;
}

function patch(
  bytes: Uint8Array,
  offset: number,
  value: number,
  width: 1 | 2 | 4 | 8,
  le = true,
): Uint8Array {
  const out = bytes.slice();
  const v = new DataView(out.buffer);
  if (width === 1) v.setUint8(offset, value);
  else if (width === 2) v.setUint16(offset, value, le);
  else if (width === 4) v.setUint32(offset, value, le);
  else v.setBigUint64(offset, BigInt(value), le);
  return out;
}

const simple = (is64: boolean, le: boolean) =>
  buildTinyElf({
    is64,
    le,
    machine: is64 ? undefined : EM_386,
    sections: [
      { name: '.text', type: SHT_PROGBITS, flags: SHF_ALLOC, data: Uint8Array.of(1, 2, 3, 4), addralign: 16 },
      {
        name: '.data',
        type: SHT_PROGBITS,
        flags: SHF_ALLOC | SHF_WRITE,
        data: Uint8Array.of(9),
        addralign: 4,
        entsize: 8,
      },
      { name: '.bss', type: SHT_NOBITS, flags: SHF_ALLOC | SHF_WRITE, size: 4096, addralign: 32 },
    ],
  });

describe('ElfFile header and section table', () => {
  for (const [is64, le] of [
    [true, true],
    [true, false],
    [false, true],
    [false, false],
  ] as const) {
    it(`reads ELF${is64 ? 64 : 32} ${le ? 'LSB' : 'MSB'} through elfy with exact fields`, () => {
      const f = parse(simple(is64, le));
      expect(f.parsedBy).toBe('elfy');
      expect(f.header.is64).toBe(is64);
      expect(f.header.littleEndian).toBe(le);
      expect(f.header.machine).toBe(is64 ? 62 : EM_386);
      expect(f.sections.map((s) => s.name)).toEqual(['', '.text', '.data', '.bss', '.shstrtab']);
      const [, text, data, bss, shstrtab] = f.sections;
      expect([text.addralign, text.entsize, data.addralign, data.entsize]).toEqual([16, 0, 4, 8]);
      expect([bss.type, bss.size, bss.addralign]).toEqual([SHT_NOBITS, 4096, 32]);
      expect(shstrtab.type).toBe(SHT_STRTAB);
      const bytes = f.sectionData(text);
      expect(bytes.ok && [...bytes.value]).toEqual([1, 2, 3, 4]);
      const nobits = f.sectionData(bss);
      expect(nobits.ok && nobits.value.length).toBe(0);
    });
  }

  it('regression: ELF64 sh_addralign/sh_entsize come from offsets 48/56, not elfy’s 46/54', () => {
    // elfy reads a u64 at 46 and 54: with addralign = 0x10 and entsize = 0x18 its reads give
    // 0x10 << 16 = 0x100000 and (0x18 << 16) | (sh_entsize of the header's high bytes) — never 16/24.
    const f = parse(
      buildTinyElf({
        sections: [{ name: '.rela.x', type: 4, data: new Uint8Array(48), addralign: 16, entsize: 24 }],
      }),
    );
    expect(f.parsedBy).toBe('elfy');
    expect(f.sections[1].addralign).toBe(16);
    expect(f.sections[1].entsize).toBe(24);
    const v = new DataView(f.bytes.buffer, f.bytes.byteOffset);
    const elfyAlign = Number(v.getBigUint64(f.sections[1].headerOffset + 46, true));
    expect(elfyAlign).not.toBe(16);
  });

  it('keeps 64-bit addresses exact as bigint and flags split in words', () => {
    const bytes = buildTinyElf({
      sections: [
        {
          name: '.x',
          type: SHT_PROGBITS,
          flags: (SHF_ALLOC | SHF_EXCLUDE) >>> 0,
          addr: 0xffffffffc0001234n,
          data: new Uint8Array(1),
        },
      ],
    });
    const f = parse(bytes);
    expect(f.sections[1].addr).toBe(0xffffffffc0001234n);
    expect(f.sections[1].flags).toBe((SHF_ALLOC | SHF_EXCLUDE) >>> 0);
    expect(f.sections[1].flagsHigh).toBe(0);
  });

  it('falls back to its own parse when elfy rejects a valid file (e_shstrndx = SHN_UNDEF)', () => {
    const bytes = simple(true, true);
    const f = parse(patch(bytes, 62, 0, 2));
    expect(f.parsedBy).toBe('own');
    expect(f.fallbackReason).toMatch(/elfy/);
    expect(f.sections.every((s) => s.name === '')).toBe(true);
    expect(f.sections[1].addralign).toBe(16);
  });

  it('honours assumeClass/assumeLittleEndian the way a kernel ignores e_ident', () => {
    const bytes = patch(simple(true, true), 4, 0, 1); // EI_CLASS = ELFCLASSNONE
    const bad = ElfFile.parse(bytes);
    expect(!bad.ok && bad.error.kind).toBe('bad-class');
    const forced = ElfFile.parse(bytes, { assumeClass: 64 });
    expect(forced.ok && forced.value.parsedBy).toBe('own');
    expect(forced.ok && forced.value.sections.map((s) => s.name)).toEqual([
      '',
      '.text',
      '.data',
      '.bss',
      '.shstrtab',
    ]);
  });

  it('finds sections by name, first match first', () => {
    const image = buildTinyElf({
      sections: [
        { name: '.modinfo', type: SHT_PROGBITS, data: Uint8Array.of(1) },
        { name: '.modinfo', type: SHT_PROGBITS, data: Uint8Array.of(2) },
        { name: '.text', type: SHT_PROGBITS, data: Uint8Array.of(3) },
        { name: '.modinfo', type: SHT_PROGBITS, data: Uint8Array.of(4) },
      ],
    });
    // The first lookups of a file scan the table, later ones use the name index: the same answers throughout.
    const scanned = parse(image);
    for (let round = 0; round < 20; round++) {
      expect(scanned.sectionByName('.modinfo')?.index, `round ${round}`).toBe(1);
      expect(scanned.sectionByName('.text')?.index, `round ${round}`).toBe(3);
      expect(scanned.sectionByName('.nope'), `round ${round}`).toBeUndefined();
    }
    const f = parse(image);
    expect(f.sectionsByName('.modinfo').map((s) => s.index)).toEqual([1, 2, 4]);
    expect(f.sectionByName('.modinfo')?.index).toBe(1);
    expect(f.sectionsByName('.text').map((s) => s.index)).toEqual([3]);
    expect(f.sectionByName('.text')?.index).toBe(3);
    expect(f.sectionByName('.nope')).toBeUndefined();
    expect(f.sectionsByName('.nope')).toEqual([]);
  });

  it('caps decoded strings at MAX_STRING_LENGTH', () => {
    const long = 'x'.repeat(MAX_STRING_LENGTH + 100);
    const f = parse(buildTinyElf({ sections: [{ name: long, type: SHT_PROGBITS, data: Uint8Array.of(0) }] }));
    expect(f.sections[1].name.length).toBeLessThanOrEqual(MAX_STRING_LENGTH);
    expect(long.startsWith(f.sections[1].name)).toBe(true);
  });
});

describe('ElfFile errors', () => {
  const good = simple(true, true);
  it.each([
    ['empty input', new Uint8Array(0), 'truncated'],
    ['short e_ident', good.subarray(0, 10), 'truncated'],
    ['bad magic', patch(good, 1, 0x46, 1), 'bad-magic'],
    ['bad class', patch(good, 4, 7, 1), 'bad-class'],
    ['bad data encoding', patch(good, 5, 3, 1), 'bad-encoding'],
    ['header cut', good.subarray(0, 40), 'truncated'],
    ['e_shentsize', patch(good, 58, 63, 2), 'bad-header'],
    ['e_shoff past the end', patch(good, 40, good.length, 8), 'truncated'],
    ['e_shoff huge', patch(good, 40, 2 ** 60, 8), 'truncated'],
    ['e_shnum too large', patch(good, 60, 0xffff, 2), 'truncated'],
  ] as const)('%s → %s', (_label, bytes, kind) => {
    const r = ElfFile.parse(bytes);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.kind).toBe(kind);
  });

  it('checks each section range when its data is read', () => {
    const f = parse(good);
    const text = f.sections[1];
    const moved = { ...text, offset: f.bytes.length - 2 };
    const r = f.sectionData(moved);
    expect(!r.ok && r.error.kind).toBe('bad-section');
    const huge = { ...text, size: 2 ** 62 };
    expect(f.sectionData(huge).ok).toBe(false);
  });

  it('readElfHeader reads the header alone so callers can order their own checks', () => {
    const h = readElfHeader(patch(patch(good, 16, 2, 2), 18, EM_PARISC, 2));
    expect(h.ok && [h.value.type, h.value.machine]).toEqual([2, EM_PARISC]);
  });
});

describe('StringTable', () => {
  const table = (bytes: Uint8Array) =>
    new StringTable(bytes, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));

  it('reads strings of an ASCII table up to the NUL, the end or MAX_STRING_LENGTH bytes', () => {
    const long = 'y'.repeat(MAX_STRING_LENGTH + 300);
    const t = table(Buffer.from(`\0alpha\0beta\0${long}\0tail`, 'latin1'));
    expect([t.get(0), t.get(1), t.get(3), t.get(7)]).toEqual(['', 'alpha', 'pha', 'beta']);
    expect(t.get(12)).toBe('y'.repeat(MAX_STRING_LENGTH));
    expect(t.get(12 + long.length + 1)).toBe('tail');
    expect([t.get(-1), t.get(1.5), t.get(t.size)]).toEqual([undefined, undefined, undefined]);
    // Many requests into one long run: every one still capped (after the first ones, by the bounded scan).
    for (let k = 0; k < 200; k++) expect(t.get(12 + k)).toBe('y'.repeat(MAX_STRING_LENGTH));
  });

  it('decodes a table with non-ASCII bytes as UTF-8, string by string', () => {
    const t = table(Buffer.from('\0caf\u00e9\0\u00fcber', 'utf8'));
    expect([t.get(1), t.get(7)]).toEqual(['caf\u00e9', '\u00fcber']);
  });
});
