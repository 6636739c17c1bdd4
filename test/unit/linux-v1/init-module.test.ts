/**
 * `init_module(name, code, codesize, routines, symtab)`: every check of linux-legacy.md §A.6 in order, through
 * the syscall entry, with hand-built `struct mod_routines` and `struct symbol_table` in process memory.
 */
import { describe, expect, it } from 'vitest';
import { MOD_AUTOCLEAN, MOD_DELETED, MOD_RUNNING, MOD_UNINITIALIZED } from '../../../src/abi/linux/v1.js';
import { encodeSymbolTable } from '../../../src/personalities/linux-v1/linux-v1-sys.js';
import { create, digest, kernel, ROUTINES, v1 } from './support.js';

const CODE = Uint8Array.from({ length: 100 }, (_, i) => i + 1);

function init(
  k: ReturnType<typeof v1>,
  name: string,
  symtab: Uint8Array | number | null = null,
  code = CODE,
) {
  return k.sys.init_module(name, code, code.length, ROUTINES, symtab);
}

function i32(n: number): Uint8Array {
  return Uint8Array.of(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);
}

/** A table with its header fields overwritten. */
function tampered(
  fields: { size?: number; n_symbols?: number; n_refs?: number },
  base: Uint8Array,
): Uint8Array {
  const t = base.slice();
  if (fields.size !== undefined) t.set(i32(fields.size), 0);
  if (fields.n_symbols !== undefined) t.set(i32(fields.n_symbols), 4);
  if (fields.n_refs !== undefined) t.set(i32(fields.n_refs), 8);
  return t;
}

