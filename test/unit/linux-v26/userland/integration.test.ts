/**
 * kmod's tools on a booted linux-v26 kernel: the real syscalls, /proc and /sys, with modules from the project's
 * builder placed under /lib/modules/<release>.
 */
import { describe, expect, it } from 'vitest';
import type { ModuleSpec } from '../../../../src/elf/builder/module-spec.js';
import { createKernel } from '../../../../src/kernel.js';
import type { NeutralModuleSpec } from '../../../../src/personalities/personality.js';

const RELEASE = '6.1.0-50-amd64';
const DIR = `/lib/modules/${RELEASE}`;

function boot() {
  const k = createKernel({ personality: 'linux-v26', config: { release: RELEASE } });
  const place = (rel: string, spec: ModuleSpec) => {
    const image = k.buildImage(spec as unknown as NeutralModuleSpec);
    if (!image.ok) throw new Error(image.error);
    k.vfs.writeFile(`${DIR}/${rel}`, image.value);
    return image.value;
  };
  return { k, place };
}

const BASE: ModuleSpec = { name: 'base_mod', license: 'GPL', exports: ['base_fn'] };
const MID: ModuleSpec = {
  name: 'mid-mod',
  license: 'GPL',
  exports: ['mid_fn'],
  imports: [{ name: 'base_fn', module: 'base_mod' }],
  params: [{ name: 'level', type: 'int', description: 'how much' }],
};
const TOP: ModuleSpec = {
  name: 'top_mod',
  license: 'GPL',
  imports: [{ name: 'mid_fn', module: 'mid_mod' }],
  extraModinfo: [['alias', 'top-alias']],
};

describe('kmod tools on a booted linux-v26 kernel', () => {
  it('insmod, lsmod, rmmod', () => {
    const { k, place } = boot();
    place('kernel/base_mod.ko', BASE);
    place('kernel/mid-mod.ko', MID);
    expect(k.run('insmod', [`${DIR}/kernel/mid-mod.ko`]).stderr).toBe(
      `insmod: ERROR: could not insert module ${DIR}/kernel/mid-mod.ko: Unknown symbol in module\n`,
    );
    expect(k.run('insmod', [`${DIR}/kernel/base_mod.ko`])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(k.run('insmod', [`${DIR}/kernel/mid-mod.ko`, 'level=3'])).toEqual({
      exitCode: 0,
      stdout: '',
      stderr: '',
    });
    const ls = k.run('lsmod').stdout.split('\n');
    expect(ls[0]).toBe('Module                  Size  Used by');
    expect(ls[1]).toMatch(/^mid_mod {13}\s*\d+ {2}0$/);
    expect(ls[2]).toMatch(/^base_mod {12}\s*\d+ {2}1 mid_mod$/);
    expect(k.run('rmmod', ['base_mod']).stderr).toBe('rmmod: ERROR: Module base_mod is in use by: mid_mod\n');
    expect(k.run('rmmod', ['mid-mod'])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(k.run('rmmod', ['base_mod']).exitCode).toBe(0);
    expect(k.run('lsmod').stdout).toBe('Module                  Size  Used by\n');
    expect(k.run('rmmod', ['base_mod']).stderr).toBe(
      'rmmod: ERROR: Module base_mod is not currently loaded\n',
    );
  });

  it('depmod, then modprobe loads the chain and modprobe -r removes it', () => {
    const { k, place } = boot();
    place('kernel/a/base_mod.ko', BASE);
    place('kernel/b/mid-mod.ko', MID);
    place('kernel/c/top_mod.ko', TOP);
    k.vfs.writeFile(
      `${DIR}/modules.order`,
      'kernel/c/top_mod.ko\nkernel/b/mid-mod.ko\nkernel/a/base_mod.ko\n',
    );
    const d = k.run('depmod', ['-a']);
    expect(d.exitCode).toBe(0);
    const dep = k.vfs.readFile(`${DIR}/modules.dep`);
    expect(dep.ok && new TextDecoder().decode(dep.value)).toBe(
      'kernel/c/top_mod.ko: kernel/b/mid-mod.ko kernel/a/base_mod.ko\nkernel/b/mid-mod.ko: kernel/a/base_mod.ko\nkernel/a/base_mod.ko:\n',
    );
    expect(k.run('modprobe', ['--show-depends', 'top-alias']).stdout).toBe(
      `insmod ${DIR}/kernel/a/base_mod.ko \ninsmod ${DIR}/kernel/b/mid-mod.ko \ninsmod ${DIR}/kernel/c/top_mod.ko \n`,
    );
    expect(k.run('modprobe', ['top-alias'])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(
      k
        .run('lsmod')
        .stdout.split('\n')
        .slice(1, 4)
        .map((l) => l.split(/\s+/)[0]),
    ).toEqual(['top_mod', 'mid_mod', 'base_mod']);
    expect(k.run('modinfo', ['-F', 'parm', 'mid-mod']).stdout).toBe('level:how much (int)\n');
    expect(k.run('modprobe', ['--first-time', 'top_mod']).stderr).toBe(
      "modprobe: ERROR: could not insert 'top_mod': Module already in kernel\n",
    );
    expect(k.run('modprobe', ['-r', 'top_mod']).exitCode).toBe(0);
    expect(k.run('lsmod').stdout.split('\n')[1]?.split(/\s+/)[0]).not.toBe('top_mod');
  });

  it('neutral actions: load, use/unuse on /dev/NAME, unload refused while in use, list', () => {
    const { k, place } = boot();
    place('kernel/base_mod.ko', BASE);
    const a = k.actions;
    expect(a.load(`${DIR}/kernel/base_mod.ko`).result).toBe('ok');
    k.vfs.mknod('/dev/base_mod', 'chr');
    const use = a.use('base_mod');
    expect(use.result).toBe('ok');
    expect(use.syscalls.map((s) => s.name)).toEqual(['open']);
    const busy = a.unload('base_mod');
    expect(busy.result).toBe('EBUSY');
    expect(busy.syscalls).toEqual([]);
    expect(a.unuse('base_mod').result).toBe('ok');
    expect(a.unload('base_mod').result).toBe('ok');
    expect(a.list().output).toBe('Module                  Size  Used by\n');
  });
});
