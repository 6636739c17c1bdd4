/**
 * Full corpus, userland side: on every module of the Debian package, the simulated `depmod -a` writes the same
 * ten files as kmod 30's depmod, byte for byte (modules.dep with every entry in the same order), and the
 * simulated `modinfo` prints the same 10 MB as kmod's. Prints both tools' times. Run with
 * `npm run test:corpus` (collected only by test/corpus/vitest.config.ts).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { depmodHost, modinfoHost } from '../../src/personalities/linux-v26/userland/host.js';
import { debianTree, moduleFiles } from './debian-tree.js';

const enabled = process.env.KMODSIM_CORPUS === '1' && spawnSync('depmod', ['--version']).status === 0;
const tree = enabled ? debianTree() : undefined;
const work = mkdtempSync(join(tmpdir(), 'kmodsim-kmod-corpus-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const FILES = [
  'modules.dep',
  'modules.dep.bin',
  'modules.alias',
  'modules.alias.bin',
  'modules.softdep',
  'modules.symbols',
  'modules.symbols.bin',
  'modules.builtin.bin',
  'modules.builtin.alias.bin',
  'modules.devname',
];

describe.skipIf(tree === undefined)('kmod 30 vs the simulated userland on the whole Debian tree', () => {
  const t = tree as NonNullable<typeof tree>;

  it('depmod -a -e -E Module.symvers: the same ten files, no unresolved symbol', () => {
    // A root whose module directory links the package's kernel/ tree, so neither depmod writes into the cache.
    const root = join(work, 'root');
    const dir = join(root, 'lib/modules', t.kver);
    mkdirSync(dir, { recursive: true });
    symlinkSync(join(t.modulesDir, 'kernel'), join(dir, 'kernel'));
    for (const f of ['modules.order', 'modules.builtin', 'modules.builtin.modinfo']) {
      copyFileSync(join(t.modulesDir, f), join(dir, f));
    }
    const argv = ['-b', root, '-a', '-e', '-E', t.symvers, t.kver];
    let t0 = performance.now();
    const theirs = spawnSync('depmod', argv, { encoding: 'utf8' });
    const kmodMs = performance.now() - t0;
    const theirFiles = FILES.map((f) => readFileSync(join(dir, f)));
    for (const f of FILES) rmSync(join(dir, f));
    t0 = performance.now();
    const ours = depmodHost(argv);
    const oursMs = performance.now() - t0;
    expect(ours.stderr).toBe(theirs.stderr);
    expect(ours.exitCode).toBe(theirs.status);
    expect(theirs.stderr).toBe('');
    FILES.forEach((f, i) => {
      expect(readFileSync(join(dir, f)).equals(theirFiles[i]), f).toBe(true);
    });
    const lines = theirFiles[0].toString('utf8').split('\n').length - 1;
    expect(lines).toBe(moduleFiles(t).length);
    console.log(
      `depmod on ${lines} modules: kmod ${(kmodMs / 1000).toFixed(2)} s, kmodsim ${(oursMs / 1000).toFixed(2)} s`,
    );
  });

  it('modinfo on every module: the same output', () => {
    const files = moduleFiles(t);
    let t0 = performance.now();
    const theirs = spawnSync('modinfo', files, { encoding: 'utf8', maxBuffer: 1 << 28 });
    const kmodMs = performance.now() - t0;
    t0 = performance.now();
    const ours = modinfoHost(files);
    const oursMs = performance.now() - t0;
    expect(ours.exitCode).toBe(theirs.status);
    expect(ours.stderr).toBe(theirs.stderr);
    expect(ours.stdout === theirs.stdout).toBe(true);
    console.log(
      `modinfo on ${files.length} modules (${(ours.stdout.length / 1e6).toFixed(1)} MB): kmod ${(kmodMs / 1000).toFixed(2)} s, kmodsim ${(oursMs / 1000).toFixed(2)} s`,
    );
  });
});
