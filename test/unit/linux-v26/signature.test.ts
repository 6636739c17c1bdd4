/**
 * Module signatures (reference §6): trailers made the way scripts/sign-file makes them (openssl cms -sign
 * -binary -noattr -nocerts, DER), checked against the configured trusted certificates, in both enforcement
 * states and in the eras with different answers.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MODULE_INIT_IGNORE_VERMAGIC } from '../../../src/abi/linux/v26.js';
import { digest, ko, v26 } from './support.js';

const haveOpenssl = spawnSync('openssl', ['version']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'kmodsim-sig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function keypair(name: string): { key: string; cert: string } {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.pem`);
  const r = spawnSync('openssl', [
    'req',
    '-new',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-sha256',
    '-subj',
    `/CN=${name}`,
    '-keyout',
    key,
    '-out',
    cert,
  ]);
  if (r.status !== 0) throw new Error(String(r.stderr));
  return { key, cert };
}

/** `sign-file`: PKCS#7 DER, then struct module_signature (id_type 2, be32 sig_len), then the marker. */
function sign(
  image: Uint8Array,
  signer: { key: string; cert: string },
  opts: { attrs?: boolean } = {},
): Uint8Array {
  const input = join(dir, 'in.ko');
  const out = join(dir, 'sig.der');
  writeFileSync(input, image);
  const args = ['cms', '-sign', '-binary', '-nocerts', '-nosmimecap', '-outform', 'DER', '-md', 'sha256'];
  if (opts.attrs !== true) args.push('-noattr');
  const r = spawnSync('openssl', [
    ...args,
    '-signer',
    signer.cert,
    '-inkey',
    signer.key,
    '-in',
    input,
    '-out',
    out,
  ]);
  if (r.status !== 0) throw new Error(String(r.stderr));
  const sig = new Uint8Array(readFileSync(out));
  const ms = new Uint8Array(12);
  ms[2] = 2;
  new DataView(ms.buffer).setUint32(8, sig.length, false);
  const marker = new TextEncoder().encode('~Module signature appended~\n');
  const all = new Uint8Array(image.length + sig.length + 12 + marker.length);
  all.set(image);
  all.set(sig, image.length);
  all.set(ms, image.length + sig.length);
  all.set(marker, image.length + sig.length + 12);
  return all;
}

