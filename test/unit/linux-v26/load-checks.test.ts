/**
 * The load path's checks, their errno, their kernel messages and their order (reference §2), each failure
 * leaving the kernel as it was.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MODULE_INIT_COMPRESSED_FILE, MODULE_INIT_IGNORE_VERMAGIC } from '../../../src/abi/linux/v26.js';
import { X86_64_MODULE_AREA } from '../../../src/core/address-space.js';
import { digest, ko, logSince, v26 } from './support.js';

function failsCleanly(
  config: Record<string, unknown>,
  image: Uint8Array,
  errno: string,
  message?: string,
  params = '',
): string[] {
  const k = v26(config);
  const before = digest(k);
  const cursor = k.core.log.cursor;
  const r = k.sys.init_module(image, undefined, params);
  expect(r.errno).toBe(errno);
  expect(digest(k)).toBe(before);
  const log = logSince(k, cursor);
  if (message !== undefined) expect(log).toContain(message);
  return log;
}

describe('linux-v26 load checks', () => {
  it('EPERM comes first: without CAP_SYS_MODULE even a 0-length call is EPERM', () => {
    const k = v26({ credentials: { capabilities: [] } });
    expect(k.sys.init_module(0, 0, '').errno).toBe('EPERM');
  });

  it('len < sizeof(Elf64_Ehdr) is ENOEXEC before the buffer is read (NULL pointer, length 0)', () => {
    expect(v26().sys.init_module(0, 0, '').errno).toBe('ENOEXEC');
    expect(v26().sys.init_module(0, 64, '').errno).toBe('EFAULT');
    // Absurd lengths: ENOMEM before the copy (64 MiB was the limit before 3.8).
    expect(v26().sys.init_module(0, 2 ** 40, '').errno).toBe('ENOMEM');
    expect(v26().sys.init_module(0, 2 ** 27, '').errno).toBe('EFAULT');
    expect(v26({ kernelVersion: '3.2' }).sys.init_module(0, 2 ** 27, '').errno).toBe('ENOMEM');
  });

  it('modules_disabled refuses loads and unloads with EPERM', () => {
    const k = v26({ modulesDisabled: true });
    expect(k.sys.init_module(ko({ name: 'a' })).errno).toBe('EPERM');
    expect(k.sys.delete_module('a').errno).toBe('EPERM');
  });

  it('ELF checks: magic, type, machine, section header size, in that order', () => {
    const good = ko({ name: 'elfy' });
    const bad = (f: (b: Uint8Array, v: DataView) => void) => {
      const b = good.slice();
      f(b, new DataView(b.buffer));
      return b;
    };
    failsCleanly(
      {},
      bad((b) => (b[1] = 0)),
      'ENOEXEC',
      'Invalid ELF header magic: != \x7fELF',
    );
    failsCleanly(
      {},
      bad((_, v) => v.setUint16(16, 2, true)),
      'ENOEXEC',
      'Invalid ELF header type: 2 != 1',
    );
    failsCleanly(
      {},
      bad((_, v) => v.setUint16(18, 3, true)),
      'ENOEXEC',
      'Invalid architecture in ELF header: 3',
    );
    failsCleanly(
      {},
      bad((_, v) => v.setUint16(58, 40, true)),
      'ENOEXEC',
      'Invalid ELF section header size',
    );
    // Magic and machine both wrong: the magic is reported.
    failsCleanly(
      {},
      bad((b, v) => {
        b[0] = 0;
        v.setUint16(18, 3, true);
      }),
      'ENOEXEC',
      'Invalid ELF header magic: != \x7fELF',
    );
    failsCleanly({}, good.subarray(0, 200), 'ENOEXEC', 'Invalid ELF section header overflow');
  });

  it('vermagic: the release is ignored with modversions, compared without', () => {
    const img = ko({ name: 'vm', vermagic: '5.10.0-9-amd64 SMP preempt mod_unload modversions ' });
    expect(v26().sys.init_module(img).ret).toBe(0);
    const plain = ko(
      { name: 'vm2', vermagic: '5.10.0-9-amd64 SMP preempt mod_unload ' },
      { modversions: false },
    );
    failsCleanly(
      { modversions: false },
      plain,
      'ENOEXEC',
      "vm2: version magic '5.10.0-9-amd64 SMP preempt mod_unload ' should be '6.1.0-50-amd64 SMP preempt mod_unload '",
    );
  });

  it('module_layout CRC mismatch is ENOEXEC; an import CRC mismatch is EINVAL', () => {
    failsCleanly(
      {},
      ko({ name: 'lay', crcs: { module_layout: 1 } }),
      'ENOEXEC',
      'lay: disagrees about version of symbol module_layout',
    );
    failsCleanly(
      {},
      ko({ name: 'crc', imports: ['kfree'], crcs: { kfree: 7 } }),
      'EINVAL',
      'crc: disagrees about version of symbol kfree',
    );
  });

  it('an unknown symbol is ENOENT, with the kernel message', () => {
    failsCleanly(
      {},
      ko({ name: 'unk', imports: ['no_such_symbol'] }),
      'ENOENT',
      'unk: Unknown symbol no_such_symbol (err -2)',
    );
  });

  it('a non-GPL module does not see GPL-only symbols (ENOENT) and taints the kernel P', () => {
    const k = v26();
    const r = k.sys.init_module(
      ko({ name: 'prop', license: 'Proprietary', imports: ['sysfs_create_group'] }),
    );
    expect(r.errno).toBe('ENOENT');
    expect(k.dmesg()).toContain("prop: module license 'Proprietary' taints kernel.");
    expect(Number(k.read('/proc/sys/kernel/tainted'))).toBe(1 | (1 << 12) | (1 << 13));
  });

  it('namespaces: a symbol used without import_ns is EINVAL; imported it links', () => {
    failsCleanly(
      {},
      ko({ name: 'ns1', imports: ['dma_buf_get'] }),
      'EINVAL',
      'ns1: module uses symbol (dma_buf_get) from namespace DMA_BUF, but does not import it.',
    );
    expect(
      v26().sys.init_module(ko({ name: 'ns2', imports: ['dma_buf_get'], importNs: ['DMA_BUF'] })).ret,
    ).toBe(0);
  });

  it('exporting a symbol the kernel already exports is ENOEXEC at complete_formation', () => {
    failsCleanly(
      {},
      ko({ name: 'dup', exports: ['kfree'] }),
      'ENOEXEC',
      'dup: exports duplicate symbol kfree (owned by kernel)',
    );
  });

  it('module_blacklist= refuses with EPERM', () => {
    failsCleanly({ moduleBlacklist: ['bad'] }, ko({ name: 'bad' }), 'EPERM', 'Module bad is blacklisted');
  });

  it('IGNORE_VERMAGIC needs CONFIG_MODULE_FORCE_LOAD (else ENOEXEC); with it the module is tainted F', () => {
    const img = ko({ name: 'forced' });
    for (const forceLoad of [false, true]) {
      const k = v26({ forceLoad });
      k.vfs.writeFile('/root/forced.ko', img);
      const r = k.sys.finit_module('/root/forced.ko', '', MODULE_INIT_IGNORE_VERMAGIC);
      if (!forceLoad) expect(r.errno).toBe('ENOEXEC');
      else {
        expect(r.ret).toBe(0);
        expect(k.dmesg()).toContain('forced: bad vermagic: kernel tainted.');
        expect(k.read('/sys/module/forced/taint')).toBe('FOE\n');
      }
    }
  });

  it("init's errno is the syscall's result and the module is gone", () => {
    failsCleanly({}, ko({ name: 'nodev', behaviour: { init: [{ return: 'ENODEV' }] } }), 'ENODEV');
  });

  it('a duplicate name is EEXIST; the first load stays intact', () => {
    const k = v26();
    expect(k.sys.init_module(ko({ name: 'twice' })).ret).toBe(0);
    const before = digest(k);
    expect(k.sys.init_module(ko({ name: 'twice' })).errno).toBe('EEXIST');
    expect(digest(k)).toBe(before);
  });

  it('a module whose init never returns stays COMING: EBUSY to delete, its users give up waiting', () => {
    const k = v26();
    const r = k.sys.init_module(
      ko({ name: 'slow', exports: ['slow_fn'], behaviour: { init: [{ block: true }] } }),
    );
    expect(r.errno).toBe('EINTR');
    expect(k.read('/proc/modules')).toMatch(/^slow \d+ 1 - Loading 0x[0-9a-f]{16} \(OE\+\)\n$/);
    expect(k.read('/sys/module/slow/initstate')).toBe('coming\n');
    expect(k.sys.delete_module('slow').errno).toBe('EBUSY');
    const user = k.sys.init_module(ko({ name: 'waiter', imports: [{ name: 'slow_fn', module: 'slow' }] }));
    expect(user.errno).toBe('EBUSY');
    expect(k.dmesg()).toContain('waiter: gave up waiting for init of module slow.');
    // Loading the same name again waits for the first load and is interrupted.
    expect(k.sys.init_module(ko({ name: 'slow' })).errno).toBe('EINTR');
  });

  it('mainline (6.4+) and 6.1 order the duplicate check and the modinfo taints differently', () => {
    for (const [kernelVersion, tainted] of [
      ['6.1', true],
      ['6.6', false],
    ] as const) {
      const k = v26({ kernelVersion, moduleSig: false });
      expect(k.sys.init_module(ko({ name: 'gpl', intree: true })).ret).toBe(0);
      expect(k.read('/proc/sys/kernel/tainted')).toBe('0\n');
      // An out-of-tree module of the same name: 6.1 taints O in check_modinfo before add_unformed_module.
      expect(k.sys.init_module(ko({ name: 'gpl' })).errno).toBe('EEXIST');
      expect(k.read('/proc/sys/kernel/tainted')).toBe(tainted ? `${1 << 12}\n` : '0\n');
      const steps = k.core.syscalls.trace().at(-1)?.pipeline ?? [];
      expect(steps.includes('modulePatientCheckExists')).toBe(!tainted);
    }
  });

  it('MODULE_INIT_COMPRESSED_FILE: gzip with MODULE_DECOMPRESS, EOPNOTSUPP without, EINVAL before 5.17', () => {
    const gz = new Uint8Array(gzipSync(ko({ name: 'packed' })));
    const call = (config: Record<string, unknown>, data: Uint8Array) => {
      const k = v26(config);
      k.vfs.writeFile('/root/packed.ko.gz', data);
      return { k, r: k.sys.finit_module('/root/packed.ko.gz', '', MODULE_INIT_COMPRESSED_FILE) };
    };
    expect(call({ decompress: 'gzip' }, gz).r.ret).toBe(0);
    expect(call({}, gz).r.errno).toBe('EOPNOTSUPP');
    expect(call({ decompress: 'gzip', kernelVersion: '5.10' }, gz).r.errno).toBe('EINVAL');
    const wrong = call({ decompress: 'gzip' }, ko({ name: 'packed' }));
    expect(wrong.r.errno).toBe('EINVAL');
    expect(wrong.k.dmesg()).toContain('not a gzip compressed module');
  });

  it('6.1 (elf_validity_check) and mainline (elf_validity_cache_copy) order and scope the ELF checks differently', () => {
    const base = ko({ name: 'order' });
    const v = new DataView(base.buffer, base.byteOffset, base.byteLength);
    const shoff = Number(v.getBigUint64(40, true));
    const shnum = v.getUint16(60, true);
    const shstrndx = v.getUint16(62, true);
    const strOff = Number(v.getBigUint64(shoff + shstrndx * 64 + 24, true));
    const strSize = Number(v.getBigUint64(shoff + shstrndx * 64 + 32, true));
    const nameOf = (i: number) => {
      const at = strOff + v.getUint32(shoff + i * 64, true);
      return new TextDecoder().decode(base.subarray(at, base.indexOf(0, at)));
    };
    const stack = [...Array(shnum).keys()].find((i) => nameOf(i) === '.note.GNU-stack') ?? -1;
    expect(stack).toBeGreaterThan(0);
    // A non-ALLOC section whose name lies outside the name table: mainline refuses, 6.1 does not look.
    const badName = base.slice();
    new DataView(badName.buffer).setUint32(shoff + stack * 64, strSize + 10, true);
    failsCleanly(
      { kernelVersion: '6.6' },
      badName,
      'ENOEXEC',
      `Invalid ELF section name in module (section ${stack} type 1)`,
    );
    expect(v26().sys.init_module(badName).ret).toBe(0);
    // Section 0 non-empty and the name table unterminated: each era reports its own first check.
    const both = base.slice();
    new DataView(both.buffer).setBigUint64(shoff + 32, 1n, true);
    both[strOff + strSize - 1] = 0x41;
    failsCleanly(
      { kernelVersion: '6.6' },
      both,
      'ENOEXEC',
      'ELF Spec violation: section 0 type(0)!=SH_NULL or non-zero len or addr',
    );
    failsCleanly({}, both, 'ENOEXEC', "ELF Spec violation: section name table isn't null terminated");
  });

  it('a module still GOING (its exit never returned): EBUSY to load again on 6.2+, EINTR (waiting) on 6.1', () => {
    for (const [kernelVersion, errno] of [
      ['6.6', 'EBUSY'],
      ['6.1', 'EINTR'],
    ] as const) {
      const k = v26({ kernelVersion });
      const img = ko({ name: 'stuck', behaviour: { cleanup: [{ block: true }] } });
      expect(k.sys.init_module(img).ret).toBe(0);
      expect(k.sys.delete_module('stuck').errno).toBe('EINTR');
      expect(k.read('/proc/modules')).toMatch(/^stuck \d+ 0 - Unloading 0x[0-9a-f]{16} \(OE-\)\n$/);
      expect(k.sys.delete_module('stuck').errno).toBe('EBUSY');
      expect(k.sys.open('/dev/stuck').errno).toBe('ENXIO');
      expect(k.sys.init_module(img).errno).toBe(errno);
    }
  });

  it('move_module: ENOMEM when the core or the init region does not fit, the core freed again when init fails', () => {
    const image = ko({ name: 'm_full' });
    // Its core is 3 pages and its init 2 (the init sections and the symbol table kept until init ends); each
    // allocation keeps one guard page after it. A 64 KiB module area (set before anything is loaded) is filled up
    // to a hole of the given size.
    const page = 4096;
    const kernelWithHole = (hole: number) => {
      const k = v26();
      k.core.memory.configure({ ...X86_64_MODULE_AREA, size: 16 * page });
      expect(k.core.memory.alloc(16 * page - hole - page, 'filler').ok).toBe(true);
      return k;
    };
    for (const [hole, what] of [
      [3 * page, 'core'],
      [6 * page, 'init'],
    ] as const) {
      const k = kernelWithHole(hole);
      const before = digest(k);
      const r = k.sys.init_module(image, undefined, '');
      expect(r.errno, what).toBe('ENOMEM');
      expect(digest(k), what).toBe(before);
    }
    // With one page more (core, guard, init, guard) the module loads: the holes above were just too small.
    expect(kernelWithHole(7 * page).sys.init_module(image, undefined, '').ret).toBe(0);
  });

  it('the pipeline runs the kernel functions in the era order', () => {
    const mainline = v26({ kernelVersion: '6.6' }).sys.init_module(ko({ name: 'p' })).pipeline;
    expect(mainline).toEqual([
      'moduleSigCheck',
      'elfValidityCacheCopy',
      'blacklisted',
      'rewriteSectionHeaders',
      'checkModstructVersion',
      'checkModinfo',
      'modulePatientCheckExists',
      'layoutAndAllocate',
      'addUnformedModule',
      'moduleAugmentKernelTaints',
      'percpuModalloc',
      'moduleUnloadInit',
      'findModuleSections',
      'checkExportSymbolVersions',
      'setupModinfo',
      'simplifySymbols',
      'applyRelocations',
      'postRelocation',
      'strndupUser',
      'completeFormation',
      'prepareComingModule',
      'parseArgs',
      'modSysfsSetup',
      'doInitModule',
    ]);
    const classic = v26({ kernelVersion: '6.1' }).sys.init_module(ko({ name: 'p' })).pipeline ?? [];
    expect(classic.slice(0, 9)).toEqual([
      'moduleSigCheck',
      'elfValidityCheck',
      'setupLoadInfo',
      'blacklisted',
      'rewriteSectionHeaders',
      'checkModstructVersion',
      'checkModinfo',
      'layoutAndAllocate',
      'addUnformedModule',
    ]);
  });
});
