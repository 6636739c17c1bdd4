/**
 * LTP's init_module, finit_module and delete_module tests (linux-test-project/ltp
 * testcases/kernel/syscalls/{init,finit,delete}_module, reference linux-v26.md §8.2) against the linux-v26
 * personality, with the test modules built by kbuild from LTP's own sources (embedded below) against the
 * installed Debian headers. The kernel takes its exports from those headers' Module.symvers, so the modules'
 * `__versions` CRCs are checked for real. What the modules' C does at init is given as behaviour callbacks:
 * init_module/finit_module fail with EINVAL when their `status` parameter is "invalid" (read from sysfs, as the
 * module reads its variable).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { O_CLOEXEC, O_DIRECTORY, O_RDONLY, O_RDWR, O_WRONLY } from '../../src/abi/linux/v26.js';
import { createKernel, type Kernel } from '../../src/kernel.js';

const KVER = '6.1.0-50-amd64';
const HEADERS = `/usr/src/linux-headers-${KVER}`;
const SYMVERS = join(HEADERS, 'Module.symvers');
const BUILD = resolve(import.meta.dirname, '../../.cache/linux-v26-ltp');
const haveKbuild = existsSync(join(HEADERS, 'Makefile')) && spawnSync('make', ['--version']).status === 0;

/** LTP's module sources (GPL-2.0-or-later, Linux Test Project). */
const SOURCES: Record<string, string> = {
  'init_module.c': `#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/proc_fs.h>
static char status[20];
module_param_string(status, status, 20, 0444);
static int dummy_init(void)
{
	struct proc_dir_entry *proc_dummy;
	if (!strcmp(status, "invalid"))
		return -EINVAL;
	proc_dummy = proc_mkdir("dummy_init", 0);
	return 0;
}
module_init(dummy_init);
static void dummy_exit(void)
{
	remove_proc_entry("dummy_init", 0);
}
module_exit(dummy_exit);
MODULE_LICENSE("GPL");
`,
  'finit_module.c': `#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/proc_fs.h>
static char status[20];
module_param_string(status, status, 20, 0444);
static int dummy_init(void)
{
	struct proc_dir_entry *proc_dummy;
	if (!strcmp(status, "invalid"))
		return -EINVAL;
	proc_dummy = proc_mkdir("dummy_finit", 0);
	return 0;
}
module_init(dummy_init);
static void dummy_exit(void)
{
	remove_proc_entry("dummy_finit", 0);
}
module_exit(dummy_exit);
MODULE_LICENSE("GPL");
`,
  'dummy_del_mod.c': `#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/proc_fs.h>
int dummy_func_test(void);
int dummy_func_test(void) { return 0; }
EXPORT_SYMBOL(dummy_func_test);
static int __init dummy_init(void)
{
	struct proc_dir_entry *proc_dummy;
	proc_dummy = proc_mkdir("dummy_delmod", 0);
	return 0;
}
static void __exit dummy_exit(void)
{
	remove_proc_entry("dummy_delmod", 0);
}
module_init(dummy_init);
module_exit(dummy_exit);
MODULE_LICENSE("GPL");
`,
  'dummy_del_mod_dep.c': `#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/proc_fs.h>
extern int dummy_func_test(void);
static int __init dummy_init(void)
{
	struct proc_dir_entry *proc_dummy;
	proc_dummy = proc_mkdir("dummy_dep", 0);
	dummy_func_test();
	return 0;
}
static void __exit dummy_exit(void)
{
	remove_proc_entry("dummy_dep", 0);
}
module_init(dummy_init);
module_exit(dummy_exit);
MODULE_LICENSE("GPL");
`,
};

const images: Record<string, Uint8Array> = {};

