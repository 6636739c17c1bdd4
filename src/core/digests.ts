import { createHash } from 'node:crypto';
import { injectable } from 'inversify';

/**
 * Answers a digest request before the kernel computes it (`undefined`: not known, compute it). Whatever answers
 * must answer for exactly these bytes.
 */
export type DigestSource = (hash: string, data: Uint8Array) => Uint8Array | undefined;

/**
 * The kernel's message digests (`crypto_shash_digest`, e.g. the module signature's SHA-256), computed by Node. A
 * {@link DigestSource} may supply digests computed elsewhere (another thread that read the same bytes), which
 * changes when the work is done, never the result.
 */
@injectable()
export class Digests {
  private source: DigestSource | undefined;

  /** The digest of `data` with Node's hash `hash` (`sha256`, …). */
  digest(hash: string, data: Uint8Array): Uint8Array {
    return this.source?.(hash, data) ?? createHash(hash).update(data).digest();
  }

  /** Sets (or with `undefined` removes) the source asked first. */
  useDigestSource(source: DigestSource | undefined): void {
    this.source = source;
  }
}