describe.skipIf(!haveOpenssl)('linux-v26 module signatures', () => {
  const trusted = haveOpenssl ? keypair('kmodsim trusted key') : { key: '', cert: '' };
  const other = haveOpenssl ? keypair('someone else') : { key: '', cert: '' };
  const image = ko({ name: 'signed', intree: true });
  const good = haveOpenssl ? sign(image, trusted) : image;
  const stranger = haveOpenssl ? sign(image, other) : image;
  const config = (enforce: boolean, extra: Record<string, unknown> = {}) => ({
    trustedCerts: [trusted.cert],
    sigEnforce: enforce,
    ...extra,
  });

  it('a valid signature loads without the E taint, enforced or not', () => {
    for (const enforce of [false, true]) {
      const k = v26(config(enforce));
      expect(k.sys.init_module(good).ret).toBe(0);
      expect(k.read('/sys/module/signed/taint')).toBe('\n');
      expect(k.dmesg()).not.toContain('module verification failed');
    }
  });

  it("the digest comes from the kernel's digest service: a source that answers wrongly rejects the module", () => {
    const k = v26(config(true));
    const asked: string[] = [];
    k.core.crypto.useSource({
      digest: (hash, data) => {
        asked.push(`${hash} ${data.length}`);
        return new Uint8Array(32);
      },
    });
    expect(k.sys.init_module(good).errno).toBe('EKEYREJECTED');
    expect(asked).toEqual([`sha256 ${image.length}`]);
    k.core.crypto.useSource({ digest: () => undefined, rsaRecover: () => undefined });
    expect(k.sys.init_module(good).ret).toBe(0);
  });

  it('PEM text works as well as a path', () => {
    const k = v26({ trustedCerts: [readFileSync(trusted.cert, 'utf8')], sigEnforce: true });
    expect(k.sys.init_module(good).ret).toBe(0);
  });

  it('an unknown key: E taint when not enforced, EKEYREJECTED when enforced', () => {
    const k = v26(config(false));
    expect(k.sys.init_module(stranger).ret).toBe(0);
    expect(k.read('/sys/module/signed/taint')).toBe('E\n');
    expect(k.dmesg()).toContain(
      'signed: module verification failed: signature and/or required key missing - tainting kernel',
    );
    const e = v26(config(true));
    const before = digest(e);
    expect(e.sys.init_module(stranger).errno).toBe('EKEYREJECTED');
    expect(e.dmesg()).toContain('Loading of module with unavailable key is rejected');
    expect(digest(e)).toBe(before);
  });

  it('unsigned: EKEYREJECTED when enforced (5.4+), ENOKEY on 4.x, loads tainted otherwise', () => {
    expect(v26(config(true)).sys.init_module(image).errno).toBe('EKEYREJECTED');
    expect(v26(config(true, { sigForce: true, sigEnforce: false })).sys.init_module(image).errno).toBe(
      'EKEYREJECTED',
    );
    expect(v26(config(true, { kernelVersion: '4.19' })).sys.init_module(image).errno).toBe('ENOKEY');
    expect(v26(config(false)).sys.init_module(image).ret).toBe(0);
  });

  it('a signature that does not verify is EKEYREJECTED even when not enforced', () => {
    const bad = good.slice();
    bad[100] ^= 1;
    expect(v26(config(false)).sys.init_module(bad).errno).toBe('EKEYREJECTED');
  });

  it('malformed trailers: EBADMSG for bad lengths and non-zero fields, ENOPKG (soft) for another id_type', () => {
    const tail = good.length - 28 - 12;
    const huge = good.slice();
    new DataView(huge.buffer).setUint32(tail + 8, 0x7fffffff, false);
    expect(v26(config(false)).sys.init_module(huge).errno).toBe('EBADMSG');
    const params = good.slice();
    params[tail] = 1;
    const k = v26(config(false));
    expect(k.sys.init_module(params).errno).toBe('EBADMSG');
    expect(k.dmesg()).toContain('module: PKCS#7 signature info has unexpected non-zero params');
    const idType = good.slice();
    idType[tail + 2] = 1;
    expect(v26(config(false)).sys.init_module(idType).ret).toBe(0);
    const e = v26(config(true));
    expect(e.sys.init_module(idType).errno).toBe('EKEYREJECTED');
    expect(e.dmesg()).toContain('Loading of module with unsupported crypto is rejected');
  });

  it('authenticated attributes are refused (EKEYREJECTED)', () => {
    const withAttrs = sign(image, trusted, { attrs: true });
    const k = v26(config(false));
    expect(k.sys.init_module(withAttrs).errno).toBe('EKEYREJECTED');
    expect(k.dmesg()).toContain('Invalid module sig (has authattrs)');
  });

  it('IGNORE_* flags make a signed module count as unsigned (mainline: not even looked at)', () => {
    const k = v26(config(true, { forceLoad: true, kernelVersion: '6.6' }));
    k.vfs.writeFile('/root/signed.ko', good);
    expect(k.sys.finit_module('/root/signed.ko', '', MODULE_INIT_IGNORE_VERMAGIC).errno).toBe('EKEYREJECTED');
    expect(k.sys.finit_module('/root/signed.ko', '', 0).ret).toBe(0);
  });

  it('without MODULE_SIG nothing is checked and nothing is tainted E', () => {
    const k = v26({ moduleSig: false, sigEnforce: true });
    expect(k.sys.init_module(stranger).ret).toBe(0);
    expect(k.read('/sys/module/signed/taint')).toBe('\n');
  });
});
