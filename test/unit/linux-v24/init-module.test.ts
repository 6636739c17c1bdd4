/**
 * `init_module(name, image)` (linux-legacy.md §B.5): each check through the real syscall entry with the image
 * in the caller's memory, in the kernel's order, with its errno and printk; the 2.2 / 2.4.0 / 2.4.27 deltas; what
 * the error paths leave behind; the init's outcome.
 */
import { describe, expect, it } from 'vitest';
import {
  MOD_AUTOCLEAN,
  MOD_INITIALIZING,
  MOD_RUNNING,
  MOD_USED_ONCE,
  MODULE_OFFSETS,
  type ModuleMember,
} from '../../../src/abi/linux/v24.js';
import {
  buildModuleImage,
  encodeModuleHeader,
} from '../../../src/personalities/linux-v24/module-image-encoder.js';
import {
  create,
  created,
  cstringAt,
  digest,
  KERNEL_MODULE,
  loaded,
  logSince,
  mem,
  member,
  procLine,
  type V24,
  v24,
} from './support.js';

/** Sets a header member of an image in place. */
function poke(image: Uint8Array, m: ModuleMember, value: number): Uint8Array {
  new DataView(image.buffer, image.byteOffset).setUint32(MODULE_OFFSETS[m], value >>> 0, true);
  return image;
}

/** init_module fails with `errno` (and `message` in the log) and leaves every core service as it was. */
function failsCleanly(
  k: V24,
  name: string,
  image: Uint8Array | number,
  errno: string,
  message?: string,
): string[] {
  const before = digest(k);
  const cursor = k.core.log.cursor;
  const r = k.sys.init_module(name, image);
  expect(r.errno).toBe(errno);
  expect(digest(k)).toBe(before);
  const log = logSince(k, cursor);
  if (message !== undefined) expect(log).toContain(message);
  return log;
}

