/**
 * Signature checks in the kernel's order, on messages made here: the trailer (`mod_check_sig`), the PKCS#7
 * parser's refusals (errno and printed line), `pkcs7_verify`'s module usage rules, trust by issuer+serial or
 * subject key identifier, embedded signer certificates, several signers, RSA and ECDSA keys.
 */
import { sign, verify } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { der, int, nul, octets, oid, seq, set } from '../../../../src/elf/signature/der-writer.js';
import {
  generateSigningKey,
  modVerifySig,
  pkcs7ParseMessage,
  pkcs7SignDetached,
  type SigningKey,
  signModule,
  TrustedKeyring,
  verifyModuleSignature,
  verifyPkcs7Signature,
} from '../../../../src/elf/signature/index.js';

const DATA = new TextEncoder().encode('\x7fELF pretend module bytes');
const SHA256 = '2.16.840.1.101.3.4.2.1';
const RSA = '1.2.840.113549.1.1.1';
const P7_DATA = '1.2.840.113549.1.7.1';
const P7_SIGNED = '1.2.840.113549.1.7.2';

let key: SigningKey;
let other: SigningKey;
let ring: TrustedKeyring;

beforeAll(() => {
  key = generateSigningKey();
  other = generateSigningKey({ commonName: 'other' });
  ring = TrustedKeyring.from([key.certificate]);
});

interface Knobs {
  outerType?: string;
  sdVersion?: bigint;
  siVersion?: bigint;
  digest?: string;
  pkey?: string;
  contentType?: string;
  content?: Uint8Array;
  certs?: Uint8Array[];
  authattrs?: Uint8Array;
  signature?: Uint8Array;
  signers?: Uint8Array[];
  k?: SigningKey;
}

function signerInfo(kn: Knobs): Uint8Array {
  const k = kn.k ?? key;
  const parts = [
    int(kn.siVersion ?? 1n),
    seq(k.cert.issuerDer, k.cert.serialDer),
    seq(oid(kn.digest ?? SHA256)),
    ...(kn.authattrs === undefined ? [] : [kn.authattrs]),
    seq(oid(kn.pkey ?? RSA), nul()),
    octets(kn.signature ?? new Uint8Array(sign('sha256', DATA, k.privateKey))),
  ];
  return seq(...parts);
}

function p7(kn: Knobs = {}): Uint8Array {
  const ci =
    kn.content === undefined
      ? seq(oid(kn.contentType ?? P7_DATA))
      : seq(oid(kn.contentType ?? P7_DATA), der(0xa0, octets(kn.content)));
  const sd = seq(
    int(kn.sdVersion ?? 1n),
    set(seq(oid(kn.digest ?? SHA256))),
    ci,
    ...(kn.certs === undefined ? [] : [der(0xa0, ...kn.certs)]),
    set(...(kn.signers ?? [signerInfo(kn)])),
  );
  return seq(oid(kn.outerType ?? P7_SIGNED), der(0xa0, sd));
}

function outcome(raw: Uint8Array, r: TrustedKeyring = ring): { errno: string; lines: readonly string[] } {
  const v = verifyPkcs7Signature(DATA, raw, r);
  return v.ok ? { errno: 'ok', lines: [] } : v.error;
}

describe('the trailer: mod_verify_sig and mod_check_sig', () => {
  const signed = () => signModule(DATA, key);
  const noMarker = (b: Uint8Array) => b.length - 28;

  it('verifies and gives the signed length', () => {
    const r = verifyModuleSignature(signed(), ring);
    expect(r.ok ? r.value : r.error.errno).toBe(DATA.length);
  });

  it('ENODATA without the marker, or with nothing before it', () => {
    const r = verifyModuleSignature(DATA, ring);
    expect(r.ok ? 'ok' : r.error.errno).toBe('ENODATA');
    const only = new TextEncoder().encode('~Module signature appended~\n');
    const r2 = verifyModuleSignature(only, ring);
    expect(r2.ok ? 'ok' : r2.error.errno).toBe('ENODATA');
  });

  it('EBADMSG when the module is no longer than the structure or sig_len does not fit', () => {
    const s = signed();
    const r = modVerifySig(s, 12, ring);
    expect(r.ok ? 'ok' : r.error.errno).toBe('EBADMSG');
    const big = s.slice();
    new DataView(big.buffer).setUint32(noMarker(big) - 4, noMarker(big) - 12, false);
    const r2 = verifyModuleSignature(big, ring);
    expect(r2.ok ? 'ok' : r2.error.errno).toBe('EBADMSG');
  });

  it('ENOPKG for another id_type (checked before the other fields), EBADMSG for non-zero params', () => {
    const s = signed();
    const ms = noMarker(s) - 12;
    const x509Type = s.slice();
    x509Type[ms + 2] = 1;
    x509Type[ms] = 1;
    const r = verifyModuleSignature(x509Type, ring);
    expect(r.ok ? 'ok' : r.error).toEqual({
      errno: 'ENOPKG',
      lines: ['module: not signed with expected PKCS#7 message'],
    });
    for (const at of [0, 1, 3, 4, 5, 6, 7]) {
      const z = s.slice();
      z[ms + at] = 9;
      const r2 = verifyModuleSignature(z, ring);
      expect(r2.ok ? 'ok' : r2.error).toEqual({
        errno: 'EBADMSG',
        lines: ['module: PKCS#7 signature info has unexpected non-zero params'],
      });
    }
  });
});

