/** modpath(2) (hpux-dlkm.md §2.4, §3.4, §7). */
import { describe, expect, it } from 'vitest';
import { hpux, install } from './support/kernel.js';

describe('modpath(2)', () => {
  it('prepends directories in order; the default is always last; NULL resets', () => {
    const k = hpux();
    expect(k.sys.modpath('/a').ret).toBe(0);
    expect(k.sys.modpath('/b:/c').ret).toBe(0);
    expect(order(k)).toEqual(['/b', '/c', '/a', '/usr/conf/mod']);
    expect(k.sys.modpath('/d /e').ret).toBe(0);
    expect(order(k)).toEqual(['/d', '/e', '/b', '/c', '/a', '/usr/conf/mod']);
    expect(k.sys.modpath(undefined).ret).toBe(0);
    expect(order(k)).toEqual(['/usr/conf/mod']);
  });

  it.each(['', 'a', 'a/b', '/a::/b', '/a:', '/a:b', '/a  /b'])('EINVAL for the malformed list %j', (list) => {
    const k = hpux();
    expect(k.sys.modpath(list)).toMatchObject({ ret: -1, errno: 'EINVAL', errnoNumber: 22 });
    expect(order(k)).toEqual(['/usr/conf/mod']);
  });

  it('order: EPERM, ENOSYS, then ENAMETOOLONG / EFAULT, then EINVAL', () => {
    const long = `/${'a'.repeat(1023)}`;
    expect(hpux({ credentials: { uid: 1, euid: 1 }, dlkmInitialized: false }).sys.modpath(long).errno).toBe(
      'EPERM',
    );
    expect(hpux({ dlkmInitialized: false }).sys.modpath(long).errno).toBe('ENOSYS');
    expect(hpux().sys.modpath(long).errno).toBe('ENAMETOOLONG');
    expect(hpux().sys.modpath(`bad${'a'.repeat(1020)}`).errno).toBe('EINVAL');
    expect(hpux().sys.modpath(0x7fff0000).errno).toBe('EFAULT');
    expect(hpux({ credentials: { uid: 1, euid: 1, privileges: ['PRIV_DLKM'] } }).sys.modpath('/x').ret).toBe(
      0,
    );
  });

  it('11i v1 searches /stand/dlkm/mod.d by default; the config key prepends at boot', () => {
    const v1 = hpux({ kernelVersion: '11.11' });
    expect(order(v1)).toEqual(['/stand/dlkm/mod.d']);
    expect(v1.modulePath('foo')).toBe('/stand/dlkm/mod.d/foo');
    const k = hpux({ modpath: '/opt/a:/opt/b' });
    expect(order(k)).toEqual(['/opt/a', '/opt/b', '/usr/conf/mod']);
    k.sys.modpath(undefined);
    expect(order(k)).toEqual(['/usr/conf/mod']);
    expect(() => hpux({ modpath: 'relative' })).toThrow(TypeError);
  });

  it('directories need not exist, and take effect for the next load', () => {
    const k = hpux({ registeredModules: ['foo'] });
    expect(k.sys.modpath('/not/yet').ret).toBe(0);
    expect(k.sys.modload('foo').errno).toBe('ENOENT');
    install(k, { name: 'foo' }, '/not/yet');
    expect(k.sys.modload('foo').ret).toBe(1);
    expect(k.sys.stat(1).path).toBe('/not/yet/foo');
  });
});

/** The search path as the kernel holds it (saved state), most recently prepended first. */
function order(k: ReturnType<typeof hpux>): string[] {
  const snapshot = k.snapshot() as {
    personalityState: { modpath: { default: string; prepended: string[] } };
  };
  const { default: def, prepended } = snapshot.personalityState.modpath;
  return [...prepended, def];
}
