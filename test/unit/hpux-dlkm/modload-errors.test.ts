/**
 * Every error of the modload(2) page (hpux-dlkm.md §2.1), through `modload` itself, and the ordering cases of
 * §3.2 where two errors apply at once. Each failure must also leave the kernel exactly as it was.
 */
import { describe, expect, it } from 'vitest';
import { EM_PARISC, EM_X86_64, ET_DYN, R_IA64_LTOFF22 } from '../../../src/abi/elf.js';
import { HPUX_ERRNO } from '../../../src/abi/hpux/errno.js';
import type { KernelConfig } from '../../../src/core/kernel-config.js';
import type { Kernel } from '../../../src/kernel.js';
import { buildDlkmObject } from './support/dlkm-object.js';
import { hpux, install } from './support/kernel.js';

const USER_WITH_PRIV = { credentials: { uid: 1000, euid: 1000, gid: 100, privileges: ['PRIV_DLKM'] } };

/** Everything modload could change: the module list, memory, symbols, registration and the log of errors. */
function kernelState(k: Kernel<'hpux-dlkm'>) {
  return JSON.stringify({
    // the registry's load-order counter is simulator bookkeeping, not kernel state HP-UX exposes
    modules: (k.core.modules.snapshot() as { modules: unknown }).modules,
    memory: k.core.memory.freeList(),
    symbols: k.core.symbols.size,
    personality: (k.snapshot() as { personalityState: unknown }).personalityState,
  });
}

/** Runs modload and checks the failure left no trace. */
function failing(k: Kernel<'hpux-dlkm'>, pathname: string | number) {
  const before = kernelState(k);
  const r = k.sys.modload(pathname);
  expect(kernelState(k)).toBe(before);
  return r;
}

function registered(names: string[], extra: KernelConfig = {}) {
  return hpux({ registeredModules: names, ...extra });
}

