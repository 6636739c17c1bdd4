/**
 * buildI386Object checked with readelf and objdump: the conventions of 2.4 objects (`.modinfo`
 * `kernel_version`/`parm_`, `__ksymtab` + `.kstrtab` with REL `R_386_32`) and of 2.0/1.x objects
 * (`kernel_version` variable, `Using_Versions`, `mod_use_count_`), modversions names, REL addends in place.
 */
import { describe, expect, it } from 'vitest';
import {
  buildI386Object,
  legacyParmSpec,
  versionedName,
} from '../../../../src/elf/builder/i386-object-builder.js';
import type { ModuleSpec } from '../../../../src/elf/builder/module-spec.js';
import { ModuleSpecError } from '../../../../src/elf/builder/resolve-module-spec.js';
import { defaultSymbolCrc } from '../../../../src/elf/builder/symbol-crc.js';
import { ElfFile } from '../../../../src/elf/elf-file.js';
import { type DiffCounts, diffAgainstReadelf } from '../support/readelf-diff.js';
import { haveTool, readelfImage, runOnImage } from './support/tools.js';

const SPEC: ModuleSpec = {
  name: 'old-mod',
  license: 'GPL',
  author: 'Ann',
  description: 'An old module whose description is longer than thirty-two bytes',
  exports: ['old_a', { name: 'old_b', gpl: true }],
  imports: ['printk', { name: 'jiffies', kind: 'data' }],
  params: [
    { name: 'irq', type: 'int', default: 5, description: 'IRQ line' },
    { name: 'name', type: 'charp', default: 'eth' },
    { name: 'buf', type: 'string', maxlen: 16, default: 'abc' },
    { name: 'io', type: 'ushort', array: 4, default: [0x300, 0x310] },
  ],
};

const READELF = haveTool('readelf');

function sectionBytes(img: Uint8Array, name: string): Uint8Array {
  const f = ElfFile.parse(img);
  if (!f.ok) throw new Error(f.error.message);
  const s = f.value.sectionByName(name);
  if (s === undefined) throw new Error(`no ${name}`);
  return img.subarray(s.offset, s.offset + s.size);
}

