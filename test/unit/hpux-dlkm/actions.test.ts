/** Neutral actions (comparative experiments) done the HP-UX way. */
import { describe, expect, it } from 'vitest';
import { hpux, install } from './support/kernel.js';

describe('hpux-dlkm neutral actions', () => {
  it('11i v3 load: modpath for the directory, registration as kcmodule does, modload by name', () => {
    const k = hpux();
    install(k, { name: 'foo' }, '/tmp/mods');
    const r = k.actions.load('/tmp/mods/foo');
    expect(r.result).toBe('ok');
    expect(r.syscalls.map((s) => [s.name, s.args.pathname])).toEqual([
      ['modpath', '/tmp/mods'],
      ['modload', 'foo'],
    ]);
    expect(k.run('kcmodule', ['-P', 'state,cause', 'foo']).stdout).toBe('state loaded\ncause explicit\n');
    // already searched: no second modpath; already loaded: success
    expect(k.actions.load('/tmp/mods/foo').syscalls.map((s) => s.name)).toEqual(['modload']);
  });

  it('a failed load leaves the module unregistered again', () => {
    const k = hpux();
    install(k, { name: 'bad', imports: ['nosuch'] }, '/tmp/mods');
    expect(k.actions.load('/tmp/mods/bad').result).toBe('ERELOC');
    expect(k.sys.list()).toEqual([]);
    expect(k.actions.load('/tmp/mods/foo').result).toBe('ENOENT');
  });

  it('11i v1 (kmadmin -L never registers): ENOREG, unless actionsRegister is set', () => {
    const k = hpux({ kernelVersion: '11.11' });
    install(k, { name: 'foo' });
    expect(k.actions.load('/stand/dlkm/mod.d/foo')).toMatchObject({ result: 'ENOREG' });
    const k2 = hpux({ kernelVersion: '11.11', actionsRegister: true });
    install(k2, { name: 'foo' });
    expect(k2.actions.load('/stand/dlkm/mod.d/foo').result).toBe('ok');
    const k3 = hpux({ actionsRegister: false });
    install(k3, { name: 'foo' });
    expect(k3.actions.load('/usr/conf/mod/foo').result).toBe('ENOREG');
  });

  it('module parameters do not exist on HP-UX', () => {
    const k = hpux();
    install(k, { name: 'foo' });
    expect(k.actions.load('/usr/conf/mod/foo', 'debug=1')).toMatchObject({ result: 'EINVAL', syscalls: [] });
    expect(k.actions.load('/usr/conf/mod/foo', '').result).toBe('ok');
  });

  it('use/unuse hold the module through its device; unload finds the id with modstat', () => {
    const k = hpux();
    install(k, { name: 'foo' });
    k.actions.load('/usr/conf/mod/foo');
    expect(k.actions.use('foo').result).toBe('ok');
    const busy = k.actions.unload('foo');
    expect(busy.result).toBe('EBUSY');
    expect(busy.syscalls.map((s) => s.name)).toEqual(['modstat', 'moduload']);
    expect(k.actions.unuse('foo').result).toBe('ok');
    expect(k.actions.unuse('foo').result).toBe('EBADF');
    expect(k.actions.unload('foo').result).toBe('ok');
    expect(k.actions.unload('nosuch').result).toBe('EINVAL');
  });

  it('list walks modstat and prints the era listing', () => {
    const k = hpux();
    install(k, { name: 'foo' });
    k.actions.load('/usr/conf/mod/foo');
    const l = k.actions.list();
    expect(l.syscalls.map((s) => s.name)).toEqual(['modstat', 'modstat']);
    expect(l.output).toContain('foo         loaded    explicit');
    const v1 = hpux({ kernelVersion: '11.11', actionsRegister: true });
    install(v1, { name: 'foo' });
    v1.actions.load('/stand/dlkm/mod.d/foo');
    expect(v1.actions.list().output).toContain('foo             1       LOADED          Misc\n');
  });
});

