/**
 * Kernel features a configuration switches off, each behind one small interface with a real and a null
 * implementation, bound once in the personality's DI unit (so the load steps never branch on configuration).
 * @module
 */

import { gunzipSync } from 'node:zlib';
import type { ErrnoName } from '../../abi/errno.js';
import { fail, type Result } from '../../core/result.js';
import {
  type SigCrypto,
  type SigFailure,
  type TrustedKeyring,
  verifyPkcs7Signature,
} from '../../elf/signature/index.js';
import type { DecompressAlgorithm } from './linux-v26-config.js';

/** `mod_verify_sig`'s PKCS#7 part: `CONFIG_MODULE_SIG` on (a keyring) or off (nothing is checked). */
export interface SignatureSupport {
  /** Whether `module_sig_check` runs at all. */
  readonly enabled: boolean;
  /** `verify_pkcs7_signature(data, …, sig, …, VERIFYING_MODULE_SIGNATURE)` against the trusted keyring. */
  verify(data: Uint8Array, sig: Uint8Array): Result<void, SigFailure>;
}

/** `CONFIG_MODULE_SIG` with the trusted keyring and the kernel's crypto primitives. */
export function signatureSupport(keyring: TrustedKeyring, crypto: SigCrypto): SignatureSupport {
  return {
    enabled: true,
    verify: (data, sig) => verifyPkcs7Signature(data, sig, keyring, 'module', crypto),
  };
}

/** `CONFIG_MODULE_SIG` off. */
export const NO_SIGNATURES: SignatureSupport = {
  enabled: false,
  verify: () => fail({ errno: 'ENOPKG', lines: [] }),
};

/** `module_decompress`: `CONFIG_MODULE_DECOMPRESS` with one algorithm, or the stub answering EOPNOTSUPP. */
export interface DecompressSupport {
  /** The algorithm, if any. */
  readonly algorithm: DecompressAlgorithm | undefined;
  /** Decompresses, or fails with the kernel's errno and message. */
  decompress(data: Uint8Array): Result<Uint8Array, { errno: ErrnoName; message?: string }>;
}

/** The stub of kernel/module/internal.h: `-EOPNOTSUPP`. */
export const NO_DECOMPRESS: DecompressSupport = {
  algorithm: undefined,
  decompress: () => fail({ errno: 'EOPNOTSUPP' }),
};

const MAGIC: Readonly<Record<DecompressAlgorithm, readonly number[]>> = {
  gzip: [0x1f, 0x8b, 0x08],
  xz: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00],
  zstd: [0x28, 0xb5, 0x2f, 0xfd],
};

/**
 * In-kernel decompression (kernel/module/decompress.c) of one algorithm: wrong magic → EINVAL
 * `not a … compressed module`; corrupt stream → EINVAL `decompression failed…`. gzip uses zlib; xz and zstd
 * need a decoder passed in (Node 20 has none built in) — without one they answer EOPNOTSUPP.
 */
export function decompressSupport(
  algorithm: DecompressAlgorithm,
  decoder?: (data: Uint8Array) => Uint8Array,
): DecompressSupport {
  const name = algorithm === 'gzip' ? 'gzip' : algorithm;
  return {
    algorithm,
    decompress(data) {
      const magic = MAGIC[algorithm];
      const headerLen = algorithm === 'gzip' ? 10 : magic.length;
      if (data.length < headerLen || magic.some((b, i) => data[i] !== b)) {
        return fail({ errno: 'EINVAL', message: `not a ${name} compressed module` });
      }
      try {
        if (algorithm === 'gzip') return { ok: true, value: new Uint8Array(gunzipSync(data)) };
        if (decoder === undefined) return fail({ errno: 'EOPNOTSUPP' });
        return { ok: true, value: decoder(data) };
      } catch {
        return fail({ errno: 'EINVAL', message: 'decompression failed with status -22' });
      }
    },
  };
}
