import { describe, expect, it } from 'vitest';
import { KmodElf } from '../../../../src/personalities/linux-v26/userland/kmod-elf.js';
import {
  kmodHexToStr,
  kmodSignatureInfo,
} from '../../../../src/personalities/linux-v26/userland/kmod-signature.js';
import { modinfo } from '../../../../src/personalities/linux-v26/userland/modinfo.js';
import { makeEnv } from './support/env.js';
import { miniElf, miniModule, modinfoSection } from './support/mini-elf.js';

const enc = new TextEncoder();

function setup(files: Record<string, Uint8Array>) {
  const { vfs, env } = makeEnv();
  for (const [p, d] of Object.entries(files)) vfs.writeFile(p, d);
  return env;
}

const DUMMY = miniModule({
  modinfo: [
    'alias=rtnl-link-dummy',
    'license=GPL',
    'parm=numdummies:Number of dummy pseudo devices',
    'parmtype=numdummies:int',
    'parmtype=onlytype:bool',
    'parm=onlydesc:described only',
    'depends=',
    'a_very_long_key_name=x',
    'noequals',
    'name=dummy',
    'vermagic=6.1.0-test SMP preempt mod_unload modversions ',
  ],
});

describe("modinfo's output format (kmod 30)", () => {
  it('aligns keys to 16 columns, merges parm lines newest first, pads keys over 15 characters', () => {
    const r = modinfo(['/m/dummy.ko'], setup({ '/m/dummy.ko': DUMMY }));
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      'filename:       /m/dummy.ko\n' +
        'alias:          rtnl-link-dummy\n' +
        'license:        GPL\n' +
        'depends:        \n' +
        // printf("%s:%-*s", key, 15 - keylen, ""): a negative width pads to its absolute value.
        'a_very_long_key_name:     x\n' +
        'noequals:       \n' +
        'name:           dummy\n' +
        'vermagic:       6.1.0-test SMP preempt mod_unload modversions \n' +
        'parm:           onlydesc:described only\n' +
        'parm:           onlytype:bool\n' +
        'parm:           numdummies:Number of dummy pseudo devices (int)\n',
    );
  });

  it('-F prints only the values, -p the merged parameters, -0 uses NUL and key=value', () => {
    const env = setup({ '/m/dummy.ko': DUMMY });
    expect(modinfo(['-F', 'alias', '/m/dummy.ko'], env).stdout).toBe('rtnl-link-dummy\n');
    expect(modinfo(['-F', 'nosuch', '/m/dummy.ko'], env).stdout).toBe('');
    expect(modinfo(['-p', '/m/dummy.ko'], env).stdout).toBe(
      'onlydesc:described only\nonlytype: (bool)\nnumdummies:Number of dummy pseudo devices (int)\n',
    );
    expect(modinfo(['-n', '/m/dummy.ko'], env).stdout).toBe('/m/dummy.ko\n');
    const z = modinfo(['-0', '-F', 'name', '/m/dummy.ko'], env).stdout;
    expect(z).toBe('dummy\0');
    const full = modinfo(['-0', '/m/dummy.ko'], env).stdout.split('\0');
    expect(full[0]).toBe('filename:       /m/dummy.ko');
    expect(full[1]).toBe('alias=rtnl-link-dummy');
  });

  it('reports a missing module, an ELF without .modinfo, and a non-ELF file as kmod does', () => {
    const env = setup({
      '/m/none.ko': miniElf({ sections: [{ name: '.text', data: new Uint8Array(8) }] }),
      '/m/text.ko': enc.encode('not an elf file at all'),
      '/m/tiny.ko': enc.encode('abc'),
    });
    const missing = modinfo(['/m/missing.ko'], env);
    expect(missing).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'modinfo: ERROR: Module /m/missing.ko not found.\n',
    });
    const none = modinfo(['/m/none.ko'], env);
    expect(none.stdout).toBe('filename:       /m/none.ko\n');
    expect(none.stderr).toBe(
      "modinfo: ERROR: could not get modinfo from 'none': No such file or directory\n",
    );
    expect(modinfo(['/m/text.ko'], env).stderr).toBe(
      "modinfo: ERROR: could not get modinfo from 'text': Exec format error\n",
    );
    expect(modinfo(['/m/tiny.ko'], env).stderr).toBe(
      "modinfo: ERROR: could not get modinfo from 'tiny': Invalid argument\n",
    );
    expect(modinfo([], env)).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'modinfo: ERROR: missing module or filename.\n',
    });
  });

  it("aborts like kmod's assert() for e_shstrndx 0 (status 134, buffered stdout lost)", () => {
    const bad = miniElf({
      sections: [{ name: '.modinfo', data: modinfoSection('license=GPL') }],
      shstrndx: 0,
    });
    const r = modinfo(['/m/bad.ko'], setup({ '/m/bad.ko': bad }));
    expect(r.exitCode).toBe(134);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      "modinfo: ../libkmod/libkmod-elf.c:213: elf_get_section_header: Assertion `idx != SHN_UNDEF' failed.\n",
    );
  });

  it('splits .modinfo on runs of NULs and ignores leading padding', () => {
    const sec = enc.encode('\0\0license=GPL\0\0\0alias=a\0author=x');
    const elf = KmodElf.open(miniElf({ sections: [{ name: '.modinfo', data: sec }] }));
    expect(elf.ok && elf.value.strings('.modinfo')).toEqual({
      ok: true,
      value: ['license=GPL', 'alias=a', 'author=x'],
    });
  });
});

