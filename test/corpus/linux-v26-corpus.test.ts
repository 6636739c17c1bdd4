/**
 * Full corpus: a linux-v26 kernel configured from the Debian package's Module.symvers (vmlinux exports with
 * CRCs, GPL flags, namespaces) and the signing certificate extracted from its vmlinuz, with signature
 * enforcement on, loads every module of the package in dependency order, lists them, removes them in reverse
 * order, and ends with the module area and the symbol table exactly as they were. Prints modules/s and
 * relocations/s. Run with `npm run test:corpus` (this file is only collected by test/corpus/vitest.config.ts);
 * `KMODSIM_CORPUS_KERNEL=6.6` runs it under the mainline pipeline.
 */
import { describe, expect, it } from 'vitest';
import { loadAll } from '../../src/experiments/load-all.js';
import { loadOrder, readCorpusModule } from './corpus-order.js';
import { debianTree, moduleFiles, signingCertificate } from './debian-tree.js';

const enabled = process.env.KMODSIM_CORPUS === '1';
const tree = enabled ? debianTree() : undefined;

describe.skipIf(tree === undefined)('linux-v26: the whole Debian module corpus', () => {
  it('loads every module with signatures enforced, lists them, unloads them, and restores the kernel', () => {
    if (tree === undefined) return;
    const cert = signingCertificate(tree);
    expect(cert, 'signing certificate extracted from vmlinuz').toContain('BEGIN CERTIFICATE');
    const t0 = performance.now();
    const files = moduleFiles(tree);
    const mods = loadOrder(files.map(readCorpusModule));
    const tRead = performance.now();
    let listed: string[] = [];
    let procLines: string[] = [];
    const r = loadAll({
      modules: mods,
      release: tree.kver,
      symvers: tree.symvers,
      trustedCerts: [cert],
      kernelVersion: process.env.KMODSIM_CORPUS_KERNEL ?? '6.1',
      whileLoaded: (k) => {
        const lsmod = k.run('lsmod');
        expect(lsmod.exitCode).toBe(0);
        listed = lsmod.stdout
          .trim()
          .split('\n')
          .slice(1)
          .map((l) => l.split(/\s+/)[0]);
        procLines = (k.read('/proc/modules') ?? '').trim().split('\n');
      },
    });
    expect(r.kernelSymbols).toBeGreaterThan(10_000);
    expect(r.loadFailures.slice(0, 20)).toEqual([]);
    // No unknown symbol, CRC mismatch or failed signature check in the kernel log.
    expect(r.problems).toEqual([]);
    expect(new Set(listed)).toEqual(new Set(mods.map((m) => m.name)));
    expect(procLines.length).toBe(mods.length);
    for (const line of procLines) expect(line).toMatch(/ Live 0xffffffff[0-9a-f]{8}( \([A-Z]+\))?$/);
    // Modules with an init but no exit are "[permanent]": only a forced removal (O_TRUNC with
    // CONFIG_MODULE_FORCE_UNLOAD, as `rmmod -f`) takes them out, tainting the kernel R.
    expect(r.permanent).toBeGreaterThan(0);
    expect(r.unloadFailures.slice(0, 20)).toEqual([]);
    // Module area, allocations and symbol table exactly as before the first load.
    expect(r.restored).toBe(true);

    const totalBytes = r.bytes;
    const kernelSyms = r.kernelSymbols;
    const relocs = r.relocations;
    const loadS = r.seconds.load;
    console.log(
      [
        `corpus: ${mods.length} modules, ${(totalBytes / 2 ** 20).toFixed(0)} MiB, kernel exports ${kernelSyms}`,
        `read+order ${((tRead - t0) / 1000).toFixed(2)} s`,
        `load ${loadS.toFixed(2)} s: ${(mods.length / loadS).toFixed(0)} modules/s, ${relocs} relocations, ${(relocs / loadS / 1e6).toFixed(2)} M relocations/s (signatures verified, sha256+RSA)`,
        `unload ${r.seconds.unload.toFixed(2)} s (${r.permanent} permanent modules forced)`,
      ].join('\n'),
    );
    expect(relocs).toBeGreaterThan(1_000_000);
  });
});
