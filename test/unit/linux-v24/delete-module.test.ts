/**
 * `delete_module(name)` and `delete_module(NULL)` (linux-legacy.md §B.6): the named checks in order, what
 * freeing does (cleanup only for a running module, deps unlinked, memory and symbols gone), and autoclean
 * reaping with `MOD_VISITED`, `MOD_USED_ONCE` and `MOD_JUST_FREED`, including the restart pass.
 */
import { describe, expect, it } from 'vitest';
import {
  MOD_AUTOCLEAN,
  MOD_DELETED,
  MOD_JUST_FREED,
  MOD_RUNNING,
  MOD_USED_ONCE,
  MOD_VISITED,
} from '../../../src/abi/linux/v24.js';
import { create, created, digest, loaded, logSince, member, procLine, type V24, v24 } from './support.js';

/** Opens and closes a module's device: one use (`MOD_USED_ONCE`, then `MOD_VISITED`). */
function useOnce(k: V24, name: string): void {
  const fd = k.sys.open(`/dev/${name}`);
  expect(fd.errno).toBeUndefined();
  expect(k.sys.close(Number(fd.ret)).errno).toBeUndefined();
}

function flags(k: V24, name: string): number {
  return k.sys.queryInfo(name).flags;
}

describe('linux-v24 delete_module(name)', () => {
  it('EPERM first, then the name errors, then ENOENT', () => {
    const k = v24({ credentials: { capabilities: [] } });
    expect(k.sys.delete_module(0x1234).errno).toBe('EPERM');
    const root = v24();
    expect(root.sys.delete_module(0x1234).errno).toBe('EFAULT');
    expect(root.sys.delete_module('').errno).toBe('EINVAL');
    expect(root.sys.delete_module('y'.repeat(4096)).errno).toBe('ENAMETOOLONG');
    expect(root.sys.delete_module('ghost').errno).toBe('ENOENT');
  });

  it('EBUSY while another module references it (refs), before the use count is looked at', () => {
    const k = v24();
    const a = loaded(k, 'a');
    loaded(k, 'b', { deps: [a] });
    const before = digest(k);
    expect(k.sys.delete_module('a').errno).toBe('EBUSY');
    expect(digest(k)).toBe(before);
  });

  it('EBUSY while the use count is not 0; a set can_unload decides instead (and returns 0 here)', () => {
    const k = v24();
    loaded(k, 'a');
    const fd = k.sys.open('/dev/a');
    expect(k.sys.delete_module('a').errno).toBe('EBUSY');
    k.sys.close(Number(fd.ret));
    expect(k.sys.delete_module('a').errno).toBeUndefined();
    const { addr, image } = created(k, 'c');
    new DataView(image.bytes.buffer).setUint32(68, image.init, true); // can_unload: some function in the image
    expect(k.sys.init_module('c', image.bytes).errno).toBeUndefined();
    k.sys.open('/dev/c');
    expect(member(k, addr, 'usecount')).toBe(1);
    expect(k.sys.queryInfo('c').usecount).toBe(-1);
    expect(k.read('/proc/modules')).toBe(procLine('c', 4096, '  -1\n'));
    expect(k.sys.delete_module('c').errno).toBeUndefined();
  });

  it('frees at once: cleanup for a running module, deps unlinked, memory, symbols, device and name gone', () => {
    const k = v24();
    k.core.behaviours.declare('b', { cleanup: [{ log: 'b: cleanup ran' }] });
    const a = loaded(k, 'a');
    const b = loaded(k, 'b', { deps: [a], symbols: [{ value: 5, name: 'b_sym' }] });
    const cursor = k.core.log.cursor;
    expect(k.sys.delete_module('b').errno).toBeUndefined();
    expect(logSince(k, cursor)).toContain('b: cleanup ran');
    expect(member(k, a, 'refs')).toBe(0);
    expect(k.core.memory.find(BigInt(b))).toBeUndefined();
    expect(k.core.symbols.lookup('b_sym')).toBeUndefined();
    expect(k.vfs.stat('/dev/b').ok).toBe(false);
    expect(k.sys.queryModules()).toEqual(['a']);
    expect(k.core.modules.has('b')).toBe(false);
  });

  it("an uninitialized module's cleanup is not called", () => {
    const k = v24();
    k.core.behaviours.declare('u', { cleanup: [{ log: 'u: cleanup ran' }] });
    create(k, 'u');
    const cursor = k.core.log.cursor;
    expect(k.sys.delete_module('u').errno).toBeUndefined();
    expect(logSince(k, cursor)).not.toContain('u: cleanup ran');
  });

  it('a cleanup that never returns leaves the module listed as deleted (find_module no longer sees it)', () => {
    const k = v24();
    k.core.behaviours.declare('hang', { cleanup: [{ block: true }] });
    const a = loaded(k, 'hang');
    expect(k.sys.delete_module('hang').errno).toBe('EINTR');
    expect(member(k, a, 'flags') & (MOD_DELETED | MOD_RUNNING)).toBe(MOD_DELETED | MOD_RUNNING);
    expect(k.read('/proc/modules')).toBe(procLine('hang', 4096, '   0 (deleted)\n'));
    expect(k.sys.delete_module('hang').errno).toBe('ENOENT');
    expect(k.sys.queryModules()).toEqual(['hang']);
  });
});

