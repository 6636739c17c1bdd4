/**
 * `pkcs7_parse_message`: the kernel's PKCS#7 grammar (crypto/asymmetric_keys/pkcs7.asn1) walked over the
 * bounded BER reader, with the parser's actions and their errors: EBADMSG for malformed encoding (and the
 * decoder's quirk that fields missing at the end of a constructed element are skipped, not refused), EINVAL
 * for unsupported content/versions, ENOPKG for unknown digest or public-key algorithms, EKEYREJECTED for
 * forbidden authenticated attributes; a message over 64 KiB (EMSGSIZE in the kernel) is reported as EBADMSG
 * with a note until the errno names include EMSGSIZE. Algorithm messages print the dotted OID where the
 * kernel prints its `enum OID` number; the informational "Unknown OID" lines are not reproduced.
 * @see crypto/asymmetric_keys/pkcs7_parser.c (6.1), lib/asn1_decoder.c
 * @module
 */
import type { ErrnoName } from '../../abi/errno.js';
import { fail, ok, type Result } from '../../core/result.js';
import { BER_MAX_LENGTH, type BerNode, berChildren, berOid, berRead, hexOf, TAG } from './ber.js';
import {
  OID_CONTENT_TYPE,
  OID_DATA,
  OID_MESSAGE_DIGEST,
  OID_MS_INDIRECT_DATA,
  OID_MS_SP_OPUS_INFO,
  OID_MS_STATEMENT_TYPE,
  OID_SIGNED_DATA,
  OID_SIGNING_TIME,
  OID_SMIME_CAPABILITIES,
  PKCS7_DIGESTS,
  PKCS7_PKEY_ALGOS,
} from './oids.js';
import { parseX509, type X509Cert } from './x509-cert.js';

/** A verification or parse failure: the errno and the lines the kernel prints on the way. */
export interface SigFailure {
  /** The errno (`EMSGSIZE` is reported as EBADMSG with a note until the errno table has it). */
  readonly errno: ErrnoName;
  /** pr_warn/pr_err/printk lines, in order, with their `PKCS7: ` prefixes. */
  readonly lines: readonly string[];
}

/** One `struct pkcs7_signed_info`. */
export interface Pkcs7SignedInfo {
  /** 1-based index (`sinfo->index`). */
  readonly index: number;
  /** `sig->hash_algo` (kernel crypto name), if the digest algorithm was seen. */
  hashAlgo: string | undefined;
  /** `sig->pkey_algo`. */
  pkeyAlgo: string | undefined;
  /** `sig->encoding`. */
  encoding: string | undefined;
  /** `sig->s`: the signature bytes. */
  signature: Uint8Array | undefined;
  /** The authenticated attributes as digested (a SET tag, then the [0] element's length and contents). */
  authattrs: Uint8Array | undefined;
  /** `msgdigest`. */
  msgDigest: Uint8Array | undefined;
  /** Which authenticated attributes were seen (`aa_set`). */
  readonly aaSet: Set<string>;
  /** `sig->auth_ids[0]` as hex: `serial ‖ issuer` contents, or the subject key identifier (version 3). */
  authId: string;
  /** The embedded certificate that signed it (`pkcs7_find_key`). */
  signer: X509Cert | undefined;
  /** `unsupported_crypto`. */
  unsupportedCrypto: boolean;
}

/** One `struct pkcs7_message`. */
export interface Pkcs7Message {
  /** SignedData version (1 or 3). */
  version: number;
  /** `data_type` (dotted OID). */
  dataType: string | undefined;
  /** Embedded content, when not detached. */
  data: Uint8Array | undefined;
  /** Embedded certificates. */
  readonly certs: X509Cert[];
  /** Signer infos, in order. */
  readonly signedInfos: Pkcs7SignedInfo[];
  /** `have_authattrs`. */
  haveAuthattrs: boolean;
}

/** Internal early exit of the grammar walk with the action's errno and line; caught in pkcs7ParseMessage. */
class Stop {
  constructor(
    readonly errno: ErrnoName,
    readonly line?: string,
  ) {}
}

const BAD = new Stop('EBADMSG');
const tagMatch = (want: number, got: number): boolean => ((want ^ got) & ~(want & 0x20) & 0xff) === 0;

