/** moduload(2) (hpux-dlkm.md §2.2, §3.3). */
import { describe, expect, it } from 'vitest';
import { hpux, install } from './support/kernel.js';

function libAndUser(config = {}) {
  const k = hpux({ registeredModules: ['lib', 'user', 'other'], ...config });
  install(k, { name: 'lib', exports: ['lib_fn'] });
  install(k, { name: 'user', depends: ['lib'], imports: ['lib_fn'] });
  install(k, { name: 'other' });
  return k;
}

describe('moduload(2)', () => {
  it('unloads a module, frees its memory and symbols; the id stays bound to the name', () => {
    const k = libAndUser();
    const free = k.core.memory.freeList();
    const symbols = k.core.symbols.size;
    expect(k.sys.modload('lib').ret).toBe(1);
    expect(k.core.symbols.lookup('lib_fn')?.owner).toBe('lib');
    expect(k.sys.moduload(1).ret).toBe(0);
    expect(k.core.modules.size).toBe(0);
    expect(k.core.memory.freeList()).toEqual(free);
    expect(k.core.symbols.size).toBe(symbols);
    expect(k.sys.modload('lib').ret).toBe(1);
  });

  it('EINVAL: not a loaded module (unknown, registered but unloaded, negative)', () => {
    const k = libAndUser();
    expect(k.sys.moduload(99).errno).toBe('EINVAL');
    expect(k.sys.moduload(1).errno).toBe('EINVAL');
    expect(k.sys.moduload(-1).errno).toBe('EINVAL');
  });

  it('EBUSY while a module that depends on it is loaded; the dependency stays loaded after its user goes', () => {
    const k = libAndUser();
    expect(k.sys.modload('user').ret).toBe(2);
    expect(k.core.modules.has('lib')).toBe(true);
    expect(k.sys.moduload(1)).toMatchObject({ ret: -1, errno: 'EBUSY', errnoNumber: 16 });
    expect(k.sys.moduload(2).ret).toBe(0);
    expect(k.core.modules.has('lib')).toBe(true);
    expect(k.sys.stat(1).depcnt).toBe(0);
    expect(k.sys.moduload(1).ret).toBe(0);
  });

  it('EBUSY while the device is open (hold count), and while profiling is enabled', () => {
    const k = libAndUser({ kernelProfiling: true });
    k.sys.modload('other');
    expect(k.sys.moduload(3).errno).toBe('EBUSY');
    k.core.sysctl.set('hpux.kernel_profiling', 0);
    const fd = Number(k.sys.open('/dev/other').ret);
    expect(k.sys.moduload(3).errno).toBe('EBUSY');
    k.sys.close(fd);
    expect(k.sys.moduload(3).ret).toBe(0);
  });

  it('_unload() may veto: its errno is returned and the module stays loaded', () => {
    const k = hpux({ registeredModules: ['stubborn'] });
    install(k, { name: 'stubborn', behaviour: { cleanup: [{ return: 'EBUSY' }] } });
    k.sys.modload('stubborn');
    expect(k.sys.moduload(1).errno).toBe('EBUSY');
    expect(k.core.modules.get('stubborn')?.state).toBe('LOADED');
    install(k, { name: 'stubborn', behaviour: { cleanup: [{ return: 'ENXIO' }] } });
    expect(k.sys.moduload(1).errno).toBe('EBUSY');
    k.core.behaviours.register('stubborn', { cleanup: () => 'ENXIO' });
    expect(k.sys.moduload(1).errno).toBe('ENXIO');
    k.core.behaviours.register('stubborn', { cleanup: () => 0 });
    expect(k.sys.moduload(1).ret).toBe(0);
  });

  it('moduload(0) unloads every unloadable module, dependents before their dependencies', () => {
    const k = libAndUser();
    k.sys.modload('user');
    k.sys.modload('other');
    const fd = Number(k.sys.open('/dev/other').ret);
    expect(k.sys.moduload(0).ret).toBe(0);
    expect(k.core.modules.list().map((m) => m.name)).toEqual(['other']);
    expect(k.sys.moduload(0).errno).toBe('EBUSY');
    k.sys.close(fd);
    expect(k.sys.moduload(0).ret).toBe(0);
    expect(k.sys.moduload(0).errno).toBe('EBUSY');
  });

  it('EPERM and ENOSYS, in that order', () => {
    const user = { uid: 7, euid: 7 };
    expect(hpux({ credentials: user }).sys.moduload(1).errno).toBe('EPERM');
    expect(hpux({ credentials: user, dlkmInitialized: false }).sys.moduload(0).errno).toBe('EPERM');
    expect(hpux({ dlkmInitialized: false }).sys.moduload(0).errno).toBe('ENOSYS');
    const v3 = libAndUser({ credentials: { ...user, privileges: ['PRIV_DLKM'] } });
    v3.sys.modload('other');
    expect(v3.sys.moduload(3).ret).toBe(0);
    expect(
      hpux({ kernelVersion: '11.23', credentials: { ...user, privileges: ['PRIV_DLKM'] } }).sys.moduload(1)
        .errno,
    ).toBe('EPERM');
  });
});

describe('device opens and autoload', () => {
  it('opening /dev/<module> of a registered module autoloads it (cause auto) and holds it', () => {
    const k = libAndUser();
    const fd = k.sys.open('/dev/user');
    expect(fd.ret).toBe(3);
    expect(k.core.modules.get('user')?.refcount).toBe(1);
    expect(k.core.modules.has('lib')).toBe(true);
    expect(k.run('kcmodule', ['-P', 'name,state,cause,next_state', 'user', 'lib']).stdout).toBe(
      'name user\nstate loaded\ncause auto\nnext_state auto\n\nname lib\nstate loaded\ncause depend\nnext_state auto\n',
    );
    expect(k.sys.close(3).ret).toBe(0);
    expect(k.sys.close(3).errno).toBe('EBADF');
  });

  it('an autoload that fails makes the open fail with ENXIO; unregistered devices do not exist', () => {
    const k = hpux({ registeredModules: ['broken'] });
    install(k, { name: 'broken', imports: ['nosuch'] });
    expect(k.sys.open('/dev/broken').errno).toBe('ENXIO');
    expect(k.core.modules.size).toBe(0);
    expect(k.sys.open('/dev/nothing').errno).toBe('ENOENT');
  });

  it('a module can request another one from _load()', () => {
    const k = hpux({ registeredModules: ['a', 'b'] });
    install(k, { name: 'a', behaviour: { init: [{ request: 'b' }] } });
    install(k, { name: 'b' });
    expect(k.sys.modload('a').ret).toBe(1);
    expect(k.core.modules.get('b')?.extra.cause).toBe('auto');
    const k2 = hpux({ registeredModules: ['a'] });
    install(k2, { name: 'a', behaviour: { init: [{ request: 'b' }] } });
    expect(k2.sys.modload('a').errno).toBe('ENOREG');
  });
});
