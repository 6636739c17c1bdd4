/** `get_kernel_syms(table)` of 1.x/2.0 (linux-legacy.md §A.8): count, EFAULT, LIFO order, the full-count quirk. */
import { describe, expect, it } from 'vitest';
import { KERNEL_SYM_V1 } from '../../../src/abi/linux/v1.js';
import { decodeKernelSyms, encodeSymbolTable } from '../../../src/personalities/linux-v1/linux-v1-sys.js';
import { create, kernel, ROUTINES, v1 } from './support.js';

describe('linux-v1 get_kernel_syms', () => {
  it('NULL gives the count: n_symbols + 1 per element with symbols, 1 per element without, whatever the state', () => {
    const k = v1({ replaceKernelSymbols: true, kernelSymbols: ['a', 'b'] });
    expect(k.sys.get_kernel_syms(null).ret).toBe(3);
    create(k, 'u'); // uninitialized, no symbols
    expect(k.sys.get_kernel_syms(null).ret).toBe(4);
    create(k, 'm');
    const tab = encodeSymbolTable({
      symbols: [
        { addr: 5, name: 'x' },
        { addr: 6, name: 'y' },
      ],
      refs: [],
    });
    expect(k.sys.init_module('m', new Uint8Array(4), 4, ROUTINES, tab).errno).toBeUndefined();
    expect(k.sys.get_kernel_syms(null).ret).toBe(7);
  });

  it('needs no privilege', () => {
    const k = v1();
    k.core.creds.set({ euid: 1000 });
    expect(Number(k.sys.get_kernel_syms(null).ret)).toBeGreaterThan(0);
    expect(k.sys.kernelSyms().length).toBeGreaterThan(0);
  });

  it('EFAULT unless the whole table is writable memory', () => {
    const k = v1();
    const count = Number(k.sys.get_kernel_syms(null).ret);
    const small = k.core.user.alloc((count - 1) * KERNEL_SYM_V1.size);
    expect(k.sys.get_kernel_syms(small).errno).toBe('EFAULT');
    expect(k.sys.get_kernel_syms(0x7000_0000).errno).toBe('EFAULT');
  });

  it('writes only running modules but still returns the full count, leaving the tail unwritten', () => {
    const k = v1({ replaceKernelSymbols: true, kernelSymbols: ['a'] });
    create(k, 'u');
    const count = Number(k.sys.get_kernel_syms(null).ret);
    expect(count).toBe(3);
    const table = k.core.user.map(new Uint8Array(count * KERNEL_SYM_V1.size).fill(0xaa));
    expect(k.sys.get_kernel_syms(table).ret).toBe(3);
    const bytes = k.core.user.read(table, count * KERNEL_SYM_V1.size);
    if (!bytes.ok) throw new Error('unmapped');
    const entries = decodeKernelSyms(bytes.value, 2);
    expect(entries).toEqual([
      { value: kernel(k).kernelModule.struct, name: '#' },
      { value: 0x00105000, name: 'a' },
    ]);
    expect([...bytes.value.subarray(2 * KERNEL_SYM_V1.size)].every((b) => b === 0xaa)).toBe(true);
  });

  it('copies 60 bytes of a name: no NUL at 60 characters or more', () => {
    const long = 's'.repeat(70);
    const k = v1({ replaceKernelSymbols: true, kernelSymbols: [long] });
    const table = k.core.user.alloc(2 * KERNEL_SYM_V1.size);
    expect(k.sys.get_kernel_syms(table).ret).toBe(2);
    const bytes = k.core.user.read(table + KERNEL_SYM_V1.size, KERNEL_SYM_V1.size);
    if (!bytes.ok) throw new Error('unmapped');
    expect(bytes.value.subarray(4).every((b) => b === 0x73)).toBe(true);
  });

  it('names every module "#name" with its struct module address, newest first, the kernel as "#"', () => {
    const k = v1({ replaceKernelSymbols: true, kernelSymbols: ['k1'] });
    for (const n of ['first', 'second']) {
      create(k, n);
      expect(k.sys.init_module(n, new Uint8Array(4), 4, ROUTINES, null).errno).toBeUndefined();
    }
    const kk = kernel(k);
    expect(k.sys.kernelSyms()).toEqual([
      { value: kk.findModule('second')?.struct, name: '#second' },
      { value: kk.findModule('first')?.struct, name: '#first' },
      { value: kk.kernelModule.struct, name: '#' },
      { value: 0x00105000, name: 'k1' },
    ]);
  });
});
