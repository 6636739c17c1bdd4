/**
 * A built `.ko` compared with Debian's own 6.1 modules (the corpus the linux-v26 personality loads): the same
 * section attributes, the same `struct module` relocations, and — given the same names and CRCs — the same
 * modversions and export tables a loader checks.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHN_UNDEF } from '../../../../src/abi/elf.js';
import { buildKo } from '../../../../src/elf/builder/ko-builder.js';
import type { ExportSpec, ModuleSpec } from '../../../../src/elf/builder/module-spec.js';
import { isReservedSymbol } from '../../../../src/elf/builder/resolve-module-spec.js';
import { ElfFile } from '../../../../src/elf/elf-file.js';
import { readKsymtab } from '../../../../src/elf/ksymtab.js';
import { readModinfo } from '../../../../src/elf/modinfo.js';
import { RelocationIndex, readRelocationSections } from '../../../../src/elf/relocations.js';
import { SymbolTable } from '../../../../src/elf/symbols.js';
import { readVersions } from '../../../../src/elf/versions.js';
import { findModuleCorpus, sampleModules } from '../support/module-corpus.js';

const corpus = findModuleCorpus();
const found = 'modules' in corpus;

interface Parsed {
  readonly path: string;
  readonly bytes: Uint8Array;
  readonly file: ElfFile;
}

function parse(path: string, bytes: Uint8Array): Parsed {
  const f = ElfFile.parse(bytes);
  if (!f.ok) throw new Error(`${path}: ${f.error.message}`);
  return { path, bytes, file: f.value };
}

/** Sections whose alignment follows the contents; only their type and flags are compared. */
const CONTENT_ALIGNED = new Set([
  '.text',
  '.init.text',
  '.exit.text',
  '.data',
  '.bss',
  '.rodata',
  '.init.data',
  '.exit.data',
]);

const RICH: ModuleSpec = {
  name: 'demo_mod',
  exports: ['demo_a', { name: 'demo_b', gpl: true }],
  imports: ['_printk', { name: 'jiffies', kind: 'data' }],
  params: [
    { name: 'who', type: 'charp', default: 'x' },
    { name: 'ids', type: 'int', array: 2 },
  ],
};

