/** The DLKM object writer, read back by the project's ELF reader and (when installed) by binutils readelf. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ELFDATA2MSB, EM_IA_64, ET_REL } from '../../../src/abi/elf.js';
import { ElfFile } from '../../../src/elf/elf-file.js';
import { SymbolTable } from '../../../src/elf/symbols.js';
import { parseModMeta } from '../../../src/personalities/hpux-dlkm/modmeta.js';
import { buildDlkmObject } from './support/dlkm-object.js';

const SPEC = {
  name: 'foo',
  imports: ['printf'],
  exports: ['foo_fn'],
  bss: 32,
  desc: 'Foo driver',
  depends: ['bar'],
  dependsInterface: ['HPUX_11_31:1.0'],
  type: 'wsio_class',
  behaviour: { init: [{ log: 'hello' }] },
} as const;

describe('DLKM object writer', () => {
  it('writes an ELF64 MSB IA-64 relocatable object the reader parses', () => {
    const elf = ElfFile.parse(buildDlkmObject(SPEC));
    if (!elf.ok) throw new Error(elf.error.message);
    const h = elf.value.header;
    expect([h.dataEncoding, h.type, h.machine, h.is64]).toEqual([ELFDATA2MSB, ET_REL, EM_IA_64, true]);
    const syms = SymbolTable.read(elf.value);
    if (!syms.ok) throw new Error(syms.error.message);
    expect(syms.value.indexOf('foo_wrapper')).toBeDefined();
    const meta = elf.value.sectionData(elf.value.sectionByName('.modmeta')!);
    if (!meta.ok) throw new Error('no .modmeta');
    const parsed = parseModMeta(meta.value);
    expect(parsed.ok && parsed.value).toMatchObject({
      name: 'foo',
      type: 'wsio_class',
      desc: 'Foo driver',
      depends: [
        { kind: 'module', name: 'bar', version: '0.1.0' },
        { kind: 'interface', name: 'HPUX_11_31', version: '1.0' },
      ],
    });
  });

  const readelf = (() => {
    try {
      execFileSync('readelf', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  it.skipIf(!readelf)('is what binutils readelf sees: IA-64 relocations, symbols, sections', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlkm-'));
    try {
      const file = join(dir, 'foo');
      writeFileSync(file, buildDlkmObject(SPEC));
      const relocs = execFileSync('readelf', ['-rW', file], { encoding: 'utf8' });
      const rows = relocs
        .split('\n')
        .filter((l) => /^[0-9a-f]{16} /.test(l))
        .map((l) => l.trim().split(/\s+/))
        .map((f) => [f[0], f[2], f[4]]);
      expect(rows).toEqual([
        ['0000000000000008', 'R_IA64_FPTR64MSB', 'foo_load'],
        ['0000000000000010', 'R_IA64_FPTR64MSB', 'foo_unload'],
        ['0000000000000028', 'R_IA64_DIR64MSB', '.data'],
        ['0000000000000030', 'R_IA64_DIR64MSB', 'mod_misc_ops'],
        ['0000000000000038', 'R_IA64_DIR64MSB', '.data'],
        ['0000000000000050', 'R_IA64_DIR64MSB', '.data'],
        ['0000000000000078', 'R_IA64_DIR64MSB', 'printf'],
      ]);
      const syms = execFileSync('readelf', ['-sW', file], { encoding: 'utf8' });
      expect(syms).toMatch(/48 OBJECT {2}GLOBAL DEFAULT {4}2 foo_wrapper/);
      expect(syms).toMatch(/FUNC {4}LOCAL {2}DEFAULT {4}1 foo_load/);
      expect(syms).toMatch(/NOTYPE {2}GLOBAL DEFAULT {2}UND printf/);
      const header = execFileSync('readelf', ['-hW', file], { encoding: 'utf8' });
      expect(header).toMatch(/Data:\s+2's complement, big endian/);
      expect(header).toMatch(/Machine:\s+Intel IA-64/);
      expect(header).toMatch(/Type:\s+REL/);
      expect(execFileSync('readelf', ['-p', '.modmeta', file], { encoding: 'utf8' })).toContain(
        'depend module bar:0.1.0',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
