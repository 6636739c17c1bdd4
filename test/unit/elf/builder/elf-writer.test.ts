/**
 * ElfWriter in both classes and byte orders, REL and RELA, both table orders: readelf reads what it writes,
 * symbols come out locals first (file, section, other), relocations sorted by offset, sizes and links right.
 */
import { describe, expect, it } from 'vitest';
import {
  EM_386,
  EM_IA_64,
  EM_X86_64,
  SHF_ALLOC,
  SHF_EXECINSTR,
  SHF_WRITE,
  SHN_ABS,
  SHN_COMMON,
  SHT_NOBITS,
  SHT_PROGBITS,
  STB_GLOBAL,
  STB_LOCAL,
  STB_WEAK,
  STT_FILE,
  STT_FUNC,
  STT_OBJECT,
} from '../../../../src/abi/elf.js';
import { ElfWriter, type TableOrder } from '../../../../src/elf/builder/elf-writer.js';
import { ElfFile } from '../../../../src/elf/elf-file.js';
import { type DiffCounts, diffAgainstReadelf } from '../support/readelf-diff.js';
import { haveTool, readelfImage } from './support/tools.js';

interface Variant {
  readonly elfClass: 32 | 64;
  readonly littleEndian: boolean;
  readonly machine: number;
  readonly rela: boolean;
  readonly tableOrder: TableOrder;
  readonly relocType: string;
  readonly type: number;
}

const VARIANTS: readonly Variant[] = [
  {
    elfClass: 64,
    littleEndian: true,
    machine: EM_X86_64,
    rela: true,
    tableOrder: 'ld',
    relocType: 'R_X86_64_64',
    type: 1,
  },
  {
    elfClass: 32,
    littleEndian: true,
    machine: EM_386,
    rela: false,
    tableOrder: 'bfd-legacy',
    relocType: 'R_386_32',
    type: 1,
  },
  {
    elfClass: 64,
    littleEndian: false,
    machine: EM_IA_64,
    rela: true,
    tableOrder: 'ld',
    relocType: 'R_IA64_DIR64MSB',
    type: 0x26,
  },
  {
    elfClass: 32,
    littleEndian: false,
    machine: EM_386,
    rela: true,
    tableOrder: 'bfd-legacy',
    relocType: 'R_386_32',
    type: 1,
  },
];

function build(v: Variant): Uint8Array {
  const w = new ElfWriter({ ...v });
  const text = w.addSection({
    name: '.text',
    type: SHT_PROGBITS,
    flags: SHF_ALLOC | SHF_EXECINSTR,
    addralign: 16,
    data: new Uint8Array(32),
  });
  const data = w.addSection({
    name: '.data',
    type: SHT_PROGBITS,
    flags: SHF_ALLOC | SHF_WRITE,
    addralign: 8,
  });
  data.data = new Uint8Array(24);
  const bss = w.addSection({
    name: '.bss',
    type: SHT_NOBITS,
    flags: SHF_ALLOC | SHF_WRITE,
    addralign: 8,
    size: 100,
  });
  // Globals first on purpose: the writer must put locals before them.
  const f = w.addSymbol({ name: 'f', bind: STB_GLOBAL, type: STT_FUNC, section: text, value: 16, size: 4 });
  w.addSymbol({ name: 'weak', bind: STB_WEAK, type: STT_OBJECT, section: data, value: 8, size: 8 });
  w.addSymbol({
    name: 'common',
    bind: STB_GLOBAL,
    type: STT_OBJECT,
    section: SHN_COMMON,
    value: 4,
    size: 12,
  });
  const ext = w.undefinedSymbol('ext', STB_GLOBAL);
  expect(w.undefinedSymbol('ext', STB_GLOBAL)).toBe(ext);
  w.addSymbol({ name: 'counter', bind: STB_LOCAL, type: STT_OBJECT, section: bss, value: 0, size: 4 });
  w.addSymbol({ name: 'x.c', bind: STB_LOCAL, type: STT_FILE, section: SHN_ABS });
  // Relocations out of order, against a section symbol (created after text's), a global and an undefined one.
  w.addRelocation(data, { offset: 16, symbol: ext, type: v.type, addend: 0 });
  w.addRelocation(data, { offset: 0, symbol: w.sectionSymbol(bss), type: v.type, addend: 4 });
  w.addRelocation(data, { offset: 8, symbol: f, type: v.type, addend: 0 });
  w.sectionSymbol(text);
  return w.build().bytes;
}

