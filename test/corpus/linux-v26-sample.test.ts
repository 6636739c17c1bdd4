/**
 * A sample of the Debian 12 kernel's own modules (every 25th file and its dependency closure) on a kernel
 * configured from the package's Module.symvers and its signing certificate, signature enforcement on: all
 * load in dependency order, `lsmod` lists them, `modprobe`-style reverse removal restores the kernel. Part of
 * `npm test` whenever the tree can be had (see debian-tree.ts); the whole tree is the corpus run.
 */
import { describe, expect, it } from 'vitest';
import { createKernel } from '../../src/kernel.js';
import { type CorpusModule, key, loadOrder, readCorpusModule } from './corpus-order.js';
import { debianTree, moduleFiles, signingCertificate } from './debian-tree.js';

const tree = debianTree();

describe.skipIf(tree === undefined)('linux-v26: a sample of the Debian modules', () => {
  it('loads a sample and its dependencies with signatures enforced, then unloads back to the start', () => {
    if (tree === undefined) return;
    const cert = signingCertificate(tree);
    expect(cert).toContain('BEGIN CERTIFICATE');
    const all = moduleFiles(tree).map(readCorpusModule);
    const byName = new Map(all.map((m) => [key(m.name), m]));
    const picked = new Map<string, CorpusModule>();
    const add = (m: CorpusModule) => {
      if (picked.has(key(m.name))) return;
      picked.set(key(m.name), m);
      for (const d of m.depends) {
        const dm = byName.get(d);
        if (dm !== undefined) add(dm);
      }
    };
    for (let i = 0; i < all.length; i += 25) add(all[i]);
    const mods = loadOrder([...picked.values()]);
    expect(mods.length).toBeGreaterThan(150);
    const k = createKernel({
      personality: 'linux-v26',
      config: {
        release: tree.kver,
        symvers: tree.symvers,
        trustedCerts: [cert],
        sigEnforce: true,
        forceUnload: true,
      },
    });
    const area = JSON.stringify(k.core.memory.snapshot());
    const symbols = JSON.stringify(k.core.symbols.snapshot());
    const cursor = k.core.log.cursor;
    const failed = mods
      .map((m) => [m.name, k.sys.init_module(m.bytes).errno])
      .filter(([, e]) => e !== undefined);
    expect(failed).toEqual([]);
    const log = k.core.log.lines(cursor).map((l) => l.text);
    expect(log.filter((l) => /Unknown symbol|disagrees about version|verification failed/.test(l))).toEqual(
      [],
    );
    // Modules that use others show them as holders; every user is in the sample.
    for (const m of mods) for (const d of m.depends) expect(k.core.modules.usedBy(d)).toContain(key(m.name));
    const lsmod = k.run('lsmod');
    expect(lsmod.stdout.trim().split('\n').length).toBe(mods.length + 1);
    // "[permanent]" modules (init, no exit) only go with a forced removal (O_TRUNC, CONFIG_MODULE_FORCE_UNLOAD).
    const proc = (k.read('/proc/modules') ?? '').split('\n');
    const permanent = new Set(proc.filter((l) => l.includes('[permanent],')).map((l) => l.split(' ')[0]));
    for (const m of [...mods].reverse()) {
      const flags = permanent.has(m.name) ? 'O_NONBLOCK|O_TRUNC' : 'O_NONBLOCK';
      expect([m.name, k.sys.delete_module(m.name, flags).errno]).toEqual([m.name, undefined]);
    }
    expect(k.read('/proc/modules')).toBe('');
    expect(JSON.stringify(k.core.memory.snapshot())).toBe(area);
    expect(JSON.stringify(k.core.symbols.snapshot())).toBe(symbols);
  });
});
