import type { KeyObject } from 'node:crypto';
import { injectable } from 'inversify';
import { NODE_CRYPTO } from '../elf/signature/pkcs7-verify.js';

/**
 * Results of the kernel's crypto computed elsewhere (another thread that read the same bytes). Each answer must
 * be for exactly the arguments given; `undefined` means not known, and the kernel computes it.
 */
export interface CryptoSource {
  /** A message digest with Node's hash name. */
  digest?(hash: string, data: Uint8Array): Uint8Array | undefined;
  /** {@link KernelCrypto.rsaRecover}. */
  rsaRecover?(key: KeyObject, sig: Uint8Array): Uint8Array | null | undefined;
}

/**
 * The kernel's crypto primitives, computed by Node: message digests (`crypto_shash_digest`, e.g. the module
 * signature's SHA-256) and the RSA public-key operation of a signature check. A {@link CryptoSource} may supply
 * results computed elsewhere, which changes when the work is done, never the result.
 */
@injectable()
export class KernelCrypto {
  private source: CryptoSource | undefined;

  /** The digest of `data` with Node's hash `hash` (`sha256`, …). */
  digest(hash: string, data: Uint8Array): Uint8Array {
    return this.source?.digest?.(hash, data) ?? NODE_CRYPTO.digest(hash, data);
  }

  /**
   * RSA with `key`'s public exponent on `sig`, then the EMSA-PKCS1-v1_5 padding removed (`rsa_enc` and the
   * unpadding of `rsassa_pkcs1_verify`): the encoded DigestInfo, or `null` when the padding is not there.
   */
  rsaRecover(key: KeyObject, sig: Uint8Array): Uint8Array | null {
    const known = this.source?.rsaRecover?.(key, sig);
    return known !== undefined ? known : NODE_CRYPTO.rsaRecover(key, sig);
  }

  /** Sets (or with `undefined` removes) the source asked first. */
  useSource(source: CryptoSource | undefined): void {
    this.source = source;
  }
}