describe('linux-v24 delete_module(NULL): autoclean reaping', () => {
  const auto = { flags: MOD_AUTOCLEAN };

  it('needs CAP_SYS_MODULE; otherwise always returns 0', () => {
    expect(v24({ credentials: { capabilities: [] } }).sys.delete_module(null).errno).toBe('EPERM');
    expect(v24().sys.delete_module(null).ret).toBe(0);
  });

  it('1. a module never used (no MOD_USED_ONCE) is never reaped', () => {
    const k = v24();
    loaded(k, 'idle', auto);
    for (let i = 0; i < 3; i++) k.sys.delete_module(null);
    expect(k.sys.queryModules()).toEqual(['idle']);
    expect(k.read('/proc/modules')).toBe(procLine('idle', 4096, '   0 (autoclean) (unused)\n'));
  });

  it('only autoclean, running, unreferenced, unused modules are candidates', () => {
    const k = v24();
    loaded(k, 'plain');
    useOnce(k, 'plain');
    loaded(k, 'open', auto);
    k.sys.open('/dev/open');
    create(k, 'uninit');
    for (let i = 0; i < 3; i++) k.sys.delete_module(null);
    expect(k.sys.queryModules()).toEqual(['uninit', 'open', 'plain']);
  });

  it('2. a module used since the last pass (MOD_VISITED) survives one call, then goes', () => {
    const k = v24();
    loaded(k, 'm', auto);
    useOnce(k, 'm');
    expect(flags(k, 'm') & (MOD_VISITED | MOD_USED_ONCE)).toBe(MOD_VISITED | MOD_USED_ONCE);
    expect(k.sys.delete_module(null).ret).toBe(0);
    expect(k.sys.queryModules()).toEqual(['m']);
    expect(flags(k, 'm') & MOD_VISITED).toBe(0);
    expect(k.read('/proc/modules')).toBe(procLine('m', 4096, '   0 (autoclean)\n'));
    k.sys.delete_module(null);
    expect(k.sys.queryModules()).toEqual([]);
  });

  it('3. a module that loses its last user in this call (MOD_JUST_FREED) goes in the same pass, visited or not', () => {
    // The restart would reap it anyway; MOD_JUST_FREED shows in the order the cleanups run: base goes right after
    // its user, before the older 'other', instead of on the restart pass.
    const k = v24();
    for (const n of ['other', 'base', 'user'])
      k.core.behaviours.declare(n, { cleanup: [{ log: `cleanup ${n}` }] });
    loaded(k, 'other', auto);
    useOnce(k, 'other');
    const base = loaded(k, 'base', auto);
    loaded(k, 'user', { ...auto, deps: [base] });
    useOnce(k, 'user');
    k.sys.delete_module(null); // clears every MOD_VISITED; base is referenced
    expect(k.sys.queryModules()).toEqual(['user', 'base', 'other']);
    useOnce(k, 'base'); // base visited again: alone it would be spared once
    const cursor = k.core.log.cursor;
    k.sys.delete_module(null);
    expect(k.sys.queryModules()).toEqual([]);
    expect(logSince(k, cursor)).toEqual(['cleanup user', 'cleanup base', 'cleanup other']);
  });

  it('4. the restart pass reaps a module whose MOD_VISITED was cleared earlier in the same call', () => {
    const k = v24();
    loaded(k, 'older', auto);
    useOnce(k, 'older');
    k.sys.delete_module(null); // clears older's MOD_VISITED
    loaded(k, 'newer', auto);
    useOnce(k, 'newer'); // newer: visited; older: not
    k.sys.delete_module(null);
    // Pass 1: newer spared (VISITED cleared), older freed; restart: newer is no longer visited → freed.
    expect(k.sys.queryModules()).toEqual([]);
  });

  it('MOD_JUST_FREED is cleared on every module at the end of the call', () => {
    const k = v24();
    const base = loaded(k, 'base'); // not autoclean: stays
    loaded(k, 'user', { ...auto, deps: [base] });
    useOnce(k, 'user');
    k.sys.delete_module(null);
    k.sys.delete_module(null);
    expect(k.sys.queryModules()).toEqual(['base']);
    expect(flags(k, 'base') & MOD_JUST_FREED).toBe(0);
    expect(flags(k, 'base') & MOD_USED_ONCE).toBe(MOD_USED_ONCE);
  });

  it('2.2 reaps the same way', () => {
    const k = v24({ kernelVersion: '2.2.26' });
    loaded(k, 'm', auto);
    useOnce(k, 'm');
    k.sys.delete_module(null);
    expect(k.sys.queryModules()).toEqual(['m']);
    k.sys.delete_module(null);
    expect(k.sys.queryModules()).toEqual([]);
  });
});