describe('unload symmetry', () => {
  it('11i v3: unload unregisters like kcmodule name=unused; 11i v1: the module stays registered', () => {
    const k = hpux();
    install(k, { name: 'base', exports: ['base_fn'] });
    install(k, { name: 'user', depends: ['base'], imports: ['base_fn'] });
    expect(k.actions.load('/usr/conf/mod/base').result).toBe('ok');
    expect(k.actions.unload('base').result).toBe('ok');
    expect(k.actions.load('/usr/conf/mod/user').result).toBe('EINVAL');
    const v1 = hpux({ kernelVersion: '11.11' });
    install(v1, { name: 'base' });
    v1.run('kmmodreg', ['-M', 'base']);
    expect(v1.actions.load('/stand/dlkm/mod.d/base').result).toBe('ok');
    expect(v1.actions.unload('base').result).toBe('ok');
    expect(v1.sys.list().map((s) => s.id)).toEqual([1]);
  });
});

describe('buildImage', () => {
  it('writes a loadable DLKM object from a neutral spec (the shared builder)', () => {
    const k = hpux();
    const build = (spec: Record<string, unknown>) => {
      const r = k.buildImage(spec as never);
      if (!r.ok) throw new Error(r.error);
      return r.value;
    };
    k.vfs.writeFile(
      k.modulePath('nbase'),
      build({ name: 'nbase', exports: ['nbase_fn'], params: [{ name: 'level', type: 'int' }] }),
    );
    k.vfs.writeFile(
      k.modulePath('nuser'),
      build({
        name: 'nuser',
        imports: [{ name: 'nbase_fn', module: 'nbase' }, { name: 'printf' }],
        behaviour: { init: [{ log: 'nuser up' }] },
        version: '1.2.3',
        description: 'Neutral user',
      }),
    );
    k.vfs.writeFile(k.modulePath('nlate'), build({ name: 'nlate', imports: ['nbase_fn'] }));
    k.vfs.writeFile(k.modulePath('nperm'), build({ name: 'nperm', permanent: true }));
    k.vfs.writeFile(k.modulePath('nold'), build({ name: 'nold', dlkm: { wrapperRevision: 9 } }));
    k.vfs.writeFile(
      k.modulePath('ndrv'),
      build({ name: 'ndrv', dlkm: { type: 'wsio_class', linkInfo: 'ndrv - driver' } }),
    );
    expect(k.actions.load(k.modulePath('nbase')).result).toBe('ok');
    expect(k.actions.load(k.modulePath('nuser')).result).toBe('ok');
    expect(k.dmesg()).toContain('nuser up');
    expect(k.run('kcmodule', ['-P', 'version,desc,depend', 'nuser']).stdout).toBe(
      'version 1.2.3\ndesc Neutral user\ndepend module nbase:0.1.0\n',
    );
    expect(k.actions.unload('nbase').result).toBe('EBUSY');
    // a symbol of a loaded module used without declaring the module: ERELOC
    expect(k.actions.load(k.modulePath('nlate')).result).toBe('ERELOC');
    expect(k.actions.load(k.modulePath('nold')).result).toBe('EBADVER');
    expect(k.actions.load(k.modulePath('ndrv')).result).toBe('ok');
    expect(k.sys.list().find((s) => s.path.endsWith('/ndrv'))?.msinfo[0]).toMatchObject({
      linkinfo: 'ndrv - driver',
      type: 1,
    });
    // no _unload routine: never unloadable
    expect(k.actions.load(k.modulePath('nperm')).result).toBe('ok');
    expect(k.actions.unload('nperm').result).toBe('EBUSY');
    expect(k.buildImage({ name: 'bad/name' }).ok).toBe(false);
    expect(k.buildImage({ name: 'x', behaviour: { init: 3 } }).ok).toBe(false);
  });

  it('refuses an unprivileged unload like kcmodule; 11i v1 reports the modstat walk’s EPERM', () => {
    const k = hpux();
    expect(k.actions.load(k.modulePath('nosuch')).result).toBe('ENOENT');
    k.core.creds.set({ uid: 5, euid: 5 });
    expect(k.actions.unload('nosuch')).toMatchObject({ result: 'EPERM', syscalls: [] });
    const v1 = hpux({ kernelVersion: '11.11', credentials: { uid: 5, euid: 5 } });
    expect(v1.actions.unload('nosuch')).toMatchObject({ result: 'EPERM' });
    expect(v1.actions.unload('nosuch').syscalls.map((s) => s.name)).toEqual(['modstat']);
  });
});