describe('pkcs7_parse_message refusals', () => {
  it('a well-formed message verifies', () => {
    expect(outcome(p7()).errno).toBe('ok');
  });

  it.each([
    ['another content type', { outerType: P7_DATA }, 'EINVAL', 'PKCS7: Only support pkcs7_signedData type'],
    ['SignedData version 2', { sdVersion: 2n }, 'EINVAL', 'PKCS7: Unsupported SignedData version'],
    [
      'SignerInfo version 3 under SignedData 1',
      { siVersion: 3n },
      'EBADMSG',
      'PKCS7: SignedData-SignerInfo version mismatch',
    ],
    ['SignerInfo version 5', { siVersion: 5n }, 'EINVAL', 'PKCS7: Unsupported SignerInfo version'],
    ['an unknown digest', { digest: '1.2.3.4' }, 'ENOPKG', 'Unsupported digest algo: 1.2.3.4'],
    [
      'an unknown public-key algorithm',
      { pkey: '1.2.840.113549.1.1.10' },
      'ENOPKG',
      'Unsupported pkey algo: 1.2.840.113549.1.1.10',
    ],
    [
      'an unsupported data type',
      { contentType: '1.2.840.113549.1.7.3' },
      'EINVAL',
      'PKCS7: Unsupported data type 1.2.840.113549.1.7.3',
    ],
    [
      'Authenticode without AuthAttrs',
      { contentType: '1.3.6.1.4.1.311.2.1.4' },
      'EBADMSG',
      'PKCS7: Authenticode requires AuthAttrs',
    ],
  ] as const)('%s', (_, kn: Knobs, errno, line) => {
    expect(outcome(p7(kn))).toEqual({ errno, lines: [line] });
  });

  it('BER limits: more than two length bytes, long tags, truncation are EBADMSG; over 64 KiB is refused', () => {
    const good = p7();
    const long = new Uint8Array([0x30, 0x83, 0, 0, 4, 0, 0, 0, 0]);
    expect(outcome(long).errno).toBe('EBADMSG');
    expect(outcome(new Uint8Array([0x3f, 0x01, 0x00])).errno).toBe('EBADMSG');
    expect(outcome(good.subarray(0, good.length - 10)).errno).toBe('EBADMSG');
    const huge = p7({ certs: [der(0x30, new Uint8Array(70000))] });
    const r = outcome(huge);
    expect(r.errno).toBe('EBADMSG');
    expect(r.lines[0]).toContain('EMSGSIZE');
  });

  it('fields missing at the end of a constructed element are skipped, as the decoder does: no signer → EINVAL', () => {
    const truncated = seq(oid(P7_SIGNED), der(0xa0, seq(int(1n))));
    expect(outcome(truncated)).toEqual({
      errno: 'EINVAL',
      lines: ['PKCS7: Inconsistently supplied authAttrs'],
    });
    expect(pkcs7ParseMessage(seq(oid(P7_SIGNED))).ok).toBe(false);
  });

  it('indefinite lengths are accepted on constructed elements', () => {
    const good = p7();
    // Re-encode the outer SEQUENCE with an indefinite length.
    const hdr = good[1] & 0x80 ? 2 + (good[1] & 0x7f) : 2;
    const indef = new Uint8Array([0x30, 0x80, ...good.subarray(hdr), 0, 0]);
    expect(outcome(indef).errno).toBe('ok');
  });
});

