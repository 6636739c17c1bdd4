/**
 * `create_module(name, size)` (linux-legacy.md §B.3, §B.4): every check in order with its errno, the 2.2 / 2.4.0 /
 * 2.4.27 size rule, and the header it writes.
 */
import { describe, expect, it } from 'vitest';
import { TASK_SIZE_I386 } from '../../../src/abi/linux/v24.js';
import { cstringAt, digest, KERNEL_MODULE, mapUser, member, personality, v24 } from './support.js';

describe('linux-v24 create_module', () => {
  it('writes a fresh struct module at the start of the area and puts it at the head of module_list', () => {
    const k = v24();
    const r = k.sys.create_module('first', 200);
    expect(r.errno).toBeUndefined();
    expect(typeof r.ret).toBe('bigint');
    const a = Number(r.ret);
    expect(a).toBeGreaterThanOrEqual(0xc0000000);
    expect(member(k, a, 'size_of_struct')).toBe(96);
    expect(member(k, a, 'name')).toBe(a + 96);
    expect(cstringAt(k, a + 96)).toBe('first');
    expect(member(k, a, 'size')).toBe(200);
    expect(member(k, a, 'flags')).toBe(0);
    expect(member(k, a, 'usecount')).toBe(0);
    expect(member(k, a, 'next')).toBe(KERNEL_MODULE);
    const b = Number(k.sys.create_module('second', 300).ret);
    expect(member(k, b, 'next')).toBe(a);
    expect(personality(k).kernel.moduleList).toBe(b);
    expect(k.core.modules.get('first')?.state).toBe('MOD_UNINITIALIZED');
    expect(k.sys.queryModules()).toEqual(['second', 'first']);
  });

  it('a 2.2 kernel writes a 72-byte header', () => {
    const k = v24({ kernelVersion: '2.2.26' });
    const a = Number(k.sys.create_module('m', 100).ret);
    expect(member(k, a, 'size_of_struct')).toBe(72);
    expect(member(k, a, 'name')).toBe(a + 72);
    expect(cstringAt(k, a + 72)).toBe('m');
  });

  it('EPERM without CAP_SYS_MODULE comes before any look at the name', () => {
    const k = v24({ credentials: { capabilities: [] } });
    expect(k.sys.create_module(0, 0).errno).toBe('EPERM');
    expect(k.sys.create_module('x', 4096).errno).toBe('EPERM');
  });

  it('get_mod_name: EFAULT for NULL or an unmapped pointer, EINVAL for an empty name, ENAMETOOLONG at a page', () => {
    const k = v24();
    expect(k.sys.create_module(0, 4096).errno).toBe('EFAULT');
    expect(k.sys.create_module(0x7000, 4096).errno).toBe('EFAULT');
    expect(k.sys.create_module(TASK_SIZE_I386 + 16, 4096).errno).toBe('EFAULT');
    expect(k.sys.create_module('', 4096).errno).toBe('EINVAL');
    // No NUL within the page: ENAMETOOLONG; a name that runs into unmapped memory first: EFAULT.
    expect(k.sys.create_module(mapUser(k, new Uint8Array(4096).fill(0x61)), 1 << 20).errno).toBe(
      'ENAMETOOLONG',
    );
    expect(k.sys.create_module(mapUser(k, new Uint8Array(100).fill(0x61)), 4096).errno).toBe('EFAULT');
    // 4095 characters fit (the size check then fails for a small size).
    expect(k.sys.create_module('a'.repeat(4095), 4096).errno).toBe('EINVAL');
    expect(k.sys.create_module('a'.repeat(4095), 8192).errno).toBeUndefined();
  });

  it('the name error comes before the size check', () => {
    expect(v24().sys.create_module('', 0).errno).toBe('EINVAL');
    expect(v24().sys.create_module(0, 0).errno).toBe('EFAULT');
  });

  it('size < sizeof(struct module) + namelen is EINVAL; 2.4.27 also counts the NUL', () => {
    const name = 'abcd';
    for (const [version, sizeof, nul] of [
      ['2.2.26', 72, 0],
      ['2.4.0', 96, 0],
      ['2.4.26', 96, 0],
      ['2.4.27', 96, 1],
    ] as const) {
      const k = v24({ kernelVersion: version });
      const min = sizeof + name.length + nul;
      expect(k.sys.create_module(name, min - 1).errno, version).toBe('EINVAL');
      expect(k.sys.create_module(name, min).errno, version).toBeUndefined();
    }
  });

  it('a size of exactly header + name on 2.4.0 puts the NUL in the page slack, still readable', () => {
    const k = v24({ kernelVersion: '2.4.0' });
    const a = Number(k.sys.create_module('abcd', 100).ret);
    expect(cstringAt(k, member(k, a, 'name'))).toBe('abcd');
    expect(k.sys.queryModules()).toEqual(['abcd']);
  });

  it('EEXIST for a listed name comes before the allocation (ENOMEM)', () => {
    const k = v24();
    k.sys.create_module('dup', 4096);
    const before = digest(k);
    expect(k.sys.create_module('dup', 4096).errno).toBe('EEXIST');
    expect(k.sys.create_module('dup', 0xffffffff).errno).toBe('EEXIST');
    expect(digest(k)).toBe(before);
  });

  it('ENOMEM when vmalloc cannot find the room, leaving nothing behind', () => {
    const k = v24({ moduleAreaSize: 0x100000 });
    const before = digest(k);
    expect(k.sys.create_module('huge', 0x200000).errno).toBe('ENOMEM');
    expect(k.sys.create_module('huge', 0xffffffff).errno).toBe('ENOMEM');
    expect(digest(k)).toBe(before);
    // size_t is 32 bits: -1 is 4 GiB - 1.
    expect(k.sys.create_module('huge', -1).errno).toBe('ENOMEM');
  });

  it('the area is carved page by page, with a guard page, first fit', () => {
    const k = v24();
    const a = Number(k.sys.create_module('a', 5000).ret);
    const b = Number(k.sys.create_module('b', 100).ret);
    expect(b - a).toBe(3 * 4096);
  });
});