describe('linux-v24 init_module: checks in order', () => {
  it('runs the kernel steps in order (2.4.27 and 2.2)', () => {
    const k = v24();
    const { image } = created(k, 'm');
    expect(k.sys.init_module('m', image.bytes).pipeline).toEqual([
      'capable',
      'getModName',
      'findModule',
      'getUserSizeOfStruct',
      'checkHeaderSize',
      'saveHeader',
      'copyHeader',
      'checkModuleSize',
      'boundName',
      'boundSyms',
      'boundDeps',
      'boundInit',
      'boundCleanup',
      'checkExTable',
      'checkFlags',
      'boundCanUnload',
      'boundKallsyms',
      'boundArchdata',
      'checkKernelData',
      'checkName',
      'copyBody',
      'moduleArchInit',
      'linkDependencies',
      'runInit',
    ]);
    const k22 = v24({ kernelVersion: '2.2.26' });
    const m22 = created(k22, 'm');
    const steps = k22.sys.init_module('m', m22.image.bytes).pipeline ?? [];
    expect(steps).not.toContain('boundKallsyms');
    expect(steps).not.toContain('moduleArchInit');
    expect(steps.at(-1)).toBe('runInit');
  });

  it('1. EPERM before anything is read', () => {
    const k = v24({ credentials: { capabilities: [] } });
    expect(k.sys.init_module(0, 0).errno).toBe('EPERM');
  });

  it('2. get_mod_name: EFAULT, EINVAL (empty), ENAMETOOLONG', () => {
    const k = v24();
    expect(k.sys.init_module(0, 0).errno).toBe('EFAULT');
    expect(k.sys.init_module('', 0).errno).toBe('EINVAL');
    expect(k.sys.init_module('x'.repeat(5000), 0).errno).toBe('ENAMETOOLONG');
  });

  it('3. ENOENT for a name create_module did not make (before the image is read)', () => {
    const k = v24();
    expect(k.sys.init_module('ghost', 0).errno).toBe('ENOENT');
  });

  it('4. get_user(size_of_struct): EFAULT for a NULL or unmapped image, state untouched', () => {
    const k = v24();
    create(k, 'm');
    failsCleanly(k, 'm', 0, 'EFAULT');
    failsCleanly(k, 'm', new Uint8Array(3), 'EFAULT');
  });

  it('4. size_of_struct outside [60, sizeof + 64] is EINVAL with the two printk lines', () => {
    for (const [version, max] of [
      ['2.2.26', 136],
      ['2.4.27', 160],
    ] as const) {
      const k = v24({ kernelVersion: version });
      create(k, 'm');
      for (const bad of [0, 59, max + 1, 0xffffffa0]) {
        const log = failsCleanly(k, 'm', encodeModuleHeader({ size_of_struct: bad }, 200), 'EINVAL');
        expect(log).toEqual([
          'init_module: Invalid module header size.',
          'A new version of the modutils is likely needed.',
        ]);
      }
      // At the limits the header is accepted and the next check (the name) decides.
      for (const ok of [60, max])
        expect(
          k.sys.init_module('m', encodeModuleHeader({ size_of_struct: ok, size: 4096 }, 200)).pipeline,
        ).toContain('boundName');
    }
  });

  it('6. EFAULT when the header cannot be copied; 2.4.27 copies through a bounce buffer', () => {
    const k = v24();
    create(k, 'm');
    failsCleanly(k, 'm', encodeModuleHeader({ size_of_struct: 96 }, 60), 'EFAULT');
  });

  it('6. the 2.4.27 bounce buffer needs vmalloc room: ENOMEM when the area is full', () => {
    const k = v24({ moduleAreaSize: 0x10000 });
    const a = create(k, 'm', 0x10000 - 0x2000);
    const image = buildModuleImage({ base: a, name: 'm', size: 0x10000 - 0x2000 });
    expect(k.sys.init_module('m', image.bytes).errno).toBe('ENOMEM');
    expect(member(k, a, 'size_of_struct')).toBe(96);
    // 2.4.26 copies straight into the module.
    const k26 = v24({ kernelVersion: '2.4.26', moduleAreaSize: 0x10000 });
    const b = create(k26, 'm', 0x10000 - 0x2000);
    expect(
      k26.sys.init_module('m', buildModuleImage({ base: b, name: 'm', size: 0x10000 - 0x2000 }).bytes).errno,
    ).toBe(undefined);
  });

  it('7.1 EINVAL when the image claims more than create_module reserved', () => {
    const k = v24();
    const { image } = created(k, 'm', {}, 4096);
    failsCleanly(
      k,
      'm',
      poke(image.bytes, 'size', 4097),
      'EINVAL',
      'init_module: Size of initialized module exceeds size of created module.',
    );
  });

  it('7.2 mod->name must lie between mod + LOWER and mod + size (LOWER: 72 on 2.2, size_of_struct on 2.4)', () => {
    const k = v24();
    const { addr, image } = created(k, 'm');
    failsCleanly(
      k,
      'm',
      poke(image.bytes.slice(), 'name', addr + 95),
      'EINVAL',
      'init_module: mod->name out of bounds.',
    );
    failsCleanly(
      k,
      'm',
      poke(image.bytes.slice(), 'name', addr + 4096),
      'EINVAL',
      'init_module: mod->name out of bounds.',
    );
    // name + namelen == mod + size is inside (the NUL may lie past the end).
    const k2 = v24();
    const a2 = create(k2, 'm', 200);
    const img = buildModuleImage({ base: a2, name: 'x', size: 200 });
    img.bytes[199] = 0x6d;
    poke(img.bytes, 'name', a2 + 199);
    expect(k2.sys.init_module('m', img.bytes).pipeline).toContain('checkName');
    // A 60-byte header lets the name start at +60 on 2.4, but not on 2.2.
    for (const [version, errno] of [
      ['2.4.27', undefined],
      ['2.2.26', 'EINVAL'],
    ] as const) {
      const kk = v24({ kernelVersion: version });
      const a = create(kk, 'm');
      const b = buildModuleImage({
        base: a,
        name: 'm',
        size: 4096,
        sizeOfStruct: 60,
        init: false,
        cleanup: false,
      });
      expect(kk.sys.init_module('m', b.bytes).errno, version).toBe(errno);
    }
  });

  it('7.3 / 7.4 syms (8 bytes each) and deps (12 bytes each) must fit; the upper end is inclusive', () => {
    const k = v24();
    const { addr, image } = created(k, 'm');
    const syms = poke(poke(image.bytes.slice(), 'nsyms', 2), 'syms', addr + 4096 - 15);
    failsCleanly(k, 'm', syms, 'EINVAL', 'init_module: mod->syms out of bounds.');
    const deps = poke(poke(image.bytes.slice(), 'ndeps', 2), 'deps', addr + 4096 - 23);
    failsCleanly(k, 'm', deps, 'EINVAL', 'init_module: mod->deps out of bounds.');
    const below = poke(poke(image.bytes.slice(), 'nsyms', 1), 'syms', addr + 8);
    failsCleanly(k, 'm', below, 'EINVAL', 'init_module: mod->syms out of bounds.');
    // nsyms = 0 ignores the pointer entirely.
    expect(k.sys.init_module('m', poke(image.bytes.slice(), 'syms', 1)).errno).toBeUndefined();
  });

  it('7.3 a huge count wraps in 32-bit arithmetic, as in C, and passes the bound check', () => {
    const k = v24();
    const { addr, image } = created(k, 'm');
    const wrap = poke(poke(image.bytes.slice(), 'nsyms', 0x20000000), 'syms', addr + 200);
    expect(k.sys.init_module('m', wrap).pipeline).toContain('boundDeps');
  });

  it('7.5 init and cleanup: NULL is fine, otherwise inside the image', () => {
    const k = v24();
    const { addr, image } = created(k, 'm');
    failsCleanly(
      k,
      'm',
      poke(image.bytes.slice(), 'init', addr + 4),
      'EINVAL',
      'init_module: mod->init out of bounds.',
    );
    failsCleanly(
      k,
      'm',
      poke(image.bytes.slice(), 'cleanup', addr + 4097),
      'EINVAL',
      'init_module: mod->cleanup out of bounds.',
    );
    const nulls = poke(poke(image.bytes.slice(), 'init', 0), 'cleanup', 0);
    expect(k.sys.init_module('m', nulls).errno).toBeUndefined();
  });

  it('7.6 the exception table: ordered, whole entries, end strictly below mod + size', () => {
    const msg = 'init_module: mod->ex_table_* invalid.';
    const k = v24();
    const { addr, image } = created(k, 'm');
    const ex = (s: number, e: number) =>
      poke(poke(image.bytes.slice(), 'ex_table_start', s), 'ex_table_end', e);
    failsCleanly(k, 'm', ex(addr + 300, addr + 200), 'EINVAL', msg);
    failsCleanly(k, 'm', ex(addr + 200, addr + 204), 'EINVAL', msg);
    failsCleanly(k, 'm', ex(addr + 4096 - 8, addr + 4096), 'EINVAL', msg);
    failsCleanly(k, 'm', ex(addr + 8, addr + 16), 'EINVAL', msg);
    expect(k.sys.init_module('m', ex(addr + 4096 - 16, addr + 4096 - 8)).errno).toBeUndefined();
  });

  it('7.7 the image may carry MOD_AUTOCLEAN only', () => {
    const k = v24();
    const { image } = created(k, 'm');
    for (const f of [MOD_RUNNING, 8, 16, 32, MOD_INITIALIZING, MOD_AUTOCLEAN | 0x80000000])
      failsCleanly(
        k,
        'm',
        poke(image.bytes.slice(), 'flags', f),
        'EINVAL',
        'init_module: mod->flags invalid.',
      );
    expect(k.sys.init_module('m', poke(image.bytes.slice(), 'flags', MOD_AUTOCLEAN)).errno).toBeUndefined();
    expect(k.core.modules.get('m')?.flags).toBe(MOD_AUTOCLEAN | MOD_RUNNING);
  });

  it('7.9 can_unload is checked only when size_of_struct covers it', () => {
    const k = v24();
    const { addr, image } = created(k, 'm');
    failsCleanly(
      k,
      'm',
      poke(image.bytes.slice(), 'can_unload', addr + 1),
      'EINVAL',
      'init_module: mod->can_unload out of bounds.',
    );
    // With a 68-byte header the name starts at +68, where can_unload would be: "m\0\0\0" read as a pointer
    // would be out of bounds, but the member is not present, so it is never looked at.
    const k2 = v24();
    const a2 = create(k2, 'm');
    const short = buildModuleImage({ base: a2, name: 'm', size: 4096, sizeOfStruct: 68 });
    expect(short.name).toBe(a2 + 68);
    expect(k2.sys.init_module('m', short.bytes).errno).toBeUndefined();
  });

  it('7.10 2.4: kallsyms and archdata inside and ordered, kernel_data zero; a 2.2 kernel looks at none of them', () => {
    const k = v24();
    const { addr, image } = created(k, 'm');
    const pair = (a: ModuleMember, b: ModuleMember, s: number, e: number) =>
      poke(poke(image.bytes.slice(), a, s), b, e);
    failsCleanly(
      k,
      'm',
      pair('kallsyms_start', 'kallsyms_end', 1, addr + 200),
      'EINVAL',
      'init_module: mod->kallsyms out of bounds.',
    );
    failsCleanly(
      k,
      'm',
      pair('kallsyms_start', 'kallsyms_end', addr + 300, addr + 200),
      'EINVAL',
      'init_module: mod->kallsyms invalid.',
    );
    // kallsyms_end == 0 skips the bound check, but start > end is still invalid.
    failsCleanly(
      k,
      'm',
      pair('kallsyms_start', 'kallsyms_end', 5, 0),
      'EINVAL',
      'init_module: mod->kallsyms invalid.',
    );
    failsCleanly(
      k,
      'm',
      pair('archdata_start', 'archdata_end', addr + 200, addr + 5000),
      'EINVAL',
      'init_module: mod->archdata out of bounds.',
    );
    failsCleanly(
      k,
      'm',
      poke(image.bytes.slice(), 'kernel_data', 1),
      'EINVAL',
      'init_module: mod->kernel_data must be zero.',
    );
    const k22 = v24({ kernelVersion: '2.2.26' });
    const a22 = create(k22, 'm');
    const img22 = buildModuleImage({ base: a22, name: 'm', size: 4096 });
    poke(img22.bytes, 'kernel_data', 1);
    poke(img22.bytes, 'kallsyms_end', 1);
    expect(k22.sys.init_module('m', img22.bytes).errno).toBeUndefined();
  });

  it('8. the name is re-read at its user address: EFAULT there; EINVAL when it differs', () => {
    const k = v24();
    const { addr, image } = created(k, 'm');
    // name at the very end of the image: its user copy is unterminated (the mapping ends).
    const end = image.bytes.slice(0, 4096);
    end[4095] = 0x6d;
    const log = failsCleanly(k, 'm', poke(end, 'name', addr + 4095), 'EFAULT');
    expect(log).toContain('init_module: get_mod_name failure.');
    const other = image.bytes.slice();
    other[image.name - addr] = 0x6e;
    failsCleanly(k, 'm', other, 'EINVAL', "init_module: changed module name to `n' from `m'");
    const longer = image.bytes.slice();
    longer.set([0x6d, 0x6d, 0], image.name - addr);
    failsCleanly(k, 'm', longer, 'EINVAL', "init_module: changed module name to `mm' from `m'");
  });

  it('8. 2.2 prints nothing when the re-read faults', () => {
    const k = v24({ kernelVersion: '2.2.26' });
    const { addr, image } = created(k, 'm');
    const end = image.bytes.slice(0, 4096);
    end[4095] = 0x6d;
    const log = failsCleanly(k, 'm', poke(end, 'name', addr + 4095), 'EFAULT');
    expect(log.filter((l) => l.startsWith('init_module'))).toEqual([]);
  });

  it('9. EFAULT when the body cannot be copied; the header is restored, the copied part stays', () => {
    const k = v24();
    const { addr, image } = created(k, 'm');
    const header = mem(k, addr, 96);
    const short = image.bytes.slice(0, 200);
    short[150] = 0xaa;
    expect(k.sys.init_module('m', short).errno).toBe('EFAULT');
    expect(mem(k, addr, 96)).toEqual(header);
    expect(mem(k, addr + 150, 1)[0]).toBe(0xaa);
    expect(k.core.modules.get('m')?.state).toBe('MOD_UNINITIALIZED');
  });

  it('12. a dependency on itself or on something that is not a listed module is EINVAL', () => {
    const k = v24();
    const { addr, image } = created(k, 'm', { deps: [0] });
    const self = image.bytes.slice();
    new DataView(self.buffer).setUint32(image.deps - addr, addr, true);
    expect(k.sys.init_module('m', self).errno).toBe('EINVAL');
    expect(logSince(k, 0)).toContain('init_module: self-referential dependency in mod->deps.');
    for (const bogus of [0, KERNEL_MODULE, addr + 4096 * 2]) {
      const img = image.bytes.slice();
      new DataView(img.buffer).setUint32(image.deps - addr, bogus, true);
      const cursor = k.core.log.cursor;
      expect(k.sys.init_module('m', img).errno).toBe('EINVAL');
      expect(logSince(k, cursor)).toContain('init_module: found dependency that is (no longer?) a module.');
    }
    expect(member(k, addr, 'ndeps')).toBe(0);
  });

  it('12. an uninitialized module is a valid dependency; linking marks it MOD_USED_ONCE', () => {
    const k = v24();
    const dep = create(k, 'dep');
    const { addr, image } = created(k, 'user', { deps: [dep] });
    expect(k.sys.init_module('user', image.bytes).errno).toBeUndefined();
    expect(member(k, dep, 'refs')).toBe(image.deps);
    expect(member(k, dep, 'flags') & MOD_USED_ONCE).toBe(MOD_USED_ONCE);
    const ref = new DataView(mem(k, image.deps, 12).buffer);
    expect(ref.getUint32(0, true)).toBe(dep); // dep
    expect(ref.getUint32(4, true)).toBe(addr); // ref: set by the kernel
    expect(ref.getUint32(8, true)).toBe(0); // next_ref
    expect(k.core.modules.usedBy('dep')).toEqual(['user']);
  });
});

