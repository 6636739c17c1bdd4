/**
 * The read-ahead thread of a whole-tree load, started on its own: this module imports only the thread's host
 * side, so a command can start the thread before it loads the kernel's code, and the thread starts its isolate
 * on the second CPU while the first one compiles the kernel.
 * @module
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ReadAhead } from '../host/read-ahead.js';

/** Upper bound of the module memory a tree's load takes from an early read-ahead thread's pool. */
const EARLY_POOL_BYTES = 512 << 20;

/**
 * The file ring of a tree's load: a file over half of it is read by the caller, on the loading thread, when its
 * turn comes. At 48 MiB every module of Debian's 6.1 kernel fits, the largest (amdgpu, 19 MB) included.
 */
export const TREE_RING_BYTES = 48 << 20;

/**
 * Starts the read-ahead thread for a `loadAll` with these certificates before the modules are known: it
 * faults in its file ring and module memory while the caller reads the tree and orders it.
 */
export function startLoadAhead(trustedCerts: readonly string[] = []): ReadAhead {
  return new ReadAhead({
    ringBytes: TREE_RING_BYTES,
    poolBytes: EARLY_POOL_BYTES,
    ...cryptoOptions(trustedCerts),
  });
}

/** The read-ahead thread's crypto work for these certificates. */
export function cryptoOptions(certs: readonly string[]): { digests: boolean; rsaKey?: Uint8Array } {
  const rsaKey = certs.length === 1 ? rsaKeyOf(certs[0]) : undefined;
  return { digests: certs.length > 0, ...(rsaKey === undefined ? {} : { rsaKey }) };
}

/** The RSA public key (SPKI DER) of a certificate given as a path or PEM text, if it is one. */
function rsaKeyOf(cert: string): Uint8Array | undefined {
  try {
    const key = new X509Certificate(cert.includes('-----BEGIN') ? cert : readFileSync(cert)).publicKey;
    return key.asymmetricKeyType === 'rsa' ? key.export({ type: 'spki', format: 'der' }) : undefined;
  } catch {
    return undefined;
  }
}
