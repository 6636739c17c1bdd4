/**
 * `delete_module(name)` and `delete_module(NULL)` by era (linux-legacy.md §A.7), and the /proc views of what they
 * leave (§A.9).
 */
import { describe, expect, it } from 'vitest';
import { MOD_AUTOCLEAN, MOD_VISITED } from '../../../src/abi/linux/v1.js';
import { create, digest, kernel, ROUTINES, run, stage, useWord, v1 } from './support.js';

const CODE = new Uint8Array(16);

function loaded(k: ReturnType<typeof v1>, name: string, autoclean = false): void {
  create(k, name);
  const r = k.sys.init_module(
    name,
    CODE,
    (CODE.length | (autoclean ? MOD_AUTOCLEAN : 0)) >>> 0,
    ROUTINES,
    null,
  );
  if (r.errno !== undefined) throw new Error(`init ${name}: ${r.errno}`);
}

describe('linux-v1 delete_module(name)', () => {
  it('checks EPERM, then E2BIG, then ENOENT', () => {
    const k = v1();
    k.core.creds.set({ euid: 1000 });
    expect(k.sys.delete_module('n'.repeat(64)).errno).toBe('EPERM');
    k.core.creds.set({ euid: 0 });
    expect(k.sys.delete_module('n'.repeat(64)).errno).toBe('E2BIG');
    expect(k.sys.delete_module('nosuch').errno).toBe('ENOENT');
  });

  it('EBUSY while the use-count word is not zero, or while another module refers to it', () => {
    const k = v1();
    stage(k, { name: 'base', exports: ['f'] });
    stage(k, { name: 'user', imports: ['f'] });
    run(k, 'insmod', k.modulePath('base'));
    expect(k.actions.use('base').result).toBe('ok');
    const before = digest(k);
    expect(k.sys.delete_module('base').errno).toBe('EBUSY');
    expect(digest(k)).toBe(before);
    k.actions.unuse('base');
    run(k, 'insmod', k.modulePath('user'));
    expect(k.sys.delete_module('base').errno).toBe('EBUSY');
  });

  it('masks the flag bits as its era does: 1.2 counts the raw word, 1.3 ignores AUTOCLEAN, 2.0 also VISITED', () => {
    const cases = [
      ['1.2.13', MOD_VISITED, 'EBUSY'],
      ['1.3.89', MOD_AUTOCLEAN, undefined],
      ['1.3.89', MOD_VISITED, 'EBUSY'],
      ['2.0.40', MOD_AUTOCLEAN | MOD_VISITED, undefined],
    ] as const;
    for (const [version, word, errno] of cases) {
      const k = v1({ kernelVersion: version });
      loaded(k, 'a');
      kernel(k).setUseWord(kernel(k).modules[0], word);
      expect(k.sys.delete_module('a').errno).toBe(errno);
    }
  });

  it('runs cleanup only for a running module; a deleted module is not found again (ENOENT)', () => {
    const k = v1();
    const cleaned: string[] = [];
    for (const n of ['up', 'raw'])
      k.core.behaviours.register(n, {
        cleanup: () => {
          cleaned.push(n);
          return 0;
        },
      });
    loaded(k, 'up');
    create(k, 'raw');
    expect(k.sys.delete_module('raw').errno).toBeUndefined();
    expect(k.sys.delete_module('up').errno).toBeUndefined();
    expect(cleaned).toEqual(['up']);
    expect(k.sys.delete_module('up').errno).toBe('ENOENT');
    expect(k.core.memory.allocations()).toEqual([]);
  });

  it('keeps a deleted module whose count is not zero, shown (deleted), and lets a new one take its name', () => {
    const k = v1();
    loaded(k, 'a');
    k.core.behaviours.register('a', { cleanup: (host) => (host.get('a').ok ? 0 : 'EIO') });
    expect(k.sys.delete_module('a').errno).toBeUndefined();
    expect(k.read('/proc/modules')).toBe('a                  2  (deleted)\n');
    expect(k.sys.create_module('a', 100).errno).toBeUndefined();
    expect(k.read('/proc/modules')).toBe(
      'a                  1  (uninitialized)\na                  2  (deleted)\n',
    );
    expect(
      k.core.modules
        .list()
        .map((m) => m.name)
        .sort(),
    ).toEqual(['a', 'a (deleted)']);
  });
});

describe('linux-v1 delete_module(NULL)', () => {
  it('1.2 only collects deleted modules whose count reached zero', () => {
    const k = v1({ kernelVersion: '1.2.13' });
    loaded(k, 'a');
    expect(k.sys.delete_module(null).ret).toBe(0);
    expect(kernel(k).modules.length).toBe(1);
  });

  it('1.3 reaps running, unreferenced modules whose word is exactly MOD_AUTOCLEAN', () => {
    const k = v1({ kernelVersion: '1.3.89' });
    loaded(k, 'auto', true);
    loaded(k, 'plain');
    loaded(k, 'busy', true);
    k.actions.use('busy');
    expect(k.sys.delete_module(null).ret).toBe(0);
    expect(kernel(k).modules.map((m) => m.name)).toEqual(['busy', 'plain']);
  });

  it('2.0 spares a module visited since the last pass, once', () => {
    const k = v1({ kernelVersion: '2.0.40' });
    loaded(k, 'auto', true);
    k.actions.use('auto');
    k.actions.unuse('auto');
    expect(useWord(k, 'auto')).toBe(MOD_AUTOCLEAN | MOD_VISITED);
    expect(k.sys.delete_module(null).ret).toBe(0);
    expect(useWord(k, 'auto')).toBe(MOD_AUTOCLEAN);
    expect(k.sys.delete_module(null).ret).toBe(0);
    expect(kernel(k).modules).toEqual([]);
  });

  it('needs no name and answers EPERM only to a non-superuser', () => {
    const k = v1({ kernelVersion: '2.0.40' });
    k.core.creds.set({ euid: 1000 });
    expect(k.sys.delete_module(null).errno).toBe('EPERM');
  });
});

describe('linux-v1 /proc/modules by era', () => {
  it('1.2 prints kernel_module (empty name) when resident tables were registered, 1.3 skips it', () => {
    const old = v1({ kernelVersion: '1.2.13', residentSymtabs: [['fs_a'], ['fs_b']] });
    expect(old.read('/proc/modules')).toBe('                   0\n                   0\n');
    const later = v1({ kernelVersion: '1.3.89', residentSymtabs: [['fs_a'], ['fs_b']] });
    expect(later.read('/proc/modules')).toBe('');
  });

  it('2.0 always prints the tab before the referrers and the count with (autoclean)', () => {
    const k = v1({ kernelVersion: '2.0.40' });
    loaded(k, 'a', true);
    expect(k.read('/proc/modules')).toBe('a                  2\t\t0 (autoclean)\n');
    const k13 = v1({ kernelVersion: '1.3.89' });
    loaded(k13, 'a', true);
    expect(k13.read('/proc/modules')).toBe('a                  2\t0 (autoclean)\n');
  });

  it('resident tables appear in get_kernel_syms as further "#" entries after the kernel', () => {
    const k = v1({ residentSymtabs: [['fs_a'], ['fs_b']] });
    const names = k.sys.kernelSyms().map((s) => s.name);
    const hashes = names.filter((n) => n === '#');
    expect(hashes.length).toBe(3);
    expect(names.slice(-4)).toEqual(['#', 'fs_b', '#', 'fs_a']);
  });
});
