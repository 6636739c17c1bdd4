import { describe, expect, it } from 'vitest';
import {
  EM_386,
  EM_IA_64,
  EM_X86_64,
  R_386_PC32,
  R_IA64_DIR64LSB,
  R_X86_64_PLT32,
  SHF_ALLOC,
  SHF_EXECINSTR,
  SHF_INFO_LINK,
  SHF_MERGE,
  SHF_STRINGS,
  SHF_WRITE,
  SHT_PROGBITS,
  SHT_RELA,
  SHT_STRTAB,
  SHT_SYMTAB,
} from '../../../src/abi/elf.js';
import { ElfFile } from '../../../src/elf/elf-file.js';
import { relocationTypeName, sectionFlagLetters, sectionTypeName } from '../../../src/elf/inspect.js';
import { readModinfo } from '../../../src/elf/modinfo.js';
import { readParams } from '../../../src/elf/params.js';
import { RelocationIndex, RelocationSection, readRelocationSections } from '../../../src/elf/relocations.js';
import { SymbolTable } from '../../../src/elf/symbols.js';
import { readThisModule } from '../../../src/elf/this-module.js';
import { readExtendedVersions, readVersions } from '../../../src/elf/versions.js';
import { buildTinyElf, makeStrtab, relocBytes, symtabBytes, type TinySection } from './fixtures/tiny-elf.js';

function file(sections: TinySection[], is64 = true): ElfFile {
  const r = ElfFile.parse(buildTinyElf({ is64, sections }));
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const strtab = makeStrtab(['alpha', 'beta']);
const symtab = (link: number | string = '.strtab'): TinySection => ({
  name: '.symtab',
  type: SHT_SYMTAB,
  data: symtabBytes(true, true, [
    { name: 0 },
    { name: strtab.offsets.get('alpha') ?? 0, shndx: 1 },
    { name: 999 },
  ]),
  link,
  entsize: 24,
});

describe('symbol table reader', () => {
  it('fails with missing-section when there is no SHT_SYMTAB', () => {
    const r = SymbolTable.read(file([{ name: '.text', type: SHT_PROGBITS, data: new Uint8Array(4) }]));
    expect(!r.ok && r.error.kind).toBe('missing-section');
  });

  it('fails with bad-section when sh_link is not a section', () => {
    const r = SymbolTable.read(file([symtab(0), { name: '.strtab', type: SHT_STRTAB, data: strtab.data }]));
    expect(!r.ok && r.error.kind).toBe('bad-section');
  });

  it('leaves an out-of-range st_name undefined instead of failing the table', () => {
    const r = SymbolTable.read(file([symtab(), { name: '.strtab', type: SHT_STRTAB, data: strtab.data }]));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.name(1)).toBe('alpha');
    expect(r.value.name(2)).toBeUndefined();
    expect(r.value.nameOffset(2)).toBe(999);
    expect(r.value.strings.size).toBe(strtab.data.length);
    expect(r.value.strings.isNulTerminated).toBe(true);
    expect(r.value.undefinedCount()).toBe(1);
  });
});

describe('relocation reader', () => {
  const rela = relocBytes(true, true, true, [
    { offset: 8, sym: 1, type: R_X86_64_PLT32, addend: -4 },
    { offset: 0x10, sym: 2, type: 1, addend: 2 ** 40 },
    { offset: 8, sym: 2, type: 2, addend: 0 },
  ]);
  const f = file([
    { name: '.text', type: SHT_PROGBITS, flags: SHF_ALLOC | SHF_EXECINSTR, data: new Uint8Array(32) },
    {
      name: '.rela.text',
      type: SHT_RELA,
      flags: SHF_INFO_LINK,
      data: rela,
      link: '.symtab',
      info: 1,
      entsize: 24,
    },
    symtab(),
    { name: '.strtab', type: SHT_STRTAB, data: strtab.data },
  ]);

  it('splits r_info and keeps signed and large addends', () => {
    const [r] = (() => {
      const x = readRelocationSections(f);
      if (!x.ok) throw new Error(x.error.message);
      return x.value;
    })();
    expect(r.count).toBe(3);
    expect([r.offset(0), r.symbolIndex(0), r.type(0), r.addend(0), r.addendNumber(0)]).toEqual([
      8,
      1,
      R_X86_64_PLT32,
      -4n,
      -4,
    ]);
    expect(r.addend(1)).toBe(2n ** 40n);
    expect(r.countsByType().get(R_X86_64_PLT32)).toBe(1);
    expect(r.targetSection).toBe(1);
    // The index returns the first entry at an offset.
    expect(new RelocationIndex([r]).at(1, 8)?.index).toBe(0);
  });

  it('refuses a section that is not REL/RELA', () => {
    const r = RelocationSection.read(f, f.sections[1]);
    expect(!r.ok && r.error.kind).toBe('bad-section');
  });
});