describe('linux-v24 init_module: what error paths leave', () => {
  it('a header longer than the kernel struct leaves its tail behind after an error (2.4), not on 2.2', () => {
    for (const [version, residue] of [
      ['2.4.27', true],
      ['2.4.0', true],
      ['2.2.26', false],
    ] as const) {
      const k = v24({ kernelVersion: version });
      const { addr } = created(k, 'mod');
      const header = mem(k, addr, 160);
      const img = buildModuleImage({ base: addr, name: 'mod', size: 4096, sizeOfStruct: 160 });
      img.bytes.fill(0xcc, 120, 160);
      poke(img.bytes, 'flags', MOD_RUNNING); // fails the flags check, after the copy
      expect(k.sys.init_module('mod', img.bytes).errno, version).toBe('EINVAL');
      const sizeof = version === '2.2.26' ? 72 : 96;
      expect(mem(k, addr, sizeof), version).toEqual(header.subarray(0, sizeof));
      expect(cstringAt(k, addr + sizeof), version).toBe('mod');
      expect(
        mem(k, addr + 120, 40).every((b) => b === 0xcc),
        version,
      ).toBe(residue);
    }
  });

  it("with residue: 'clean' the header tail is restored too", () => {
    const k = v24({ kernelVersion: '2.4.27', residue: 'clean' });
    const { addr } = created(k, 'mod');
    const before = mem(k, addr, 160);
    const img = buildModuleImage({ base: addr, name: 'mod', size: 4096, sizeOfStruct: 160 });
    img.bytes.fill(0xcc, 120, 160);
    poke(img.bytes, 'flags', MOD_RUNNING);
    expect(k.sys.init_module('mod', img.bytes).errno).toBe('EINVAL');
    expect(mem(k, addr, 160)).toEqual(before);
  });

  it('2.2 links dependencies as it checks them: a bad one leaves the earlier ones linked (dangling refs)', () => {
    // A 72-byte header (modutils of the 2.2 era): the name the image carries right after it is copied over the
    // one create_module wrote, so the module keeps its name.
    const k = v24({ kernelVersion: '2.2.26' });
    const a = loaded(k, 'a', { sizeOfStruct: 72 });
    const { addr: b, image } = created(k, 'b', { deps: [a, 0xdead0000], sizeOfStruct: 72 });
    expect(k.sys.init_module('b', image.bytes).errno).toBe('EINVAL');
    expect(member(k, b, 'ndeps')).toBe(0); // the header is restored...
    expect(member(k, a, 'refs')).toBe(image.deps); // ...but a still points into b
    expect(k.read('/proc/modules')).toContain(procLine('a', 4096, '   0 [b]\n'));
    expect(k.sys.delete_module('a').errno).toBe('EBUSY');
    expect(k.sys.delete_module('b').errno).toBeUndefined();
    // b's memory is gone; a's refs dangle: following them oopses (EFAULT), and a can never go.
    const cursor = k.core.log.cursor;
    expect(k.sys.query_module('a', 3, 0, 0, k.core.user.alloc(4)).errno).toBe('EFAULT');
    expect(logSince(k, cursor).some((l) => l.startsWith('Unable to handle kernel paging request'))).toBe(
      true,
    );
    expect(k.sys.delete_module('a').errno).toBe('EBUSY');
  });

  it('2.2 restores only its 72-byte header: after a failure past the body copy the name is the image bytes', () => {
    // modutils 2.4's 96-byte header on a 2.2 kernel: bytes 72..95 of the image (zeros here) land where the
    // name was, and nothing restores it (2.4 added the strcpy of name_tmp): the module cannot be named again.
    const k = v24({ kernelVersion: '2.2.26' });
    const { addr, image } = created(k, 'b', { deps: [0xdead0000] });
    expect(k.sys.init_module('b', image.bytes).errno).toBe('EINVAL');
    expect(member(k, addr, 'name')).toBe(addr + 72);
    expect(cstringAt(k, addr + 72)).toBe('');
    expect(k.sys.delete_module('b').errno).toBe('ENOENT');
    expect(k.sys.queryModules()).toEqual(['']);
    // 2.4 puts the name back.
    const k24 = v24();
    const m = created(k24, 'b', { deps: [0xdead0000] });
    expect(k24.sys.init_module('b', m.image.bytes).errno).toBe('EINVAL');
    expect(cstringAt(k24, m.addr + 96)).toBe('b');
    expect(k24.sys.delete_module('b').errno).toBeUndefined();
  });

  it('2.4 (and 2.2 with residue: clean) checks every dependency before linking any', () => {
    for (const config of [{ kernelVersion: '2.4.27' }, { kernelVersion: '2.2.26', residue: 'clean' }]) {
      const k = v24(config);
      const a = loaded(k, 'a');
      const { image } = created(k, 'b', { deps: [a, 0xdead0000] });
      expect(k.sys.init_module('b', image.bytes).errno).toBe('EINVAL');
      expect(member(k, a, 'refs')).toBe(0);
      expect(k.sys.delete_module('a').errno).toBeUndefined();
    }
  });
});

