/**
 * modutils 2.4 over a booted linux-v24 kernel with builder-made i386 objects: the end-to-end scenario of the
 * issue (an exporter, a user, the dependency in lsmod, /proc/modules and QM_REFS, EBUSY, autoclean reaping),
 * what insmod puts in module memory (relocations, struct module, module_ref, parameters), its refusals and
 * messages, and rmmod, lsmod, ksyms, modprobe, the neutral actions and a saved state.
 */
import { describe, expect, it } from 'vitest';
import { MOD_AUTOCLEAN, MOD_RUNNING, MOD_USED_ONCE } from '../../../src/abi/linux/v24.js';
import { restoreKernel } from '../../../src/index.js';
import { mem, member, procLine, type V24, v24 } from './support.js';

/** Builds a spec for the kernel and stores it at its module path. */
function stage(k: V24, spec: Record<string, unknown> & { name: string }): string {
  const image = k.buildImage(spec as never);
  if (!image.ok) throw new Error(image.error);
  const path = k.modulePath(spec.name);
  k.vfs.writeFile(path, image.value);
  return path;
}

function symbolValue(k: V24, name: string): number {
  const s = k.core.symbols.lookup(name);
  if (s === undefined) throw new Error(`no symbol ${name}`);
  return Number(s.value);
}

function u32(b: Uint8Array, at: number): number {
  return new DataView(b.buffer, b.byteOffset).getUint32(at, true);
}

function calls(k: V24, from: number): string[] {
  return k.core.syscalls.trace(from).map((r) => r.name);
}

