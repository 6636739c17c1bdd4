import { describe, expect, it } from 'vitest';
import { fail, OK_VOID } from '../../../../src/core/result.js';
import { depmodRun } from '../../../../src/personalities/linux-v26/userland/depmod.js';
import { insmod } from '../../../../src/personalities/linux-v26/userland/insmod.js';
import { KmodElf } from '../../../../src/personalities/linux-v26/userland/kmod-elf.js';
import { lsmod } from '../../../../src/personalities/linux-v26/userland/lsmod.js';
import { modprobe } from '../../../../src/personalities/linux-v26/userland/modprobe.js';
import { rmmod } from '../../../../src/personalities/linux-v26/userland/rmmod.js';
import { fakeLoaded, makeEnv } from './support/env.js';
import { miniModule } from './support/mini-elf.js';

const O_NONBLOCK = 0o4000;
const O_TRUNC = 0o1000;
const DIR = '/lib/modules/6.1.0-test';

describe('insmod', () => {
  it('calls finit_module on the file with the arguments joined by spaces', () => {
    const { vfs, kernel, env } = makeEnv();
    vfs.writeFile('/root/a.ko', miniModule({ modinfo: ['name=a'] }));
    const r = insmod(['/root/a.ko', 'x=1', 'y="a b"'], env);
    expect(r).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(kernel.calls).toEqual([
      { call: 'finit_module', path: '/root/a.ko', args: 'x=1 y="a b"', flags: 0 },
    ]);
  });

  it('-f asks the kernel to ignore vermagic and modversions', () => {
    const { vfs, kernel, env } = makeEnv();
    vfs.writeFile('/root/a.ko', miniModule({ modinfo: ['name=a'] }));
    insmod(['-f', '/root/a.ko'], env);
    expect(kernel.calls[0]).toMatchObject({ call: 'finit_module', flags: 3 });
  });

  it('falls back to init_module only on ENOSYS, with __versions and vermagic stripped under -f', () => {
    const { vfs, kernel, env } = makeEnv();
    const image = miniModule({ modinfo: ['vermagic=1.2.3 SMP', 'name=a'], versions: [[1, 'printk']] });
    vfs.writeFile('/root/a.ko', image);
    kernel.answer = (c) => (c.call === 'finit_module' ? fail('ENOSYS') : OK_VOID);
    insmod(['-f', '/root/a.ko'], env);
    expect(kernel.calls.map((c) => c.call)).toEqual(['finit_module', 'init_module']);
    const sent = kernel.calls[1].call === 'init_module' ? kernel.calls[1].image : new Uint8Array(0);
    const elf = KmodElf.open(sent);
    expect(elf.ok && elf.value.strings('.modinfo')).toEqual({ ok: true, value: ['name=a'] });
    expect(sent.length).toBe(image.length);
  });

  it("prints kmod's wording for the kernel's errnos", () => {
    const { vfs, kernel, env } = makeEnv();
    vfs.writeFile('/root/a.ko', miniModule({ modinfo: [] }));
    const cases = [
      ['ENOEXEC', 'Invalid module format'],
      ['ENOENT', 'Unknown symbol in module'],
      ['ESRCH', 'Module has wrong symbol version'],
      ['EINVAL', 'Invalid parameters'],
      ['EEXIST', 'File exists'],
      ['EPERM', 'Operation not permitted'],
    ] as const;
    for (const [errno, text] of cases) {
      kernel.answer = () => fail(errno);
      expect(insmod(['/root/a.ko'], env)).toEqual({
        exitCode: 1,
        stdout: '',
        stderr: `insmod: ERROR: could not insert module /root/a.ko: ${text}\n`,
      });
    }
    expect(insmod(['/root/none.ko'], env).stderr).toBe(
      'insmod: ERROR: could not load module /root/none.ko: No such file or directory\n',
    );
    expect(insmod([], env).stderr).toBe('insmod: ERROR: missing filename.\n');
    expect(insmod(['-'], env).stderr).toBe('insmod: ERROR: this tool does not support loading from stdin!\n');
  });
});

