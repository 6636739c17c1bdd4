/**
 * End to end on the old interface: two builder-made modules where the second uses the first's symbols, loaded by
 * the era's insmod (get_kernel_syms → create_module → user-space relocation → symbol table → init_module).
 */
import { describe, expect, it } from 'vitest';
import { MOD_AUTOCLEAN, MOD_VISITED } from '../../../src/abi/linux/v1.js';
import { kernel, run, stage, useWord, v1 } from './support.js';

const BASE = { name: 'base', license: 'GPL', exports: ['base_fn', 'base_data'] };
const USER = { name: 'user', license: 'GPL', imports: ['base_fn'] };

function twoModules(version = '1.2.13') {
  const k = v1({ kernelVersion: version });
  const a = stage(k, BASE);
  const b = stage(k, USER);
  run(k, 'insmod', a);
  run(k, 'insmod', b);
  return k;
}

describe('linux-v1 end to end', () => {
  it('lists modules newest first in get_kernel_syms, each #name entry before its own symbols', () => {
    const k = twoModules();
    const syms = k.sys.kernelSyms();
    const names = syms.map((s) => s.name);
    const iUser = names.indexOf('#user');
    const iBase = names.indexOf('#base');
    const iKernel = names.indexOf('#');
    expect(iUser).toBe(0);
    expect(iBase).toBeGreaterThan(iUser);
    expect(iKernel).toBeGreaterThan(iBase);
    expect(names.slice(iBase + 1, iKernel)).toContain('base_fn');
    expect(names.slice(iBase + 1, iKernel)).toContain('base_data');
    expect(names.slice(iKernel + 1)).toContain('printk');
    // #name values are the struct module addresses the kernel keeps.
    const kk = kernel(k);
    expect(syms[iBase].value).toBe(kk.findModule('base')?.struct);
    expect(syms[iKernel].value).toBe(kk.kernelModule.struct);
  });

  it('links the user to the module whose symbol it used and refuses to delete that module', () => {
    const k = twoModules();
    const kk = kernel(k);
    expect(kk.findModule('base')?.referrers.map((m) => m.name)).toEqual(['user']);
    expect(k.read('/proc/modules')).toBe('user               1\nbase               1\t[user]\n');
    const r = k.run('rmmod', ['base']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe('base: Device or resource busy\n');
    expect(k.sys.delete_module('base').errno).toBe('EBUSY');
    run(k, 'rmmod', 'user');
    run(k, 'rmmod', 'base');
    expect(k.read('/proc/modules')).toBe('');
    expect(k.core.memory.allocations()).toEqual([]);
  });

  it('resolves the user relocation against the address base_fn has in base', () => {
    const k = twoModules();
    const baseFn = k.sys.kernelSyms().find((s) => s.name === 'base_fn');
    expect(baseFn).toBeDefined();
    const base = kernel(k).findModule('base');
    const user = kernel(k).findModule('user');
    if (base === undefined || user === undefined || baseFn === undefined) throw new Error('not loaded');
    expect(baseFn.value).toBeGreaterThan(base.addr);
    expect(baseFn.value).toBeLessThan(base.addr + base.pages * 4096);
    // The user's first instruction is `call base_fn` (e8 + PC-relative displacement) after the use-count word.
    const code = k.core.memory.read(BigInt(user.addr), 4096);
    if (!code.ok) throw new Error('unmapped');
    const bytes = code.value;
    let at = -1;
    for (let i = 4; i < 4096 - 5; i++) {
      if (bytes[i] !== 0xe8) continue;
      const disp = bytes[i + 1] | (bytes[i + 2] << 8) | (bytes[i + 3] << 16) | (bytes[i + 4] << 24);
      if ((user.addr + i + 5 + disp) >>> 0 === baseFn.value) at = i;
    }
    expect(at).toBeGreaterThanOrEqual(4);
  });

  it('drives lsmod counts from the use-count word in module memory', () => {
    const k = twoModules('2.0.40');
    expect(k.actions.use('base').result).toBe('ok');
    expect(k.actions.use('base').result).toBe('ok');
    expect(useWord(k, 'base')).toBe(2 | MOD_VISITED);
    expect(run(k, 'lsmod')).toBe(
      'Module         Pages    Used by\nuser               1\t\t0\nbase               1\t[user]\t2\n',
    );
    // A module writes its own word: the listing follows the memory, not a kernel-side counter.
    const base = kernel(k).findModule('base');
    if (base === undefined) throw new Error('base');
    k.core.memory.write(BigInt(base.addr), Uint8Array.of(7, 0, 0, 0));
    expect(k.read('/proc/modules')).toContain('base               1\t[user]\t7\n');
  });

  it('reaps autoclean modules on delete_module(NULL) one cycle after their last use (2.0)', () => {
    const k = v1({ kernelVersion: '2.0.40' });
    const a = stage(k, BASE);
    const b = stage(k, USER);
    run(k, 'insmod', '-k', a);
    run(k, 'insmod', '-k', b);
    expect(useWord(k, 'base')).toBe(MOD_AUTOCLEAN);
    k.actions.use('user');
    k.actions.unuse('user');
    expect(useWord(k, 'user')).toBe(MOD_AUTOCLEAN | MOD_VISITED);
    // First pass: user was visited (VISITED cleared, kept); base is referenced by user (kept).
    expect(k.sys.delete_module(null).ret).toBe(0);
    expect(kernel(k).modules.map((m) => m.name)).toEqual(['user', 'base']);
    expect(useWord(k, 'user')).toBe(MOD_AUTOCLEAN);
    // Second pass: user is reaped, which drops its reference, so base goes in the same pass.
    expect(k.sys.delete_module(null).ret).toBe(0);
    expect(kernel(k).modules).toEqual([]);
    expect(k.core.memory.allocations()).toEqual([]);
  });

  it('1.2 has no autoclean: delete_module(NULL) only collects, and insmod -k overflows codesize (EINVAL)', () => {
    const k = v1({ kernelVersion: '1.2.13' });
    const a = stage(k, BASE);
    run(k, 'insmod', a);
    expect(k.sys.delete_module(null).ret).toBe(0);
    expect(kernel(k).modules.map((m) => m.name)).toEqual(['base']);
    const b = stage(k, USER);
    const r = k.run('insmod', ['-k', b]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('init_module: Invalid argument');
    // insmod deleted the half-made module again.
    expect(kernel(k).modules.map((m) => m.name)).toEqual(['base']);
  });
});