/** The fields of one constructed element, consumed in grammar order. */
class Fields {
  private i = 0;
  constructor(readonly list: readonly BerNode[]) {}
  /** An OPTIONAL field: consumed when present with a matching tag (`tag`, or `alt` when given). */
  opt(tag: number, alt?: number): BerNode | undefined {
    const n = this.list[this.i];
    if (n === undefined || !(tagMatch(tag, n.tag) || (alt !== undefined && tagMatch(alt, n.tag))))
      return undefined;
    this.i++;
    return n;
  }
  /** A mandatory field: absent at the end of the data (the decoder skips it), EBADMSG on another tag. */
  need(tag: number): BerNode | undefined {
    const n = this.list[this.i];
    if (n === undefined) return undefined;
    if (!tagMatch(tag, n.tag)) throw BAD;
    this.i++;
    return n;
  }
  /** `ANY`. */
  any(): BerNode | undefined {
    return this.list[this.i++];
  }
  /** End of a SEQUENCE: leftovers are a "Cons length error". */
  end(): void {
    if (this.i < this.list.length) throw BAD;
  }
}

function fields(b: Uint8Array, n: BerNode): Fields {
  const c = berChildren(b, n);
  if (typeof c === 'string') throw BAD;
  return new Fields(c);
}

/** Parses a PKCS#7 message as `pkcs7_parse_message` does. */
export function pkcs7ParseMessage(b: Uint8Array): Result<Pkcs7Message, SigFailure> {
  const lines: string[] = [];
  if (b.length > BER_MAX_LENGTH) {
    return fail({ errno: 'EBADMSG', lines: ['PKCS7: message larger than 65535 bytes (EMSGSIZE)'] });
  }
  const msg: Pkcs7Message = {
    version: 0,
    dataType: undefined,
    data: undefined,
    certs: [],
    signedInfos: [],
    haveAuthattrs: false,
  };
  try {
    if (b.length > 0) {
      const top = berRead(b, 0, b.length);
      if (typeof top === 'string') throw BAD;
      if (!tagMatch(TAG.SEQUENCE, top.tag)) throw BAD;
      contentInfo(b, top, msg);
    }
    checkAuthattrs(msg);
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    if (e.line !== undefined) lines.push(e.line);
    return fail({ errno: e.errno, lines });
  }
  return ok(msg);
}

function oidOf(b: Uint8Array, n: BerNode | undefined): string | undefined {
  return n === undefined ? undefined : berOid(b, n);
}

function contentInfo(b: Uint8Array, top: BerNode, msg: Pkcs7Message): void {
  const f = fields(b, top);
  const type = f.need(TAG.OID);
  if (type !== undefined && oidOf(b, type) !== OID_SIGNED_DATA) {
    throw new Stop('EINVAL', 'PKCS7: Only support pkcs7_signedData type');
  }
  const content = f.opt(0xa0);
  f.end();
  if (content === undefined) return;
  const inner = fields(b, content);
  const sd = inner.need(TAG.SEQUENCE);
  inner.end();
  if (sd !== undefined) signedData(b, sd, msg);
}

function version(b: Uint8Array, n: BerNode): number | undefined {
  return n.end - n.body === 1 ? b[n.body] : undefined;
}

function signedData(b: Uint8Array, sd: BerNode, msg: Pkcs7Message): void {
  const f = fields(b, sd);
  const v = f.need(TAG.INTEGER);
  if (v !== undefined) {
    const ver = version(b, v);
    if (ver !== 1 && ver !== 3) throw new Stop('EINVAL', 'PKCS7: Unsupported SignedData version');
    msg.version = ver;
  }
  const algs = f.opt(TAG.SET, TAG.SEQUENCE) ?? f.need(TAG.SET);
  if (algs !== undefined) {
    const list = fields(b, algs);
    for (let a = list.opt(TAG.SEQUENCE); a !== undefined; a = list.opt(TAG.SEQUENCE)) {
      const af = fields(b, a);
      af.need(TAG.OID);
      af.any();
      af.end();
    }
    list.end();
  }
  const ci = f.need(TAG.SEQUENCE);
  if (ci !== undefined) {
    const cf = fields(b, ci);
    const type = oidOf(b, cf.need(TAG.OID));
    const wrapped = cf.opt(0xa0);
    cf.end();
    if (wrapped !== undefined) {
      const d = fields(b, wrapped).any();
      if (d !== undefined) msg.data = b.subarray(d.body, d.end);
    }
    // pkcs7_note_content
    if (type !== OID_DATA && type !== OID_MS_INDIRECT_DATA) {
      throw new Stop('EINVAL', `PKCS7: Unsupported data type ${type ?? '(none)'}`);
    }
    msg.dataType = type;
  }
  const certs = f.opt(0xa0, 0xa2);
  if (certs !== undefined) {
    const cf = fields(b, certs);
    for (let c = cf.any(); c !== undefined; c = cf.any()) {
      // pkcs7_extract_cert
      if (c.tag !== TAG.SEQUENCE) throw BAD;
      const x = parseX509(b.subarray(c.start, c.next));
      if (x === undefined) throw BAD;
      msg.certs.push(x);
    }
  }
  f.opt(0xa1, 0xa3); // crls
  const sis = f.opt(TAG.SET, TAG.SEQUENCE) ?? f.need(TAG.SET);
  f.end();
  if (sis === undefined) return;
  const list = fields(b, sis);
  for (let si = list.opt(TAG.SEQUENCE); si !== undefined; si = list.opt(TAG.SEQUENCE)) {
    signerInfo(b, si, msg);
  }
  list.end();
}