describe('linux-v24 init_module: the init', () => {
  it('success: MOD_RUNNING, use count back to 0, a device node, its symbols exported', () => {
    const k = v24();
    const a = loaded(k, 'm', { symbols: [{ value: 0xc8801234, name: 'm_fn' }] });
    expect(member(k, a, 'flags')).toBe(MOD_RUNNING);
    expect(member(k, a, 'usecount')).toBe(0);
    expect(k.vfs.stat('/dev/m').ok).toBe(true);
    expect(k.core.symbols.lookup('m_fn')?.owner).toBe('m');
    expect(member(k, a, 'next')).toBe(KERNEL_MODULE);
  });

  it('a failing init: 2.4 returns its error, 2.2 EBUSY; the module stays listed, uninitialized, deps linked', () => {
    for (const [version, errno] of [
      ['2.4.27', 'ENODEV'],
      ['2.2.26', 'EBUSY'],
    ] as const) {
      const k = v24({ kernelVersion: version });
      const dep = loaded(k, 'dep');
      k.core.behaviours.declare('bad', { init: [{ return: 'ENODEV' }] });
      const { addr, image } = created(k, 'bad', { deps: [dep] });
      expect(k.sys.init_module('bad', image.bytes).errno, version).toBe(errno);
      expect(member(k, addr, 'flags') & (MOD_RUNNING | MOD_INITIALIZING), version).toBe(0);
      expect(member(k, addr, 'usecount'), version).toBe(0);
      expect(member(k, dep, 'refs'), version).toBe(image.deps);
      expect(k.read('/proc/modules'), version).toContain(procLine('bad', 4096, ' (uninitialized)\n'));
      expect(k.sys.queryModules(), version).toEqual(['bad', 'dep']);
      expect(k.core.symbols.owners(), version).not.toContain('bad');
      // insmod then deletes it; that unlinks the dependency.
      expect(k.sys.delete_module('bad').errno, version).toBeUndefined();
      expect(member(k, dep, 'refs'), version).toBe(0);
    }
  });

  it('a NULL init pointer runs nothing (the behaviour never matters)', () => {
    const k = v24();
    k.core.behaviours.declare('m', { init: [{ return: 'EIO' }] });
    loaded(k, 'm', { init: false });
    expect(k.core.modules.get('m')?.state).toBe('MOD_RUNNING');
  });

  it('an init that never returns: EINTR, 2.4 leaves it initializing with the use count at 1', () => {
    const k = v24();
    k.core.behaviours.declare('slow', { init: [{ block: true }] });
    const { addr, image } = created(k, 'slow');
    expect(k.sys.init_module('slow', image.bytes).errno).toBe('EINTR');
    expect(member(k, addr, 'flags')).toBe(MOD_INITIALIZING);
    expect(member(k, addr, 'usecount')).toBe(1);
    expect(k.read('/proc/modules')).toBe(procLine('slow', 4096, ' (initializing)\n'));
    expect(k.sys.delete_module('slow').errno).toBe('EBUSY');
    const k22 = v24({ kernelVersion: '2.2.26' });
    k22.core.behaviours.declare('slow', { init: [{ block: true }] });
    const m = created(k22, 'slow');
    expect(k22.sys.init_module('slow', m.image.bytes).errno).toBe('EINTR');
    expect(k22.read('/proc/modules')).toBe(procLine('slow', 4096, ' (uninitialized)\n'));
  });

  it('an init taking references keeps the count above 0 afterwards', () => {
    const k = v24();
    loaded(k, 'base');
    k.core.behaviours.declare('user', { init: [{ get: 'base' }, { get: 'user' }] });
    const u = loaded(k, 'user');
    expect(member(k, u, 'usecount')).toBe(1);
    expect(k.sys.queryInfo('base').usecount).toBe(1);
    expect(k.sys.delete_module('user').errno).toBe('EBUSY');
  });

  it('there is no state check: a running module can be initialised again, which drops its users links', () => {
    const k = v24();
    const a = loaded(k, 'a');
    loaded(k, 'b', { deps: [a] });
    expect(k.sys.delete_module('a').errno).toBe('EBUSY');
    const again = buildModuleImage({ base: a, name: 'a', size: 4096 });
    expect(k.sys.init_module('a', again.bytes).errno).toBeUndefined();
    expect(member(k, a, 'refs')).toBe(0);
    expect(k.sys.delete_module('a').errno).toBeUndefined();
  });
});

