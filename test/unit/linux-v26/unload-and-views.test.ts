/**
 * delete_module's checks and eras, reference counting through devices and dependencies, and the /proc, /sys
 * and syscall-table views.
 */
import { describe, expect, it } from 'vitest';
import { restoreKernel } from '../../../src/kernel.js';
import { digest, ko, v26, withoutPlt32 } from './support.js';

describe('linux-v26 delete_module and views', () => {
  it('/proc/modules: newest first, users, [permanent], taints', () => {
    const k = v26({ forceUnload: true });
    expect(k.sys.init_module(ko({ name: 'base', exports: ['base_fn'] })).ret).toBe(0);
    expect(k.sys.init_module(ko({ name: 'user1', imports: [{ name: 'base_fn', module: 'base' }] })).ret).toBe(
      0,
    );
    expect(
      k.sys.init_module(ko({ name: 'perm', permanent: true, intree: true, license: 'Proprietary' })).ret,
    ).toBe(0);
    const lines = (k.read('/proc/modules') ?? '').split('\n');
    expect(lines[0]).toMatch(/^perm \d+ 0 \[permanent\], Live 0xffffffffc[0-9a-f]{7} \(PE\)$/);
    expect(lines[1]).toMatch(/^user1 \d+ 0 - Live 0x[0-9a-f]{16} \(OE\)$/);
    expect(lines[2]).toMatch(/^base \d+ 1 user1, Live 0x[0-9a-f]{16} \(OE\)$/);
    expect(k.read('/sys/module/base/refcnt')).toBe('1\n');
    expect(k.read('/sys/module/base/coresize')).toMatch(/^\d+\n$/);
    expect(k.core.vfs.readdir('/sys/module/base/holders')).toEqual({ ok: true, value: ['user1'] });
    // The module's .text starts its core region: the address /proc/modules shows (root sees addresses).
    expect(k.read('/sys/module/base/sections/.text')).toBe(`${lines[2].split(' ')[5]}\n`);
    expect(k.sys.delete_module('base').errno).toBe('EWOULDBLOCK');
    expect(k.sys.delete_module('base', 'O_TRUNC').errno).toBe('EWOULDBLOCK');
    expect(k.sys.delete_module('perm').errno).toBe('EBUSY');
    expect(k.sys.delete_module('perm', 'O_TRUNC').ret).toBe(0);
    expect(Number(k.read('/proc/sys/kernel/tainted')) & (1 << 3)).toBe(1 << 3);
    expect(k.sys.delete_module('user1').ret).toBe(0);
    expect(k.read('/sys/module/base/refcnt')).toBe('0\n');
    expect(k.sys.delete_module('base').ret).toBe(0);
    expect(k.read('/proc/modules')).toBe('');
    expect(k.core.memory.allocations()).toEqual([]);
  });

  it('/sys/module/<used>/holders lists each user, whether the directory was looked at before or after it loaded', () => {
    const k = v26();
    expect(k.sys.init_module(ko({ name: 'base', exports: ['base_fn'] })).ret).toBe(0);
    expect(k.sys.init_module(ko({ name: 'early', imports: [{ name: 'base_fn', module: 'base' }] })).ret).toBe(
      0,
    );
    // base's directory is created now, with early's link; late's link is added as late loads.
    expect(k.core.vfs.readdir('/sys/module/base/holders')).toEqual({ ok: true, value: ['early'] });
    expect(k.sys.init_module(ko({ name: 'late', imports: [{ name: 'base_fn', module: 'base' }] })).ret).toBe(
      0,
    );
    expect(k.core.vfs.readdir('/sys/module/base/holders')).toEqual({ ok: true, value: ['early', 'late'] });
    expect(k.sys.delete_module('early').ret).toBe(0);
    expect(k.core.vfs.readdir('/sys/module/base/holders')).toEqual({ ok: true, value: ['late'] });
    // A directory never looked at while its users came and went is created with the users of now.
    expect(k.sys.init_module(ko({ name: 'base2', exports: ['base2_fn'] })).ret).toBe(0);
    for (const u of ['u1', 'u2', 'u3'])
      expect(k.sys.init_module(ko({ name: u, imports: [{ name: 'base2_fn', module: 'base2' }] })).ret).toBe(
        0,
      );
    expect(k.sys.delete_module('u2').ret).toBe(0);
    expect(k.core.vfs.readdir('/sys/module/base2/holders')).toEqual({ ok: true, value: ['u1', 'u3'] });
    expect(k.read('/sys/module/u3/initstate')).toBe('live\n');
  });

  it('the throwing conveniences raise KmodsimError with the errno', () => {
    const k = v26();
    k.sys.load(ko({ name: 'conv' }));
    expect(() => k.sys.load(ko({ name: 'conv' }))).toThrow(
      expect.objectContaining({ code: 'EEXIST', errno: 17 }),
    );
    k.vfs.writeFile('/root/conv2.ko', ko({ name: 'conv2' }));
    k.sys.loadFile('/root/conv2.ko');
    k.sys.unload('conv2');
    expect(() => k.sys.unload('conv2')).toThrow(
      expect.objectContaining({ code: 'ENOENT', syscall: 'delete_module' }),
    );
  });

  it('/proc/modules shows addresses only to readers with CAP_SYSLOG', () => {
    const k = v26();
    expect(k.sys.init_module(ko({ name: 'addr' })).ret).toBe(0);
    expect(k.read('/proc/modules')).toMatch(/ Live 0xffffffffc0000000 /);
    k.core.creds.drop('CAP_SYSLOG');
    expect(k.read('/proc/modules')).toMatch(/ Live 0x0000000000000000 /);
  });

  it('an open device holds the module (EWOULDBLOCK), O_TRUNC forces only with FORCE_UNLOAD', () => {
    for (const forceUnload of [false, true]) {
      const k = v26({ forceUnload });
      expect(k.sys.init_module(ko({ name: 'dev' })).ret).toBe(0);
      const fd = Number(k.sys.open('/dev/dev').ret);
      expect(k.read('/sys/module/dev/refcnt')).toBe('1\n');
      expect(k.sys.delete_module('dev', 'O_NONBLOCK').errno).toBe('EWOULDBLOCK');
      const forced = k.sys.delete_module('dev', 'O_NONBLOCK|O_TRUNC');
      expect(forced.errno).toBe(forceUnload ? undefined : 'EWOULDBLOCK');
      if (!forceUnload) {
        expect(k.sys.close(fd).ret).toBe(0);
        expect(k.sys.delete_module('dev').ret).toBe(0);
      }
    }
  });

  it('name copy: NULL is EFAULT, a longer name is truncated to 55 bytes', () => {
    const k = v26();
    const long = 'x'.repeat(55);
    expect(k.sys.init_module(ko({ name: long })).ret).toBe(0);
    expect(k.sys.delete_module(0).errno).toBe('EFAULT');
    expect(k.sys.delete_module(`${long}yyyy`).ret).toBe(0);
  });

  it('delete_module matches names exactly (the kernel does not turn - into _)', () => {
    const k = v26();
    expect(k.sys.init_module(ko({ name: 'snd-thing' })).ret).toBe(0);
    expect(k.sys.delete_module('snd-thing').errno).toBe('ENOENT');
    expect(k.sys.delete_module('snd_thing').ret).toBe(0);
  });

  it('2.6 – 3.12: without O_NONBLOCK the caller waits for the last reference, then the module goes', () => {
    const k = v26({ kernelVersion: '3.10' });
    expect(k.sys.init_module(withoutPlt32(ko({ name: 'held' }))).ret).toBe(0);
    const fd = Number(k.sys.open('/dev/held').ret);
    expect(k.sys.delete_module('held', 0).errno).toBe('EINTR');
    expect(k.read('/sys/module/held/initstate')).toBe('going\n');
    expect(k.sys.init_module(withoutPlt32(ko({ name: 'held' }))).errno).toBe('EINTR');
    k.sys.close(fd);
    expect(k.read('/proc/modules')).toBe('');
  });

  it('3.13: without O_NONBLOCK the kernel warns and behaves as non-blocking', () => {
    const k = v26({ kernelVersion: '3.13' });
    // Kernels before 4.16 do not know R_X86_64_PLT32.
    expect(k.sys.init_module(ko({ name: 'w' })).errno).toBe('ENOEXEC');
    expect(k.dmesg()).toContain('w: Unknown rela relocation: 4');
    expect(k.sys.init_module(withoutPlt32(ko({ name: 'w' }))).ret).toBe(0);
    expect(k.sys.delete_module('w', 0).ret).toBe(0);
    expect(k.dmesg()).toContain('waiting module removal not supported: please upgrade');
  });

  it('without CONFIG_MODULE_UNLOAD: delete_module is ENOSYS and /proc/modules prints "- -"', () => {
    const k = v26({ moduleUnload: false });
    // Its vermagic lacks "mod_unload ": images for it come from buildImage.
    expect(k.sys.init_module(ko({ name: 'stay' })).errno).toBe('ENOEXEC');
    const img = k.buildImage({ name: 'stay' });
    expect(img.ok).toBe(true);
    if (img.ok) expect(k.sys.init_module(img.value).ret).toBe(0);
    expect(k.read('/proc/modules')).toMatch(/^stay \d+ - - Live /);
    expect(k.sys.delete_module('stay').errno).toBe('ENOSYS');
    expect(k.read('/sys/module/stay/refcnt')).toBeUndefined();
  });

  it('the syscall table: x86_64 numbers, the 2.4 calls answer ENOSYS, finit_module only from 3.8', () => {
    const k = v26();
    const t = k.core.syscalls;
    expect([175, 176, 313].map((n) => t.entry(n)?.name)).toEqual([
      'init_module',
      'delete_module',
      'finit_module',
    ]);
    for (const name of ['create_module', 'get_kernel_syms', 'query_module']) {
      const r = k.syscall(name, {});
      expect([r.errno, r.ret]).toEqual(['ENOSYS', -38]);
    }
    expect(v26({ kernelVersion: '3.7' }).sys.finit_module(0, '', 0).errno).toBe('ENOSYS');
  });

  it('unsigned modules taint E on signing kernels (F before 3.15), nothing without MODULE_SIG', () => {
    const taint = (config: Record<string, unknown>) => {
      const k = v26(config);
      expect(k.sys.init_module(withoutPlt32(ko({ name: 't', intree: true }))).ret).toBe(0);
      return k.read('/sys/module/t/taint');
    };
    expect(taint({})).toBe('E\n');
    expect(taint({ kernelVersion: '3.10' })).toBe('F\n');
    expect(taint({ moduleSig: false })).toBe('\n');
  });

  it('4.4 prints per-module taints in its fixed order P O F C E', () => {
    const letters = (kernelVersion: string) => {
      const k = v26({ kernelVersion, forceLoad: true });
      k.vfs.writeFile('/root/f.ko', withoutPlt32(ko({ name: 'f' })));
      expect(k.sys.finit_module('/root/f.ko', '', 'MODULE_INIT_IGNORE_VERMAGIC').ret).toBe(0);
      return k.read('/sys/module/f/taint');
    };
    expect(letters('4.4')).toBe('OFE\n');
    expect(letters('6.1')).toBe('FOE\n');
  });

  it('a saved kernel restores with its modules, which then unload', () => {
    const k = v26();
    expect(
      k.sys.init_module(
        ko({ name: 'keep', exports: ['keep_fn'], params: [{ name: 'n', type: 'int' }] }),
        undefined,
        'n=9',
      ).ret,
    ).toBe(0);
    const saved = JSON.parse(JSON.stringify(k.snapshot()));
    const r = restoreKernel(saved);
    expect(r.read('/proc/modules')).toBe(k.read('/proc/modules'));
    expect(r.read('/sys/module/keep/parameters/n')).toBe('9\n');
    expect(r.core.symbols.lookup('keep_fn')?.owner).toBe('keep');
    expect((r.sys as typeof k.sys).delete_module('keep').ret).toBe(0);
    expect(r.read('/proc/modules')).toBe('');
    expect(r.core.memory.allocations()).toEqual([]);
  });

  it('an O_PATH fd locates a file only: finit_module gets EBADF, and a device opened so takes no reference', () => {
    const k = v26();
    k.vfs.writeFile('/root/p.ko', ko({ name: 'p' }));
    const before = digest(k);
    const fd = Number(k.sys.open('/root/p.ko', 'O_PATH').ret);
    expect(fd).toBeGreaterThanOrEqual(3);
    expect(k.sys.finit_module(fd, '', 0).errno).toBe('EBADF');
    k.sys.close(fd);
    expect(digest(k)).toBe(before);
    expect(k.sys.init_module(ko({ name: 'dev' })).ret).toBe(0);
    const dfd = Number(k.sys.open('/dev/dev', 'O_PATH').ret);
    expect(dfd).toBeGreaterThanOrEqual(3);
    expect(k.read('/sys/module/dev/refcnt')).toBe('0\n');
    expect(k.sys.delete_module('dev', 'O_NONBLOCK').ret).toBe(0);
    k.sys.close(dfd);
  });

  it('a failed finit_module on a directory leaves everything as it was', () => {
    const k = v26();
    k.core.vfs.mkdirp('/root/d');
    const before = digest(k);
    const fd = Number(k.sys.open('/root/d', 'O_DIRECTORY').ret);
    expect(k.sys.finit_module(fd, '', 0).errno).toBe('EINVAL');
    k.sys.close(fd);
    expect(digest(k)).toBe(before);
  });
});
