/**
 * The object identifiers the kernel's PKCS#7 and X.509 parsers act on, and the algorithm choices of the 6.1
 * parser (`pkcs7_sig_note_digest_algo`, `pkcs7_sig_note_pkey_algo`).
 * Source: include/linux/oid_registry.h; crypto/asymmetric_keys/pkcs7_parser.c (6.1).
 * @module
 */

/** `OID_data`. */
export const OID_DATA = '1.2.840.113549.1.7.1';
/** `OID_signed_data`. */
export const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
/** `OID_msIndirectData` (Authenticode). */
export const OID_MS_INDIRECT_DATA = '1.3.6.1.4.1.311.2.1.4';
/** `OID_contentType` authenticated attribute. */
export const OID_CONTENT_TYPE = '1.2.840.113549.1.9.3';
/** `OID_messageDigest` authenticated attribute. */
export const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
/** `OID_signingTime` authenticated attribute. */
export const OID_SIGNING_TIME = '1.2.840.113549.1.9.5';
/** `OID_smimeCapabilites` authenticated attribute. */
export const OID_SMIME_CAPABILITIES = '1.2.840.113549.1.9.15';
/** `OID_msSpOpusInfo` authenticated attribute. */
export const OID_MS_SP_OPUS_INFO = '1.3.6.1.4.1.311.2.1.12';
/** `OID_msStatementType` authenticated attribute. */
export const OID_MS_STATEMENT_TYPE = '1.3.6.1.4.1.311.2.1.11';
/** `OID_rsaEncryption`. */
export const OID_RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
/** `OID_sha256`. */
export const OID_SHA256 = '2.16.840.1.101.3.4.2.1';
/** `OID_commonName`. */
export const OID_COMMON_NAME = '2.5.4.3';
/** `OID_subjectKeyIdentifier` extension. */
export const OID_SUBJECT_KEY_IDENTIFIER = '2.5.29.14';
/** `OID_authorityKeyIdentifier` extension. */
export const OID_AUTHORITY_KEY_IDENTIFIER = '2.5.29.35';

/** Digest algorithms `pkcs7_sig_note_digest_algo` accepts, with the kernel's crypto name. */
export const PKCS7_DIGESTS: ReadonlyMap<string, string> = new Map([
  ['1.2.840.113549.2.4', 'md4'],
  ['1.2.840.113549.2.5', 'md5'],
  ['1.3.14.3.2.26', 'sha1'],
  ['2.16.840.1.101.3.4.2.1', 'sha256'],
  ['2.16.840.1.101.3.4.2.2', 'sha384'],
  ['2.16.840.1.101.3.4.2.3', 'sha512'],
  ['2.16.840.1.101.3.4.2.4', 'sha224'],
  ['1.2.156.10197.1.401', 'sm3'],
  ['1.2.643.7.1.1.2.2', 'streebog256'],
  ['1.2.643.7.1.1.2.3', 'streebog512'],
]);

/** Public-key algorithms `pkcs7_sig_note_pkey_algo` accepts: `pkey_algo` and `encoding`. */
export const PKCS7_PKEY_ALGOS: ReadonlyMap<string, { readonly algo: string; readonly encoding: string }> =
  new Map([
    [OID_RSA_ENCRYPTION, { algo: 'rsa', encoding: 'pkcs1' }],
    ['1.2.840.10045.4.1', { algo: 'ecdsa', encoding: 'x962' }],
    ['1.2.840.10045.4.3.1', { algo: 'ecdsa', encoding: 'x962' }],
    ['1.2.840.10045.4.3.2', { algo: 'ecdsa', encoding: 'x962' }],
    ['1.2.840.10045.4.3.3', { algo: 'ecdsa', encoding: 'x962' }],
    ['1.2.840.10045.4.3.4', { algo: 'ecdsa', encoding: 'x962' }],
    ['1.2.156.10197.1.501', { algo: 'sm2', encoding: 'raw' }],
    ['1.2.643.7.1.1.1.1', { algo: 'ecrdsa', encoding: 'raw' }],
    ['1.2.643.7.1.1.1.2', { algo: 'ecrdsa', encoding: 'raw' }],
  ]);

/** Digest OIDs the signer can write, by Node hash name. */
export const DIGEST_OIDS: Readonly<Record<'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512', string>> = {
  sha1: '1.3.14.3.2.26',
  sha224: '2.16.840.1.101.3.4.2.4',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
};
