/**
 * The mutators hit the field they name — checked by reading the mutated image back with the src/elf reader —
 * in all four class/byte-order combinations the builders write, leave their input alone, and are
 * deterministic under a seed.
 */
import { describe, expect, it } from 'vitest';
import { buildDlkmObject } from '../../../../src/elf/builder/dlkm-object-builder.js';
import { buildI386Object } from '../../../../src/elf/builder/i386-object-builder.js';
import { buildKo } from '../../../../src/elf/builder/ko-builder.js';
import type { ModuleSpec } from '../../../../src/elf/builder/module-spec.js';
import { ElfFile, readElfHeader } from '../../../../src/elf/elf-file.js';
import { describeImage } from '../../../../src/elf/mutate/image-layout.js';
import { applyMutation, applyMutations } from '../../../../src/elf/mutate/image-mutation.js';
import { mutateImage } from '../../../../src/elf/mutate/random-mutation.js';
import { readRelocationSections } from '../../../../src/elf/relocations.js';
import { SymbolTable } from '../../../../src/elf/symbols.js';

const SPEC: ModuleSpec = {
  name: 'm',
  imports: ['a', { name: 'b', kind: 'data' }],
  exports: ['e'],
  params: [{ name: 'p', type: 'int', default: 1 }],
};

const BASES = [
  ['ko (ELF64 LSB RELA)', buildKo(SPEC)],
  ['i386 2.4 (ELF32 LSB REL)', buildI386Object(SPEC, { era: '2.4' })],
  ['DLKM (ELF64 MSB RELA)', buildDlkmObject(SPEC)],
] as const;

function parse(b: Uint8Array): ElfFile {
  const f = ElfFile.parse(b);
  if (!f.ok) throw new Error(f.error.message);
  return f.value;
}