describe('rmmod', () => {
  it('checks sysfs first, then calls delete_module with O_NONBLOCK', () => {
    const { vfs, kernel, env } = makeEnv();
    fakeLoaded(vfs, [
      { name: 'free_one', size: 16384, refcnt: 0 },
      { name: 'held', size: 16384, refcnt: 1, holders: ['user_a', 'user_b'] },
      { name: 'used', size: 16384, refcnt: 2 },
    ]);
    expect(rmmod(['free-one'], env)).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(kernel.calls).toEqual([{ call: 'delete_module', name: 'free_one', flags: O_NONBLOCK }]);
    expect(rmmod(['held'], env).stderr).toBe('rmmod: ERROR: Module held is in use by: user_a user_b\n');
    expect(rmmod(['used'], env).stderr).toBe('rmmod: ERROR: Module used is in use\n');
    expect(rmmod(['gone'], env).stderr).toBe('rmmod: ERROR: Module gone is not currently loaded\n');
    expect(kernel.calls).toHaveLength(1);
  });

  it('-f skips the checks and adds O_TRUNC; a kernel refusal prints both libkmod and rmmod lines', () => {
    const { vfs, kernel, env } = makeEnv();
    fakeLoaded(vfs, [{ name: 'used', size: 16384, refcnt: 2 }]);
    kernel.answer = () => fail('EWOULDBLOCK');
    const r = rmmod(['-f', 'used'], env);
    expect(kernel.calls).toEqual([{ call: 'delete_module', name: 'used', flags: O_NONBLOCK | O_TRUNC }]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(
      "rmmod: ERROR: ../libkmod/libkmod-module.c:856 kmod_module_remove_module() could not remove 'used': Resource temporarily unavailable\n" +
        'rmmod: ERROR: could not remove module used: Resource temporarily unavailable\n',
    );
  });

  it('rejects -w as kmod 30 does (listed in its optstring, not handled)', () => {
    const { env } = makeEnv();
    expect(rmmod(['-w', 'x'], env)).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: "rmmod: ERROR: unexpected getopt_long() value 'w'.\n",
    });
  });
});

describe('lsmod', () => {
  it('prints /proc/modules order with coresize, refcnt and holders', () => {
    const { vfs, env } = makeEnv();
    fakeLoaded(vfs, [
      { name: 'dummy_del_mod_dep', size: 16384, refcnt: 0 },
      { name: 'dummy_del_mod', size: 12288, refcnt: 1, holders: ['dummy_del_mod_dep'] },
    ]);
    expect(lsmod([], env).stdout).toBe(
      'Module                  Size  Used by\n' +
        'dummy_del_mod_dep      16384  0\n' +
        'dummy_del_mod          12288  1 dummy_del_mod_dep\n',
    );
    expect(lsmod(['x'], env)).toEqual({ exitCode: 1, stdout: '', stderr: 'Usage: lsmod\n' });
  });

  it('reports a missing /proc/modules through libkmod', () => {
    const { env } = makeEnv();
    expect(lsmod([], env)).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        'libkmod: ERROR ../libkmod/libkmod-module.c:1725 kmod_module_new_from_loaded: could not open /proc/modules: No such file or directory\n' +
        'Error: could not get list of modules: No such file or directory\n',
    });
  });
});