describe('verify_pkcs7_signature for modules', () => {
  it('embedded content is "non-detached data": EBADMSG', () => {
    expect(outcome(p7({ content: DATA }))).toEqual({
      errno: 'EBADMSG',
      lines: ['PKCS#7 signature with non-detached data'],
    });
  });

  it('authenticated attributes are refused for modules (EKEYREJECTED)', () => {
    const attrs = der(
      0xa0,
      seq(oid('1.2.840.113549.1.9.3'), set(oid(P7_DATA))),
      seq(oid('1.2.840.113549.1.9.4'), set(octets(new Uint8Array(32)))),
    );
    expect(outcome(p7({ authattrs: attrs }))).toEqual({
      errno: 'EKEYREJECTED',
      lines: ['PKCS7: Invalid module sig (has authattrs)'],
    });
    const missing = der(0xa0, seq(oid('1.2.840.113549.1.9.3'), set(oid(P7_DATA))));
    expect(outcome(p7({ authattrs: missing }))).toEqual({
      errno: 'EBADMSG',
      lines: ['PKCS7: Missing required AuthAttr'],
    });
  });

  it('ENOKEY for an unknown signer, EKEYREJECTED for a bad signature by a trusted key', () => {
    expect(outcome(p7({ k: other })).errno).toBe('ENOKEY');
    const bad = new Uint8Array(sign('sha256', DATA, key.privateKey));
    bad[10] ^= 1;
    expect(outcome(p7({ signature: bad })).errno).toBe('EKEYREJECTED');
  });

  it('an RSA signature not exactly the modulus long is EKEYREJECTED, even with the same value', () => {
    // Find a data whose signature starts with a zero byte: without it the number is the same, the length not.
    for (let i = 0; ; i++) {
      const data = new TextEncoder().encode(`module ${i}`);
      const full = new Uint8Array(sign('sha256', data, key.privateKey));
      if (full[0] !== 0) continue;
      expect(verifyPkcs7Signature(data, p7({ signature: full }), ring).ok).toBe(true);
      const short = verifyPkcs7Signature(data, p7({ signature: full.subarray(1) }), ring);
      expect(short.ok ? 'ok' : short.error.errno).toBe('EKEYREJECTED');
      break;
    }
  });

  it('an RSA modulus that is not a whole number of bytes takes signatures of its byte length', () => {
    const odd = generateSigningKey({ bits: 2047 });
    const ring2 = new TrustedKeyring();
    ring2.addBlob(odd.certificate);
    const r = verifyPkcs7Signature(DATA, pkcs7SignDetached(DATA, odd), ring2);
    expect(r.ok ? 'ok' : r.error.errno).toBe('ok');
  });

  it("RSA verification on the digest agrees with Node's verify over the message for damaged signatures", () => {
    const good = new Uint8Array(sign('sha256', DATA, key.privateKey));
    for (let bit = 0; bit < good.length * 8; bit += 97) {
      const bad = good.slice();
      bad[bit >> 3] ^= 1 << (bit & 7);
      const node = verify('sha256', DATA, key.cert.x509.publicKey, bad);
      expect(outcome(p7({ signature: bad })).errno).toBe(node ? 'ok' : 'EKEYREJECTED');
    }
    expect(outcome(p7({ signature: good })).errno).toBe('ok');
  });

  it('trust by subject key identifier (sign-file -k), ECDSA keys, other digests', () => {
    expect(outcome(pkcs7SignDetached(DATA, key, { useKeyId: true })).errno).toBe('ok');
    const ec = generateSigningKey({ keyType: 'ec' });
    const ecRing = TrustedKeyring.from([ec.certificatePem]);
    expect(outcome(pkcs7SignDetached(DATA, ec), ecRing).errno).toBe('ok');
    for (const hash of ['sha1', 'sha384', 'sha512'] as const) {
      expect(outcome(pkcs7SignDetached(DATA, key, { hash })).errno).toBe('ok');
    }
  });

  it('several signers: any trusted valid one suffices; a bad one with a trusted key rejects', () => {
    const good = signerInfo({});
    const unknown = signerInfo({
      k: other,
      signature: new Uint8Array(sign('sha256', DATA, other.privateKey)),
    });
    expect(outcome(p7({ signers: [unknown, good] })).errno).toBe('ok');
    const bad = signerInfo({ signature: new Uint8Array(sign('sha256', new Uint8Array(3), key.privateKey)) });
    expect(outcome(p7({ signers: [good, bad] })).errno).toBe('EKEYREJECTED');
  });

  it('an embedded certificate: verified with its key, trusted when on the keyring, ENOKEY when self-signed and unknown', () => {
    expect(outcome(p7({ certs: [key.certificate] })).errno).toBe('ok');
    const foreign = p7({
      k: other,
      certs: [other.certificate],
      signature: new Uint8Array(sign('sha256', DATA, other.privateKey)),
    });
    expect(outcome(foreign).errno).toBe('ENOKEY');
    const bad = new Uint8Array(sign('sha256', new Uint8Array(1), key.privateKey));
    expect(outcome(p7({ certs: [key.certificate], signature: bad })).errno).toBe('EKEYREJECTED');
  });

  it('the keyring takes PEM and DER, several certificates per PEM text', () => {
    const both = TrustedKeyring.from([key.certificatePem + other.certificatePem]);
    expect(both.size).toBe(2);
    expect(
      outcome(p7({ k: other, signature: new Uint8Array(sign('sha256', DATA, other.privateKey)) }), both)
        .errno,
    ).toBe('ok');
    expect(() => TrustedKeyring.from([new Uint8Array([1, 2, 3])])).toThrow();
    const list = new Uint8Array([...key.certificate, ...other.certificate]);
    expect(TrustedKeyring.from([list]).size).toBe(2);
  });
});
