/**
 * Module signatures on real data: a sample of the Debian kernel's own modules verifies against the certificate
 * extracted from that package's vmlinuz (and openssl agrees on the signed length); any flipped byte of the
 * signed payload or of the RSA signature is refused as the kernel refuses it; a foreign keyring gives ENOKEY.
 * The project's signer signs builder-made and Debian-stripped modules so that both this verifier and
 * `openssl cms -verify` accept them.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildKo } from '../../src/elf/builder/ko-builder.js';
import {
  generateSigningKey,
  type SigningKey,
  signModule,
  TrustedKeyring,
  verifyModuleSignature,
} from '../../src/elf/signature/index.js';
import { arbModuleSpec } from '../support/arb-module-spec.js';
import { type DebianCorpus, debianCorpusSync } from '../support/debian-corpus.js';
import {
  opensslVerifyModule,
  signingCertificateSync,
  splitModuleSignature,
} from '../support/signing-cert.js';

let corpus: DebianCorpus;
let debianKeyring: TrustedKeyring;
let certPem: string;
let sample: string[];
let own: SigningKey;

beforeAll(() => {
  corpus = debianCorpusSync();
  const cert = signingCertificateSync();
  certPem = cert.pem;
  debianKeyring = TrustedKeyring.from([new Uint8Array(readFileSync(cert.der))]);
  sample = corpus.sample(60, 7);
  own = generateSigningKey({ commonName: 'kmodsim test key' });
});

const load = (p: string) => new Uint8Array(readFileSync(p));

describe('Debian modules and the certificate from vmlinuz', () => {
  it('every sampled module verifies, and the signed length is the payload openssl checks', () => {
    expect(sample.length).toBe(60);
    const failures: string[] = [];
    for (const p of sample) {
      const ko = load(p);
      const r = verifyModuleSignature(ko, debianKeyring);
      const parts = splitModuleSignature(Buffer.from(ko));
      if (!r.ok) failures.push(`${p}: ${r.error.errno} ${r.error.lines.join('; ')}`);
      else if (r.value !== parts?.payload.length) failures.push(`${p}: signed length ${r.value}`);
    }
    expect(failures).toEqual([]);
    expect(opensslVerifyModule(Buffer.from(load(sample[0])), certPem)).toBe(true);
  });

  it('a flipped byte in the payload or the signature value is EKEYREJECTED; in the DER header EBADMSG', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: sample.length - 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (i, where) => {
          const ko = load(sample[i]);
          const parts = splitModuleSignature(Buffer.from(ko));
          if (parts === undefined) throw new Error('unsigned');
          const payloadFlip = ko.slice();
          payloadFlip[Math.floor(where * (parts.payload.length - 1))] ^= 0x40;
          const r1 = verifyModuleSignature(payloadFlip, debianKeyring);
          expect(r1.ok ? 'ok' : r1.error.errno).toBe('EKEYREJECTED');
          // The RSA signature is the last 512 bytes of the PKCS#7 (OCTET STRING at the end).
          const sigEnd = parts.payload.length + parts.pkcs7.length;
          const sigFlip = ko.slice();
          sigFlip[sigEnd - 1 - Math.floor(where * 500)] ^= 0x01;
          const r2 = verifyModuleSignature(sigFlip, debianKeyring);
          expect(r2.ok ? 'ok' : r2.error.errno).toBe('EKEYREJECTED');
          const derFlip = ko.slice();
          derFlip[parts.payload.length] = 0x31; // outer SEQUENCE tag → SET
          const r3 = verifyModuleSignature(derFlip, debianKeyring);
          expect(r3.ok ? 'ok' : r3.error.errno).toBe('EBADMSG');
        },
      ),
      { numRuns: 20 },
    );
  });

  it('a keyring without the build key answers ENOKEY; both keys together verify', () => {
    const ko = load(sample[1]);
    const foreign = TrustedKeyring.from([own.certificatePem]);
    const r = verifyModuleSignature(ko, foreign);
    expect(r.ok ? 'ok' : r.error.errno).toBe('ENOKEY');
    const both = TrustedKeyring.from([
      own.certificatePem,
      new Uint8Array(readFileSync(signingCertificateSync().der)),
    ]);
    expect(verifyModuleSignature(ko, both).ok).toBe(true);
  });
});

describe('the project signer', () => {
  it('signs builder-made modules that this verifier and openssl both accept', () => {
    const ring = TrustedKeyring.from([own.certificatePem]);
    const dir = mkdtempSync(join(tmpdir(), 'kmodsim-signer-'));
    const pem = join(dir, 'own.pem');
    writeFileSync(pem, own.certificatePem);
    fc.assert(
      fc.property(arbModuleSpec({ target: { format: 'ko' } }), (spec) => {
        const signed = signModule(buildKo(spec), own);
        const r = verifyModuleSignature(signed, ring);
        expect(r.ok).toBe(true);
        expect(verifyModuleSignature(signed, debianKeyring).ok).toBe(false);
        return true;
      }),
      { numRuns: 15 },
    );
    const one = signModule(
      buildKo(fc.sample(arbModuleSpec({ target: { format: 'ko' } }), { numRuns: 1, seed: 3 })[0]),
      own,
    );
    try {
      expect(opensslVerifyModule(Buffer.from(one), pem)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('re-signs a Debian module payload (sign-file layout: same trailer, id_type 2, sig_len big-endian)', () => {
    const parts = splitModuleSignature(Buffer.from(load(sample[2])));
    if (parts === undefined) throw new Error('unsigned');
    const resigned = signModule(new Uint8Array(parts.payload), own, { useKeyId: true });
    const again = splitModuleSignature(Buffer.from(resigned));
    expect(again?.payload.equals(parts.payload)).toBe(true);
    expect(again?.idType).toBe(2);
    const r = verifyModuleSignature(resigned, TrustedKeyring.from([own.certificate]));
    expect(r.ok ? r.value : r.error.errno).toBe(parts.payload.length);
  });
});
