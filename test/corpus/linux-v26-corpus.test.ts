/**
 * Full corpus: a linux-v26 kernel configured from the Debian package's Module.symvers (vmlinux exports with
 * CRCs, GPL flags, namespaces) and the signing certificate extracted from its vmlinuz, with signature
 * enforcement on, loads every module of the package in dependency order, lists them, removes them in reverse
 * order, and ends with the module area and the symbol table exactly as they were. Prints modules/s and
 * relocations/s. Run with `npm run test:corpus` (this file is only collected by test/corpus/vitest.config.ts);
 * `KMODSIM_CORPUS_KERNEL=6.6` runs it under the mainline pipeline.
 */
import { describe, expect, it } from 'vitest';
import { createKernel } from '../../src/kernel.js';
import type { LinuxV26Personality } from '../../src/personalities/linux-v26/linux-v26-personality.js';
import { loadOrder, readCorpusModule } from './corpus-order.js';
import { debianTree, moduleFiles, signingCertificate } from './debian-tree.js';

const enabled = process.env.KMODSIM_CORPUS === '1';
const tree = enabled ? debianTree() : undefined;

describe.skipIf(tree === undefined)('linux-v26: the whole Debian module corpus', () => {
  it('loads every module with signatures enforced, lists them, unloads them, and restores the kernel', () => {
    if (tree === undefined) return;
    const cert = signingCertificate(tree);
    expect(cert, 'signing certificate extracted from vmlinuz').toBeDefined();
    const t0 = performance.now();
    const files = moduleFiles(tree);
    const mods = loadOrder(files.map(readCorpusModule));
    const totalBytes = mods.reduce((n, m) => n + m.bytes.length, 0);
    const tRead = performance.now();
    const k = createKernel({
      personality: 'linux-v26',
      config: {
        kernelVersion: process.env.KMODSIM_CORPUS_KERNEL ?? '6.1',
        release: tree.kver,
        symvers: tree.symvers,
        trustedCerts: [cert ?? ''],
        sigEnforce: true,
        forceUnload: true,
      },
    });
    const impl = (k as unknown as { impl: LinuxV26Personality }).impl;
    const memBefore = JSON.stringify(k.core.memory.freeList());
    const symBefore = JSON.stringify(k.core.symbols.snapshot());
    const kernelSyms = k.core.symbols.size;
    expect(kernelSyms).toBeGreaterThan(10_000);
    const logStart = k.core.log.cursor;

    const failures: string[] = [];
    const tLoad0 = performance.now();
    for (const m of mods) {
      const r = k.sys.init_module(m.bytes);
      if (r.ret !== 0) failures.push(`${m.name}: ${r.errno}`);
    }
    const tLoad1 = performance.now();
    const log = k.core.log.lines(logStart).map((l) => l.text);
    const unknown = log.filter((l) => l.includes('Unknown symbol'));
    const crcMismatch = log.filter((l) => l.includes('disagrees about version'));
    expect(failures, failures.slice(0, 20).join('\n')).toEqual([]);
    expect(unknown).toEqual([]);
    expect(crcMismatch).toEqual([]);
    expect(log.filter((l) => l.includes('module verification failed'))).toEqual([]);

    const lsmod = k.run('lsmod');
    expect(lsmod.exitCode).toBe(0);
    const listed = lsmod.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(/\s+/)[0]);
    expect(new Set(listed)).toEqual(new Set(mods.map((m) => m.name)));
    const procLines = (k.read('/proc/modules') ?? '').trim().split('\n');
    expect(procLines.length).toBe(mods.length);
    for (const line of procLines) expect(line).toMatch(/ Live 0xffffffff[0-9a-f]{8}( \([A-Z]+\))?$/);

    // Modules with an init but no exit are "[permanent]": only a forced removal (O_TRUNC with
    // CONFIG_MODULE_FORCE_UNLOAD, as `rmmod -f`) takes them out, tainting the kernel R.
    const permanent = new Set(
      procLines.filter((l) => l.includes('[permanent],')).map((l) => l.split(' ')[0]),
    );
    expect(permanent.size).toBeGreaterThan(0);
    const tUnload0 = performance.now();
    const unloadFailures: string[] = [];
    for (let i = mods.length - 1; i >= 0; i--) {
      const flags = permanent.has(mods[i].name) ? 'O_NONBLOCK|O_TRUNC' : 'O_NONBLOCK';
      const r = k.sys.delete_module(mods[i].name, flags);
      if (r.ret !== 0) unloadFailures.push(`${mods[i].name}: ${r.errno}`);
    }
    const tUnload1 = performance.now();
    expect(unloadFailures.slice(0, 20)).toEqual([]);
    expect(k.core.modules.size).toBe(0);
    expect(k.core.memory.allocations()).toEqual([]);
    expect(JSON.stringify(k.core.memory.freeList())).toBe(memBefore);
    expect(JSON.stringify(k.core.symbols.snapshot())).toBe(symBefore);
    expect(k.read('/proc/modules')).toBe('');

    const relocs = impl.kernel.stats.relocations;
    const loadS = (tLoad1 - tLoad0) / 1000;
    console.log(
      [
        `corpus: ${mods.length} modules, ${(totalBytes / 2 ** 20).toFixed(0)} MiB, kernel exports ${kernelSyms}`,
        `read+order ${((tRead - t0) / 1000).toFixed(2)} s`,
        `load ${loadS.toFixed(2)} s: ${(mods.length / loadS).toFixed(0)} modules/s, ${relocs} relocations, ${(relocs / loadS / 1e6).toFixed(2)} M relocations/s (signatures verified, sha256+RSA)`,
        `unload ${((tUnload1 - tUnload0) / 1000).toFixed(2)} s (${permanent.size} permanent modules forced)`,
      ].join('\n'),
    );
    expect(relocs).toBeGreaterThan(1_000_000);
  });
});
