/**
 * A growable byte buffer with typed, endian-aware writes: the one place the builders turn numbers into bytes.
 * @module
 */

const encoder = new TextEncoder();

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** A growable byte buffer written front to back; fields can be patched later by offset. */
export class ByteBuffer {
  private buf: Uint8Array;
  private view: DataView;
  private len = 0;

  /** @param littleEndian byte order of the multi-byte writes. @param capacity initial capacity. */
  constructor(
    readonly littleEndian: boolean,
    capacity = 256,
  ) {
    this.buf = new Uint8Array(Math.max(16, capacity));
    this.view = new DataView(this.buf.buffer);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.len;
  }

  private reserve(extra: number): number {
    const at = this.len;
    const need = at + extra;
    if (need > this.buf.length) {
      let cap = this.buf.length * 2;
      while (cap < need) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
      this.view = new DataView(next.buffer);
    }
    this.len = need;
    return at;
  }

  /** Appends one byte. */
  u8(v: number): this {
    const at = this.reserve(1);
    this.buf[at] = v & 0xff;
    return this;
  }

  /** Appends a 16-bit value. */
  u16(v: number): this {
    const at = this.reserve(2);
    this.view.setUint16(at, v & 0xffff, this.littleEndian);
    return this;
  }

  /** Appends a 32-bit value (negative numbers are written in two's complement). */
  u32(v: number): this {
    const at = this.reserve(4);
    this.view.setUint32(at, v >>> 0, this.littleEndian);
    return this;
  }

  /** Appends a 64-bit value (negative values are written in two's complement). */
  u64(v: bigint | number): this {
    const at = this.reserve(8);
    this.view.setBigUint64(at, BigInt.asUintN(64, BigInt(v)), this.littleEndian);
    return this;
  }

  /** Appends a 4- or 8-byte word. */
  word(v: bigint | number, width: 4 | 8): this {
    return width === 8 ? this.u64(v) : this.u32(Number(BigInt.asUintN(32, BigInt(v))));
  }

  /** Appends raw bytes. */
  bytes(data: Uint8Array | readonly number[]): this {
    const at = this.reserve(data.length);
    this.buf.set(data, at);
    return this;
  }

  /** Appends `n` copies of `fill`. */
  fill(n: number, fill = 0): this {
    const at = this.reserve(n);
    if (fill !== 0) this.buf.fill(fill, at, at + n);
    return this;
  }

  /** Appends a string's UTF-8 bytes and a NUL. */
  cstring(text: string): this {
    return this.bytes(utf8(text)).u8(0);
  }

  /** Pads with `fill` up to a multiple of `align` (≥ 1). */
  align(align: number, fill = 0): this {
    const rem = align > 1 ? this.len % align : 0;
    return rem === 0 ? this : this.fill(align - rem, fill);
  }

  /** Overwrites a 32-bit value at `offset`. */
  setU32(offset: number, v: number): this {
    this.view.setUint32(offset, v >>> 0, this.littleEndian);
    return this;
  }

  /** Overwrites a 64-bit value at `offset`. */
  setU64(offset: number, v: bigint | number): this {
    this.view.setBigUint64(offset, BigInt.asUintN(64, BigInt(v)), this.littleEndian);
    return this;
  }

  /** Overwrites bytes at `offset`. */
  setBytes(offset: number, data: Uint8Array): this {
    this.buf.set(data, offset);
    return this;
  }

  /** A copy of the bytes written. */
  toBytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}
