/**
 * A growable output buffer with a hard limit: the simulated kernel's pages for a decompressed module
 * (`module_get_next_page`), which run out — ENOMEM — instead of the host running out of memory.
 * @see kernel/module/decompress.c module_extend_max_pages, module_get_next_page
 * @module
 */

/** Thrown inside a decoder when the limit is reached; caught by the decompressor, never escapes. */
export class OutputLimit {
  constructor(readonly limit: number) {}
}

/** Bytes written so far, growing by doubling up to `limit`. */
export class OutputBuffer {
  buf: Uint8Array;
  pos = 0;

  constructor(
    readonly limit: number,
    initial: number,
  ) {
    this.buf = new Uint8Array(Math.max(64, Math.min(limit, initial)));
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    if (need > this.limit) throw new OutputLimit(this.limit);
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(Math.min(size, this.limit));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** Appends bytes. */
  write(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** The bytes written. */
  result(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}
