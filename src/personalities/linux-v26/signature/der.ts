/**
 * A bounded DER reader: tag, length and content offsets, no copies. Enough of ASN.1 for PKCS#7 SignedData and
 * X.509 certificates. Every failure is `undefined` (the callers answer EBADMSG).
 * @see crypto/asn1_decoder.c
 * @module
 */

/** One DER element over a byte array. */
export interface DerNode {
  /** Tag byte (class, constructed bit, number < 31). */
  readonly tag: number;
  /** Offset of the tag byte. */
  readonly start: number;
  /** Offset of the contents. */
  readonly body: number;
  /** Offset just past the contents. */
  readonly end: number;
}

/** Reads the element at `pos`, not going past `limit`. */
export function derRead(b: Uint8Array, pos: number, limit: number): DerNode | undefined {
  if (pos + 2 > limit) return undefined;
  const tag = b[pos];
  if ((tag & 0x1f) === 0x1f) return undefined;
  let len = b[pos + 1];
  let body = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || body + n > limit) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[body + i];
    body += n;
  }
  const end = body + len;
  if (end > limit) return undefined;
  return { tag, start: pos, body, end };
}

/** The children of a constructed element, in order (`undefined` if one is malformed). */
export function derChildren(b: Uint8Array, n: DerNode): DerNode[] | undefined {
  const out: DerNode[] = [];
  for (let p = n.body; p < n.end; ) {
    const c = derRead(b, p, n.end);
    if (c === undefined) return undefined;
    out.push(c);
    p = c.end;
  }
  return out;
}

/** The dotted form of an OBJECT IDENTIFIER element. */
export function derOid(b: Uint8Array, n: DerNode): string | undefined {
  if (n.tag !== 0x06 || n.end <= n.body) return undefined;
  const parts: number[] = [];
  let v = 0;
  for (let i = n.body; i < n.end; i++) {
    v = v * 128 + (b[i] & 0x7f);
    if ((b[i] & 0x80) === 0) {
      if (parts.length === 0) parts.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

/** Whether two byte ranges are equal. */
export function bytesEqual(
  a: Uint8Array,
  as: number,
  ae: number,
  b: Uint8Array,
  bs: number,
  be: number,
): boolean {
  if (ae - as !== be - bs) return false;
  for (let i = 0; i < ae - as; i++) if (a[as + i] !== b[bs + i]) return false;
  return true;
}