function signerInfo(b: Uint8Array, si: BerNode, msg: Pkcs7Message): void {
  const sinfo: Pkcs7SignedInfo = {
    index: msg.signedInfos.length + 1,
    hashAlgo: undefined,
    pkeyAlgo: undefined,
    encoding: undefined,
    signature: undefined,
    authattrs: undefined,
    msgDigest: undefined,
    aaSet: new Set(),
    authId: '',
    signer: undefined,
    unsupportedCrypto: false,
  };
  let expectSkid = false;
  let rawSerial = '';
  let rawIssuer = '';
  let rawSkid = '';
  const f = fields(b, si);
  const v = f.need(TAG.INTEGER);
  if (v !== undefined) {
    const ver = version(b, v);
    if (ver === 1) {
      if (msg.version !== 1) throw new Stop('EBADMSG', 'PKCS7: SignedData-SignerInfo version mismatch');
    } else if (ver === 3) {
      if (msg.version === 1) throw new Stop('EBADMSG', 'PKCS7: SignedData-SignerInfo version mismatch');
      expectSkid = true;
    } else throw new Stop('EINVAL', 'PKCS7: Unsupported SignerInfo version');
  }
  const ias = f.opt(TAG.SEQUENCE);
  if (ias !== undefined) {
    const i = fields(b, ias);
    const issuer = i.need(TAG.SEQUENCE);
    const serial = i.need(TAG.INTEGER);
    i.end();
    if (issuer !== undefined) rawIssuer = hexOf(b, issuer.body, issuer.end);
    if (serial !== undefined) rawSerial = hexOf(b, serial.body, serial.end);
  } else {
    const skid = f.opt(0x80);
    if (skid === undefined && f.any() !== undefined) throw BAD;
    if (skid !== undefined) rawSkid = hexOf(b, skid.body, skid.end);
  }
  const dig = f.need(TAG.SEQUENCE);
  if (dig !== undefined) {
    const df = fields(b, dig);
    const oid = oidOf(b, df.need(TAG.OID));
    df.any();
    df.end();
    const h = oid === undefined ? undefined : PKCS7_DIGESTS.get(oid);
    if (h === undefined) throw new Stop('ENOPKG', `Unsupported digest algo: ${oid ?? '(none)'}`);
    sinfo.hashAlgo = h;
  }
  const aa = f.opt(0xa0, 0xa2);
  if (aa !== undefined) authAttributes(b, aa, msg, sinfo);
  const pk = f.need(TAG.SEQUENCE);
  if (pk !== undefined) {
    const pf = fields(b, pk);
    const oid = oidOf(b, pf.need(TAG.OID));
    pf.any();
    pf.end();
    const a = oid === undefined ? undefined : PKCS7_PKEY_ALGOS.get(oid);
    if (a === undefined) throw new Stop('ENOPKG', `Unsupported pkey algo: ${oid ?? '(none)'}`);
    sinfo.pkeyAlgo = a.algo;
    sinfo.encoding = a.encoding;
  }
  const sig = f.need(TAG.OCTET_STRING);
  if (sig !== undefined) sinfo.signature = b.subarray(sig.body, sig.end);
  f.opt(0xa1, 0xa3);
  f.end();
  // pkcs7_note_signed_info
  if (msg.dataType === OID_MS_INDIRECT_DATA && sinfo.authattrs === undefined) {
    throw new Stop('EBADMSG', 'PKCS7: Authenticode requires AuthAttrs');
  }
  sinfo.authId = expectSkid ? rawSkid : rawSerial + rawIssuer;
  msg.signedInfos.push(sinfo);
}