function kbuild(): void {
  mkdirSync(BUILD, { recursive: true });
  const names = Object.keys(SOURCES).map((f) => f.replace(/\.c$/, ''));
  let stale = false;
  for (const [file, text] of Object.entries(SOURCES)) {
    const p = join(BUILD, file);
    if (!existsSync(p) || readFileSync(p, 'utf8') !== text) {
      writeFileSync(p, text);
      stale = true;
    }
  }
  const makefile = `obj-m := ${names.map((n) => `${n}.o`).join(' ')}\n`;
  writeFileSync(join(BUILD, 'Makefile'), makefile);
  if (stale || names.some((n) => !existsSync(join(BUILD, `${n}.ko`)))) {
    // dummy_del_mod_dep needs dummy_del_mod's symbol at modpost time: one build of the folder gives both.
    const r = spawnSync('make', ['-C', HEADERS, `M=${BUILD}`, 'modules'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`kbuild failed:\n${r.stdout}\n${r.stderr}`);
  }
  for (const n of names) images[n] = new Uint8Array(readFileSync(join(BUILD, `${n}.ko`)));
}

interface Setup {
  readonly enforce?: boolean;
  readonly kernelVersion?: string;
}

/** A kernel with the headers' exports, the LTP modules in /root/ltp and their init behaviours registered. */
function boot(setup: Setup = {}): Kernel<'linux-v26'> {
  const k = createKernel({
    personality: 'linux-v26',
    config: {
      kernelVersion: setup.kernelVersion ?? '6.1',
      release: KVER,
      symvers: SYMVERS,
      sigEnforce: setup.enforce === true,
    },
  });
  for (const [name, img] of Object.entries(images)) k.vfs.writeFile(`/root/ltp/${name}.ko`, img);
  // finit_module02's setup: mkdir("test_dir", 0700).
  k.core.vfs.mkdirp('/root/test_dir', 0o700);
  for (const name of ['init_module', 'finit_module']) {
    k.core.behaviours.register(name, {
      init: () => (k.read(`/sys/module/${name}/parameters/status`) === 'invalid\n' ? 'EINVAL' : 0),
    });
  }
  return k;
}

/** `tst_get_bad_addr()`: a 1-byte mapping that faults on access (here: mapped, then unmapped). */
function badAddr(k: Kernel): number {
  const p = k.core.user.map(new Uint8Array(1));
  k.core.user.unmap(p);
  return p;
}

/** The image mmapped read-only, as the tests do. */
function mapped(k: Kernel, name: string): { ptr: number; size: number } {
  const img = images[name];
  return { ptr: k.core.user.map(img, false), size: img.length };
}

/** What must be unchanged by a failed call: module area, symbols, module list, /proc and /sys views. */
function state(k: Kernel): string {
  const modules = k.core.modules.snapshot() as { modules: unknown };
  return JSON.stringify({
    memory: k.core.memory.snapshot(),
    symbols: k.core.symbols.snapshot(),
    modules: modules.modules,
    vfs: k.core.vfs.snapshot(),
    proc: k.read('/proc/modules'),
    sys: k.core.vfs.readdir('/sys/module'),
  });
}

function openFd(k: Kernel<'linux-v26'>, path: string, flags: number): number {
  const r = k.sys.open(path, flags);
  expect(r.errno).toBeUndefined();
  return Number(r.ret);
}

describe.skipIf(!haveKbuild)('LTP module syscall tests (kbuild-built modules)', () => {
  beforeAll(() => kbuild(), 300_000);

  describe('init_module01', () => {
    it('loads with status=valid when enforcement is off, then rmmod', () => {
      const k = boot();
      const { ptr, size } = mapped(k, 'init_module');
      expect(k.sys.init_module(ptr, size, 'status=valid').ret).toBe(0);
      expect(k.read('/proc/modules')).toMatch(/^init_module \d+ 0 - Live 0x[0-9a-f]{16} \(OE\)\n$/);
      expect(k.run('rmmod', ['init_module']).exitCode).toBe(0);
      expect(k.read('/proc/modules')).toBe('');
    });
    it('EKEYREJECTED when enforcement is on', () => {
      const k = boot({ enforce: true });
      const { ptr, size } = mapped(k, 'init_module');
      expect(k.sys.init_module(ptr, size, 'status=valid').errno).toBe('EKEYREJECTED');
      expect(k.dmesg()).toContain('Loading of unsigned module is rejected');
    });
  });

  describe('init_module02', () => {
    const cases: { name: string; run: (k: Kernel<'linux-v26'>) => string | undefined; enforce?: boolean }[] =
      [
        { name: 'NULL-buffer', run: (k) => k.sys.init_module(0, images.init_module.length, '').errno },
        {
          name: 'faulty-buffer',
          run: (k) => k.sys.init_module(badAddr(k), images.init_module.length, '').errno,
        },
        {
          name: 'null-param',
          run: (k) => {
            const { ptr, size } = mapped(k, 'init_module');
            return k.sys.init_module(ptr, size, null).errno;
          },
        },
        { name: 'zero-size', run: (k) => k.sys.init_module(mapped(k, 'init_module').ptr, 0, '').errno },
        {
          name: 'invalid_param',
          run: (k) => {
            const { ptr, size } = mapped(k, 'init_module');
            return k.sys.init_module(ptr, size, 'status=invalid').errno;
          },
        },
        {
          name: 'no-perm',
          run: (k) => {
            k.core.creds.drop('CAP_SYS_MODULE');
            const { ptr, size } = mapped(k, 'init_module');
            return k.sys.init_module(ptr, size, '').errno;
          },
        },
        {
          name: 'module-unsigned',
          enforce: true,
          run: (k) => {
            const { ptr, size } = mapped(k, 'init_module');
            return k.sys.init_module(ptr, size, '').errno;
          },
        },
      ];
    const expected: Record<string, string> = {
      'NULL-buffer': 'EFAULT',
      'faulty-buffer': 'EFAULT',
      'null-param': 'EFAULT',
      'zero-size': 'ENOEXEC',
      invalid_param: 'EINVAL',
      'no-perm': 'EPERM',
      'module-unsigned': 'EKEYREJECTED',
    };
    for (const c of cases) {
      it(`${c.name} → ${expected[c.name]} and the kernel is as before`, () => {
        const k = boot({ enforce: c.enforce === true });
        const before = state(k);
        expect(c.run(k)).toBe(expected[c.name]);
        expect(state(k)).toBe(before);
      });
    }
    it('module-exists → EEXIST (insmod first, rmmod after)', () => {
      const k = boot();
      expect(k.run('insmod', ['/root/ltp/init_module.ko']).exitCode).toBe(0);
      const before = state(k);
      const { ptr, size } = mapped(k, 'init_module');
      expect(k.sys.init_module(ptr, size, '').errno).toBe('EEXIST');
      expect(state(k)).toBe(before);
      expect(k.run('rmmod', ['init_module']).exitCode).toBe(0);
    });
  });

  describe('finit_module01', () => {
    it('loads with status=valid from an O_RDONLY|O_CLOEXEC fd, then rmmod', () => {
      const k = boot();
      const fd = openFd(k, '/root/ltp/finit_module.ko', O_RDONLY | O_CLOEXEC);
      expect(k.sys.finit_module(fd, 'status=valid', 0).ret).toBe(0);
      expect(k.read('/sys/module/finit_module/parameters/status')).toBe('valid\n');
      expect(k.run('rmmod', ['finit_module']).exitCode).toBe(0);
    });
    it('EKEYREJECTED when enforcement is on', () => {
      const k = boot({ enforce: true });
      const fd = openFd(k, '/root/ltp/finit_module.ko', O_RDONLY | O_CLOEXEC);
      expect(k.sys.finit_module(fd, 'status=valid', 0).errno).toBe('EKEYREJECTED');
    });
  });

  describe('finit_module02', () => {
    const path = '/root/ltp/finit_module.ko';
    const cases: {
      name: string;
      run: (k: Kernel<'linux-v26'>) => string | undefined;
      expect: Record<string, string>;
      enforce?: boolean;
    }[] = [
      {
        name: 'invalid-fd',
        run: (k) => k.sys.finit_module(-1, '', 0).errno,
        expect: { '6.1': 'EBADF', '4.4': 'ENOEXEC' },
      },
      {
        name: 'zero-fd',
        run: (k) => k.sys.finit_module(0, '', 0).errno,
        expect: { '6.1': 'EINVAL', '4.4': 'EINVAL' },
      },
      {
        name: 'null-param',
        run: (k) => k.sys.finit_module(openFd(k, path, O_RDONLY | O_CLOEXEC), null, 0).errno,
        expect: { '6.1': 'EFAULT' },
      },
      {
        name: 'invalid-param',
        run: (k) => k.sys.finit_module(openFd(k, path, O_RDONLY | O_CLOEXEC), 'status=invalid', 0).errno,
        expect: { '6.1': 'EINVAL' },
      },
      {
        name: 'invalid-flags',
        run: (k) => k.sys.finit_module(openFd(k, path, O_RDONLY | O_CLOEXEC), '', -1).errno,
        expect: { '6.1': 'EINVAL', '4.4': 'EINVAL' },
      },
      {
        name: 'no-perm',
        run: (k) => {
          const fd = openFd(k, path, O_RDONLY | O_CLOEXEC);
          k.core.creds.drop('CAP_SYS_MODULE');
          return k.sys.finit_module(fd, '', 0).errno;
        },
        expect: { '6.1': 'EPERM' },
      },
      {
        name: 'module-unsigned',
        enforce: true,
        run: (k) => k.sys.finit_module(openFd(k, path, O_RDONLY | O_CLOEXEC), '', 0).errno,
        expect: { '6.1': 'EKEYREJECTED' },
      },
      {
        name: 'file-not-readable',
        run: (k) => k.sys.finit_module(openFd(k, path, O_WRONLY | O_CLOEXEC), '', 0).errno,
        expect: { '6.1': 'EBADF', '5.10': 'ETXTBSY', '4.4': 'EBADF' },
      },
      {
        name: 'file-readwrite',
        run: (k) => k.sys.finit_module(openFd(k, path, O_RDWR | O_CLOEXEC), '', 0).errno,
        expect: { '6.1': 'ETXTBSY', '5.10': 'ETXTBSY' },
      },
      {
        name: 'directory',
        run: (k) => k.sys.finit_module(openFd(k, '/root/test_dir', O_DIRECTORY), '', 0).errno,
        expect: { '6.1': 'EINVAL', '4.4': 'EISDIR' },
      },
    ];
    for (const c of cases) {
      for (const [version, errno] of Object.entries(c.expect)) {
        it(`${c.name} on ${version} → ${errno} and the kernel is as before`, () => {
          const k = boot({ enforce: c.enforce === true, kernelVersion: version });
          const before = state(k);
          expect(c.run(k)).toBe(errno);
          expect(state(k)).toBe(before);
        });
      }
    }
    it('module-exists → EEXIST', () => {
      const k = boot();
      expect(k.run('insmod', [path]).exitCode).toBe(0);
      const before = state(k);
      expect(k.sys.finit_module(openFd(k, path, O_RDONLY | O_CLOEXEC), '', 0).errno).toBe('EEXIST');
      expect(state(k)).toBe(before);
      expect(k.run('rmmod', ['finit_module']).exitCode).toBe(0);
    });
  });

  describe('delete_module01', () => {
    it('removes dummy_del_mod loaded with insmod', () => {
      const k = boot();
      const empty = state(k);
      expect(k.run('insmod', ['/root/ltp/dummy_del_mod.ko']).exitCode).toBe(0);
      expect(k.sys.delete_module('dummy_del_mod', 0).ret).toBe(0);
      expect(state(k)).toBe(empty);
    });
  });

  describe('delete_module02', () => {
    const name = `dummy_${process.pid}`;
    const cases: [string, (k: Kernel<'linux-v26'>) => string | undefined, string][] = [
      ['nonexistent module', (k) => k.sys.delete_module(name, 0).errno, 'ENOENT'],
      ['null terminated module name', (k) => k.sys.delete_module('', 0).errno, 'ENOENT'],
      ['name outside address space', (k) => k.sys.delete_module(badAddr(k), 0).errno, 'EFAULT'],
      ['long module name', (k) => k.sys.delete_module('m'.repeat(55), 0).errno, 'ENOENT'],
      [
        'non-superuser',
        (k) => {
          k.core.creds.set({ euid: 65534 });
          return k.sys.delete_module(name, 0).errno;
        },
        'EPERM',
      ],
    ];
    for (const [label, run, errno] of cases) {
      it(`${label} → ${errno}`, () => {
        const k = boot();
        const before = state(k);
        expect(run(k)).toBe(errno);
        expect(state(k)).toBe(before);
      });
    }
  });

  describe('delete_module03', () => {
    it('EWOULDBLOCK while dummy_del_mod_dep uses dummy_del_mod; cleanup removes dep then base', () => {
      const k = boot();
      const empty = state(k);
      expect(k.run('insmod', ['/root/ltp/dummy_del_mod.ko']).exitCode).toBe(0);
      expect(k.run('insmod', ['/root/ltp/dummy_del_mod_dep.ko']).exitCode).toBe(0);
      expect(k.read('/sys/module/dummy_del_mod/refcnt')).toBe('1\n');
      expect(k.core.vfs.readdir('/sys/module/dummy_del_mod/holders')).toEqual({
        ok: true,
        value: ['dummy_del_mod_dep'],
      });
      const before = state(k);
      const r = k.sys.delete_module('dummy_del_mod', 0);
      expect(r.errno).toBe('EWOULDBLOCK');
      expect(r.errnoNumber).toBe(11);
      expect(state(k)).toBe(before);
      expect(k.sys.delete_module('dummy_del_mod_dep', 0).ret).toBe(0);
      expect(k.sys.delete_module('dummy_del_mod', 0).ret).toBe(0);
      expect(state(k)).toBe(empty);
    });
  });
});
