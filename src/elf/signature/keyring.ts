/**
 * The trusted keyring (`.builtin_trusted_keys` plus the secondary keyring): X.509 certificates given as
 * configuration, found the way `find_asymmetric_key` finds them — by any of a key's ids
 * (`serial ‖ issuer`, subject key identifier).
 * @see crypto/asymmetric_keys/asymmetric_type.c find_asymmetric_key; certs/system_keyring.c
 * @module
 */
import { berRead } from './ber.js';
import { parseX509, pemCertificates, type X509Cert } from './x509-cert.js';

/** Splits concatenated DER certificates (the layout of the kernel's `system_certificate_list`). */
function derCertificates(blob: Uint8Array): Uint8Array[] | undefined {
  const out: Uint8Array[] = [];
  for (let p = 0; p < blob.length; ) {
    const n = berRead(blob, p, blob.length);
    if (typeof n === 'string') return undefined;
    out.push(blob.subarray(p, n.next));
    p = n.next;
  }
  return out;
}

/** A configuration error: a certificate that does not parse. */
export class KeyringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyringError';
  }
}

/** Trusted keys by id. */
export class TrustedKeyring {
  private readonly byId = new Map<string, X509Cert>();
  private readonly list: X509Cert[] = [];

  /** A keyring holding the certificates of each blob (DER or PEM, several per PEM text). */
  static from(blobs: readonly (Uint8Array | string)[]): TrustedKeyring {
    const k = new TrustedKeyring();
    for (const b of blobs) k.addBlob(b);
    return k;
  }

  /** Adds one parsed certificate. */
  add(cert: X509Cert): void {
    this.list.push(cert);
    this.byId.set(cert.id, cert);
    if (cert.skid !== undefined) this.byId.set(cert.skid, cert);
  }

  /**
   * Adds every certificate of a blob: PEM text (one or more certificates) or DER (one or more concatenated
   * certificates). Throws {@link KeyringError} on a malformed one.
   */
  addBlob(blob: Uint8Array | string): void {
    const text =
      typeof blob === 'string'
        ? blob
        : Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength).toString('latin1');
    const ders = text.includes('-----BEGIN CERTIFICATE-----')
      ? pemCertificates(text)
      : typeof blob === 'string'
        ? []
        : (derCertificates(blob) ?? []);
    if (ders.length === 0) throw new KeyringError('no certificate in the given data');
    for (const d of ders) {
      const c = parseX509(d);
      if (c === undefined) throw new KeyringError('malformed X.509 certificate');
      this.add(c);
    }
  }

  /**
   * `find_asymmetric_key(keyring, id_0, id_1, NULL, false)`: the key one of whose ids is `id0` (or `id1` when
   * `id0` is absent); with both, the key's subject key identifier must also equal `id1`.
   */
  find(id0: string | undefined, id1?: string): X509Cert | undefined {
    const k = id0 !== undefined ? this.byId.get(id0) : id1 !== undefined ? this.byId.get(id1) : undefined;
    if (k === undefined) return undefined;
    if (id0 !== undefined && id1 !== undefined && k.skid !== id1) return undefined;
    return k;
  }

  /** The certificates, in the order added. */
  get certificates(): readonly X509Cert[] {
    return this.list;
  }

  /** Number of keys. */
  get size(): number {
    return this.list.length;
  }
}