describe('linux-v24 end to end: exporter, user, dependency, EBUSY, autoclean', () => {
  it('the whole scenario', () => {
    const k = v24();
    stage(k, { name: 'alpha', exports: ['alpha_fn'] });
    stage(k, { name: 'beta', imports: ['alpha_fn', 'printk'], exports: ['beta_fn'] });
    const cursor = k.core.syscalls.cursor;
    expect(k.run('insmod', ['-k', k.modulePath('alpha')])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    // insmod's calls: the probe, QM_MODULES, the kernel's QM_SYMBOLS (grown on ENOSPC), create, init.
    const seq = calls(k, cursor);
    expect(seq[0]).toBe('query_module');
    expect(seq.slice(-2)).toEqual(['create_module', 'init_module']);
    expect(k.run('insmod', ['-k', 'beta']).exitCode).toBe(0);

    const lsmod = k.run('lsmod').stdout;
    expect(lsmod).toMatch(/^Module {18}Size {2}Used by {4}Not tainted\n/);
    expect(lsmod).toMatch(/\nbeta {16}[ 0-9]{8} {3}0 {2}\(autoclean\) \(unused\)\n/);
    expect(lsmod).toMatch(/\nalpha {15}[ 0-9]{8} {3}0 {2}\(autoclean\) \[beta\]\n/);
    const proc = k.read('/proc/modules') ?? '';
    expect(proc.split('\n')[0]).toMatch(/^beta {16}[ 0-9]{8} {3}0 \(autoclean\) \(unused\)$/);
    expect(proc.split('\n')[1]).toMatch(/^alpha {15}[ 0-9]{8} {3}0 \(autoclean\) \[beta\]$/);
    expect(k.sys.queryRefs('alpha')).toEqual(['beta']);
    expect(k.sys.queryDeps('beta')).toEqual(['alpha']);

    const busy = k.run('rmmod', ['alpha']);
    expect(busy).toEqual({ exitCode: 1, stdout: '', stderr: 'alpha: Device or resource busy\n' });
    expect(k.actions.unload('alpha').result).toBe('EBUSY');

    // Autoclean: beta was never used, so rmmod -a leaves everything.
    expect(k.run('rmmod', ['-a']).exitCode).toBe(0);
    expect(k.sys.queryModules()).toEqual(['beta', 'alpha']);
    // One use of beta (open/close its device): the next pass spares it (visited), the one after reaps it,
    // and alpha, left without users in that same call (MOD_JUST_FREED), goes with it.
    expect(k.actions.use('beta').result).toBe('ok');
    expect(k.actions.unuse('beta').result).toBe('ok');
    k.run('rmmod', ['-a']);
    expect(k.sys.queryModules()).toEqual(['beta', 'alpha']);
    k.run('rmmod', ['-a']);
    expect(k.sys.queryModules()).toEqual([]);
    expect(k.core.memory.allocations()).toEqual([]);
    expect([...k.core.symbols.all()].every((s) => s.owner === 'vmlinux')).toBe(true);
  });

  it('works the same on a 2.2 kernel (modutils 2.4 header accepted as slop)', () => {
    const k = v24({ kernelVersion: '2.2.26' });
    stage(k, { name: 'alpha', exports: ['alpha_fn'] });
    stage(k, { name: 'beta', imports: ['alpha_fn'] });
    expect(k.run('insmod', ['alpha']).exitCode).toBe(0);
    expect(k.run('insmod', ['beta']).exitCode).toBe(0);
    expect(k.sys.queryRefs('alpha')).toEqual(['beta']);
    expect(k.run('rmmod', ['alpha']).exitCode).toBe(1);
    expect(k.run('rmmod', ['beta', 'alpha']).exitCode).toBe(0);
  });
});

describe('linux-v24 insmod: what it builds', () => {
  it('relocates calls and data loads against the kernel and the other modules', () => {
    const k = v24();
    stage(k, { name: 'alpha', exports: ['alpha_fn'] });
    stage(k, {
      name: 'beta',
      imports: ['alpha_fn', { name: 'jiffies', kind: 'data' }, 'printk'],
    });
    k.run('insmod', ['alpha']);
    expect(k.run('insmod', ['beta']).exitCode).toBe(0);
    const textSym = [...k.core.symbols.all()].find((s) => s.name.startsWith('__insmod_beta_S.text_L'));
    const text = Number(textSym?.value ?? 0);
    const code = mem(k, text, 15);
    expect(code[0]).toBe(0xe8);
    expect((text + 5 + u32(code, 1)) >>> 0).toBe(symbolValue(k, 'alpha_fn'));
    expect(code[5]).toBe(0xa1);
    expect(u32(code, 6)).toBe(symbolValue(k, 'jiffies'));
    expect(code[10]).toBe(0xe8);
    expect((text + 15 + u32(code, 11)) >>> 0).toBe(symbolValue(k, 'printk'));
  });

  it('the struct module: name in .kstrtab, syms = __ksymtab, deps = .kmodtab, init and cleanup', () => {
    const k = v24();
    stage(k, { name: 'alpha', exports: ['alpha_fn'] });
    stage(k, { name: 'beta', imports: ['alpha_fn'], exports: ['beta_fn'] });
    k.run('insmod', ['alpha']);
    k.run('insmod', ['beta']);
    const a = k.sys.queryInfo('alpha').addr;
    const b = k.sys.queryInfo('beta').addr;
    expect(member(k, b, 'size_of_struct')).toBe(96);
    expect(member(k, b, 'flags')).toBe(MOD_RUNNING);
    const syms = k.sys.querySymbols('beta').map((s) => s.name);
    expect(syms).toEqual([
      'beta_fn',
      '__insmod_beta_O/lib/modules/2.4.27/misc/beta.o_M00000000_V132123',
      '__insmod_beta_S.text_L51',
    ]);
    expect(member(k, b, 'nsyms')).toBe(3);
    expect(member(k, b, 'ndeps')).toBe(1);
    const ref = mem(k, member(k, b, 'deps'), 12);
    expect([u32(ref, 0), u32(ref, 4), u32(ref, 8)]).toEqual([a, b, 0]);
    expect(member(k, a, 'refs')).toBe(member(k, b, 'deps'));
    expect(member(k, a, 'flags')).toBe(MOD_RUNNING | MOD_USED_ONCE);
    const init = member(k, b, 'init');
    expect(init).toBeGreaterThan(b);
    expect(mem(k, init, 8)[5]).toBe(0x31); // call __kmodsim_uses; xor %eax,%eax; ret
    expect(member(k, b, 'cleanup')).toBeGreaterThan(init);
  });

  it('-y leaves out the ksymoops symbols; -x with a __ksymtab changes nothing', () => {
    const k = v24();
    stage(k, { name: 'alpha', exports: ['alpha_fn'] });
    expect(k.run('insmod', ['-y', 'alpha']).exitCode).toBe(0);
    expect(k.sys.querySymbols('alpha').map((s) => s.name)).toEqual(['alpha_fn']);
  });

  it('-m prints the load map: sections in load order from the base, symbols by final value', () => {
    const k = v24();
    const path = stage(k, { name: 'm', exports: ['m_fn'], params: [{ name: 'lvl', type: 'int' }] });
    const out = k.run('insmod', ['-m', path]).stdout.split('\n');
    const base = k.sys.queryInfo('m').addr.toString(16);
    expect(out[0]).toBe('Sections:       Size      Address   Align');
    expect(out[1]).toBe(`.this           00000060  ${base}  2**2`);
    expect(out.map((l) => l.split(' ')[0]).slice(1, 8)).toEqual([
      '.this',
      '.text',
      '__ksymtab',
      '.kstrtab',
      '__archdata',
      '.data',
      '.bss',
    ]);
    const symbols = out.slice(out.indexOf('Symbols:') + 1).filter((l) => l !== '');
    const values = symbols.map((l) => Number.parseInt(l.split(' ')[0], 16));
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(symbols).toContain(`${symbolValue(k, 'm_fn').toString(16)} T m_fn`);
    expect(symbols.some((l) => l.endsWith(' t init_module'))).toBe(true);
  });

  it('-o names the module; -k sets MOD_AUTOCLEAN in the image', () => {
    const k = v24();
    stage(k, { name: 'alpha' });
    expect(k.run('insmod', ['-k', '-o', 'other', 'alpha']).exitCode).toBe(0);
    expect(k.sys.queryModules()).toEqual(['other']);
    expect(k.sys.queryInfo('other').flags).toBe(MOD_RUNNING | MOD_AUTOCLEAN);
  });

  it('parameters are written into the variable per its parm_ descriptor', () => {
    const k = v24();
    stage(k, {
      name: 'p',
      params: [
        { name: 'level', type: 'int', default: 3 },
        { name: 'mask', type: 'byte', array: 4 },
        { name: 'who', type: 'charp' },
        { name: 'tag', type: 'string', maxlen: 8 },
      ],
    });
    const image = (args: string[]) => {
      const out = `/tmp/blob${args.length}`;
      expect(k.run('insmod', ['-n', '-O', out, k.modulePath('p'), ...args]).exitCode).toBe(0);
      const r = k.vfs.readFile(out);
      if (!r.ok) throw new Error('blob');
      return r.value;
    };
    const plain = image([]);
    const set = image(['level=7', 'mask=1,2,0x10', 'tag=abc']);
    expect(set.length).toBe(plain.length);
    const diff = [...set.keys()].filter((i) => set[i] !== plain[i]);
    expect(diff.map((i) => set[i])).toEqual([7, 1, 2, 16, 0x61, 0x62, 0x63]);
    const withString = image(['level=7', 'mask=1', 'tag=x', 'who=hello']);
    expect(Buffer.from(withString).includes(Buffer.from('hello\0'))).toBe(true);
  });

  it('parameter errors: unknown name, bad syntax, too many values, string too long', () => {
    const k = v24();
    stage(k, {
      name: 'p',
      params: [
        { name: 'mask', type: 'byte', array: 2 },
        { name: 'tag', type: 'string', maxlen: 4 },
      ],
    });
    const path = k.modulePath('p');
    const run = (arg: string) => k.run('insmod', [path, arg]);
    expect(run('nope=1').stderr).toBe(`${path}: invalid parameter parm_nope\n`);
    expect(run('mask=x').stderr).toBe(`${path}: invalid argument syntax for mask: 'x'\n`);
    expect(run('mask=1,2,3').stderr).toBe(`${path}: too many values for mask (max 2)\n`);
    expect(run('tag=abc').stderr).toBe(`${path}: string too long for tag (max 3)\n`);
    expect(k.actions.load(path, 'nope=1').result).toBe('EINVAL');
    expect(k.sys.queryModules()).toEqual([]);
  });
});

describe('linux-v24 insmod: refusals and messages', () => {
  it('a name already loaded: refused before any module call', () => {
    const k = v24();
    stage(k, { name: 'alpha' });
    k.run('insmod', ['alpha']);
    const cursor = k.core.syscalls.cursor;
    expect(k.run('insmod', ['alpha']).stderr).toBe('insmod: a module named alpha already exists\n');
    expect(calls(k, cursor).every((c) => c === 'query_module')).toBe(true);
    expect(k.actions.load(k.modulePath('alpha')).result).toBe('EEXIST');
  });

  it('unresolved symbols are reported per symbol and nothing is created', () => {
    const k = v24();
    const path = stage(k, { name: 'beta', imports: ['alpha_fn', 'zeta_fn'] });
    const cursor = k.core.syscalls.cursor;
    const r = k.run('insmod', [path]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.split('\n').sort()).toEqual([
      '',
      `${path}: unresolved symbol alpha_fn`,
      `${path}: unresolved symbol zeta_fn`,
    ]);
    expect(calls(k, cursor)).not.toContain('create_module');
    expect(k.actions.load(path).result).toBe('ENOENT');
  });

  it('GPL-only exports are visible to GPL-compatible modules only', () => {
    const k = v24();
    stage(k, { name: 'gplexp', exports: [{ name: 'secret_fn', gpl: true }] });
    k.run('insmod', ['gplexp']);
    expect(k.sys.querySymbols('gplexp')[0].name).toBe('GPLONLY_secret_fn');
    const closed = stage(k, { name: 'closed', license: 'Proprietary', imports: ['secret_fn'] });
    const r = k.run('insmod', [closed]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`${closed}: unresolved symbol secret_fn`);
    expect(r.stderr).toContain('GPLONLY symbols');
    stage(k, { name: 'open', license: 'Dual BSD/GPL', imports: ['secret_fn'] });
    expect(k.run('insmod', ['open']).exitCode).toBe(0);
    expect(k.sys.queryRefs('gplexp')).toEqual(['open']);
  });

  it('a module without a GPL license taints the kernel (2.4.10+): warning, tainted file, lsmod header', () => {
    const k = v24();
    const path = stage(k, { name: 'prop', license: 'Proprietary' });
    const r = k.run('insmod', [path]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(
      `Warning: loading ${path} will taint the kernel: non-GPL license - Proprietary\n` +
        '  See http://www.tux.org/lkml/#export-tainted for information about tainted modules\n' +
        'Module prop loaded, with warnings\n',
    );
    expect(k.read('/proc/sys/kernel/tainted')).toBe('1\n');
    expect(k.run('lsmod').stdout.split('\n')[0]).toBe(
      'Module                  Size  Used by    Tainted: P  ',
    );
    // A 2.4.0 kernel has no tainted file: lsmod prints no taint state.
    const old = v24({ kernelVersion: '2.4.0' });
    stage(old, { name: 'prop', license: 'Proprietary' });
    old.run('insmod', ['prop']);
    expect(old.run('lsmod').stdout.split('\n')[0]).toBe('Module                  Size  Used by    ');
  });

  it('a kernel version mismatch is refused unless -f, which warns and taints F', () => {
    const k = v24();
    const path = stage(k, { name: 'old', kernelRelease: '2.4.20' });
    const r = k.run('insmod', [path]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(
      `${path}: kernel-module version mismatch\n\t${path} was compiled for kernel version 2.4.20\n\twhile this kernel is version 2.4.27.\n`,
    );
    expect(k.actions.load(path).result).toBe('ENOEXEC');
    const f = k.run('insmod', ['-f', path]);
    expect(f.exitCode).toBe(0);
    expect(f.stdout).toContain('Warning: kernel-module version mismatch');
    expect(f.stdout).toContain('will taint the kernel: forced load');
    expect(k.read('/proc/sys/kernel/tainted')).toBe('2\n');
  });

  it('a failing init: init_module error and hint, then the module is deleted again', () => {
    const k = v24();
    const path = stage(k, { name: 'bad', behaviour: { init: [{ return: 'ENODEV' }] } });
    const cursor = k.core.syscalls.cursor;
    const r = k.run('insmod', [path]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(`${path}: init_module: No such device\n`);
    expect(r.stdout).toContain('Hint: insmod errors can be caused by incorrect module parameters');
    expect(calls(k, cursor).slice(-3)).toEqual(['create_module', 'init_module', 'delete_module']);
    expect(k.sys.queryModules()).toEqual([]);
    expect(k.actions.load(path).result).toBe('ENODEV');
    const k22 = v24({ kernelVersion: '2.2.26' });
    const p22 = stage(k22, { name: 'bad', behaviour: { init: [{ return: 'ENODEV' }] } });
    expect(k22.actions.load(p22).result).toBe('EBUSY');
  });

  it('create_module failures: EPERM for a non-root caller, ENOMEM with the size needed', () => {
    const k = v24({ credentials: { uid: 1000, euid: 1000 } });
    const path = stage(k, { name: 'alpha' });
    const r = k.run('insmod', [path]);
    expect(r.stderr).toBe(`${path}: create_module: Operation not permitted\n`);
    expect(k.actions.load(path).result).toBe('EPERM');
    const small = v24({ moduleAreaSize: 0x10000 });
    const big = stage(small, { name: 'big', sizes: { text: 0x20000 } });
    expect(small.run('insmod', [big]).stderr).toMatch(
      new RegExp(`^${big}: can't allocate kernel memory for module; needed \\d+ bytes\\n$`),
    );
  });

  it('files: a missing path, a name not on the module path, a file that is not ELF', () => {
    const k = v24();
    expect(k.run('insmod', ['/nope.o']).stderr).toBe('insmod: /nope.o: No such file or directory\n');
    expect(k.run('insmod', ['nope']).stderr).toBe('insmod: nope: no module by that name found\n');
    k.vfs.writeFile('/root/x.o', 'not an object'.repeat(8));
    expect(k.run('insmod', ['/root/x.o']).stderr).toBe('/root/x.o: /root/x.o is not an ELF file\n');
    expect(k.actions.load('/root/x.o').result).toBe('ENOEXEC');
    expect(k.run('insmod', []).exitCode).toBe(1);
    expect(k.run('insmod', []).stderr).toMatch(/^Usage:\ninsmod /);
  });
});

describe('linux-v24 rmmod, lsmod, ksyms, modprobe', () => {
  it('rmmod messages; -r removes a stack', () => {
    const k = v24();
    stage(k, { name: 'alpha', exports: ['alpha_fn'] });
    stage(k, { name: 'beta', imports: ['alpha_fn'] });
    expect(k.run('rmmod', ['ghost'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'rmmod: module ghost is not loaded\n',
    });
    k.run('insmod', ['alpha']);
    k.run('insmod', ['beta']);
    expect(k.run('rmmod', ['-r', 'beta']).exitCode).toBe(0);
    expect(k.sys.queryModules()).toEqual([]);
    expect(k.run('rmmod', []).stderr).toMatch(/^Usage:\nrmmod /);
  });

  it('lsmod for a non-root user prints the header and /proc/modules', () => {
    const k = v24();
    stage(k, { name: 'alpha' });
    k.run('insmod', ['alpha']);
    k.core.creds.set({ uid: 1000, euid: 1000 });
    expect(k.run('lsmod').stdout).toBe(
      `Module                  Size  Used by    Not tainted\n${k.read('/proc/modules')}`,
    );
    const root = v24();
    stage(root, { name: 'alpha' });
    root.run('insmod', ['alpha']);
    expect(root.run('lsmod').stdout).toMatch(/\nalpha {15}[ 0-9]{8} {3}0 {2}\(unused\)\n$/);
  });

  it('lsmod states: an init that never returned is (initializing), with its count; insmod could not delete it', () => {
    const k = v24();
    const path = stage(k, { name: 'slow', behaviour: { init: [{ block: true }] } });
    const r = k.run('insmod', [path]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(`${path}: init_module: Interrupted system call\n`);
    expect(k.run('lsmod').stdout).toMatch(/\nslow {16}[ 0-9]{8} {3}1 {2}\(initializing\)\n$/);
    expect(k.read('/proc/modules')).toMatch(/^slow {16}[ 0-9]{8} \(initializing\)\n$/);
  });

  it('ksyms lists module symbols, -m module lines, -a the kernel too', () => {
    const k = v24();
    stage(k, { name: 'alpha', exports: ['alpha_fn'] });
    k.run('insmod', ['-y', 'alpha']);
    const a = k.sys.queryInfo('alpha');
    const fn = symbolValue(k, 'alpha_fn');
    expect(k.run('ksyms').stdout).toBe(
      `Address   Symbol                            Defined by\n${fn.toString(16).padStart(8, '0')}  ${'alpha_fn'.padEnd(32)}  [alpha]\n`,
    );
    expect(k.run('ksyms', ['-m', '-h']).stdout.split('\n')[0]).toBe(
      `${a.addr.toString(16)}  (1k)${' '.repeat(30)}[alpha]`,
    );
    expect(k.run('ksyms', ['-a', '-h']).stdout).toContain('printk');
  });

  it('/proc/ksyms: module symbols with [name], then the kernel', () => {
    const k = v24();
    stage(k, { name: 'alpha', exports: ['alpha_fn'] });
    k.run('insmod', ['-y', 'alpha']);
    const lines = (k.read('/proc/ksyms') ?? '').split('\n');
    expect(lines[0]).toBe(`${symbolValue(k, 'alpha_fn').toString(16).padStart(8, '0')} alpha_fn\t[alpha]`);
    expect(lines[1]).toBe('c0105000 inter_module_register');
  });

  it("modprobe loads from the module path, and a module's request_module runs it (kmod)", () => {
    const k = v24();
    stage(k, { name: 'helper' });
    stage(k, { name: 'needy', behaviour: { init: [{ request: 'helper' }] } });
    expect(k.run('modprobe', ['needy']).exitCode).toBe(0);
    // helper was created while needy's init ran, so it is the newer one.
    expect(k.sys.queryModules()).toEqual(['helper', 'needy']);
    expect(k.sys.queryInfo('helper').flags & MOD_AUTOCLEAN).toBe(MOD_AUTOCLEAN);
    expect(k.run('modprobe', ['needy']).exitCode).toBe(0);
    expect(k.run('modprobe', ['-r', 'needy']).exitCode).toBe(0);
    expect(k.run('modprobe', ['ghost']).stderr).toBe("modprobe: Can't locate module ghost\n");
  });

  it('CONFIG_MODVERSIONS: _R<crc> names link; a wrong CRC does not', () => {
    const k = v24({ modversions: true });
    const ok = stage(k, { name: 'm', imports: ['printk'] });
    expect(k.run('insmod', [ok]).exitCode).toBe(0);
    const bad = stage(k, { name: 'b', imports: ['printk'], crcs: { printk: 1 } });
    expect(k.run('insmod', [bad]).stderr).toContain('unresolved symbol printk_R00000001');
  });
});

describe('linux-v24 neutral actions and saved state', () => {
  it('load/use/unuse/unload/list report ok or the errno, with the calls made', () => {
    const k = v24();
    const path = stage(k, { name: 'alpha' });
    const load = k.actions.load(path);
    expect(load.result).toBe('ok');
    expect(load.syscalls.map((s) => s.name)).toContain('init_module');
    expect(k.actions.use('alpha').result).toBe('ok');
    expect(k.actions.unload('alpha').result).toBe('EBUSY');
    expect(k.actions.unuse('alpha').result).toBe('ok');
    expect(k.actions.unuse('alpha').result).toBe('EBADF');
    expect(k.actions.list().output).toContain('alpha');
    expect(k.actions.unload('alpha').result).toBe('ok');
    expect(k.actions.unload('alpha').result).toBe('ENOENT');
    expect(k.actions.use('alpha').result).toBe('ENOENT');
  });

  it('a saved kernel restores with its modules, their links and their device references', () => {
    const k = v24();
    stage(k, { name: 'alpha', exports: ['alpha_fn'] });
    stage(k, { name: 'beta', imports: ['alpha_fn'] });
    k.run('insmod', ['alpha']);
    k.run('insmod', ['beta']);
    expect(k.actions.use('beta').result).toBe('ok');
    const r = restoreKernel(JSON.parse(JSON.stringify(k.snapshot()))) as V24;
    expect(r.run('lsmod').stdout).toBe(k.run('lsmod').stdout);
    expect(r.read('/proc/modules')).toBe(k.read('/proc/modules'));
    expect(r.sys.queryRefs('alpha')).toEqual(['beta']);
    expect(r.run('rmmod', ['beta']).stderr).toBe('beta: Device or resource busy\n');
    expect(r.actions.unuse('beta').result).toBe('ok');
    expect(r.run('rmmod', ['beta', 'alpha']).exitCode).toBe(0);
    expect(r.read('/proc/modules')).toBe('');
    expect(procLine('x', 1, '')).toBe(`x${' '.repeat(19)}       1`);
  });
});