describe('modprobe', () => {
  function probeTree() {
    const made = makeEnv();
    const { vfs, env } = made;
    vfs.writeFile(`${DIR}/kernel/base.ko`, miniModule({ modinfo: ['name=base'], exports: ['base_fn'] }));
    vfs.writeFile(
      `${DIR}/kernel/mid-mod.ko`,
      miniModule({ modinfo: ['name=mid_mod', 'alias=mid-alias'], exports: ['mid_fn'], imports: ['base_fn'] }),
    );
    vfs.writeFile(
      `${DIR}/kernel/top.ko`,
      miniModule({ modinfo: ['name=top'], imports: ['mid_fn', 'base_fn'] }),
    );
    vfs.writeFile(`${DIR}/modules.order`, 'kernel/top.ko\nkernel/mid-mod.ko\nkernel/base.ko\n');
    depmodRun(['-a'], env);
    vfs.writeFile('/proc/modules', '');
    return made;
  }

  it('loads the dependencies first, from modules.dep', () => {
    const { kernel, env } = probeTree();
    const r = modprobe(['top', 'p=1'], env);
    expect(r.exitCode).toBe(0);
    expect(kernel.calls).toEqual([
      { call: 'finit_module', path: `${DIR}/kernel/base.ko`, args: '', flags: 0 },
      { call: 'finit_module', path: `${DIR}/kernel/mid-mod.ko`, args: '', flags: 0 },
      { call: 'finit_module', path: `${DIR}/kernel/top.ko`, args: 'p=1', flags: 0 },
    ]);
  });

  it('--show-depends lists insmod lines without calling the kernel; options from modprobe.d', () => {
    const { vfs, kernel, env } = probeTree();
    vfs.writeFile('/etc/modprobe.d/x.conf', 'options mid_mod level=3\n');
    expect(modprobe(['--show-depends', 'top'], env).stdout).toBe(
      `insmod ${DIR}/kernel/base.ko \ninsmod ${DIR}/kernel/mid-mod.ko level=3 \ninsmod ${DIR}/kernel/top.ko \n`,
    );
    expect(kernel.calls).toEqual([]);
  });

  it('skips loaded modules, fails with --first-time, and says FATAL for an unknown name', () => {
    const { vfs, kernel, env } = probeTree();
    fakeLoaded(vfs, [{ name: 'base', size: 4096, refcnt: 0 }]);
    modprobe(['mid-alias'], env);
    expect(kernel.calls.map((c) => (c.call === 'finit_module' ? c.path : c.call))).toEqual([
      `${DIR}/kernel/mid-mod.ko`,
    ]);
    expect(modprobe(['--first-time', 'base'], env).stderr).toBe(
      "modprobe: ERROR: could not insert 'base': Module already in kernel\n",
    );
    expect(modprobe(['nosuch'], env)).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: `modprobe: FATAL: Module nosuch not found in directory ${DIR}\n`,
    });
  });

  it('-r removes the module, then each dependency whose refcnt is 0 at that moment (kmod 30 order)', () => {
    const { vfs, kernel, env } = probeTree();
    fakeLoaded(vfs, [
      { name: 'top', size: 4096, refcnt: 0 },
      { name: 'mid_mod', size: 4096, refcnt: 1, holders: ['top'] },
      { name: 'base', size: 4096, refcnt: 2, holders: ['mid_mod', 'top'] },
    ]);
    kernel.answer = (c) => {
      if (c.call === 'delete_module') {
        // The fake kernel drops the references the removed module held.
        if (c.name === 'top') {
          vfs.writeFile('/sys/module/mid_mod/refcnt', '0\n');
          vfs.writeFile('/sys/module/base/refcnt', '1\n');
        }
        if (c.name === 'mid_mod') vfs.writeFile('/sys/module/base/refcnt', '0\n');
      }
      return OK_VOID;
    };
    expect(modprobe(['-r', 'top'], env).exitCode).toBe(0);
    // libkmod keeps modules.dep's list reversed (base before mid_mod): base is still held by mid_mod when it is
    // checked, so kmod 30 leaves it loaded.
    expect(kernel.calls.map((c) => (c.call === 'delete_module' ? c.name : c.call))).toEqual([
      'top',
      'mid_mod',
    ]);
    expect(modprobe(['-r', 'base'], env).exitCode).toBe(0);
    expect(kernel.calls.map((c) => (c.call === 'delete_module' ? c.name : c.call))).toEqual([
      'top',
      'mid_mod',
      'base',
    ]);
  });

  it('applies the blacklist to aliases only (and to names with -b)', () => {
    const { vfs, kernel, env } = probeTree();
    vfs.writeFile('/etc/modprobe.d/bl.conf', 'blacklist mid_mod\n');
    expect(modprobe(['mid-alias'], env).exitCode).toBe(0);
    expect(kernel.calls).toEqual([]);
    modprobe(['-b', 'mid_mod'], env);
    expect(kernel.calls).toEqual([]);
    modprobe(['mid_mod'], env);
    expect(kernel.calls.length).toBe(2);
  });
});