describe('metadata readers on malformed sections', () => {
  it('readParams rejects a __param that is not whole entries', () => {
    const f = file([
      { name: '__param', type: SHT_PROGBITS, flags: SHF_ALLOC, data: new Uint8Array(41) },
      symtab(),
      { name: '.strtab', type: SHT_STRTAB, data: strtab.data },
    ]);
    const syms = SymbolTable.read(f);
    if (!syms.ok) throw new Error(syms.error.message);
    const r = readParams(f, syms.value, new RelocationIndex([]));
    expect(!r.ok && r.error.kind).toBe('bad-param');
  });

  it('readThisModule rejects a section too small for struct module.name', () => {
    const f = file([{ name: '.gnu.linkonce.this_module', type: SHT_PROGBITS, data: new Uint8Array(30) }]);
    const r = readThisModule(f);
    expect(!r.ok && r.error.kind).toBe('bad-this-module');
  });

  it('readThisModule reports an unterminated name field', () => {
    const data = new Uint8Array(24 + 56).fill(0x61);
    const r = readThisModule(file([{ name: '.gnu.linkonce.this_module', type: SHT_PROGBITS, data }]));
    expect(r.ok && r.value?.name).toBe('a'.repeat(56));
    expect(r.ok && r.value?.nameTerminated).toBe(false);
  });

  it('readVersions floors to whole entries and reports the rest', () => {
    const data = new Uint8Array(64 + 10);
    data.set(Buffer.from('sym'), 8);
    const r = readVersions(file([{ name: '__versions', type: SHT_PROGBITS, data }]));
    expect(r.ok && r.value?.entries.map((e) => e.name)).toEqual(['sym']);
    expect(r.ok && r.value?.trailingBytes).toBe(10);
    expect(readVersions(file([{ name: '.x', type: SHT_PROGBITS, data }])).ok).toBe(true);
  });

  it('readVersions decodes each name up to its NUL or the end of its field, UTF-8 where it is not ASCII', () => {
    const data = new Uint8Array(64 * 4);
    const put = (k: number, crc: number, name: Uint8Array) => {
      new DataView(data.buffer).setUint32(k * 64, crc, true);
      data.set(name, k * 64 + 8);
    };
    put(0, 0x11, Buffer.from('module_layout'));
    put(1, 0x22, Buffer.from('caf\u00e9_fn', 'utf8'));
    put(2, 0x33, Buffer.alloc(56, 0x78));
    put(3, 0x44, Buffer.from('x\0trailing'));
    const r = readVersions(file([{ name: '__versions', type: SHT_PROGBITS, data }]));
    expect(r.ok && r.value?.entries.map((e) => [e.name, e.crc])).toEqual([
      ['module_layout', 0x11],
      ['caf\u00e9_fn', 0x22],
      ['x'.repeat(56), 0x33],
      ['x', 0x44],
    ]);
    expect(r.ok && r.value?.find('caf\u00e9_fn')?.crc).toBe(0x22);
  });

  it('readVersions answers by name with the first entry, CRC halves apart, as check_version compares them', () => {
    const data = new Uint8Array(64 * 3);
    const v = new DataView(data.buffer);
    v.setUint32(0, 0x11, true);
    v.setUint32(4, 0x1, true); // high half set: never equal to a u32 CRC
    data.set(Buffer.from('dup'), 8);
    v.setUint32(64, 0x22, true);
    data.set(Buffer.from('dup'), 64 + 8);
    v.setUint32(128, 0x33, true);
    data.set(Buffer.from('other'), 128 + 8);
    const r = readVersions(file([{ name: '__versions', type: SHT_PROGBITS, data }]));
    if (!r.ok || r.value === undefined) throw new Error('no versions');
    const vers = r.value;
    expect(vers.count).toBe(3);
    expect(vers.indexOf('dup')).toBe(0);
    expect([vers.crc(0), vers.crcHigh(0)]).toEqual([0x11, 1]);
    expect(vers.indexOf('other')).toBe(2);
    expect([vers.crc(2), vers.crcHigh(2)]).toEqual([0x33, 0]);
    expect(vers.indexOf('missing')).toBe(-1);
    expect(vers.find('dup')).toEqual({ offset: 0, name: 'dup', crc: 0x11, crcHigh: 1 });
    expect(vers.entries.map((e) => e.offset)).toEqual([0, 64, 128]);
    for (const bad of [-1, 3, 1.5, Number.NaN]) {
      expect(vers.entry(bad)).toBeUndefined();
      expect(vers.crc(bad)).toBeUndefined();
      expect(vers.crcHigh(bad)).toBeUndefined();
    }
  });

  it('readExtendedVersions pairs CRCs with names and rejects a lone half', () => {
    const crcs = Uint8Array.of(1, 0, 0, 0, 2, 0, 0, 0);
    const names = Uint8Array.from(Buffer.from('a_very_long_rust_symbol\0b\0'));
    const both = readExtendedVersions(
      file([
        { name: '__version_ext_crcs', type: SHT_PROGBITS, flags: SHF_ALLOC, data: crcs },
        { name: '__version_ext_names', type: SHT_PROGBITS, flags: SHF_ALLOC, data: names },
      ]),
    );
    expect(both.ok && both.value).toEqual({ crcs: [1, 2], names: ['a_very_long_rust_symbol', 'b'] });
    const half = readExtendedVersions(file([{ name: '__version_ext_crcs', type: SHT_PROGBITS, data: crcs }]));
    expect(!half.ok && half.error.kind).toBe('bad-versions');
    expect(readExtendedVersions(file([])).ok).toBe(true);
  });

  it('readModinfo yields an empty list without .modinfo and keeps an unterminated last string', () => {
    const none = readModinfo(file([]));
    expect(none.ok && none.value.entries).toEqual([]);
    const tail = readModinfo(
      file([{ name: '.modinfo', type: SHT_PROGBITS, data: Uint8Array.from(Buffer.from('a=1\0\0b=2')) }]),
    );
    expect(tail.ok && tail.value.pairs()).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
    expect(tail.ok && tail.value.entries.map((e) => e.offset)).toEqual([0, 5]);
  });

  it('readModinfo decodes UTF-8 strings as UTF-8 and keeps a string without = as text alone', () => {
    const r = readModinfo(
      file([
        {
          name: '.modinfo',
          type: SHT_PROGBITS,
          data: Uint8Array.from(Buffer.from('author=Ren\u00e9 \u00c7a\0license=GPL\0flag\0', 'utf8')),
        },
      ]),
    );
    expect(r.ok && r.value.get('author')).toBe('Ren\u00e9 \u00c7a');
    expect(r.ok && r.value.get('license')).toBe('GPL');
    expect(r.ok && r.value.entries.map((e) => [e.text, e.key])).toEqual([
      ['author=Ren\u00e9 \u00c7a', 'author'],
      ['license=GPL', 'license'],
      ['flag', undefined],
    ]);
  });
});