describe('modload(2) errors', () => {
  it('returns the id on success, -1 and errno on failure', () => {
    const k = registered(['foo']);
    install(k, { name: 'foo' });
    expect(k.sys.modload('foo')).toMatchObject({ ret: 1 });
    const r = k.sys.modload('bar');
    expect(r).toMatchObject({ ret: -1, errno: 'ENOREG', errnoNumber: HPUX_ERRNO.ENOREG });
  });

  it('EACCES: a component of pathname denies search permission', () => {
    const k = registered(['foo'], USER_WITH_PRIV);
    install(k, { name: 'foo' }, '/opt/mods');
    k.vfs.chmod('/opt/mods', 0o700);
    expect(failing(k, '/opt/mods/foo').errno).toBe('EACCES');
    k.vfs.chmod('/opt/mods', 0o755);
    expect(k.sys.modload('/opt/mods/foo').errno).toBeUndefined();
  });

  it('ENOENT: the file named by pathname does not exist (absolute path and name search)', () => {
    const k = registered(['foo']);
    expect(failing(k, '/nowhere/foo').errno).toBe('ENOENT');
    expect(failing(k, 'foo').errno).toBe('ENOENT');
  });

  it('ENOREG: the module is not registered, even by absolute path', () => {
    const k = hpux();
    const path = install(k, { name: 'foo' });
    expect(failing(k, 'foo').errno).toBe('ENOREG');
    expect(failing(k, path).errno).toBe('ENOREG');
  });

  describe('EINVAL: not appropriately pre-configured', () => {
    const cases: [string, Parameters<typeof buildDlkmObject>[0] | Uint8Array][] = [
      ['not an ELF file', new TextEncoder().encode('#!/bin/sh\necho not a module\n')],
      ['an ELF32 object', { name: 'foo', class32: true }],
      ['a little-endian object', { name: 'foo', lsbIdent: true }],
      ['not relocatable (ET_DYN)', { name: 'foo', etype: ET_DYN }],
      ['another machine (x86_64)', { name: 'foo', machine: EM_X86_64 }],
      ['a PA-RISC object on the Itanium kernel', { name: 'foo', machine: EM_PARISC }],
      ['no .modmeta section', { name: 'foo', noMeta: true }],
      ['no <name>_wrapper symbol', { name: 'foo', omitWrapper: true }],
      ['a wrapper of another module', { name: 'foo', wrapperName: 'bar_wrapper' }],
      ['metadata naming another module', { name: 'foo', extraMeta: '', type: 'misc', desc: 'x' }],
      ['an unsupported module type', { name: 'foo', type: 'fs' }],
      ['no module type', { name: 'foo', omitType: true }],
      ['malformed metadata', { name: 'foo', extraMeta: 'depend driver bar:1.0' }],
      ['a malformed behaviour section', { name: 'foo', behaviourText: '{"init": 7}' }],
    ];
    it.each(cases)('%s', (what, spec) => {
      const k = registered(['foo']);
      const bytes =
        spec instanceof Uint8Array
          ? spec
          : what === 'metadata naming another module'
            ? patchMetaName(buildDlkmObject(spec))
            : buildDlkmObject(spec);
      k.vfs.writeFile('/usr/conf/mod/foo', bytes);
      const r = failing(k, 'foo');
      expect(r.errno).toBe('EINVAL');
    });

    it('a module statically configured in the running kernel', () => {
      const k = hpux({ staticModules: ['foo'] });
      install(k, { name: 'foo' });
      expect(failing(k, 'foo').errno).toBe('EINVAL');
    });

    it('a directory where the object should be', () => {
      const k = registered(['foo']);
      k.vfs.mkdirp('/usr/conf/mod/foo');
      expect(failing(k, 'foo').errno).toBe('EINVAL');
    });
  });

  describe('EINVAL: invalid dependency on other modules', () => {
    it('a dependency that does not exist or is not registered', () => {
      const k = registered(['foo']);
      install(k, { name: 'foo', depends: ['bar'] });
      expect(failing(k, 'foo').errno).toBe('EINVAL');
      install(k, { name: 'bar' });
      expect(failing(k, 'foo').errno).toBe('EINVAL');
    });

    it('a dependency that fails to load (and whatever it loaded is unloaded again)', () => {
      const k = registered(['foo', 'bar', 'baz']);
      install(k, { name: 'baz' });
      install(k, { name: 'bar', depends: ['baz'], behaviour: { init: [{ return: 'ENXIO' }] } });
      install(k, { name: 'foo', depends: ['bar'] });
      expect(failing(k, 'foo').errno).toBe('EINVAL');
      expect(k.core.modules.size).toBe(0);
    });

    it('a circular dependency', () => {
      const k = registered(['foo', 'bar']);
      install(k, { name: 'foo', depends: ['bar'] });
      install(k, { name: 'bar', depends: ['foo'] });
      expect(failing(k, 'foo').errno).toBe('EINVAL');
      install(k, { name: 'foo', depends: ['foo'] });
      expect(failing(k, 'foo').errno).toBe('EINVAL');
    });

    it('an interface nobody supplies', () => {
      const k = registered(['foo']);
      install(k, { name: 'foo', dependsInterface: ['NO_SUCH_IFACE:1.0'] });
      expect(failing(k, 'foo').errno).toBe('EINVAL');
    });
  });

  describe('EPERM: no appropriate privilege', () => {
    it.each([
      ['11.11', {}],
      ['11.23', {}],
      ['11.31', {}],
      ['11.23', { privileges: ['PRIV_DLKM'] }],
    ])('%s, ordinary user %j', (kernelVersion, extra) => {
      const k = hpux({
        kernelVersion,
        registeredModules: ['foo'],
        credentials: { uid: 1000, euid: 1000, ...extra },
      });
      install(k, { name: 'foo' });
      const r = failing(k, 'foo');
      expect(r.errno).toBe('EPERM');
      expect(r.errnoNumber).toBe(1);
    });

    it('11i v3: PRIV_DLKM is enough', () => {
      const k = registered(['foo'], USER_WITH_PRIV);
      install(k, { name: 'foo' });
      expect(k.sys.modload('foo').ret).toBe(1);
    });
  });

  describe('ERELOC', () => {
    it('a symbol not defined in the running kernel', () => {
      const k = registered(['foo']);
      install(k, { name: 'foo', imports: ['no_such_kernel_function'] });
      expect(failing(k, 'foo').errno).toBe('ERELOC');
    });

    it('a symbol of a loaded module the object did not declare as a dependency', () => {
      const k = registered(['foo', 'lib']);
      install(k, { name: 'lib', exports: ['lib_helper'] });
      install(k, { name: 'foo', imports: ['lib_helper'] });
      expect(k.sys.modload('lib').ret).toBe(2);
      expect(failing(k, 'foo').errno).toBe('ERELOC');
      install(k, { name: 'foo', imports: ['lib_helper'], depends: ['lib'] });
      expect(k.sys.modload('foo').ret).toBe(1);
    });

    it('a relocation that cannot be applied', () => {
      const k = registered(['foo']);
      install(k, { name: 'foo', imports: ['printf'], importRelocType: R_IA64_LTOFF22 });
      expect(failing(k, 'foo').errno).toBe('ERELOC');
    });
  });

  it('ENAMETOOLONG: pathname of MAXPATHLEN (1024) characters or more', () => {
    const k = registered(['foo']);
    const long = `/${'d/'.repeat(511)}x`; // 1024 characters
    expect(long.length).toBe(1024);
    expect(failing(k, long).errno).toBe('ENAMETOOLONG');
    expect(failing(k, long.slice(0, 1023)).errno).toBe('ENOENT');
  });

  it('a search directory too long for dir/name is skipped like a missing file; the default decides', () => {
    const k = registered(['foo']);
    const dir = `${`/${'x'.repeat(200)}`.repeat(5)}/${'y'.repeat(14)}`;
    expect(`${dir}/foo`.length).toBe(1024);
    expect(k.sys.modpath(dir).ret).toBe(0);
    expect(failing(k, 'foo').errno).toBe('ENOENT');
    install(k, { name: 'foo' });
    expect(k.sys.modload('foo').ret).toBe(1);
    expect(k.sys.stat(1).path).toBe('/usr/conf/mod/foo');
    // by absolute path, the same 1024-character name is the caller's own ENAMETOOLONG
    expect(k.sys.modload(`${dir}/foo`).errno).toBe('ENAMETOOLONG');
  });

  it('EBADVER: the module wrapper has an incorrect version number', () => {
    const k = registered(['foo']);
    install(k, { name: 'foo', rev: 1 });
    expect(failing(k, 'foo').errno).toBe('EBADVER');
    install(k, { name: 'foo', rev: 11 });
    expect(failing(k, 'foo').errno).toBe('EBADVER');
  });

  it('ENOSYS: the DLKM feature is not initialized', () => {
    const k = registered(['foo'], { dlkmInitialized: false });
    install(k, { name: 'foo' });
    expect(failing(k, 'foo').errno).toBe('ENOSYS');
  });

  it('EFAULT: a bad pathname pointer', () => {
    const k = registered(['foo']);
    expect(failing(k, 0).errno).toBe('EFAULT');
    expect(failing(k, 0x7fff0000).errno).toBe('EFAULT');
  });

  it('the errno _load() returns, after it undid its work', () => {
    const k = registered(['foo', 'bar']);
    install(k, { name: 'bar' });
    install(k, { name: 'foo', behaviour: { init: [{ get: 'bar' }, { put: 'bar' }, { return: 'ENXIO' }] } });
    k.sys.modload('bar');
    expect(failing(k, 'foo').errno).toBe('ENXIO');
  });
});