describe('signature fields', () => {
  /** A pre-PKCS#7 (X.509 id) trailer: signer, key id, signature, struct module_signature, magic. */
  function legacyTrailer(signer: string, keyId: number[], sig: number[], hash: number): Uint8Array {
    const body = [...enc.encode(signer), ...keyId, ...sig];
    const ms = [1, hash, 1, signer.length, keyId.length, 0, 0, 0, 0, 0, 0, sig.length];
    return Uint8Array.from([...body, ...ms, ...enc.encode('~Module signature appended~\n')]);
  }

  it('reads signer, key id and hash from an X.509-id trailer and prints them in kmod order', () => {
    const sig = Array.from({ length: 23 }, (_, i) => i);
    const m = miniModule({
      modinfo: ['license=GPL'],
      trailer: legacyTrailer('Acme key', [0xab, 0x01], sig, 2),
    });
    const info = kmodSignatureInfo(m);
    expect(info?.idType).toBe('X509');
    expect(info?.hashAlgo).toBe('sha1');
    const r = modinfo(['/m/s.ko'], setup({ '/m/s.ko': m }));
    expect(r.stdout).toBe(
      'filename:       /m/s.ko\n' +
        'license:        GPL\n' +
        'sig_id:         X509\n' +
        'signer:         Acme key\n' +
        'sig_key:        AB:01\n' +
        'sig_hashalgo:   sha1\n' +
        `signature:      ${kmodHexToStr(Uint8Array.from(sig))}\n`,
    );
    expect(kmodHexToStr(Uint8Array.from(sig))).toContain('13:\n\t\t14:');
  });

  it('ignores trailers kmod rejects (bad hash index, zero length, oversized)', () => {
    expect(
      kmodSignatureInfo(miniModule({ modinfo: [], trailer: legacyTrailer('k', [1], [1, 2], 9) })),
    ).toBeUndefined();
    expect(
      kmodSignatureInfo(miniModule({ modinfo: [], trailer: legacyTrailer('k', [1], [], 4) })),
    ).toBeUndefined();
    const big = legacyTrailer('k', [1], [1], 4);
    big[big.length - 28 - 1] = 0xff;
    expect(kmodSignatureInfo(big)).toBeUndefined();
  });
});
