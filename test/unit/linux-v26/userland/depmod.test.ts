import { describe, expect, it } from 'vitest';
import { depmodRun } from '../../../../src/personalities/linux-v26/userland/depmod.js';
import { IndexReader, IndexWriter } from '../../../../src/personalities/linux-v26/userland/kmod-index.js';
import { modinfo } from '../../../../src/personalities/linux-v26/userland/modinfo.js';
import { makeEnv } from './support/env.js';
import { miniModule } from './support/mini-elf.js';

const DIR = '/lib/modules/6.1.0-test';
const text = (d: Uint8Array | string | undefined) =>
  typeof d === 'string' ? d : new TextDecoder().decode(d);

function tree(mods: Record<string, Parameters<typeof miniModule>[0]>, extra: Record<string, string> = {}) {
  const { vfs, env } = makeEnv();
  for (const [rel, spec] of Object.entries(mods)) vfs.writeFile(`${DIR}/${rel}`, miniModule(spec));
  for (const [rel, body] of Object.entries(extra)) vfs.writeFile(`${DIR}/${rel}`, body);
  const read = (name: string) => {
    const r = vfs.readFile(`${DIR}/${name}`);
    return r.ok ? text(r.value) : undefined;
  };
  return { vfs, env, read };
}

const CHAIN = {
  'kernel/a/core-mod.ko': {
    modinfo: ['name=core_mod', 'alias=core-alias'],
    exports: ['core_fn', 'core_data'],
  },
  'kernel/b/mid.ko': {
    modinfo: ['name=mid', 'softdep=pre: core_mod'],
    exports: ['mid_fn'],
    imports: ['core_fn', 'printk'],
    versions: [[0x1234, 'core_fn'] as const, [0x99, 'module_layout'] as const],
  },
  'kernel/c/top.ko': {
    modinfo: ['name=top', 'alias=char-major-10-200', 'alias=devname:top0'],
    imports: ['mid_fn', 'core_data', 'nowhere_fn'],
    weakImports: ['weak_fn'],
  },
};