describe.skipIf(!found)('buildKo vs the Debian 6.1 modules', () => {
  const sample = found ? sampleModules(corpus, 400, 400_000).map((p) => parse(p, readFileSync(p))) : [];
  // Built for the corpus's own release (the fetched kernel is the pinned one only while the mirror keeps it).
  const ours = parse('built', buildKo(found ? { ...RICH, kernelRelease: basename(corpus.dir) } : RICH));

  it('every section it writes exists in Debian modules with the same type, flags, alignment and entry size', () => {
    let compared = 0;
    for (const s of ours.file.sections.slice(1)) {
      const real = sample.map((m) => m.file.sectionByName(s.name)).find((x) => x !== undefined);
      expect(real, `${s.name} in some Debian module`).toBeDefined();
      if (real === undefined) continue;
      expect([s.name, s.type, s.flags], s.name).toEqual([s.name, real.type, real.flags]);
      if (!CONTENT_ALIGNED.has(s.name))
        expect([s.name, s.addralign, s.entsize], s.name).toEqual([s.name, real.addralign, real.entsize]);
      compared++;
    }
    expect(compared).toBe(ours.file.sections.length - 1);
  });

  it('relocates struct module init/exit exactly as kbuild does, in a struct module of the same size', () => {
    const entries = (m: Parsed) => {
      const tm = m.file.sectionByName('.gnu.linkonce.this_module');
      const syms = SymbolTable.read(m.file);
      const rels = readRelocationSections(m.file);
      if (tm === undefined || !syms.ok || !rels.ok) throw new Error(`${m.path}: unreadable`);
      const out: [number, number, string | undefined][] = [];
      for (const r of rels.value.filter((x) => x.targetSection === tm.index))
        for (let i = 0; i < r.count; i++)
          out.push([r.offset(i), r.type(i), syms.value.name(r.symbolIndex(i))]);
      return { size: tm.size, align: tm.addralign, out };
    };
    const withExit = sample.filter((m) => {
      const s = SymbolTable.read(m.file);
      return (
        s.ok &&
        s.value.indexOf('cleanup_module') !== undefined &&
        s.value.indexOf('init_module') !== undefined
      );
    });
    expect(withExit.length).toBeGreaterThan(50);
    const mine = entries(ours);
    for (const m of withExit) expect(entries(m), m.path).toEqual(mine);
  });

  it('writes the vermagic every Debian module carries', () => {
    const mine = readModinfo(ours.file);
    if (!mine.ok) throw new Error(mine.error.message);
    const vermagics = new Set(
      sample.map((m) => {
        const mi = readModinfo(m.file);
        return mi.ok ? mi.value.get('vermagic') : undefined;
      }),
    );
    expect([...vermagics]).toEqual([mine.value.get('vermagic')]);
  });

  it('with a Debian module’s names and CRCs, writes the same __versions entries and export tables', () => {
    // A module whose imports and exports are all names the builder accepts (no parameter ops, no reserved names).
    const candidate = sample.find((m) => {
      const syms = SymbolTable.read(m.file);
      const v = readVersions(m.file);
      if (!syms.ok || !v.ok || v.value === undefined || m.file.sectionByName('__ksymtab') === undefined)
        return false;
      const names = v.value.entries.map((e) => e.name).filter((n) => n !== 'module_layout');
      return names.length >= 5 && names.every((n) => !isReservedSymbol(n) && /^[A-Za-z_]\w{0,54}$/.test(n));
    });
    expect(candidate, 'a Debian module with plain imports and exports').toBeDefined();
    if (candidate === undefined) return;
    const syms = SymbolTable.read(candidate.file);
    const rels = readRelocationSections(candidate.file);
    const versions = readVersions(candidate.file);
    const mi = readModinfo(candidate.file);
    if (!syms.ok || !rels.ok || !versions.ok || versions.value === undefined || !mi.ok)
      throw new Error('unreadable');
    const ks = readKsymtab(candidate.file, syms.value, new RelocationIndex(rels.value));
    if (!ks.ok) throw new Error(ks.error.message);
    const crcs: Record<string, number> = {};
    for (const e of versions.value.entries) crcs[e.name] = e.crc;
    for (const e of ks.value.symbols) if (e.name !== undefined && e.crc !== undefined) crcs[e.name] = e.crc;
    const imports: string[] = [];
    for (let i = 1; i < syms.value.count; i++)
      if (syms.value.shndx(i) === SHN_UNDEF) imports.push(syms.value.name(i) ?? '');
    const exports: ExportSpec[] = ks.value.symbols.map((e) => ({
      name: e.name ?? '',
      gpl: e.kind === 'gpl',
      ...(e.namespace === undefined ? {} : { namespace: e.namespace }),
    }));
    const name = mi.value.get('name') ?? 'x';
    const built = parse('built', buildKo({ name, imports, exports, crcs }));

    const pairs = (m: Parsed) => {
      const v = readVersions(m.file);
      if (!v.ok || v.value === undefined) throw new Error('no __versions');
      return v.value.entries.map((e) => `${e.name}:${e.crc.toString(16)}`).sort();
    };
    expect(pairs(built)).toEqual(pairs(candidate));
    const section = (m: Parsed, n: string) => {
      const s = m.file.sectionByName(n);
      return s === undefined
        ? undefined
        : Buffer.from(m.bytes.subarray(s.offset, s.offset + s.size)).toString('hex');
    };
    for (const n of ['__kcrctab', '__kcrctab_gpl']) expect(section(built, n), n).toBe(section(candidate, n));
    const bs = SymbolTable.read(built.file);
    const br = readRelocationSections(built.file);
    if (!bs.ok || !br.ok) throw new Error('unreadable');
    const bk = readKsymtab(built.file, bs.value, new RelocationIndex(br.value));
    if (!bk.ok) throw new Error(bk.error.message);
    const view = (list: typeof ks.value.symbols) =>
      list.map((e) => [e.kind, e.index, e.name, e.valueSymbol, e.namespace, e.crc]);
    expect(view(bk.value.symbols)).toEqual(view(ks.value.symbols));
    expect(bk.value.layouts).toEqual(ks.value.layouts);
  });
});
