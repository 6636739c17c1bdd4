/** The era's commands: kmadmin and kmmodreg (11i v1), kcmodule (11i v2/v3). */
import { describe, expect, it } from 'vitest';
import { hpux, install } from './support/kernel.js';

function v1() {
  const k = hpux({ kernelVersion: '11.11' });
  install(k, {
    name: 'dlclass',
    type: 'wsio_class',
    desc: 'Test driver',
    linkinfo: 'dlclass - Loadable/Unloadable Test Module',
  });
  install(k, { name: 'mymisc', desc: 'Misc helpers' });
  return k;
}

describe('11i v1 tools', () => {
  it('offers kmadmin and kmmodreg, not kcmodule', () => {
    expect(v1().tools.sort()).toEqual(['kmadmin', 'kmmodreg']);
    expect(hpux().tools).toEqual(['kcmodule']);
    expect(hpux({ kernelVersion: '11.23' }).tools).toEqual(['kcmodule']);
  });

  it('kmadmin -L needs kmmodreg -M first (ENOREG), then prints the id', () => {
    const k = v1();
    expect(k.run('kmadmin', ['-L', 'dlclass'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'kmadmin: load failed for dlclass: Module is not registered\n',
    });
    expect(k.run('kmmodreg', ['-M', 'dlclass', '-M', 'mymisc']).exitCode).toBe(0);
    expect(k.run('kmadmin', ['-L', 'dlclass']).stdout).toBe('kmadmin: Module dlclass loaded, ID = 1\n');
  });

  it('kmadmin -s lists registered modules with their status', () => {
    const k = v1();
    k.run('kmmodreg', ['-M', 'dlclass', '-M', 'mymisc']);
    k.run('kmadmin', ['-L', 'dlclass']);
    expect(k.run('kmadmin', ['-s']).stdout).toBe(
      'Name            ID      Status          Type\n' +
        '=====================================================\n' +
        'dlclass         1       LOADED          WSIO\n' +
        'mymisc          2       UNLOADED        Misc\n',
    );
  });

  it('kmadmin -Q / -q / -S print the full status', () => {
    const k = v1();
    k.run('kmmodreg', ['-M', 'dlclass', '-M', 'mymisc']);
    k.run('kmadmin', ['-L', 'dlclass']);
    const st = k.sys.stat(1);
    const q = k.run('kmadmin', ['-Q', 'dlclass']).stdout;
    expect(q).toBe(
      [
        'Module Name             dlclass',
        'Module ID               1',
        'Module Path             /stand/dlkm/mod.d/dlclass',
        'Status                  LOADED',
        `Size                    ${st.size}`,
        `Base Address            0x${st.base.toString(16)}`,
        'BSS Size                0',
        'BSS Base Address        0x0',
        'Hold Count              0',
        'Dependent Count         0',
        'Unload Delay            0 seconds',
        'Description             dlclass - Loadable/Unloadable Test Module',
        'Type                    WSIO',
        'Block Major             -1',
        'Character Major         64',
        'Flags                   0x0',
        '',
      ].join('\n'),
    );
    expect(k.run('kmadmin', ['-q', '1']).stdout).toBe(q);
    expect(k.run('kmadmin', ['-q', '2']).stdout).toContain('Status                  UNLOADED\n');
    expect(k.run('kmadmin', ['-S']).stdout).toBe(`${q}\n${k.run('kmadmin', ['-q', '2']).stdout}`);
    expect(k.run('kmadmin', ['-q', '9'])).toMatchObject({
      exitCode: 1,
      stderr: 'kmadmin: query failed for 9: Invalid argument\n',
    });
  });

  it('kmadmin -U / -u unload, and report busy modules', () => {
    const k = v1();
    install(k, { name: 'user', depends: ['mymisc'] });
    k.run('kmmodreg', ['-M', 'dlclass', '-M', 'mymisc', '-M', 'user']);
    expect(k.run('kmadmin', ['-L', 'user']).stdout).toBe('kmadmin: Module user loaded, ID = 3\n');
    expect(k.run('kmadmin', ['-U', 'mymisc'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'kmadmin: unload failed for mymisc: Device busy\n',
    });
    expect(k.run('kmadmin', ['-u', '3']).stdout).toBe('kmadmin: Module 3 unloaded\n');
    expect(k.run('kmadmin', ['-U', 'mymisc']).stdout).toBe('kmadmin: Module mymisc unloaded\n');
    expect(k.run('kmadmin', ['-U', 'nosuch']).exitCode).toBe(1);
  });

  it('kmadmin -d / -D change the search path, -k lists static modules; bad usage exits 2', () => {
    const k = v1();
    install(k, { name: 'extra' }, '/opt/dlkm');
    k.run('kmmodreg', ['-M', 'dlclass']);
    expect(k.run('kmmodreg', ['-M', 'extra']).exitCode).toBe(1);
    expect(k.run('kmadmin', ['-d', '/opt/dlkm']).exitCode).toBe(0);
    expect(k.run('kmmodreg', ['-M', 'extra']).exitCode).toBe(0);
    expect(k.run('kmadmin', ['-L', 'extra']).exitCode).toBe(0);
    expect(k.sys.stat(2).path).toBe('/opt/dlkm/extra');
    expect(k.run('kmadmin', ['-D']).exitCode).toBe(0);
    expect(k.run('kmadmin', ['-d', 'relative']).stderr).toBe(
      'kmadmin: modpath failed for relative: Invalid argument\n',
    );
    expect(k.run('kmadmin', ['-k']).stdout).toBe('krs\n');
    expect(k.run('kmadmin', []).exitCode).toBe(2);
    expect(k.run('kmadmin', ['-s', '-S']).exitCode).toBe(2);
    expect(k.run('kmadmin', ['-L']).exitCode).toBe(2);
    expect(k.run('kmadmin', ['-z']).stderr).toContain('kmadmin: illegal option -- z\nusage: kmadmin');
  });

  it('kmmodreg -U unregisters (unloading first, refusing when that fails); no arguments reads mod_register', () => {
    const k = v1();
    k.vfs.writeFile('/stand/dlkm/mod_register', 'dlclass\n# comment\nmymisc\n');
    expect(k.run('kmmodreg', []).exitCode).toBe(0);
    expect(k.sys.list().map((s) => s.id)).toEqual([1, 2]);
    k.run('kmadmin', ['-L', 'dlclass']);
    const fd = Number(k.sys.open('/dev/dlclass').ret);
    expect(k.run('kmmodreg', ['-U', 'dlclass']).stderr).toBe(
      'kmmodreg: cannot unregister dlclass: it is loaded and cannot be unloaded: Device busy\n',
    );
    k.sys.close(fd);
    expect(k.run('kmmodreg', ['-U', 'dlclass']).exitCode).toBe(0);
    expect(k.core.modules.size).toBe(0);
    expect(k.run('kmadmin', ['-L', 'dlclass']).exitCode).toBe(1);
    expect(k.run('kmmodreg', ['-M', 'dlclass']).exitCode).toBe(0);
    expect(k.run('kmadmin', ['-L', 'dlclass']).stdout).toBe('kmadmin: Module dlclass loaded, ID = 1\n');
    expect(
      hpux({ kernelVersion: '11.11', credentials: { uid: 1, euid: 1 } }).run('kmmodreg', ['-M', 'x'])
        .exitCode,
    ).toBe(1);
  });
});

function v3(kernelVersion = '11.31') {
  const k = hpux({ kernelVersion });
  install(k, { name: 'cdfs', desc: 'CD File System', capable: ['unused', 'loaded', 'auto'] });
  install(k, {
    name: 'libfs',
    desc: 'File system library',
    capable: ['unused', 'static', 'loaded', 'auto'],
    exports: ['libfs_fn'],
  });
  install(k, { name: 'nfsx', desc: 'Remote file system', depends: ['libfs'], imports: ['libfs_fn'] });
  return k;
}

describe('kcmodule', () => {
  it('11i v2 default output: Module, State, Cause; required modules only with -a', () => {
    const k = v3('11.23');
    expect(k.run('kcmodule', [])).toEqual({
      exitCode: 0,
      stderr: '',
      stdout: 'Module      State     Cause\ncdfs        unused\nlibfs       unused\nnfsx        unused\n',
    });
    expect(k.run('kcmodule', ['-a']).stdout).toContain('krs         static    required\n');
    expect(k.run('kcmodule', ['-d', 'cdfs']).stdout).toBe(
      'Module      State     Cause      Description\ncdfs        unused               CD File System\n',
    );
  });

  it('11i v3 adds the Notes column', () => {
    const k = v3();
    expect(k.run('kcmodule', ['cdfs', 'libfs']).stdout).toBe(
      'Module      State     Cause      Notes\n' +
        'cdfs        unused               auto-loadable, unloadable\n' +
        'libfs       unused               auto-loadable, unloadable\n',
    );
  });

  it('m=loaded registers the module and its dependencies and loads through the kernel', () => {
    const k = v3();
    const cursor = k.core.syscalls.cursor;
    const r = k.run('kcmodule', ['nfsx=loaded']);
    expect(r.exitCode).toBe(0);
    expect(k.core.syscalls.trace(cursor).map((s) => s.name)).toEqual(['modload']);
    expect(r.stdout).toBe(
      '   * The requested changes have been applied to the currently\n' +
        '     running system.\n' +
        'Module                    State     Cause      Notes\n' +
        'nfsx        (before)      unused               auto-loadable, unloadable\n' +
        '            (now)         loaded    explicit\n' +
        '            (next boot)   loaded    explicit\n',
    );
    expect(k.run('kcmodule', ['-P', 'name,state,cause,next_state,next_cause', 'libfs']).stdout).toBe(
      'name libfs\nstate loaded\ncause depend\nnext_state auto\nnext_cause depend\n',
    );
    // the dependency is registered first, so it has the lower id
    expect(k.sys.list().map((s) => s.path)).toEqual(['/usr/conf/mod/libfs', '/usr/conf/mod/nfsx']);
  });

  it('m=unused unloads; EBUSY holds the change for next boot', () => {
    const k = v3();
    k.run('kcmodule', ['nfsx=loaded']);
    const r = k.run('kcmodule', ['libfs=unused']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('NOTE:    The requested changes could not all be applied');
    expect(k.run('kcmodule', ['-D']).stdout).toBe(
      'Module                    State     Cause      Notes\n' +
        'libfs       (now)         loaded    depend     auto-loadable, unloadable\n' +
        '            (next boot)   unused    explicit\n',
    );
    expect(k.core.modules.has('libfs')).toBe(true);
    expect(k.run('kcmodule', ['nfsx=unused']).exitCode).toBe(0);
    expect(k.core.modules.has('nfsx')).toBe(false);
    expect(k.run('kcmodule', ['libfs=unused']).exitCode).toBe(0);
    expect(k.core.modules.size).toBe(0);
    expect(k.sys.modload('libfs').errno).toBe('ENOREG');
  });

  it('m=auto registers without loading; loaded → auto leaves the module loaded', () => {
    const k = v3();
    k.run('kcmodule', ['cdfs=auto']);
    expect(k.core.modules.size).toBe(0);
    expect(k.sys.modload('cdfs').ret).toBe(1);
    k.run('kcmodule', ['cdfs=auto']);
    expect(k.core.modules.has('cdfs')).toBe(true);
    expect(k.run('kcmodule', ['-P', 'state,next_state', 'cdfs']).stdout).toBe(
      'state loaded\nnext_state auto\n',
    );
  });

  it('m= and m=best use the best state; changes into static and -h are held', () => {
    const k = v3();
    k.run('kcmodule', ['cdfs=']);
    expect(k.run('kcmodule', ['-P', 'state,cause', 'cdfs']).stdout).toBe('state auto\ncause best\n');
    const r = k.run('kcmodule', ['libfs=static', 'cdfs=loaded']);
    expect(r.stdout).toContain('will take effect at\n     next boot.');
    expect(k.core.modules.size).toBe(0);
    expect(k.run('kcmodule', ['-P', 'state,next_state', 'libfs', 'cdfs']).stdout).toBe(
      'state unused\nnext_state static\n\nstate auto\nnext_state loaded\n',
    );
    k.run('kcmodule', ['-h', 'cdfs=unused']);
    expect(k.run('kcmodule', ['-P', 'state,next_state', 'cdfs']).stdout).toBe(
      'state auto\nnext_state unused\n',
    );
  });

  it('-v and -P ALL', () => {
    const k = v3();
    k.run('kcmodule', ['nfsx=loaded']);
    expect(k.run('kcmodule', ['-v', 'libfs']).stdout).toBe(
      'Name         libfs\n' +
        'Version      0.1.0\n' +
        'Description  File system library\n' +
        'State        loaded (to resolve dependencies)\n' +
        'Next Boot    auto (to resolve dependencies)\n' +
        'Capable      unused static loaded auto\n',
    );
    expect(k.run('kcmodule', ['-P', 'ALL', 'nfsx']).stdout).toBe(
      'name nfsx\ndesc Remote file system\nversion 0.1.0\nstate loaded\ncause explicit\nnext_state loaded\n' +
        'next_cause explicit\ncapable unused static loaded auto\ndepend module libfs:0.1.0\n',
    );
    expect(k.run('kcmodule', ['-P', 'nosuch'])).toMatchObject({
      exitCode: 1,
      stderr: "ERROR:   'nosuch' is not a valid field name.\n",
    });
  });

  it('-S lists explicitly configured modules only', () => {
    const k = v3();
    k.run('kcmodule', ['nfsx=loaded']);
    expect(k.run('kcmodule', ['-S']).stdout).toBe(
      'Module      State     Cause      Notes\nnfsx        loaded    explicit   auto-loadable, unloadable\n',
    );
    expect(k.run('kcmodule', ['-a', '-S']).exitCode).toBe(2);
  });

  it('errors: unknown module, bad state, incapable state, load failure, no privilege', () => {
    const k = v3();
    install(k, { name: 'broken', imports: ['nosuch_symbol'] });
    expect(k.run('kcmodule', ['nosuch'])).toMatchObject({
      exitCode: 1,
      stderr: "ERROR:   There is no module named 'nosuch'.\n",
    });
    expect(k.run('kcmodule', ['cdfs=bogus']).stderr).toBe("ERROR:   'bogus' is not a valid module state.\n");
    expect(k.run('kcmodule', ['cdfs=static']).stderr).toBe(
      "ERROR:   Module 'cdfs' cannot be put in the 'static' state.\n",
    );
    expect(k.run('kcmodule', ['cdfs=uninstall']).exitCode).toBe(1);
    expect(v3('11.23').run('kcmodule', ['cdfs=uninstall']).exitCode).toBe(0);
    const r = k.run('kcmodule', ['broken=loaded']);
    expect(r).toMatchObject({
      exitCode: 1,
      stderr: "ERROR:   The module 'broken' could not be loaded: Module relocation error.\n",
    });
    expect(k.run('kcmodule', ['-P', 'state,next_state', 'broken']).stdout).toBe(
      'state unused\nnext_state unused\n',
    );
    k.core.creds.set({ uid: 9, euid: 9 });
    expect(k.run('kcmodule', ['cdfs=loaded']).exitCode).toBe(1);
    expect(k.run('kcmodule', ['cdfs']).exitCode).toBe(0);
    expect(k.run('kcmodule', ['-c', 'saved']).exitCode).toBe(1);
  });
});