describe('depmod (kmod 30)', () => {
  it('writes the transitive, topologically sorted dependencies in modules.order order', () => {
    const { env, read } = tree(CHAIN, {
      'modules.order': 'kernel/c/top.ko\nkernel/b/mid.ko\nkernel/a/core-mod.ko\n',
    });
    const r = depmodRun(['-a'], env);
    expect(r.exitCode).toBe(0);
    expect(read('modules.dep')).toBe(
      'kernel/c/top.ko: kernel/b/mid.ko kernel/a/core-mod.ko\nkernel/b/mid.ko: kernel/a/core-mod.ko\nkernel/a/core-mod.ko:\n',
    );
    expect(read('modules.alias')).toBe(
      '# Aliases extracted from modules themselves.\nalias char-major-10-200 top\nalias devname:top0 top\nalias core-alias core_mod\n',
    );
    expect(read('modules.softdep')).toBe(
      '# Soft dependencies extracted from modules themselves.\nsoftdep mid pre: core_mod\n',
    );
    expect(read('modules.devname')).toBe(
      '# Device nodes to trigger on-demand module loading.\ntop top0 c10:200\n',
    );
    const symbols = (read('modules.symbols') ?? '').split('\n');
    expect(symbols[0]).toBe('# Aliases for symbols, used by symbol_request().');
    expect(symbols.slice(1, -1).sort()).toEqual([
      'alias symbol:core_data core_mod',
      'alias symbol:core_fn core_mod',
      'alias symbol:mid_fn mid',
    ]);
    expect(r.files.map((f) => f.name)).toEqual([
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
    ]);
  });

  it('-e -E reports unknown symbols and CRC mismatches in kmod wording; weak ones are not reported', () => {
    const { vfs, env } = tree(CHAIN, { 'modules.order': '' });
    vfs.writeFile(
      '/symvers',
      '0x00000000\tprintk\tvmlinux\tEXPORT_SYMBOL\t\n0x00000099\tmodule_layout\tvmlinux\tEXPORT_SYMBOL\t\n',
    );
    const r = depmodRun(['-a', '-e', '-E', '/symvers'], env);
    expect(r.exitCode).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => !l.includes('could not open'));
    // core_fn: mid's __versions says 0x1234, core_mod's __crc_core_fn is 0x1000.
    expect(lines).toContain(
      `depmod: WARNING: ${DIR}/kernel/b/mid.ko disagrees about version of symbol core_fn`,
    );
    expect(lines).toContain(`depmod: WARNING: ${DIR}/kernel/c/top.ko needs unknown symbol nowhere_fn`);
    // Without __versions, top's CRCs are 0: every versioned import disagrees.
    expect(lines).toContain(
      `depmod: WARNING: ${DIR}/kernel/c/top.ko disagrees about version of symbol mid_fn`,
    );
    expect(r.stderr).not.toContain('weak_fn');
    expect(r.stderr).not.toContain('symbol printk');
    expect(r.stderr).not.toContain('module_layout');
    expect(depmodRun(['-a', '-e'], env).stderr).toContain('depmod: WARNING: -e needs -E or -F\n');
  });

  it('reports dependency cycles and fails', () => {
    const { env } = tree(
      {
        'kernel/x.ko': { modinfo: [], exports: ['fx'], imports: ['fy'] },
        'kernel/y.ko': { modinfo: [], exports: ['fy'], imports: ['fx'] },
      },
      { 'modules.order': 'kernel/x.ko\nkernel/y.ko\n' },
    );
    const r = depmodRun(['-a'], env);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('depmod: ERROR: Cycle detected: x -> y -> x\n');
    expect(r.stderr).toContain('depmod: ERROR: Found 2 modules in dependency cycles!\n');
  });

  it('-n prints the text files on stdout and writes nothing', () => {
    const { env, read } = tree(CHAIN, { 'modules.order': '' });
    const r = depmodRun(['-n'], env);
    expect(r.stdout.startsWith('kernel/')).toBe(true);
    expect(r.stdout).toContain('# Aliases extracted from modules themselves.\n');
    expect(read('modules.dep')).toBeUndefined();
  });

  it('rejects a bad version and a relative module path', () => {
    const { env } = tree(CHAIN);
    expect(depmodRun(['abc'], env).stderr).toBe('depmod: ERROR: Bad version passed abc\n');
    const rel = depmodRun(['6.1.0-test', 'kernel/x.ko'], env);
    expect(rel.exitCode).toBe(1);
    expect(rel.stderr).toBe('depmod: FATAL: kernel/x.ko: not absolute path.\n');
  });

  it('writes indexes that modinfo and lookups read back (name, alias, symbol)', () => {
    const { env } = tree(CHAIN, { 'modules.order': '' });
    depmodRun(['-a'], env);
    expect(modinfo(['-F', 'name', 'top'], env).stdout).toBe('top\n');
    expect(modinfo(['-F', 'name', 'core-alias'], env).stdout).toBe('core_mod\n');
    expect(modinfo(['-F', 'name', 'symbol:mid_fn'], env).stdout).toBe('mid\n');
    expect(modinfo(['-n', 'char-major-10-200'], env).stdout).toBe(`${DIR}/kernel/c/top.ko\n`);
  });
});

describe('binary index', () => {
  it('round-trips exact and wildcard lookups, values ordered by priority', () => {
    const w = new IndexWriter();
    w.insert('pci:v00008086d*sv*sd*bc*sc*i*', 'e1000e', 5);
    w.insert('pci:v00008086d00001533sv*sd*bc*sc*i*', 'igb', 2);
    w.insert('fs-vfat', 'vfat', 1);
    w.insert('fs-fat', 'fat', 0);
    expect(w.insert('fs-vfat', 'vfat', 1)).toBe(true);
    const r = IndexReader.open(w.write());
    expect(r?.search('fs-vfat')).toBe('vfat');
    expect(r?.search('fs-vfa')).toBeUndefined();
    expect(
      r?.searchWild('pci:v00008086d00001533sv00001028sd00000000bc02sc00i00').map((v) => v.value),
    ).toEqual(['igb', 'e1000e']);
    expect(r?.dump('alias ').split('\n').filter(Boolean)).toContain('alias fs-fat fat');
  });

  it('rejects a wrong magic', () => {
    const b = new IndexWriter().write();
    b[0] ^= 1;
    expect(IndexReader.open(b)).toBeUndefined();
  });
});
