/**
 * Hostile inputs: mutated and random streams never make a decompressor, the PKCS#7 verifier or a relocation
 * engine throw; each answers with a value (EINVAL/ENOMEM, a signature errno, ENOEXEC/ERELOC) or succeeds.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compressModule, moduleDecompress } from '../../../../src/elf/compress/index.js';
import { RELOCATORS } from '../../../../src/elf/relocate/index.js';
import {
  generateSigningKey,
  signModule,
  TrustedKeyring,
  verifyModuleSignature,
} from '../../../../src/elf/signature/index.js';

const payload = new Uint8Array(3000).map((_, i) => ((i * 7919) % 251) & (i % 5 === 0 ? 0xff : 0x0f));

/** Real LZMA2 / FSE-coded streams from the CLI tools when present, else the project's stored ones. */
function compressed(algo: 'gzip' | 'xz' | 'zstd'): Uint8Array {
  const args = { gzip: ['-9', '-c'], xz: ['--check=crc32', '-c'], zstd: ['-19', '-q', '-c'] }[algo];
  const r = spawnSync(algo, args, { input: payload });
  return r.status === 0 ? new Uint8Array(r.stdout) : compressModule(algo, payload);
}

const mutate = (base: Uint8Array) =>
  fc
    .array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 6 })
    .chain((flips) => fc.nat({ max: base.length }).map((cut) => ({ flips, cut })))
    .map(({ flips, cut }) => {
      const b = base.slice(0, Math.max(1, cut + 16));
      for (const [at, x] of flips) b[at % b.length] ^= x;
      return b;
    });

describe('no exception escapes', () => {
  it.each(['gzip', 'xz', 'zstd'] as const)('%s decompressor on mutated streams', (algo) => {
    const good = compressed(algo);
    expect(moduleDecompress(algo, good).ok).toBe(true);
    fc.assert(
      fc.property(mutate(good), (b) => {
        const r = moduleDecompress(algo, b, { maxOutput: 1 << 20 });
        if (!r.ok) expect(['EINVAL', 'ENOMEM']).toContain(r.error.errno);
      }),
      { numRuns: 400 },
    );
  });

  it('signature verification on mutated signed modules', () => {
    const key = generateSigningKey();
    const ring = TrustedKeyring.from([key.certificate]);
    const signed = signModule(payload, key);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 255 })), {
          maxLength: 4,
        }),
        (flips) => {
          const b = signed.slice();
          for (const [back, x] of flips) b[b.length - 40 - back] ^= x;
          const r = verifyModuleSignature(b, ring);
          expect(r.ok || typeof r.error.errno === 'string').toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('relocation engines on random entries and symbol tables', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 200 }),
        fc.nat({ max: 64 }),
        fc.array(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), { maxLength: 5 }),
        fc.boolean(),
        (image, size, syms, isRela) => {
          for (const r of RELOCATORS.values()) {
            const out = r.applyRelocations({
              image,
              relOffset: 0,
              relSize: image.length,
              isRela,
              target: new Uint8Array(size),
              targetAddress: 0xffffffffc0000000n,
              symbolValues: BigUint64Array.from(syms),
              moduleName: 'fuzz',
            });
            expect(out.ok || out.error.errno.length > 0).toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