describe('linux-v24 syscalls a 2.4 kernel does not have', () => {
  it('finit_module is ENOSYS', () => {
    expect(v24().syscall('finit_module', { fd: 3, uargs: '', flags: 0 }).errno).toBe('ENOSYS');
  });

  it('a 2.6-style init_module(image, len, params) is read as (name, struct module *): ENOENT', () => {
    const k = v24();
    const image = new Uint8Array(64);
    image.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0]);
    const r = k.syscall('init_module', { umod: image, len: image.length, uargs: '' });
    expect(r.errno).toBe('ENOENT');
  });

  it('without CONFIG_MODULES everything is ENOSYS except query_module(…, 0, …)', () => {
    const k = v24({ modules: false });
    expect(k.sys.create_module('m', 4096).errno).toBe('ENOSYS');
    expect(k.sys.init_module('m', 0).errno).toBe('ENOSYS');
    expect(k.sys.delete_module('m').errno).toBe('ENOSYS');
    expect(k.sys.get_kernel_syms(null).errno).toBe('ENOSYS');
    expect(k.sys.query_module(null, 1).errno).toBe('ENOSYS');
    expect(k.sys.query_module(null, 0).ret).toBe(0);
  });
});

describe('linux-v24 pointers the kernel does not check', () => {
  it('a symbol name pointer outside the image passes init_module; following it later is an oops (EFAULT)', () => {
    const k = v24();
    const { addr, image } = created(k, 'm', { symbols: [{ value: 1, name: 'fine' }] });
    new DataView(image.bytes.buffer).setUint32(image.syms - addr + 4, 0xdeadbeef, true);
    expect(k.sys.init_module('m', image.bytes).errno).toBeUndefined();
    const cursor = k.core.log.cursor;
    const ret = k.core.user.alloc(4);
    expect(k.sys.query_module('m', 4, k.core.user.alloc(256), 256, ret).errno).toBe('EFAULT');
    expect(logSince(k, cursor)[0]).toBe('Unable to handle kernel paging request at virtual address deadbeef');
    expect(k.read('/proc/ksyms')).toBe('');
    expect(k.sys.delete_module('m').errno).toBeUndefined();
  });
});

describe('linux-v24 hostile images never throw', () => {
  it('random headers over a created module answer an errno or succeed, never an exception', () => {
    const k = v24();
    const addr = create(k, 'm', 8192);
    let seed = 12345;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed;
    };
    for (let i = 0; i < 300; i++) {
      const img = buildModuleImage({
        base: addr,
        name: 'm',
        size: 8192,
        symbols: [{ value: 1, name: 's' }],
      }).bytes;
      const members = Object.keys(MODULE_OFFSETS) as ModuleMember[];
      for (let j = 0; j < 3; j++) {
        const m = members[rand() % members.length];
        const choice = rand() % 4;
        const v =
          choice === 0 ? rand() : choice === 1 ? addr + (rand() % 9000) : choice === 2 ? 0 : rand() % 200;
        poke(img, m, v);
      }
      const r = k.sys.init_module('m', img);
      expect(typeof r.ret).toBe('number');
      if (r.errno === undefined) {
        k.read('/proc/modules');
        k.read('/proc/ksyms');
        k.sys.get_kernel_syms(null);
      }
    }
  });
});