/** Rewrites the `name foo` line of `.modmeta` to `name bar` (same length). */
function patchMetaName(bytes: Uint8Array): Uint8Array {
  const text = new TextDecoder('latin1').decode(bytes);
  const at = text.indexOf('name foo\n');
  const out = new Uint8Array(bytes);
  out.set(new TextEncoder().encode('name bar'), at);
  return out;
}

describe('modload check order (§3.2) when two errors apply', () => {
  const lastStep = (r: { pipeline?: readonly string[] }) => r.pipeline?.at(-1);

  it('EPERM before ENAMETOOLONG and EFAULT', () => {
    const k = hpux({ credentials: { uid: 1, euid: 1 } });
    expect(k.sys.modload('/'.repeat(2000)).errno).toBe('EPERM');
    expect(k.sys.modload(0).errno).toBe('EPERM');
  });

  it('EPERM before ENOSYS', () => {
    const k = hpux({ dlkmInitialized: false, credentials: { uid: 1, euid: 1 } });
    expect(k.sys.modload('foo').errno).toBe('EPERM');
  });

  it('ENAMETOOLONG and EFAULT before ENOSYS', () => {
    const k = hpux({ dlkmInitialized: false });
    expect(k.sys.modload('a'.repeat(1024)).errno).toBe('ENAMETOOLONG');
    expect(k.sys.modload(0).errno).toBe('EFAULT');
  });

  it('ENOSYS before ENOREG and ENOENT', () => {
    const k = hpux({ dlkmInitialized: false });
    expect(k.sys.modload('nosuch').errno).toBe('ENOSYS');
  });

  it('statically configured (EINVAL) before ENOREG', () => {
    const k = hpux({ staticModules: ['foo'] });
    expect(k.sys.modload('foo').errno).toBe('EINVAL');
  });

  it('already loaded: success with the existing id, even when the file is gone', () => {
    const k = registered(['foo']);
    install(k, { name: 'foo' });
    expect(k.sys.modload('foo').ret).toBe(1);
    k.vfs.unlink('/usr/conf/mod/foo');
    const r = k.sys.modload('foo');
    expect(r.ret).toBe(1);
    expect(r.pipeline).not.toContain('modOpenPath');
    expect(k.core.modules.size).toBe(1);
  });

  it('ENOREG before ENOENT and before EINVAL of a bad file', () => {
    const k = hpux();
    expect(k.sys.modload('nosuch').errno).toBe('ENOREG');
    k.vfs.writeFile('/usr/conf/mod/junk', 'junk');
    expect(k.sys.modload('junk').errno).toBe('ENOREG');
  });

  it('a bad object (EINVAL) before a bad dependency', () => {
    const k = registered(['foo']);
    install(k, { name: 'foo', omitWrapper: true, depends: ['nosuch'] });
    const r = k.sys.modload('foo');
    expect(r.errno).toBe('EINVAL');
    expect(lastStep(r)).toBe('modObjMeta');
  });

  it('an unsupported type (EINVAL) before a bad dependency', () => {
    const k = registered(['foo']);
    install(k, { name: 'foo', type: 'fs', depends: ['nosuch'] });
    expect(lastStep(k.sys.modload('foo'))).toBe('modCheckType');
  });

  it('invalid dependency (EINVAL) before an undefined symbol (ERELOC)', () => {
    const k = registered(['foo']);
    install(k, { name: 'foo', depends: ['nosuch'], imports: ['nosuch_symbol'] });
    const r = k.sys.modload('foo');
    expect(r.errno).toBe('EINVAL');
    expect(lastStep(r)).toBe('modDepLoad');
  });

  it('undefined symbol (ERELOC) before a bad wrapper version (EBADVER)', () => {
    const k = registered(['foo']);
    install(k, { name: 'foo', rev: 3, imports: ['nosuch_symbol'] });
    expect(k.sys.modload('foo').errno).toBe('ERELOC');
  });

  it('bad relocation (ERELOC) before EBADVER', () => {
    const k = registered(['foo']);
    install(k, { name: 'foo', rev: 3, imports: ['printf'], importRelocType: R_IA64_LTOFF22 });
    const r = k.sys.modload('foo');
    expect(r.errno).toBe('ERELOC');
    expect(lastStep(r)).toBe('modObjReloc');
  });

  it('EBADVER before _load() runs', () => {
    const k = registered(['foo']);
    install(k, {
      name: 'foo',
      rev: 3,
      behaviour: { init: [{ log: 'foo: _load ran' }, { return: 'ENXIO' }] },
    });
    expect(k.sys.modload('foo').errno).toBe('EBADVER');
    expect(k.dmesg()).not.toContain('_load ran');
  });

  it('search: the first matching directory wins; the last directory’s error when none matches', () => {
    const k = registered(['foo'], USER_WITH_PRIV);
    install(k, { name: 'foo', desc: 'first' }, '/a');
    install(k, { name: 'foo', desc: 'second' }, '/b');
    k.sys.modpath('/a:/b');
    expect(k.sys.modload('foo').ret).toBe(1);
    expect(k.sys.stat(1).path).toBe('/a/foo');
    k.sys.moduload(1);
    // /a denies search, /b is fine: the second directory's file is used
    k.vfs.chmod('/a', 0o700);
    expect(k.sys.modload('foo').ret).toBe(1);
    expect(k.sys.stat(1).path).toBe('/b/foo');
    k.sys.moduload(1);
    // none matches: the default directory is tried last, and its error (ENOENT) is reported
    k.vfs.unlink('/b/foo');
    expect(k.sys.modload('foo').errno).toBe('ENOENT');
    // the default directory denies search: EACCES, although /b only said ENOENT
    k.vfs.chmod('/usr/conf/mod', 0o700);
    expect(k.sys.modload('foo').errno).toBe('EACCES');
  });
});
