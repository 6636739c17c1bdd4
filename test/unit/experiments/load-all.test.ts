/**
 * loadAll over a small tree of builder-made, signed modules: the same run the corpus test makes over a whole
 * distribution, with the read-ahead thread reading the files, faulting in module memory and precomputing the
 * signature's digest and RSA operation. A tampered payload or signature must still be refused by the kernel.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHF_ALLOC, SHT_PROGBITS } from '../../../src/abi/elf.js';
import { KERNEL_OWNER, kernelSymbol } from '../../../src/core/symbol-table.js';
import { ElfWriter } from '../../../src/elf/builder/elf-writer.js';
import { buildKo } from '../../../src/elf/builder/ko-builder.js';
import { generateSigningKey, signModule } from '../../../src/elf/signature/index.js';
import {
  dependencyOrder,
  loadAll,
  readTreeModules,
  startLoadAhead,
} from '../../../src/experiments/load-all.js';
import type { Kernel } from '../../../src/kernel.js';

const RELEASE = '6.1.0-kmodsim-test';
const key = generateSigningKey();

/** Writes the tree; `tamper` changes one byte of the named module's payload or signature after signing. */
function tree(tamper?: { name: string; where: 'payload' | 'signature' }): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'kmodsim-load-all-'));
  mkdirSync(join(dir, 'kernel'));
  const specs = [
    { name: 'base', exports: [{ name: 'base_fn' }] },
    { name: 'user', imports: [{ name: 'base_fn', module: 'base' }], dependencies: ['base'] },
    { name: 'solo' },
  ];
  return specs.map((spec) => {
    const signed = signModule(buildKo({ license: 'GPL', kernelRelease: RELEASE, ...spec }), key);
    if (tamper?.name === spec.name) {
      // The last byte of the PKCS#7 blob is the signature's; byte 100 is in the ELF header's neighbourhood.
      signed[tamper.where === 'payload' ? 100 : signed.length - 28 - 12 - 1] ^= 1;
    }
    const path = join(dir, 'kernel', `${spec.name}.ko`);
    writeFileSync(path, signed);
    return path;
  });
}

function run(paths: string[], early: boolean, onLoaded?: (name: string, relocations: number) => void) {
  const modules = dependencyOrder(readTreeModules(paths));
  const trustedCerts = [key.certificatePem];
  return loadAll({
    modules,
    release: RELEASE,
    trustedCerts,
    ...(early ? { readAhead: startLoadAhead(trustedCerts) } : {}),
    ...(onLoaded === undefined ? {} : { onLoaded: (m, _ms, relocations) => onLoaded(m.name, relocations) }),
  });
}

describe('loadAll', () => {
  for (const early of [false, true]) {
    it(`loads a signed tree in dependency order and unloads it back to the start (thread started ${early ? 'early' : 'by loadAll'})`, () => {
      const seen: [string, number][] = [];
      const r = run(tree(), early, (name, relocations) => seen.push([name, relocations]));
      // Each module as it loads, in the order given, with the relocations it applied (user calls base_fn).
      expect(seen.map(([name]) => name)).toEqual(['base', 'user', 'solo']);
      expect(seen.reduce((n, [, relocations]) => n + relocations, 0)).toBe(r.relocations);
      expect(seen[1][1]).toBeGreaterThan(0);
      expect(r.loadFailures).toEqual([]);
      expect(r.unloadFailures).toEqual([]);
      expect(r.problems).toEqual([]);
      expect(r.modules).toBe(3);
      expect(r.restored).toBe(true);
    });
  }

  it('orders unordered files on the thread as it loads them (dependencies first), as dependencyOrder does', () => {
    // user comes before base in the list: it must still load after it.
    const [base, user, solo] = tree();
    const ordered = dependencyOrder(readTreeModules([user, solo, base])).map((m) => m.name);
    const seen: string[] = [];
    const r = loadAll({
      files: [user, solo, base],
      release: RELEASE,
      trustedCerts: [key.certificatePem],
      onLoaded: (m) => seen.push(m.name),
    });
    expect(r.loadFailures).toEqual([]);
    expect(r.problems).toEqual([]);
    expect(r.modules).toBe(3);
    expect(r.restored).toBe(true);
    expect(seen.indexOf('base')).toBeLessThan(seen.indexOf('user'));
    expect([...seen].sort()).toEqual([...ordered].sort());
  });

  it('orders the rest itself where the thread cannot: a file it cannot scan, a missing dependency or file', () => {
    const [base, user, solo] = tree();
    // An unsigned ELF32 file with a .modinfo: the thread's scan reads ELF64 only; the kernel refuses it unsigned.
    const w = new ElfWriter({ elfClass: 32, littleEndian: true, machine: 3, rela: false });
    w.addSection({
      name: '.modinfo',
      type: SHT_PROGBITS,
      flags: SHF_ALLOC,
      addralign: 1,
      data: new TextEncoder().encode('name=odd\0depends=base\0'),
    });
    const odd = join(dirname(base), 'odd.ko');
    writeFileSync(odd, w.build().bytes);
    const r = loadAll({
      files: [user, odd, solo, base],
      release: RELEASE,
      trustedCerts: [key.certificatePem],
    });
    expect(r.loadFailures).toEqual(['odd: EKEYREJECTED']);
    expect(r.modules).toBe(3);
    expect(r.restored).toBe(true);
    expect(() => loadAll({ files: [user, solo], release: RELEASE })).toThrow(/user: depends on missing base/);
    // A file that is not there stops the thread's scan; ordering the rest here reports it as readFileSync does.
    expect(() => loadAll({ files: [base, join(dirname(base), 'gone.ko')], release: RELEASE })).toThrow(
      /ENOENT/,
    );
  });

  it('reports a symbol table or module area not back to where it began', () => {
    const paths = tree();
    const modules = dependencyOrder(readTreeModules(paths));
    const opts = { modules, release: RELEASE, trustedCerts: [key.certificatePem] };
    expect(loadAll(opts).restored).toBe(true);
    // A kernel export added or removed while loaded, or module memory left allocated.
    const changes: ((k: Kernel<'linux-v26'>) => void)[] = [
      (k) => k.core.symbols.add(kernelSymbol('extra_fn', 0x10n, KERNEL_OWNER, false, undefined, undefined)),
      (k) => {
        const all = k.core.symbols.exportsOf(KERNEL_OWNER).slice(1);
        k.core.symbols.removeOwner(KERNEL_OWNER);
        k.core.symbols.addAll(all);
      },
      (k) => k.core.memory.alloc(4096, 'leak'),
    ];
    for (const change of changes) {
      const r = loadAll({ ...opts, whileLoaded: change });
      expect(r.loadFailures).toEqual([]);
      expect(r.restored).toBe(false);
    }
  });

  it('refuses a module whose payload or signature was changed after signing, loading the others', () => {
    for (const where of ['payload', 'signature'] as const) {
      const r = run(tree({ name: 'solo', where }), true);
      expect(r.loadFailures).toEqual(['solo: EKEYREJECTED']);
      expect(r.modules).toBe(2);
      expect(r.restored).toBe(true);
    }
  });
});
