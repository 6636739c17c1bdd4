/**
 * depmod's dependency symbols of every module, kept as bytes until every module's exports are known: one
 * growing byte arena and parallel typed arrays rather than an object, a string and a `bigint` per symbol (about
 * 180,000 on a distribution tree), which every young-generation collection would otherwise copy.
 * @module
 */
import { Buffer } from 'node:buffer';

type Slicer = (this: Buffer, start: number, end: number) => string;
/** `Buffer#latin1Slice` (not in the typings), else `toString('latin1', …)`. */
const latin1Slice: Slicer =
  (Buffer.prototype as unknown as { latin1Slice?: Slicer }).latin1Slice ??
  function (this: Buffer, start: number, end: number): string {
    return this.toString('latin1', start, end);
  };

/** Symbols appended in order; each module keeps the range of indices it added. */
export class DepSymbolArena {
  private bytes = Buffer.allocUnsafe(1 << 20);
  private ends = new Int32Array(1 << 14);
  private crcs = new BigUint64Array(1 << 14);
  private weak = new Uint8Array(1 << 14);
  /** Number of symbols held. */
  count = 0;

  /** Appends the symbol named by `src[start, end)`. */
  add(src: Uint8Array, start: number, end: number, crc: bigint, weak: boolean): void {
    const used = this.end(this.count);
    const len = end - start;
    if (used + len > this.bytes.length) {
      const bigger = Buffer.allocUnsafe(Math.max(used + len, this.bytes.length * 2));
      this.bytes.copy(bigger, 0, 0, used);
      this.bytes = bigger;
    }
    if (this.count === this.ends.length) this.grow();
    // Names are short: a loop beats a subarray view per name.
    const b = this.bytes;
    for (let k = 0; k < len; k++) b[used + k] = src[start + k];
    const i = this.count++;
    this.ends[i] = used + len;
    this.crcs[i] = crc;
    this.weak[i] = weak ? 1 : 0;
  }

  /** Drops every symbol from index `count` on (a module whose list failed part-way). */
  truncate(count: number): void {
    if (count < this.count) this.count = count;
  }

  /** Symbol `i`'s name as a byte string (one character per byte). */
  name(i: number): string {
    return latin1Slice.call(this.bytes, this.end(i), this.ends[i]);
  }

  /** Symbol `i`'s CRC. */
  crc(i: number): bigint {
    return this.crcs[i];
  }

  /** Whether symbol `i` is weak. */
  isWeak(i: number): boolean {
    return this.weak[i] !== 0;
  }

  /** Where symbol `i` starts: the end of the one before. */
  private end(i: number): number {
    return i === 0 ? 0 : this.ends[i - 1];
  }

  private grow(): void {
    const n = this.ends.length * 2;
    const ends = new Int32Array(n);
    ends.set(this.ends);
    const crcs = new BigUint64Array(n);
    crcs.set(this.crcs);
    const weak = new Uint8Array(n);
    weak.set(this.weak);
    this.ends = ends;
    this.crcs = crcs;
    this.weak = weak;
  }
}