describe.skipIf(!haveTool('readelf'))('ElfWriter under readelf', () => {
  it.each(
    VARIANTS.map(
      (v) =>
        [
          `${v.elfClass}-bit ${v.littleEndian ? 'LSB' : 'MSB'} ${v.rela ? 'RELA' : 'REL'} ${v.tableOrder}`,
          v,
        ] as const,
    ),
  )('%s', (_, v) => {
    const img = build(v);
    const re = readelfImage(img);
    expect(re.status).toBe(0);
    expect(re.stderr).toBe('');
    const rel = v.rela ? '.rela.data' : '.rel.data';
    const tables =
      v.tableOrder === 'ld' ? ['.symtab', '.strtab', '.shstrtab'] : ['.shstrtab', '.symtab', '.strtab'];
    expect(re.parsed.sections.map((s) => s.name)).toEqual(['', '.text', '.data', rel, '.bss', ...tables]);
    expect(re.parsed.sections.find((s) => s.name === '.bss')?.size).toBe(100);
    const r = re.parsed.sections.find((s) => s.name === rel);
    expect(r?.entsize).toBe(v.elfClass === 64 ? (v.rela ? 24 : 16) : v.rela ? 12 : 8);
    expect(r?.info).toBe(2);
    expect(re.parsed.sections[r?.link ?? 0]?.name).toBe('.symtab');
    expect(re.parsed.symbols.map((s) => [s.name, s.type, s.bind, s.ndx])).toEqual([
      ['', 'NOTYPE', 'LOCAL', 'UND'],
      ['x.c', 'FILE', 'LOCAL', 'ABS'],
      ['.text', 'SECTION', 'LOCAL', '1'],
      ['.bss', 'SECTION', 'LOCAL', '4'],
      ['counter', 'OBJECT', 'LOCAL', '4'],
      ['f', 'FUNC', 'GLOBAL', '1'],
      ['weak', 'OBJECT', 'WEAK', '2'],
      ['common', 'OBJECT', 'GLOBAL', 'COM'],
      ['ext', 'NOTYPE', 'GLOBAL', 'UND'],
    ]);
    expect(re.parsed.sections.find((s) => s.name === '.symtab')?.info).toBe(5);
    const entries = re.parsed.relocations.find((x) => x.name === rel)?.entries ?? [];
    expect(entries.map((e) => [Number(e.offset), e.type, e.symName])).toEqual([
      [0, v.relocType, '.bss'],
      [8, v.relocType, 'f'],
      [16, v.relocType, 'ext'],
    ]);
    if (v.rela) expect(entries.map((e) => Number(e.addend))).toEqual([4, 0, 0]);
    const file = ElfFile.parse(img);
    if (!file.ok) throw new Error(file.error.message);
    expect(file.value.header.is64).toBe(v.elfClass === 64);
    expect(file.value.header.littleEndian).toBe(v.littleEndian);
    const counts: DiffCounts = { sections: 0, symbols: 0, relocations: 0, modinfo: 0 };
    expect(diffAgainstReadelf(file.value, re.parsed, counts)).toEqual([]);
    expect(counts.symbols).toBe(9);
  });

  it('raises a section alignment set after creation and places its contents accordingly', () => {
    const w = new ElfWriter({ elfClass: 64, littleEndian: true, machine: EM_X86_64, rela: true });
    w.addSection({ name: '.a', type: SHT_PROGBITS, flags: SHF_ALLOC, addralign: 1, data: new Uint8Array(3) });
    const b = w.addSection({
      name: '.b',
      type: SHT_PROGBITS,
      flags: SHF_ALLOC,
      addralign: 1,
      data: new Uint8Array(5),
    });
    b.addralign = 64;
    const out = w.build();
    expect(out.offsetOf(b) % 64).toBe(0);
    const re = readelfImage(out.bytes);
    expect(re.parsed.sections.find((s) => s.name === '.b')).toMatchObject({
      addralign: 64,
      offset: out.offsetOf(b),
    });
  });
});