describe.skipIf(!READELF)('buildI386Object for 2.4 under readelf', () => {
  const img = buildI386Object(SPEC, { era: '2.4', modversions: true });
  const re = readelfImage(img, '.modinfo');

  it('is an ELF32 i386 REL object readelf reads without warnings, and the src/elf reader agrees', () => {
    expect(re.stderr).toBe('');
    const head = runOnImage('readelf', ['-h'], img).stdout;
    expect(head).toMatch(/Class:\s+ELF32/);
    expect(head).toMatch(/Data:\s+2's complement, little endian/);
    expect(head).toMatch(/Type:\s+REL/);
    expect(head).toMatch(/Machine:\s+Intel 80386/);
    const f = ElfFile.parse(img);
    if (!f.ok) throw new Error(f.error.message);
    const counts: DiffCounts = { sections: 0, symbols: 0, relocations: 0, modinfo: 0 };
    expect(diffAgainstReadelf(f.value, re.parsed, counts)).toEqual([]);
    expect(counts.modinfo).toBe(10);
  });

  it('has the sections of a 2.4 module object, REL sections without SHF_INFO_LINK, .shstrtab before .symtab', () => {
    expect(re.parsed.sections.map((s) => [s.name, s.type, s.flags, s.addralign, s.entsize])).toEqual([
      ['', 'NULL', '', 0, 0],
      ['.text', 'PROGBITS', 'AX', 16, 0],
      ['.rel.text', 'REL', '', 4, 8],
      ['.data', 'PROGBITS', 'WA', 4, 0],
      ['.rel.data', 'REL', '', 4, 8],
      ['.bss', 'NOBITS', 'WA', 4, 0],
      ['.modinfo', 'PROGBITS', 'A', 32, 0],
      ['.rodata', 'PROGBITS', 'A', 1, 0],
      ['__ksymtab', 'PROGBITS', 'A', 4, 0],
      ['.rel__ksymtab', 'REL', '', 4, 8],
      ['.kstrtab', 'PROGBITS', 'A', 1, 0],
      ['.shstrtab', 'STRTAB', '', 1, 0],
      ['.symtab', 'SYMTAB', '', 4, 16],
      ['.strtab', 'STRTAB', '', 1, 0],
    ]);
  });

  it('writes .modinfo as <linux/module.h> 2.4 did, with 32-byte aligned long strings', () => {
    const mi = re.parsed.modinfo ?? [];
    expect(mi.map(([, t]) => t)).toEqual([
      'kernel_version=2.4.27',
      'using_checksums=1',
      'license=GPL',
      'author=Ann',
      'description=An old module whose description is longer than thirty-two bytes',
      'parm_irq=i',
      'parm_desc_irq=IRQ line',
      'parm_name=s',
      'parm_buf=c16',
      'parm_io=1-4h',
    ]);
    const desc = mi.find(([, t]) => t.startsWith('description='));
    expect((desc?.[0] ?? 1) % 32).toBe(0);
    expect(legacyParmSpec({ type: 'long', array: undefined, maxlen: undefined })).toBe('l');
    expect(legacyParmSpec({ type: 'bool', array: 8, maxlen: undefined })).toBe('1-8i');
  });

  it('exports through __ksymtab {value, name} with R_386_32, GPL names prefixed GPLONLY_, versioned names', () => {
    const rel = re.parsed.relocations.find((r) => r.name === '.rel__ksymtab')?.entries ?? [];
    const a = versionedName('old_a', defaultSymbolCrc('old_a'));
    const b = versionedName('old_b', defaultSymbolCrc('old_b'));
    expect(rel.map((e) => [Number(e.offset), e.type, e.symName])).toEqual([
      [0, 'R_386_32', a],
      [4, 'R_386_32', '__kstrtab_old_a'],
      [8, 'R_386_32', b],
      [12, 'R_386_32', '__kstrtab_old_b'],
    ]);
    const kstr = Buffer.from(sectionBytes(img, '.kstrtab')).toString('latin1');
    expect(kstr.split('\0').filter((x) => x !== '')).toEqual([a, `GPLONLY_${b}`]);
    expect(a).toMatch(/^old_a_R[0-9a-f]{8}$/);
  });

  it('uses imports from .text with PC32/32 REL relocations whose addends sit in the field', () => {
    const rel = re.parsed.relocations.find((r) => r.name === '.rel.text')?.entries ?? [];
    expect(rel.map((e) => [Number(e.offset), e.type, e.symName])).toEqual([
      [1, 'R_386_PC32', versionedName('printk', defaultSymbolCrc('printk'))],
      [6, 'R_386_32', versionedName('jiffies', defaultSymbolCrc('jiffies'))],
    ]);
    const text = sectionBytes(img, '.text');
    const v = new DataView(text.buffer, text.byteOffset, text.byteLength);
    expect(v.getInt32(1, true)).toBe(-4);
    expect(v.getInt32(6, true)).toBe(0);
    // The charp default points into .rodata through a section-symbol relocation with the offset in place.
    const data = re.parsed.relocations.find((r) => r.name === '.rel.data')?.entries ?? [];
    expect(data.map((e) => [e.type, e.symName])).toEqual([['R_386_32', '.rodata']]);
    const globals = re.parsed.symbols.filter((s) => s.bind === 'GLOBAL').map((s) => s.name);
    expect(globals).toContain('init_module');
    expect(globals).toContain('cleanup_module');
    expect(re.parsed.symbols.find((s) => s.type === 'FILE')?.name).toBe('old-mod.c');
    // Parameters are static variables in 2.4.
    expect(re.parsed.symbols.find((s) => s.name === 'irq')?.bind).toBe('LOCAL');
  });
});

describe.skipIf(!READELF)('buildI386Object for 2.0 and 1.x', () => {
  const spec: ModuleSpec = {
    name: 'ne',
    exports: ['ne_probe'],
    imports: ['printk'],
    params: [
      { name: 'io', type: 'int', default: 0x300 },
      { name: 'irq', type: 'byte', default: 9 },
    ],
    kernelRelease: '2.0.36',
  };

  it('has kernel_version, Using_Versions (common) with modversions, mod_use_count_ and global parameters', () => {
    const img = buildI386Object(spec, { era: '2.0', modversions: true });
    const re = readelfImage(img);
    expect(re.stderr).toBe('');
    const sym = (n: string) => re.parsed.symbols.find((s) => s.name === n);
    expect(sym('kernel_version')).toMatchObject({ bind: 'GLOBAL', type: 'OBJECT', size: 7 });
    expect(sym('Using_Versions')).toMatchObject({ bind: 'GLOBAL', ndx: 'COM', size: 4 });
    expect(sym('mod_use_count_')).toMatchObject({ ndx: 'UND' });
    expect(sym('io')).toMatchObject({ bind: 'GLOBAL', type: 'OBJECT', size: 4 });
    expect(sym('irq')).toMatchObject({ bind: 'GLOBAL', type: 'OBJECT', size: 1 });
    expect(sym(versionedName('ne_probe', defaultSymbolCrc('ne_probe')))).toMatchObject({
      bind: 'GLOBAL',
      type: 'FUNC',
    });
    expect(re.parsed.sections.map((s) => s.name)).not.toContain('.modinfo');
    expect(re.parsed.sections.map((s) => s.name)).not.toContain('__ksymtab');
    const data = Buffer.from(sectionBytes(img, '.data')).toString('latin1');
    expect(data.startsWith('2.0.36\0')).toBe(true);
    const rel = re.parsed.relocations.find((r) => r.name === '.rel.text')?.entries ?? [];
    expect(rel.map((e) => [e.type, e.symName])).toEqual([
      ['R_386_PC32', versionedName('printk', defaultSymbolCrc('printk'))],
      ['R_386_32', 'mod_use_count_'],
    ]);
  });

  it('gives 1.x and 2.0 the same format; without modversions names are plain', () => {
    const a = buildI386Object(spec, { era: '1.x' });
    const b = buildI386Object(spec, { era: '2.0' });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const re = readelfImage(a);
    expect(re.parsed.symbols.map((s) => s.name)).toContain('ne_probe');
    expect(re.parsed.symbols.map((s) => s.name)).not.toContain('Using_Versions');
  });

  it('pads code, data and bss up to the requested sizes', () => {
    const img = buildI386Object(
      { ...spec, sizes: { text: 4096, data: 1 << 20, bss: 1 << 24 } },
      { era: '2.0' },
    );
    const f = ElfFile.parse(img);
    if (!f.ok) throw new Error(f.error.message);
    expect(['.text', '.data', '.bss'].map((n) => f.value.sectionByName(n)?.size)).toEqual([
      4096,
      1 << 20,
      1 << 24,
    ]);
    expect(Buffer.from(sectionBytes(img, '.data')).toString('latin1').startsWith('2.0.36\0')).toBe(true);
  });

  it('refuses what 1.x/2.0 insmod could not set: strings, pointers, arrays', () => {
    for (const p of [
      { name: 'p', type: 'charp' as const },
      { name: 'p', type: 'string' as const, maxlen: 4 },
      { name: 'p', type: 'int' as const, array: 2 },
    ]) {
      expect(() => buildI386Object({ name: 'm', params: [p] }, { era: '2.0' })).toThrow(ModuleSpecError);
      expect(() => buildI386Object({ name: 'm', params: [p] }, { era: '2.4' })).not.toThrow();
    }
  });
});

describe.skipIf(!haveTool('objdump'))('buildI386Object under objdump', () => {
  it('disassembles the calls and loads as i386 code', () => {
    const run = runOnImage(
      'objdump',
      ['-dr', '--no-show-raw-insn', '-j', '.text'],
      buildI386Object(SPEC, { era: '2.4' }),
      'm.o',
    );
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/file format elf32-i386/);
    expect(run.stdout).toMatch(/call\s+[0-9a-f]+ <__kmodsim_uses\+0x1>\s*\n\s*1: R_386_PC32\s+printk/);
    expect(run.stdout).toMatch(/mov\s+0x0,%eax\s*\n\s*6: R_386_32\s+jiffies/);
    expect(run.stdout).toMatch(/<init_module>:\s*\n\s*[0-9a-f]+:\s+call\s+0 <__kmodsim_uses>/);
  });
});