describe('linux-v1 init_module', () => {
  it('EPERM comes first', () => {
    const k = v1();
    create(k, 'a');
    k.core.creds.set({ euid: 1000 });
    expect(k.sys.init_module(0x7000_0000, 0, 0, 0, 0).errno).toBe('EPERM');
  });

  it('ignores a symbol table above 0xb0000000 with the old-insmod warning (not an error)', () => {
    const k = v1();
    create(k, 'a');
    expect(init(k, 'a', 0xb0000004).errno).toBeUndefined();
    expect(k.dmesg()).toContain('warning: you are using an old insmod, no symbols will be inserted!');
    expect(kernel(k).findModule('a')?.symtab).toBeUndefined();
  });

  it('1.2 and 1.3 collect deleted modules first; 2.0 does not', () => {
    for (const [version, freed] of [
      ['1.2.13', true],
      ['1.3.89', true],
      ['2.0.40', false],
    ] as const) {
      const k = v1({ kernelVersion: version });
      create(k, 'old');
      expect(init(k, 'old').errno).toBeUndefined();
      // The module's cleanup keeps a use of itself: it stays listed, deleted, until its count is 0.
      k.core.behaviours.register('old', { cleanup: (host) => (host.get('old').ok ? 0 : 'EIO') });
      expect(k.sys.delete_module('old').errno).toBeUndefined();
      const kk = kernel(k);
      expect(kk.modules.map((m) => m.state)).toEqual([MOD_DELETED]);
      expect(k.read('/proc/modules')).toContain('  (deleted)');
      k.core.memory.write(BigInt(kk.modules[0].addr), i32(0));
      expect(k.sys.init_module('nosuch', CODE, 4, ROUTINES, null).errno).toBe('ENOENT');
      expect(kk.modules.length).toBe(freed ? 0 : 1);
    }
  });

  it('E2BIG for a 64-byte name, then EFAULT for unreadable routines, then ENOENT', () => {
    const k = v1();
    expect(k.sys.init_module('n'.repeat(64), CODE, 4, 0, null).errno).toBe('E2BIG');
    expect(k.sys.init_module('nosuch', CODE, 4, 0, null).errno).toBe('EFAULT');
    expect(k.sys.init_module('nosuch', CODE, 4, ROUTINES, null).errno).toBe('ENOENT');
  });

  it('finds kernel_module for the empty name: its 0 pages fail the size check (EINVAL)', () => {
    expect(v1().sys.init_module('', CODE, 4, ROUTINES, null).errno).toBe('EINVAL');
  });

  it('EINVAL when codesize + 4 does not fit the pages create_module reserved', () => {
    const k = v1();
    create(k, 'a', 4092);
    const before = digest(k);
    expect(k.sys.init_module('a', new Uint8Array(4093), 4093, ROUTINES, null).errno).toBe('EINVAL');
    expect(digest(k)).toBe(before);
    expect(k.sys.init_module('a', new Uint8Array(4092), 4092, ROUTINES, null).errno).toBeUndefined();
  });

  it('1.3+ strips MOD_AUTOCLEAN from codesize into the use-count word before the size check, where it sticks', () => {
    const k = v1({ kernelVersion: '1.3.89' });
    create(k, 'a', 4092);
    expect(
      k.sys.init_module('a', new Uint8Array(8000), (8000 | MOD_AUTOCLEAN) >>> 0, ROUTINES, null).errno,
    ).toBe('EINVAL');
    expect(kernel(k).useWord(kernel(k).modules[0])).toBe(MOD_AUTOCLEAN);
    // 1.2 knows no such bit: the size check sees a 1 GiB codesize.
    const old = v1({ kernelVersion: '1.2.13' });
    create(old, 'a', 4092);
    expect(old.sys.init_module('a', CODE, (CODE.length | MOD_AUTOCLEAN) >>> 0, ROUTINES, null).errno).toBe(
      'EINVAL',
    );
  });

  it('EFAULT for unreadable code (inferred), after the size check', () => {
    const k = v1();
    create(k, 'a');
    expect(k.sys.init_module('a', 0x7000_0000, 100, ROUTINES, null).errno).toBe('EFAULT');
    expect(k.sys.init_module('a', 0x7000_0000, 9000, ROUTINES, null).errno).toBe('EINVAL');
  });

  it('copies the code behind the use-count word, zero-fills the rest of the pages, keeps cleanup', () => {
    const k = v1();
    const addr = create(k, 'a', 4092);
    k.core.memory.write(BigInt(addr + 200), Uint8Array.of(0xee));
    expect(init(k, 'a').errno).toBeUndefined();
    const mem = k.core.memory.read(BigInt(addr), 4096);
    if (!mem.ok) throw new Error('unmapped');
    expect([...mem.value.subarray(4, 104)]).toEqual([...CODE]);
    expect(mem.value[200]).toBe(0);
    expect(kernel(k).findModule('a')?.cleanup).toBe(0x1008);
    expect(kernel(k).findModule('a')?.state).toBe(MOD_RUNNING);
  });

  it('accepts init_module on a running module again and overwrites its code (no state check)', () => {
    const k = v1();
    create(k, 'a');
    expect(init(k, 'a').errno).toBeUndefined();
    expect(init(k, 'a', null, new Uint8Array(10).fill(9)).errno).toBeUndefined();
  });

  describe('the symbol table', () => {
    const good = encodeSymbolTable({ symbols: [{ addr: 0x1234, name: 'exported' }], refs: [] });

    it('installs the symbols with relocated names', () => {
      const k = v1();
      create(k, 'a');
      expect(init(k, 'a', good).errno).toBeUndefined();
      expect(kernel(k).findModule('a')?.symtab?.symbols).toEqual([{ addr: 0x1234, name: 'exported' }]);
      expect(k.read('/proc/ksyms')).toMatch(/^00001234 exported\t\[a\]\n/);
    });

    it('EFAULT when the size word is unreadable', () => {
      const k = v1();
      create(k, 'a');
      expect(init(k, 'a', 0x7000_0000).errno).toBe('EFAULT');
    });

    it('ENOMEM when kmalloc cannot take the size (negative or over 128 KiB), before reading the table', () => {
      const k = v1();
      create(k, 'a');
      expect(init(k, 'a', tampered({ size: -1 }, good)).errno).toBe('ENOMEM');
      expect(init(k, 'a', tampered({ size: 200_000 }, good)).errno).toBe('ENOMEM');
    });

    it('EFAULT when the table is shorter than its size', () => {
      const k = v1();
      create(k, 'a');
      expect(init(k, 'a', tampered({ size: good.length + 8192 }, good)).errno).toBe('EFAULT');
    });

    it('EINVAL with the era message for negative counts or counts beyond the size', () => {
      const k = v1();
      create(k, 'a');
      expect(init(k, 'a', tampered({ n_symbols: -1 }, good)).errno).toBe('EINVAL');
      expect(k.dmesg()).toContain('Illegal symbol table! Rejected!');
      expect(init(k, 'a', tampered({ n_refs: 50 }, good)).errno).toBe('EINVAL');
      const k13 = v1({ kernelVersion: '1.3.89' });
      create(k13, 'a');
      expect(init(k13, 'a', tampered({ n_symbols: 3 }, good)).errno).toBe('EINVAL');
      expect(k13.dmesg()).toContain('Rejecting illegal symbol table (n_symbols=3,n_refs=0)');
    });

    it('EINVAL for a name offset inside the header or past the end', () => {
      const k = v1();
      create(k, 'a');
      const inside = good.slice();
      inside.set(i32(8), 16);
      expect(init(k, 'a', inside).errno).toBe('EINVAL');
      const past = good.slice();
      past.set(i32(good.length), 16);
      expect(init(k, 'a', past).errno).toBe('EINVAL');
      expect(kernel(k).findModule('a')?.symtab).toBeUndefined();
    });

    it('links each module_ref into its target (any list element, kernel_module included)', () => {
      const k = v1();
      create(k, 'base');
      expect(init(k, 'base').errno).toBeUndefined();
      create(k, 'user');
      const kk = kernel(k);
      const refs = [kk.findModule('base')?.struct ?? 0, kk.kernelModule.struct];
      expect(init(k, 'user', encodeSymbolTable({ symbols: [], refs })).errno).toBeUndefined();
      expect(kk.findModule('base')?.referrers.map((m) => m.name)).toEqual(['user']);
      expect(kk.kernelModule.referrers.map((m) => m.name)).toEqual(['user']);
      expect(k.sys.delete_module('base').errno).toBe('EBUSY');
    });

    it('a non-module reference is EINVAL and leaves the table and the earlier refs behind (real residue)', () => {
      const k = v1();
      create(k, 'base');
      expect(init(k, 'base').errno).toBeUndefined();
      create(k, 'user');
      const kk = kernel(k);
      const tab = encodeSymbolTable({
        symbols: [{ addr: 1, name: 's' }],
        refs: [kk.findModule('base')?.struct ?? 0, 0x1234],
      });
      expect(init(k, 'user', tab).errno).toBe('EINVAL');
      expect(k.dmesg()).toContain('Non-module reference! Rejected!');
      expect(kk.findModule('user')?.symtab?.symbols.map((s) => s.name)).toEqual(['s']);
      expect(kk.findModule('base')?.referrers.map((m) => m.name)).toEqual(['user']);
      expect(kk.findModule('user')?.state).toBe(MOD_UNINITIALIZED);
      // with residue: clean, the call undoes both
      const c = v1({ residue: 'clean' });
      create(c, 'base');
      expect(init(c, 'base').errno).toBeUndefined();
      create(c, 'user');
      const ck = kernel(c);
      const t2 = encodeSymbolTable({ symbols: [], refs: [ck.findModule('base')?.struct ?? 0, 0x1234] });
      expect(init(c, 'user', t2).errno).toBe('EINVAL');
      expect(ck.findModule('user')?.symtab).toBeUndefined();
      expect(ck.findModule('base')?.referrers).toEqual([]);
    });
  });

  describe('calling init', () => {
    it('a failing init is EBUSY and leaves the module uninitialized, for insmod to delete', () => {
      const k = v1();
      create(k, 'bad');
      k.core.behaviours.register('bad', { init: () => 'ENODEV' });
      expect(init(k, 'bad').errno).toBe('EBUSY');
      expect(kernel(k).findModule('bad')?.state).toBe(MOD_UNINITIALIZED);
      expect(k.read('/proc/modules')).toBe('bad                2  (uninitialized)\n');
    });

    it('2.0 holds the count at +1 during init; a failure zeroes the word, AUTOCLEAN included', () => {
      const k = v1({ kernelVersion: '2.0.40' });
      create(k, 'a');
      let during = -1;
      k.core.behaviours.register('a', {
        init: () => {
          during = kernel(k).useWord(kernel(k).modules[0]);
          return 'ENODEV';
        },
      });
      expect(k.sys.init_module('a', CODE, (CODE.length | MOD_AUTOCLEAN) >>> 0, ROUTINES, null).errno).toBe(
        'EBUSY',
      );
      expect(during).toBe(MOD_AUTOCLEAN + 1);
      expect(kernel(k).useWord(kernel(k).modules[0])).toBe(0);
      create(k, 'b');
      expect(
        k.sys.init_module('b', CODE, (CODE.length | MOD_AUTOCLEAN) >>> 0, ROUTINES, null).errno,
      ).toBeUndefined();
      expect(kernel(k).useWord(kernel(k).modules[0])).toBe(MOD_AUTOCLEAN);
    });
  });
});
