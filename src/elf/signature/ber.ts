/**
 * A bounded BER reader with the limits of the kernel's `asn1_ber_decoder`: single-byte tags only, at most two
 * length bytes, indefinite lengths only on constructed elements (closed by an end-of-contents pair), at most
 * ten nested constructed elements, and a whole message of at most 65535 bytes. No copies: elements are
 * offsets into the input. Every failure is a value.
 * @see lib/asn1_decoder.c asn1_ber_decoder
 * @module
 */

/** One element: its tag byte and where its header and contents lie. */
export interface BerNode {
  /** Tag byte (class, constructed bit, number < 31). */
  readonly tag: number;
  /** Offset of the tag byte. */
  readonly start: number;
  /** Offset of the contents. */
  readonly body: number;
  /** Offset just past the contents (before the end-of-contents pair of an indefinite length). */
  readonly end: number;
  /** Offset just past the whole element (after the end-of-contents pair, if any). */
  readonly next: number;
  /** Nesting depth of constructed elements around it. */
  readonly depth: number;
}

/** Why the decoder stopped; the kernel returns EBADMSG for all of them (`asn1_ber_decoder`'s `errmsg`). */
export type BerFailure =
  | 'Data overrun error'
  | 'Long tag not supported'
  | 'Unsupported length'
  | 'Indefinite len primitive not permitted'
  | 'Cons stack overflow'
  | 'Missing EOC in indefinite len cons'
  | 'Invalid length EOC';

/** `NR_CONS_STACK` of lib/asn1_decoder.c. */
export const BER_MAX_DEPTH = 10;
/** Largest message `asn1_ber_decoder` accepts (larger ones get EMSGSIZE). */
export const BER_MAX_LENGTH = 65535;

/** The universal tags the PKCS#7/X.509 walkers look for. */
export const TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Reads the element at `pos`, not past `limit`. */
export function berRead(b: Uint8Array, pos: number, limit: number, depth = 0): BerNode | BerFailure {
  if (pos + 2 > limit) return 'Data overrun error';
  const tag = b[pos];
  if ((tag & 0x1f) === 0x1f) return 'Long tag not supported';
  const constructed = (tag & 0x20) !== 0;
  if (constructed && depth >= BER_MAX_DEPTH) return 'Cons stack overflow';
  let len = b[pos + 1];
  let body = pos + 2;
  if (len === 0x80) {
    if (!constructed) return 'Indefinite len primitive not permitted';
    // Walk the children to find the end-of-contents pair.
    let p = body;
    for (;;) {
      if (limit - p < 2) return 'Data overrun error';
      if (b[p] === 0) {
        if (b[p + 1] !== 0) return 'Invalid length EOC';
        return { tag, start: pos, body, end: p, next: p + 2, depth };
      }
      const c = berRead(b, p, limit, depth + 1);
      if (typeof c === 'string') return c;
      p = c.next;
    }
  }
  if (len > 0x7f) {
    const n = len - 0x80;
    if (n > 2) return 'Unsupported length';
    if (body + n >= limit) return 'Data overrun error';
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[body + i];
    body += n;
  }
  if (len > limit - body) return 'Data overrun error';
  return { tag, start: pos, body, end: body + len, next: body + len, depth };
}

/** The children of a constructed element, in order, or the failure met on the way. */
export function berChildren(b: Uint8Array, n: BerNode): BerNode[] | BerFailure {
  const out: BerNode[] = [];
  for (let p = n.body; p < n.end; ) {
    const c = berRead(b, p, n.end, n.depth + ((n.tag & 0x20) !== 0 ? 1 : 0));
    if (typeof c === 'string') return c;
    out.push(c);
    p = c.next;
  }
  return out;
}

/** The dotted form of an OBJECT IDENTIFIER's contents. */
export function berOid(b: Uint8Array, n: BerNode): string {
  let out = '';
  let v = 0;
  for (let i = n.body; i < n.end; i++) {
    v = v * 128 + (b[i] & 0x7f);
    if ((b[i] & 0x80) === 0) {
      if (out === '') out = v < 80 ? `${Math.floor(v / 40)}.${v % 40}` : `2.${v - 80}`;
      else out += `.${v}`;
      v = 0;
    }
  }
  return out;
}

/** Lowercase hex of `b[s, e)`. */
export function hexOf(b: Uint8Array, s: number, e: number): string {
  return Buffer.from(b.buffer, b.byteOffset + s, e - s).toString('hex');
}
