/**
 * A minimal DER writer for the structures the signer produces (certificates and PKCS#7 SignedData).
 * @module
 */

/** Encodes one element from its tag and contents. */
export function der(tag: number, ...contents: Uint8Array[]): Uint8Array {
  const len = contents.reduce((n, c) => n + c.length, 0);
  const head: number[] = [tag];
  if (len < 0x80) head.push(len);
  else {
    const bytes: number[] = [];
    for (let l = len; l > 0; l = Math.floor(l / 256)) bytes.unshift(l & 0xff);
    head.push(0x80 | bytes.length, ...bytes);
  }
  const out = new Uint8Array(head.length + len);
  out.set(head, 0);
  let at = head.length;
  for (const c of contents) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** `SEQUENCE { … }`. */
export const seq = (...c: Uint8Array[]): Uint8Array => der(0x30, ...c);
/** `SET { … }` (callers pass the members already in DER order). */
export const set = (...c: Uint8Array[]): Uint8Array => der(0x31, ...c);
/** `[n] EXPLICIT` / constructed context tag. */
export const ctx = (n: number, ...c: Uint8Array[]): Uint8Array => der(0xa0 | n, ...c);
/** `NULL`. */
export const nul = (): Uint8Array => der(0x05);
/** `OCTET STRING`. */
export const octets = (b: Uint8Array): Uint8Array => der(0x04, b);
/** `BIT STRING` with no unused bits. */
export const bits = (b: Uint8Array): Uint8Array => der(0x03, new Uint8Array([0]), b);
/** `UTF8String`. */
export const utf8 = (s: string): Uint8Array => der(0x0c, new TextEncoder().encode(s));
/** `BOOLEAN`. */
export const bool = (v: boolean): Uint8Array => der(0x01, new Uint8Array([v ? 0xff : 0]));

/** `INTEGER` from a non-negative bigint (minimal two's complement). */
export function int(v: bigint): Uint8Array {
  let h = v.toString(16);
  if (h.length % 2) h = `0${h}`;
  if (Number.parseInt(h.slice(0, 2), 16) & 0x80) h = `00${h}`;
  return der(0x02, Buffer.from(h, 'hex'));
}

/** `INTEGER` from raw big-endian bytes (a serial number), made positive and minimal. */
export function intBytes(b: Uint8Array): Uint8Array {
  let s = 0;
  while (s < b.length - 1 && b[s] === 0 && (b[s + 1] & 0x80) === 0) s++;
  const v = b.subarray(s);
  return v[0] & 0x80 ? der(0x02, new Uint8Array([0]), v) : der(0x02, v);
}

/** `OBJECT IDENTIFIER` from its dotted form. */
export function oid(dotted: string): Uint8Array {
  const p = dotted.split('.').map(Number);
  const out: number[] = [p[0] * 40 + p[1]];
  for (const v of p.slice(2)) {
    const chunk: number[] = [v & 0x7f];
    for (let x = Math.floor(v / 128); x > 0; x = Math.floor(x / 128)) chunk.unshift(0x80 | (x & 0x7f));
    out.push(...chunk);
  }
  return der(0x06, new Uint8Array(out));
}

/** `UTCTime` (years before 2050) or `GeneralizedTime`. */
export function time(d: Date): Uint8Array {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const y = d.getUTCFullYear();
  return y < 2050 && y >= 1950
    ? der(0x17, new TextEncoder().encode(`${iso.slice(2)}Z`))
    : der(0x18, new TextEncoder().encode(`${iso}Z`));
}