function authAttributes(b: Uint8Array, aa: BerNode, msg: Pkcs7Message, sinfo: Pkcs7SignedInfo): void {
  const explicitSeq = (aa.tag & 0x1f) === 2;
  const list = explicitSeq ? fields(b, fields(b, aa).need(TAG.SEQUENCE) ?? aa) : fields(b, aa);
  for (let attr = list.opt(TAG.SEQUENCE); attr !== undefined; attr = list.opt(TAG.SEQUENCE)) {
    const af = fields(b, attr);
    const type = oidOf(b, af.need(TAG.OID));
    const values = af.need(TAG.SET);
    af.end();
    if (values === undefined) continue;
    const vf = fields(b, values);
    for (let val = vf.any(); val !== undefined; val = vf.any()) noteAuthAttr(b, type, val, msg, sinfo);
  }
  list.end();
  if (explicitSeq) return; // aaSequence carries no action in the grammar
  // pkcs7_sig_note_set_of_authattrs
  if (!sinfo.aaSet.has(OID_CONTENT_TYPE) || !sinfo.aaSet.has(OID_MESSAGE_DIGEST)) {
    throw new Stop('EBADMSG', 'PKCS7: Missing required AuthAttr');
  }
  if (msg.dataType !== OID_MS_INDIRECT_DATA && sinfo.aaSet.has(OID_MS_SP_OPUS_INFO)) {
    throw new Stop('EBADMSG', 'PKCS7: Unexpected Authenticode AuthAttr');
  }
  const digested = new Uint8Array(aa.next - aa.start);
  digested.set(b.subarray(aa.start, aa.next));
  digested[0] = 0x31;
  sinfo.authattrs = digested;
}

function noteAuthAttr(
  b: Uint8Array,
  type: string | undefined,
  val: BerNode,
  msg: Pkcs7Message,
  sinfo: Pkcs7SignedInfo,
): void {
  const once = (oid: string) => {
    if (sinfo.aaSet.has(oid))
      throw new Stop('EKEYREJECTED', 'PKCS7: Repeated/multivalue AuthAttrs not permitted');
    sinfo.aaSet.add(oid);
  };
  switch (type) {
    case OID_CONTENT_TYPE:
      once(type);
      if (berOid(b, val) !== msg.dataType) {
        throw new Stop('EBADMSG', `PKCS7: Mismatch between global data type and sinfo ${sinfo.index}`);
      }
      return;
    case OID_SIGNING_TIME:
      once(type);
      if (val.tag !== 0x17 && val.tag !== 0x18) throw BAD;
      return;
    case OID_MESSAGE_DIGEST:
      once(type);
      if (val.tag !== TAG.OCTET_STRING) throw BAD;
      sinfo.msgDigest = b.subarray(val.body, val.end);
      return;
    case OID_SMIME_CAPABILITIES:
      once(type);
      if (msg.dataType !== OID_MS_INDIRECT_DATA) {
        throw new Stop('EKEYREJECTED', 'PKCS7: S/MIME Caps only allowed with Authenticode');
      }
      return;
    case OID_MS_SP_OPUS_INFO:
    case OID_MS_STATEMENT_TYPE:
      once(type);
      if (msg.dataType !== OID_MS_INDIRECT_DATA) {
        throw new Stop('EKEYREJECTED', 'PKCS7: Authenticode AuthAttrs only allowed with Authenticode');
      }
      return;
    default:
  }
}

/** `pkcs7_check_authattrs`: all signers or none carry authenticated attributes. */
function checkAuthattrs(msg: Pkcs7Message): void {
  const first = msg.signedInfos[0];
  if (first === undefined) throw new Stop('EINVAL', 'PKCS7: Inconsistently supplied authAttrs');
  const want = first.authattrs !== undefined;
  if (want) msg.haveAuthattrs = true;
  for (const s of msg.signedInfos.slice(1)) {
    if ((s.authattrs !== undefined) !== want)
      throw new Stop('EINVAL', 'PKCS7: Inconsistently supplied authAttrs');
  }
}
