/** `create_module(name, size)`: every check of linux-legacy.md §A.5 in order, through the syscall entry. */
import { describe, expect, it } from 'vitest';
import { MOD_UNINITIALIZED } from '../../../src/abi/linux/v1.js';
import { create, digest, kernel, v1 } from './support.js';

describe('linux-v1 create_module', () => {
  it('answers EPERM to a non-superuser before looking at its arguments', () => {
    const k = v1();
    k.core.creds.set({ euid: 1000 });
    const before = digest(k);
    expect(k.sys.create_module(null, 0).errno).toBe('EPERM');
    expect(k.sys.create_module('a', 4096).errno).toBe('EPERM');
    expect(digest(k)).toBe(before);
  });

  it('2.0 also refuses while securelevel > 0; 1.2 has no securelevel', () => {
    expect(v1({ kernelVersion: '2.0.40', securelevel: 1 }).sys.create_module('a', 4096).errno).toBe('EPERM');
    expect(
      v1({ kernelVersion: '1.2.13', securelevel: 1 }).sys.create_module('a', 4096).errno,
    ).toBeUndefined();
  });

  it('answers EINVAL for a NULL name or a zero size, before reading the name', () => {
    const k = v1();
    expect(k.sys.create_module(null, 4096).errno).toBe('EINVAL');
    expect(k.sys.create_module('x'.repeat(200), 0).errno).toBe('EINVAL');
  });

  it('takes names of up to 63 characters: E2BIG at 64, EFAULT for a bad pointer (inferred)', () => {
    const k = v1();
    expect(k.sys.create_module('n'.repeat(64), 4096).errno).toBe('E2BIG');
    expect(k.sys.create_module('n'.repeat(63), 4096).errno).toBeUndefined();
    expect(k.sys.create_module(0x7000_0000, 4096).errno).toBe('EFAULT');
    // the empty name is accepted by get_mod_name and collides with kernel_module
    expect(k.sys.create_module('', 4096).errno).toBe('EEXIST');
  });

  it('answers EEXIST for a name in use', () => {
    const k = v1();
    create(k, 'a');
    const before = digest(k);
    expect(k.sys.create_module('a', 4096).errno).toBe('EEXIST');
    expect(digest(k)).toBe(before);
  });

  it('answers ENOMEM when vmalloc cannot find the pages, leaving no trace', () => {
    const k = v1({ memory: 4 * 1024 * 1024 });
    const before = digest(k);
    expect(k.sys.create_module('big', 3 * 1024 * 1024).errno).toBe('ENOMEM');
    expect(digest(k)).toBe(before);
  });

  it('prepends an uninitialized module of (size + 4 + 4095) / 4096 pages with a zero use-count word', () => {
    const k = v1();
    const a = create(k, 'a', 4092);
    const b = create(k, 'b', 4093);
    const kk = kernel(k);
    expect(kk.modules.map((m) => [m.name, m.pages, m.state])).toEqual([
      ['b', 2, MOD_UNINITIALIZED],
      ['a', 1, MOD_UNINITIALIZED],
    ]);
    expect(a).toBe(kk.findModule('a')?.addr);
    expect(b).toBe(kk.findModule('b')?.addr);
    expect(kk.useWord(kk.modules[0])).toBe(0);
    expect(k.read('/proc/modules')).toBe(
      'b                  2  (uninitialized)\na                  1  (uninitialized)\n',
    );
  });

  it('wraps the page count in unsigned long arithmetic as the real kernel does', () => {
    const k = v1();
    expect(k.sys.create_module('w', 0xffffffff).errno).toBeUndefined();
    expect(kernel(k).findModule('w')?.pages).toBe(1);
    // 0xfffffffc wraps to 0 pages: vmalloc(0) fails
    expect(k.sys.create_module('z', 0xfffffffc).errno).toBe('ENOMEM');
  });

  it('keeps a name as the bytes it was given: /proc/modules and lsmod show those bytes, not UTF-8', () => {
    const k = v1();
    create(k, '\u00e9t\u00e9', 100); // Latin-1 bytes e9 74 e9
    const raw = k.vfs.readFile('/proc/modules');
    if (!raw.ok) throw new Error('no /proc/modules');
    expect([...raw.value.subarray(0, 3)]).toEqual([0xe9, 0x74, 0xe9]);
    expect(k.run('lsmod').stdout).toContain('\u00e9t\u00e9 ');
    expect(k.core.modules.list().map((m) => m.name)).toEqual(['\u00e9t\u00e9']);
  });
});
