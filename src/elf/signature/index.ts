/**
 * Module signatures: the trailer checks, PKCS#7 verification against a trusted keyring, and the signer.
 * @see kernel/module/signing.c; crypto/asymmetric_keys/pkcs7_*.c; scripts/sign-file.c
 * @module
 */
export { type BerFailure, type BerNode, berChildren, berRead } from './ber.js';
export { KeyringError, TrustedKeyring } from './keyring.js';
export {
  hasSignatureMarker,
  MODULE_SIG_STRING,
  MODULE_SIGNATURE_SIZE,
  type ModuleSignatureInfo,
  modCheckSig,
  modVerifySig,
  PKEY_ID_PKCS7,
  readModuleSignatureInfo,
  verifyModuleSignature,
} from './mod-verify-sig.js';
export { DIGEST_OIDS } from './oids.js';
export {
  type Pkcs7Message,
  type Pkcs7SignedInfo,
  pkcs7ParseMessage,
  type SigFailure,
} from './pkcs7-parser.js';
export { type KeyUsage, NODE_CRYPTO, type SigCrypto, verifyPkcs7Signature } from './pkcs7-verify.js';
export {
  generateSigningKey,
  type Pkcs7SignOptions,
  pkcs7SignDetached,
  type SignHash,
  type SigningKey,
  type SigningKeyOptions,
  signModule,
} from './sign-file.js';
export { parseX509, pemCertificates, type X509Cert } from './x509-cert.js';