describe('readelf spellings', () => {
  it('names section types like readelf', () => {
    expect(sectionTypeName(SHT_RELA, EM_X86_64)).toBe('RELA');
    expect(sectionTypeName(0x70000001, EM_X86_64)).toBe('X86_64_UNWIND');
    expect(sectionTypeName(0x70000001, EM_IA_64)).toBe('IA_64_UNWIND');
    expect(sectionTypeName(0x6ffffff6, EM_X86_64)).toBe('GNU_HASH');
    expect(sectionTypeName(0x70000005, EM_386)).toBe('LOPROC+5');
  });

  it('writes flag letters lowest bit first', () => {
    expect(sectionFlagLetters(SHF_ALLOC | SHF_MERGE | SHF_STRINGS, EM_X86_64)).toBe('AMS');
    expect(sectionFlagLetters(SHF_WRITE | SHF_ALLOC, EM_X86_64)).toBe('WA');
    expect(sectionFlagLetters(SHF_INFO_LINK, EM_X86_64)).toBe('I');
    expect(sectionFlagLetters(0x10000002, EM_X86_64)).toBe('Al');
    expect(sectionFlagLetters(0x8, EM_X86_64)).toBe('x');
    expect(sectionFlagLetters(0, EM_X86_64)).toBe('');
  });

  it('names relocation types per machine', () => {
    expect(relocationTypeName(EM_X86_64, R_X86_64_PLT32)).toBe('R_X86_64_PLT32');
    expect(relocationTypeName(EM_386, R_386_PC32)).toBe('R_386_PC32');
    expect(relocationTypeName(EM_IA_64, R_IA64_DIR64LSB)).toBe('R_IA64_DIR64LSB');
    expect(relocationTypeName(EM_X86_64, 200)).toBe('unrecognized: c8');
  });
});
