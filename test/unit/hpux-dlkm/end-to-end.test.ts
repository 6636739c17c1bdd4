/**
 * End to end on an 11i v3 kernel: register with kcmodule, modload by name through modpath, walk modstat,
 * refuse to unload a module whose dependent is loaded, and watch kcmodule's view before and after. Also the
 * neutral actions and a save/restore of the whole kernel in the middle.
 */
import { describe, expect, it } from 'vitest';
import type { Kernel } from '../../../src/kernel.js';
import { restoreKernel } from '../../../src/kernel.js';
import { hpux, install } from './support/kernel.js';

function idsAndPaths(k: Kernel<'hpux-dlkm'>): [number, string, boolean][] {
  const out: [number, string, boolean][] = [];
  for (let id = 1; ; ) {
    const r = k.sys.modstat(id, undefined, true);
    if (r.status === undefined) {
      expect(r.errno).toBe('EINVAL');
      return out;
    }
    out.push([r.status.id, r.status.path, r.status.base !== 0n]);
    id = r.status.id + 1;
  }
}

describe('hpux-dlkm end to end (11i v3)', () => {
  it('kcmodule registration, modload via modpath, modstat walk, moduload refusal, kcmodule before/after', () => {
    const k = hpux();
    // an old copy of the driver in the default directory, a new one in /opt/drivers/mod
    install(k, { name: 'fclib', desc: 'Fibre Channel library', exports: ['fc_send'] });
    install(k, {
      name: 'fcdrv',
      type: 'wsio_class',
      desc: 'old driver',
      depends: ['fclib'],
      imports: ['fc_send'],
    });
    install(
      k,
      {
        name: 'fcdrv',
        type: 'wsio_class',
        desc: 'Fibre Channel driver',
        depends: ['fclib'],
        imports: ['fc_send'],
      },
      '/opt/drivers/mod',
    );
    install(k, { name: 'ghost', desc: 'Removed later' });

    expect(k.run('kcmodule', []).stdout).toBe(
      'Module      State     Cause      Notes\n' +
        'fcdrv       unused               auto-loadable, unloadable\n' +
        'fclib       unused               auto-loadable, unloadable\n' +
        'ghost       unused               auto-loadable, unloadable\n',
    );
    expect(k.run('kcmodule', ['fclib=auto', 'fcdrv=auto', 'ghost=auto']).exitCode).toBe(0);
    expect(k.core.modules.size).toBe(0);

    // modload by name: the first matching directory of the search path wins
    expect(k.sys.modpath('/opt/drivers/mod').ret).toBe(0);
    const id = k.sys.modload('fcdrv');
    expect(id).toMatchObject({ ret: 2 });
    expect(idsAndPaths(k)).toEqual([
      [1, '/usr/conf/mod/fclib', true],
      [2, '/opt/drivers/mod/fcdrv', true],
      [3, '/usr/conf/mod/ghost', false],
    ]);
    expect(k.sys.stat(2).msinfo[0].linkinfo).toBe('fcdrv - test module');

    // no directory holds ghost any more: the error is the last directory's (the default's ENOENT)
    k.vfs.unlink('/usr/conf/mod/ghost');
    expect(k.sys.modload('ghost')).toMatchObject({ ret: -1, errno: 'ENOENT' });

    // the dependency cannot go while its dependent is loaded
    expect(k.sys.moduload(1)).toMatchObject({ ret: -1, errno: 'EBUSY' });
    expect(k.sys.stat(1).depcnt).toBe(1);

    // save and restore the kernel mid-way: everything carries over
    const copy = restoreKernel(JSON.parse(JSON.stringify(k.snapshot()))) as Kernel<'hpux-dlkm'>;
    expect(copy.snapshot()).toEqual(k.snapshot());
    expect(idsAndPaths(copy)).toEqual(idsAndPaths(k));

    // modload(2) changed the running state only; the saved configuration still says auto
    expect(copy.run('kcmodule', ['fcdrv', 'fclib']).stdout).toBe(
      'Module                    State     Cause      Notes\n' +
        'fcdrv       (now)         loaded    explicit   auto-loadable, unloadable\n' +
        '            (next boot)   auto      explicit\n' +
        'fclib       (now)         loaded    depend     auto-loadable, unloadable\n' +
        '            (next boot)   auto      explicit\n',
    );
    const r = copy.run('kcmodule', ['fcdrv=unused']);
    expect(r.stdout).toBe(
      '   * The requested changes have been applied to the currently\n' +
        '     running system.\n' +
        'Module                    State     Cause      Notes\n' +
        'fcdrv       (before)      loaded    explicit   auto-loadable, unloadable\n' +
        '            (now)         unused    explicit\n' +
        '            (next boot)   unused    explicit\n',
    );
    expect(copy.sys.moduload(1).ret).toBe(0);
    // a raw moduload keeps the module registered: it is back to waiting for first use
    expect(copy.run('kcmodule', ['fcdrv', 'fclib']).stdout).toBe(
      'Module                    State     Cause      Notes\n' +
        'fcdrv                     unused    explicit   auto-loadable, unloadable\n' +
        'fclib       (now)         auto      depend     auto-loadable, unloadable\n' +
        '            (next boot)   auto      explicit\n',
    );
    expect(copy.sys.modload('fcdrv').errno).toBe('ENOREG');
    expect(copy.sys.modload('fclib').ret).toBe(1);
  });
});
