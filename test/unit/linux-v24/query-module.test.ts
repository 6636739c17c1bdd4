/**
 * `query_module` (linux-legacy.md §B.7) with raw buffers in the caller's memory: name resolution, the selectors
 * and their exact layouts, ENOSPC with the needed size in `*ret` (and what did fit left written), EFAULT, the
 * queryable rule per era; and `get_kernel_syms` (§B.9).
 */
import { describe, expect, it } from 'vitest';
import {
  KERNEL_SYM,
  MOD_INITIALIZING,
  MOD_RUNNING,
  QM_DEPS,
  QM_INFO,
  QM_MODULES,
  QM_REFS,
  QM_SYMBOLS,
} from '../../../src/abi/linux/v24.js';
import { create, created, KERNEL_MODULE, loaded, userBytes, userU32, type V24, v24 } from './support.js';

function buffers(k: V24, size: number): { buf: number; ret: number } {
  return { buf: k.core.user.alloc(Math.max(size, 1)), ret: k.core.user.alloc(4) };
}

function text(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

describe('linux-v24 query_module: names and selectors', () => {
  it('needs no privilege; NULL is the kernel; name errors as get_mod_name; ENOENT', () => {
    const k = v24({ credentials: { uid: 1000, euid: 1000 } });
    expect(k.sys.query_module(null, 0).ret).toBe(0);
    expect(k.sys.query_module('', 0).errno).toBe('EINVAL');
    expect(k.sys.query_module(0x4444, 0).errno).toBe('EFAULT');
    expect(k.sys.query_module('ghost', 0).errno).toBe('ENOENT');
  });

  it('which 0 probes without touching the buffer; an unknown which is EINVAL (after the name)', () => {
    const k = v24();
    loaded(k, 'm');
    expect(k.sys.query_module('m', 0, 1, 1, 1).ret).toBe(0);
    expect(k.sys.query_module('m', 6).errno).toBe('EINVAL');
    expect(k.sys.query_module('m', -1).errno).toBe('EINVAL');
    expect(k.sys.query_module('ghost', 77).errno).toBe('ENOENT');
  });

  it('QM_MODULES: every module whatever its state, newest first, packed; *ret = count', () => {
    const k = v24();
    loaded(k, 'one');
    create(k, 'two');
    const { buf, ret } = buffers(k, 64);
    expect(k.sys.query_module(null, QM_MODULES, buf, 64, ret).ret).toBe(0);
    expect(userU32(k, ret)).toBe(2);
    expect(text(userBytes(k, buf, 8))).toBe('two\0one\0');
    // The name argument is ignored.
    expect(k.sys.query_module('one', QM_MODULES, buf, 64, ret).ret).toBe(0);
  });

  it('QM_MODULES ENOSPC: the names that fit stay written, *ret = bytes of the whole answer', () => {
    const k = v24();
    loaded(k, 'aaaa');
    loaded(k, 'bb');
    const { buf, ret } = buffers(k, 16);
    const r = k.sys.query_module(null, QM_MODULES, buf, 5, ret);
    expect(r.errno).toBe('ENOSPC');
    expect(r.ret).toBe(-28);
    expect(userU32(k, ret)).toBe(8);
    expect(text(userBytes(k, buf, 3))).toBe('bb\0');
    expect(userBytes(k, buf, 8)[3]).toBe(0);
  });

  it('EFAULT for an unwritable buffer or ret, including ret == NULL', () => {
    const k = v24();
    loaded(k, 'm');
    const ro = k.core.user.map(new Uint8Array(64), false);
    const { buf, ret } = buffers(k, 64);
    expect(k.sys.query_module(null, QM_MODULES, ro, 64, ret).errno).toBe('EFAULT');
    expect(k.sys.query_module(null, QM_MODULES, buf, 64, 0).errno).toBe('EFAULT');
    expect(k.sys.query_module('m', QM_INFO, buf, 64, 0).errno).toBe('EFAULT');
  });

  it('QM_DEPS / QM_REFS: the kernel is EINVAL; the names in deps order / refs order (last linked first)', () => {
    const k = v24();
    const a = loaded(k, 'a');
    const b = loaded(k, 'b');
    loaded(k, 'c', { deps: [a, b] });
    loaded(k, 'd', { deps: [a] });
    expect(k.sys.query_module(null, QM_DEPS, 0, 0, k.core.user.alloc(4)).errno).toBe('EINVAL');
    expect(k.sys.query_module(null, QM_REFS, 0, 0, k.core.user.alloc(4)).errno).toBe('EINVAL');
    expect(k.sys.queryDeps('c')).toEqual(['a', 'b']);
    expect(k.sys.queryRefs('a')).toEqual(['d', 'c']);
    const { buf, ret } = buffers(k, 16);
    expect(k.sys.query_module('a', QM_REFS, buf, 3, ret).errno).toBe('ENOSPC');
    expect(userU32(k, ret)).toBe(4);
    expect(text(userBytes(k, buf, 2))).toBe('d\0');
    expect(k.sys.query_module('c', QM_DEPS, buf, 16, ret).ret).toBe(0);
    expect(userU32(k, ret)).toBe(2);
  });

  it('a module that is not queryable answers QM_DEPS/REFS/SYMBOLS with *ret = 0; QM_INFO has no state filter', () => {
    const k = v24();
    const a = create(k, 'a');
    const { buf, ret } = buffers(k, 64);
    for (const which of [QM_DEPS, QM_REFS, QM_SYMBOLS]) {
      k.core.user.write(ret, Uint8Array.of(9, 9, 9, 9));
      expect(k.sys.query_module('a', which, buf, 64, ret).ret).toBe(0);
      expect(userU32(k, ret)).toBe(0);
    }
    expect(k.sys.queryInfo('a')).toEqual({ addr: a, size: 4096, flags: 0, usecount: 0 });
  });

  it('an initializing module is queryable on 2.4 (MOD_CAN_QUERY), not on 2.2', () => {
    for (const [version, count] of [
      ['2.4.27', 1],
      ['2.2.26', 0],
    ] as const) {
      const k = v24({ kernelVersion: version });
      k.core.behaviours.declare('slow', { init: [{ block: true }] });
      const { image } = created(k, 'slow', { symbols: [{ value: 7, name: 'slow_sym' }] });
      k.sys.init_module('slow', image.bytes);
      expect(k.sys.queryInfo('slow').flags, version).toBe(version === '2.4.27' ? MOD_INITIALIZING : 0);
      expect(k.sys.querySymbols('slow').length, version).toBe(count);
    }
  });

  it('QM_SYMBOLS layout: {value, offset of the name in buf}[nsyms] then the packed names', () => {
    const k = v24();
    loaded(k, 'm', {
      symbols: [
        { value: 0x11223344, name: 'first' },
        { value: 0x55667788, name: 'second' },
      ],
    });
    const { buf, ret } = buffers(k, 64);
    expect(k.sys.query_module('m', QM_SYMBOLS, buf, 64, ret).ret).toBe(0);
    expect(userU32(k, ret)).toBe(2);
    expect(userU32(k, buf)).toBe(0x11223344);
    expect(userU32(k, buf + 4)).toBe(16);
    expect(userU32(k, buf + 8)).toBe(0x55667788);
    expect(userU32(k, buf + 12)).toBe(22);
    expect(text(userBytes(k, buf + 16, 13))).toBe('first\0second\0');
  });

  it('QM_SYMBOLS ENOSPC: the table alone too big, or a string that does not fit; EFAULT past TASK_SIZE', () => {
    const k = v24();
    loaded(k, 'm', {
      symbols: [
        { value: 1, name: 'first' },
        { value: 2, name: 'second' },
      ],
    });
    const { buf, ret } = buffers(k, 64);
    expect(k.sys.query_module('m', QM_SYMBOLS, buf, 15, ret).errno).toBe('ENOSPC');
    expect(userU32(k, ret)).toBe(29);
    // Room for the table and "first" only: the first entry is written, the needed size reported.
    expect(k.sys.query_module('m', QM_SYMBOLS, buf, 25, ret).errno).toBe('ENOSPC');
    expect(userU32(k, ret)).toBe(29);
    expect(userU32(k, buf)).toBe(1);
    expect(text(userBytes(k, buf + 16, 6))).toBe('first\0');
    // access_ok fails for a range reaching TASK_SIZE (only checked when the table fits the size given).
    expect(k.sys.query_module('m', QM_SYMBOLS, 0xbffffff8, 64, ret).errno).toBe('EFAULT');
  });

  it("QM_SYMBOLS of the kernel: kernel_module's __ksymtab", () => {
    const k = v24();
    const syms = k.sys.querySymbols();
    expect(syms[0].name).toBe('inter_module_register');
    expect(syms.map((s) => s.name)).toContain('printk');
    expect(syms.length).toBe(k.core.symbols.exportsOf('vmlinux').length);
  });

  it('QM_INFO: {addr, size, flags, usecount}; ENOSPC below 16 bytes with *ret = 16 written either way', () => {
    const k = v24();
    const a = loaded(k, 'm');
    k.sys.open('/dev/m');
    const { buf, ret } = buffers(k, 16);
    expect(k.sys.query_module('m', QM_INFO, buf, 16, ret).ret).toBe(0);
    expect(userU32(k, ret)).toBe(16);
    expect([userU32(k, buf), userU32(k, buf + 4), userU32(k, buf + 8), userU32(k, buf + 12)]).toEqual([
      a,
      4096,
      MOD_RUNNING | 8 | 16,
      1,
    ]);
    k.core.user.write(ret, Uint8Array.of(0, 0, 0, 0));
    expect(k.sys.query_module('m', QM_INFO, buf, 15, ret).errno).toBe('ENOSPC');
    expect(userU32(k, ret)).toBe(16);
  });

  it('2.4.27 pins the module while answering: the use count it reports and leaves are unchanged', () => {
    for (const version of ['2.4.27', '2.4.0', '2.2.26']) {
      const k = v24({ kernelVersion: version });
      loaded(k, 'm');
      k.sys.open('/dev/m');
      expect(k.sys.queryInfo('m').usecount, version).toBe(1);
      expect(k.core.modules.get('m')?.refcount, version).toBe(1);
    }
  });
});

describe('linux-v24 get_kernel_syms', () => {
  it('NULL: Σ(nsyms + 1) over every module (uninitialized ones included) and the kernel', () => {
    const k = v24();
    loaded(k, 'a', { symbols: [{ value: 1, name: 'x' }] });
    create(k, 'b');
    const kernel = k.core.symbols.exportsOf('vmlinux').length;
    expect(k.sys.get_kernel_syms(null).ret).toBe(kernel + 1 + 2 + 1);
  });

  it('a table: #name (value = module address) then its symbols, queryable modules only, the kernel "#" last', () => {
    const k = v24();
    const a = loaded(k, 'a', { symbols: [{ value: 0x1234, name: 'a_sym' }] });
    create(k, 'b');
    const syms = k.sys.kernelSyms();
    expect(syms.slice(0, 3)).toEqual([
      { value: a, name: '#a' },
      { value: 0x1234, name: 'a_sym' },
      { value: KERNEL_MODULE, name: '#' },
    ]);
    expect(syms.length).toBe(3 + k.core.symbols.exportsOf('vmlinux').length);
    // The count returned is what was written: fewer than the NULL count (b is skipped).
    expect(syms.length).toBe(Number(k.sys.get_kernel_syms(null).ret) - 1);
  });

  it('names are cut at 59 characters and NUL-terminated; a fault ends the copy, never EFAULT', () => {
    const k = v24();
    const long = 'n'.repeat(70);
    loaded(k, 'm', { symbols: [{ value: 1, name: long }] });
    const table = k.core.user.alloc(KERNEL_SYM.size * 2);
    const r = k.sys.get_kernel_syms(table);
    expect(r.errno).toBeUndefined();
    expect(r.ret).toBe(2);
    const second = userBytes(k, table + 64, 64);
    expect(text(second.subarray(4, 63))).toBe('n'.repeat(59));
    expect(second[63]).toBe(0);
    expect(k.sys.get_kernel_syms(0x5000).ret).toBe(0);
  });
});

describe('linux-v24 /proc/modules page limit', () => {
  it('stops where the page fills, mid-line, as get_module_list does', () => {
    const k = v24();
    // 25-character names: 50-byte lines; after 81 of them 46 bytes are left, room for a name and its size but
    // not for " (uninitialized)", so the 82nd line stops after the size.
    const names = Array.from({ length: 90 }, (_, i) => `${'m'.repeat(22)}${String(i).padStart(3, '0')}`);
    for (const n of names) create(k, n, 4096);
    const proc = k.read('/proc/modules') ?? '';
    expect(proc.length).toBe(81 * 50 + 33);
    const lines = proc.split('\n');
    expect(lines[0]).toBe(`${names[89]}    4096 (uninitialized)`);
    expect(lines[81]).toBe(`${names[89 - 81]}    4096`);
    expect(k.sys.queryModules().length).toBe(90);
  });
});