describe.each(BASES)('mutators on %s', (_, base) => {
  const layout = describeImage(base);
  if (layout === undefined) throw new Error('base unreadable');
  const file = parse(base);

  it('describes the image: section headers, symbol table and relocation tables', () => {
    expect(layout.shnum).toBe(file.sections.length);
    expect(layout.is64).toBe(file.is64);
    expect(layout.littleEndian).toBe(file.littleEndian);
    const syms = SymbolTable.read(file);
    if (!syms.ok) throw new Error(syms.error.message);
    expect(layout.symtab?.count).toBe(syms.value.count);
    const rels = readRelocationSections(file);
    if (!rels.ok) throw new Error(rels.error.message);
    expect(layout.relocations.map((r) => r.count)).toEqual(rels.value.map((r) => r.count));
  });

  it('sets header fields', () => {
    const m = applyMutation(base, { kind: 'header', field: 'e_machine', value: 0x1234n }, layout);
    expect(readElfHeader(m).ok && readElfHeader(m)).toMatchObject({ value: { machine: 0x1234 } });
    const n = applyMutation(base, { kind: 'header', field: 'e_shstrndx', value: 7n });
    const h = readElfHeader(n);
    expect(h.ok && h.value.shstrndx).toBe(7);
    // Values are truncated to the field: a 2-byte field keeps the low 16 bits.
    const t = readElfHeader(applyMutation(base, { kind: 'header', field: 'e_shnum', value: 0x10003n }));
    expect(t.ok && t.value.shnum).toBe(3);
  });

  it('sets section header fields (offsets, sizes, links, string indices)', () => {
    const i = file.sections.findIndex((s) => s.name === '.data');
    for (const [field, key, v] of [
      ['sh_size', 'size', 12345],
      ['sh_offset', 'offset', 99],
      ['sh_link', 'link', 3],
      ['sh_info', 'info', 4],
      ['sh_addralign', 'addralign', 64],
      ['sh_entsize', 'entsize', 24],
      ['sh_name', 'nameOffset', 1],
      ['sh_type', 'type', 8],
    ] as const) {
      const m = parse(applyMutation(base, { kind: 'section', index: i, field, value: BigInt(v) }, layout));
      expect(m.sections[i][key], field).toBe(v);
      expect(m.sections.filter((_, k) => k !== i)).toEqual(file.sections.filter((_, k) => k !== i));
    }
  });

  it('sets symbol fields', () => {
    const syms = SymbolTable.read(file);
    if (!syms.ok) throw new Error(syms.error.message);
    const i = syms.value.indexOf('e') ?? -1;
    const read = (b: Uint8Array) => {
      const s = SymbolTable.read(parse(b));
      if (!s.ok) throw new Error(s.error.message);
      return s.value.get(i);
    };
    expect(
      read(applyMutation(base, { kind: 'symbol', index: i, field: 'st_shndx', value: 0xfff1n }, layout))
        .shndx,
    ).toBe(0xfff1);
    expect(
      read(applyMutation(base, { kind: 'symbol', index: i, field: 'st_value', value: 77n }, layout)).value,
    ).toBe(77n);
    expect(
      read(applyMutation(base, { kind: 'symbol', index: i, field: 'st_name', value: 1n }, layout)).nameOffset,
    ).toBe(1);
    expect(
      read(applyMutation(base, { kind: 'symbol', index: i, field: 'st_info', value: 0x22n }, layout)).bind,
    ).toBe(2);
  });

  it('sets relocation type, symbol index, offset and (RELA) addend', () => {
    const rels = readRelocationSections(file);
    if (!rels.ok) throw new Error(rels.error.message);
    const t = 0;
    const before = rels.value[t];
    const read = (b: Uint8Array) => {
      const r = readRelocationSections(parse(b));
      if (!r.ok) throw new Error(r.error.message);
      return r.value[t];
    };
    const typ = read(
      applyMutation(base, { kind: 'relocation', table: t, index: 0, field: 'r_type', value: 0x2an }, layout),
    );
    expect(typ.type(0)).toBe(0x2a);
    expect(typ.symbolIndex(0)).toBe(before.symbolIndex(0));
    const sym = read(
      applyMutation(base, { kind: 'relocation', table: t, index: 0, field: 'r_sym', value: 0x123n }, layout),
    );
    expect(sym.symbolIndex(0)).toBe(0x123);
    expect(sym.type(0)).toBe(before.type(0));
    const off = read(
      applyMutation(
        base,
        { kind: 'relocation', table: t, index: 0, field: 'r_offset', value: 0x4000n },
        layout,
      ),
    );
    expect(off.offset(0)).toBe(0x4000);
    const add = applyMutation(
      base,
      { kind: 'relocation', table: t, index: 0, field: 'r_addend', value: 2n ** 64n - 8n },
      layout,
    );
    if (before.isRela) expect(read(add).addend(0)).toBe(-8n);
    else expect(Buffer.from(add).equals(Buffer.from(base))).toBe(true);
  });

  it('truncates, flips, ignores fields the image lacks, and never touches its input', () => {
    const copy = base.slice();
    expect(applyMutation(base, { kind: 'truncate', length: 100 })).toHaveLength(100);
    const f = applyMutation(base, { kind: 'flip', offset: 3, xor: 0x40 });
    expect(f[3]).toBe(base[3] ^ 0x40);
    expect(
      Buffer.from(
        applyMutation(base, { kind: 'section', index: 10_000, field: 'sh_size', value: 1n }),
      ).equals(Buffer.from(base)),
    ).toBe(true);
    expect(
      Buffer.from(applyMutation(base, { kind: 'flip', offset: base.length + 5, xor: 1 })).equals(
        Buffer.from(base),
      ),
    ).toBe(true);
    expect(Buffer.from(base).equals(Buffer.from(copy))).toBe(true);
    // Several mutations: each is applied; a later truncation keeps the earlier change.
    const many = applyMutations(base, [
      { kind: 'flip', offset: 1, xor: 1 },
      { kind: 'truncate', length: 64 },
    ]);
    expect(many).toHaveLength(64);
    expect(many[1]).toBe(base[1] ^ 1);
  });

  it('gives the same random mutations for the same seed and different ones across seeds', () => {
    const a = mutateImage(base, 42, 3);
    const b = mutateImage(base, 42, 3);
    expect(b.mutations).toEqual(a.mutations);
    expect(Buffer.from(b.image).equals(Buffer.from(a.image))).toBe(true);
    const kinds = new Set(Array.from({ length: 200 }, (_, s) => mutateImage(base, s).mutations[0].kind));
    expect(kinds).toEqual(new Set(['truncate', 'flip', 'header', 'section', 'symbol', 'relocation']));
  });
});
