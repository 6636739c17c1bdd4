/** modstat(2): lookup, iteration, privilege and the byte buffer it fills (hpux-dlkm.md §2.3, §3.4, §4). */
import { describe, expect, it } from 'vitest';
import {
  MOD_TY_CDEV,
  MOD_TY_MISC,
  SIZEOF_MODSTATUS,
  SIZEOF_MODSTATUS_V1,
} from '../../../src/abi/hpux/dlkm.js';
import { DYNAMIC_CMAJOR_BASE } from '../../../src/personalities/hpux-dlkm/steps/mod-connect.js';
import { hpux, install } from './support/kernel.js';

function threeModules(config = {}) {
  const k = hpux({ registeredModules: ['alpha', 'beta', 'gamma'], ...config });
  for (const name of ['alpha', 'beta', 'gamma']) install(k, { name, version: `${name.length}.0.0` });
  return k;
}

describe('modstat(2)', () => {
  it('get_next walks every registered module in id order, loaded or not, then EINVAL', () => {
    const k = threeModules();
    expect(k.sys.modload('beta').ret).toBe(2);
    const seen: [number, boolean][] = [];
    for (let id = 1; ; ) {
      const r = k.sys.modstat(id, undefined, 1);
      if (r.errno !== undefined) {
        expect(r.errno).toBe('EINVAL');
        expect(r.ret).toBe(-1);
        break;
      }
      seen.push([r.status!.id, r.status!.base !== 0n]);
      id = r.status!.id + 1;
    }
    expect(seen).toEqual([
      [1, false],
      [2, true],
      [3, false],
    ]);
    expect(k.sys.modstat(0, undefined, true).status?.id).toBe(1);
    expect(k.sys.modstat(4, undefined, true).errno).toBe('EINVAL');
  });

  it('without get_next: the registered module with that id, EINVAL for any other id', () => {
    const k = threeModules();
    expect(k.sys.modstat(3).status).toMatchObject({ id: 3, path: '/usr/conf/mod/gamma', base: 0n, reg: 1 });
    expect(k.sys.modstat(0).errno).toBe('EINVAL');
    expect(k.sys.modstat(4).errno).toBe('EINVAL');
    expect(k.sys.modstat(-1).errno).toBe('EINVAL');
    // unregistering keeps the id bound but the module is no longer reported
    k.run('kcmodule', ['beta=unused']);
    expect(k.sys.modstat(2).errno).toBe('EINVAL');
    expect(k.sys.list().map((s) => s.id)).toEqual([1, 3]);
  });

  it('fills every field of a loaded module', () => {
    const k = hpux({ registeredModules: ['lib', 'drv'] });
    install(k, {
      name: 'lib',
      exports: ['lib_fn'],
      bss: 100,
      version: '2.1.0',
      linkinfo: 'lib - helper routines',
    });
    install(k, { name: 'drv', type: 'wsio_class', depends: ['lib'], imports: ['lib_fn'] });
    expect(k.sys.modload('drv').ret).toBe(2);
    const lib = k.sys.stat(1);
    expect(lib).toMatchObject({
      id: 1,
      rev: 10,
      path: '/usr/conf/mod/lib',
      unloadDelay: 0n,
      holdcnt: 0,
      depcnt: 1,
      bssSize: 100,
      reg: 1,
      version: '2.1.0',
    });
    expect(lib.base).toBeGreaterThanOrEqual(0xe000000004000000n);
    expect(lib.size).toBeGreaterThan(0);
    expect(lib.bss).not.toBe(0n);
    expect(lib.msinfo[0]).toEqual({
      linkinfo: 'lib - helper routines',
      type: MOD_TY_MISC,
      p0: [0, 0],
      p1: [0, 0],
    });
    const drv = k.sys.stat(2);
    expect(drv.depcnt).toBe(0);
    expect(drv.bss).toBe(0n);
    expect(drv.msinfo[0]).toMatchObject({ type: MOD_TY_CDEV, p0: [-1, DYNAMIC_CMAJOR_BASE] });
    const fd = k.sys.open('/dev/lib');
    expect(k.sys.stat(1).holdcnt).toBe(1);
    k.sys.close(Number(fd.ret));
    expect(k.sys.stat(1).holdcnt).toBe(0);
  });

  it('11i v2+: anyone may call it; only privileged callers see addresses and sizes', () => {
    for (const [kernelVersion, privileges, shown] of [
      ['11.23', [], false],
      ['11.23', ['PRIV_DLKM'], false],
      ['11.31', [], false],
      ['11.31', ['PRIV_DLKM'], true],
    ] as const) {
      const k = hpux({ kernelVersion, registeredModules: ['foo'] });
      install(k, { name: 'foo', bss: 8 });
      expect(k.sys.modload('foo').ret).toBe(1);
      const root = k.sys.stat(1);
      k.core.creds.set({ uid: 1000, euid: 1000, privileges: new Set(privileges) });
      const st = k.sys.stat(1);
      if (shown) expect(st).toEqual(root);
      else {
        expect(st).toEqual({ ...root, base: 0n, size: 0, bss: 0n, bssSize: 0 });
        expect(root.base).not.toBe(0n);
      }
    }
  });

  it('11.0/11i v1: privileged callers only (EPERM), and the short struct', () => {
    const k = hpux({ kernelVersion: '11.11', registeredModules: ['foo'] });
    install(k, { name: 'foo' });
    const buf = k.core.user.alloc(SIZEOF_MODSTATUS_V1);
    expect(k.sys.modstat(1, buf).ret).toBe(0);
    k.core.creds.set({ uid: 5, euid: 5 });
    expect(k.sys.modstat(1, buf)).toMatchObject({ ret: -1, errno: 'EPERM' });
  });

  it('copies out exactly sizeof(struct modstatus): EFAULT for a short or read-only buffer', () => {
    const k = threeModules();
    const exact = k.core.user.alloc(SIZEOF_MODSTATUS);
    expect(k.sys.modstat(1, exact).ret).toBe(0);
    expect(k.sys.modstat(1, k.core.user.alloc(SIZEOF_MODSTATUS - 1)).errno).toBe('EFAULT');
    expect(k.sys.modstat(1, k.core.user.map(new Uint8Array(SIZEOF_MODSTATUS), false)).errno).toBe('EFAULT');
    expect(k.sys.modstat(1, 0).errno).toBe('EFAULT');
    // EINVAL is decided before the buffer is touched
    expect(k.sys.modstat(9, 0).errno).toBe('EINVAL');
  });

  it('ENOSYS first, even for an unprivileged 11i v1 caller', () => {
    const k = hpux({ kernelVersion: '11.11', dlkmInitialized: false, credentials: { uid: 3, euid: 3 } });
    expect(k.sys.modstat(1).errno).toBe('ENOSYS');
  });

  it('skips a module whose _load() has not returned; modload said EINTR and moduload says EBUSY', () => {
    const k = threeModules();
    install(k, { name: 'beta', behaviour: { init: [{ block: true }] } });
    const r = k.sys.modload('beta');
    expect(r.errno).toBe('EINTR');
    expect(k.core.modules.get('beta')?.state).toBe('LOADING');
    expect(k.sys.list().map((s) => s.id)).toEqual([1, 3]);
    expect(k.sys.modstat(2).status?.id).toBe(2);
    expect(k.sys.moduload(2).errno).toBe('EBUSY');
    expect(k.sys.modload('beta').errno).toBe('EBUSY');
  });
});
