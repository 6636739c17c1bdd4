/**
 * buildDlkmObject checked with readelf (ELF64 big-endian IA-64, HP-UX OS/ABI): the wrapper and its
 * relocations, `.modmeta`, the import pointers; and with objdump where the installed binutils knows IA-64.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  buildDlkmObject,
  dlkmOpsSymbol,
  IA64_RETURN_BUNDLE,
} from '../../../../src/elf/builder/dlkm-object-builder.js';
import type { ModuleSpec } from '../../../../src/elf/builder/module-spec.js';
import { ElfFile } from '../../../../src/elf/elf-file.js';
import { type DiffCounts, diffAgainstReadelf } from '../support/readelf-diff.js';
import { haveTool, readelfImage, runOnImage } from './support/tools.js';

const SPEC: ModuleSpec = {
  name: 'hpmod',
  description: 'An HP module',
  version: '1.0',
  exports: ['hp_a', 'hp_b'],
  imports: ['printf', { name: 'hz', kind: 'data' }],
  dependencies: ['base'],
  behaviour: { init: [{ return: 0 }] },
  dlkm: { type: 'wsio_class', capable: ['static', 'loaded'], exportsInterface: ['hpif:1.0'] },
};
const IMG = buildDlkmObject(SPEC);

describe.skipIf(!haveTool('readelf'))('buildDlkmObject under readelf', () => {
  const re = readelfImage(IMG, '.modmeta');

  it('is an ELF64 MSB IA-64 relocatable object for HP-UX, read without warnings', () => {
    expect(re.stderr).toBe('');
    const head = runOnImage('readelf', ['-h'], IMG).stdout;
    expect(head).toMatch(/Class:\s+ELF64/);
    expect(head).toMatch(/Data:\s+2's complement, big endian/);
    expect(head).toMatch(/OS\/ABI:\s+UNIX - HP-UX/);
    expect(head).toMatch(/Machine:\s+Intel IA-64/);
    expect(head).toMatch(/Flags:\s+0x10, 64-bit/);
    const f = ElfFile.parse(IMG);
    if (!f.ok) throw new Error(f.error.message);
    const counts: DiffCounts = { sections: 0, symbols: 0, relocations: 0, modinfo: 0 };
    expect(diffAgainstReadelf(f.value, readelfImage(IMG).parsed, counts)).toEqual([]);
    expect(counts.relocations).toBe(8);
  });

  it('has the wrapper, its modlink and the import pointers relocated with IA-64 data relocations', () => {
    expect(re.parsed.sections.map((s) => [s.name, s.type, s.flags, s.addralign])).toEqual([
      ['', 'NULL', '', 0],
      ['.text', 'PROGBITS', 'AX', 32],
      ['.data', 'PROGBITS', 'WA', 8],
      ['.rela.data', 'RELA', 'I', 8],
      ['.bss', 'NOBITS', 'WA', 8],
      ['.modmeta', 'PROGBITS', '', 1],
      ['.kmodsim.behaviour', 'PROGBITS', '', 1],
      ['.symtab', 'SYMTAB', '', 8],
      ['.strtab', 'STRTAB', '', 1],
      ['.shstrtab', 'STRTAB', '', 1],
    ]);
    const rel = re.parsed.relocations.find((r) => r.name === '.rela.data')?.entries ?? [];
    expect(rel.map((e) => [Number(e.offset), e.type, e.symName, Number(e.addend)])).toEqual([
      [8, 'R_IA64_FPTR64MSB', 'hpmod_load', 0],
      [16, 'R_IA64_FPTR64MSB', 'hpmod_unload', 0],
      [40, 'R_IA64_DIR64MSB', '.data', 48],
      [48, 'R_IA64_DIR64MSB', 'gio_mod_ops', 0],
      [56, 'R_IA64_DIR64MSB', '.data', 80],
      [80, 'R_IA64_DIR64MSB', '.data', 96],
      [128, 'R_IA64_FPTR64MSB', 'printf', 0],
      [136, 'R_IA64_DIR64MSB', 'hz', 0],
    ]);
    const sym = (n: string) => re.parsed.symbols.find((s) => s.name === n);
    expect(sym('hpmod_wrapper')).toMatchObject({ bind: 'GLOBAL', type: 'OBJECT', size: 48 });
    expect(sym('hpmod_load')).toMatchObject({ bind: 'LOCAL', type: 'FUNC', size: 16 });
    expect(sym('hp_b')).toMatchObject({ bind: 'GLOBAL', type: 'FUNC', size: 16 });
    expect(sym('printf')).toMatchObject({ ndx: 'UND' });
    // mw_rev (big-endian int at 0) and the mtd_info string.
    const f = ElfFile.parse(IMG);
    if (!f.ok) throw new Error(f.error.message);
    const data = f.value.sectionByName('.data');
    if (data === undefined) throw new Error('no .data');
    const d = IMG.subarray(data.offset, data.offset + data.size);
    expect(new DataView(d.buffer, d.byteOffset).getInt32(0, false)).toBe(10);
    expect(Buffer.from(d.subarray(96, 96 + 26)).toString('latin1')).toBe('hpmod - wsio_class module\0');
  });

  it('writes .modmeta lines', () => {
    expect(re.parsed.modinfo?.[0]?.[1].split('\n')).toEqual([
      'name hpmod\\n',
      'version 1.0\\n',
      'type wsio_class\\n',
      'desc An HP module\\n',
      'depend module base:0.1.0\\n',
      'exports hpif:1.0\\n',
      'capable static loaded\\n',
    ]);
  });

  it('names the operations of each module type and leaves mw_unload NULL for a permanent module', () => {
    expect(['wsio_intfc', 'streams_drv', 'streams_mod', 'misc'].map(dlkmOpsSymbol)).toEqual([
      'gio_mod_ops',
      'str_drv_ops',
      'str_mod_ops',
      'mod_misc_ops',
    ]);
    const re2 = readelfImage(buildDlkmObject({ name: 'p', permanent: true, dlkm: { wrapperRevision: 9 } }));
    const rel = re2.parsed.relocations.find((r) => r.name === '.rela.data')?.entries ?? [];
    expect(rel.map((e) => Number(e.offset))).not.toContain(16);
    expect(re2.parsed.symbols.map((s) => s.name)).not.toContain('p_unload');
  });
});

const ia64Objdump =
  haveTool('objdump') &&
  /elf64-ia64-big/.test(spawnSync('objdump', ['--help'], { encoding: 'latin1' }).stdout);

describe.skipIf(!ia64Objdump)('buildDlkmObject under an IA-64 objdump (binutils-multiarch)', () => {
  it('decodes every function as one bundle returning through b0', () => {
    const run = runOnImage('objdump', ['-d'], IMG, 'hpmod.o');
    expect(run.stdout).toMatch(/file format elf64-ia64-big/);
    expect(run.stdout.match(/br\.ret\.sptk\.many b0;;/g)).toHaveLength(4);
    expect(IA64_RETURN_BUNDLE).toHaveLength(16);
  });
});
