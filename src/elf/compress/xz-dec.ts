/**
 * An `.xz` decoder with the behaviour of the kernel's xz-embedded (`xz_dec_run` in multi-call mode with
 * `XZ_DYNALLOC`): one stream (trailing bytes after its footer are ignored), integrity checks None and CRC32
 * only (the kernel is built without CRC64: other check types are `XZ_OPTIONS_ERROR`), filter chains LZMA2
 * or x86-BCJ + LZMA2, every size, padding, index and footer field verified. Returns the `enum xz_ret` the
 * kernel would print. Input that ends early leaves the decoder waiting: `XZ_OK`.
 * @see lib/xz/xz_dec_stream.c, lib/xz/xz_dec_lzma2.c, lib/xz/xz_dec_bcj.c (Linux 6.1)
 * @module
 */
import { crc32 } from 'node:zlib';
import { type OutputBuffer, OutputLimit } from './output-buffer.js';

/** `enum xz_ret`. */
export const XZ_RET = {
  /** Progress made, more input or output space needed. */
  XZ_OK: 0,
  /** The stream ended and verified. */
  XZ_STREAM_END: 1,
  /** An integrity check the decoder cannot verify (only with `XZ_DEC_ANY_CHECK`). */
  XZ_UNSUPPORTED_CHECK: 2,
  /** Allocation failed. */
  XZ_MEM_ERROR: 3,
  /** The dictionary exceeds the memory limit. */
  XZ_MEMLIMIT_ERROR: 4,
  /** Not an .xz stream. */
  XZ_FORMAT_ERROR: 5,
  /** Unsupported header options (check type, filter, flags). */
  XZ_OPTIONS_ERROR: 6,
  /** Corrupt data. */
  XZ_DATA_ERROR: 7,
  /** No progress possible (repeated call without progress). */
  XZ_BUF_ERROR: 8,
} as const;

/** One of {@link XZ_RET}'s values. */
export type XzRet = (typeof XZ_RET)[keyof typeof XZ_RET];

const { XZ_OK, XZ_STREAM_END, XZ_FORMAT_ERROR, XZ_OPTIONS_ERROR, XZ_DATA_ERROR } = XZ_RET;

/** Internal early exit carrying an `xz_ret`; caught in {@link xzDecode}. */
class XzStop {
  constructor(readonly ret: XzRet) {}
}
const data = () => new XzStop(XZ_DATA_ERROR);
const truncated = () => new XzStop(XZ_OK);

const HEADER_MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];

function le32(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

function crcOf(b: Uint8Array, s: number, e: number): number {
  return crc32(b.subarray(s, e)) >>> 0;
}

/** Reads a variable-length integer (`dec_vli`), at most 9 bytes. */
function vli(b: Uint8Array, at: { p: number }, end: number): number {
  let v = 0;
  for (let i = 0; i < 9; i++) {
    if (at.p >= end) throw truncated();
    const byte = b[at.p++];
    v += (byte & 0x7f) * 2 ** (7 * i);
    if ((byte & 0x80) === 0) {
      if (byte === 0 && i !== 0) throw data();
      return v;
    }
  }
  throw data();
}

/**
 * Decodes the first stream of `input` into `out`. `XZ_STREAM_END` on success; anything else is the status the
 * kernel prints. Throws {@link OutputLimit} through when `out` is full.
 */
export function xzDecode(input: Uint8Array, out: OutputBuffer): XzRet {
  try {
    return decodeStream(input, out);
  } catch (e) {
    if (e instanceof XzStop) return e.ret;
    throw e;
  }
}

function need(input: Uint8Array, end: number): void {
  if (end > input.length) throw truncated();
}

function decodeStream(b: Uint8Array, out: OutputBuffer): XzRet {
  need(b, 12);
  for (let i = 0; i < 6; i++) if (b[i] !== HEADER_MAGIC[i]) return XZ_FORMAT_ERROR;
  if (crcOf(b, 6, 8) !== le32(b, 8)) return XZ_DATA_ERROR;
  if (b[6] !== 0) return XZ_OPTIONS_ERROR;
  const checkType = b[7];
  if (checkType > 0x0f) return XZ_OPTIONS_ERROR;
  if (checkType > 1) return XZ_OPTIONS_ERROR;
  const checkSize = checkType === 1 ? 4 : 0;
  let p = 12;
  const records: [number, number][] = [];
  for (;;) {
    need(b, p + 1);
    if (b[p] === 0) break; // Index Indicator
    const headerSize = (b[p] + 1) * 4;
    need(b, p + headerSize);
    const block = blockHeader(b, p, headerSize);
    const start = out.pos;
    const lz = new Lzma2(b, p + headerSize, out, block.dictSize);
    const compressedEnd = lz.run(block.compressed);
    const compressed = compressedEnd - (p + headerSize);
    const uncompressed = out.pos - start;
    if (block.compressed !== undefined && compressed !== block.compressed) throw data();
    if (block.uncompressed !== undefined && uncompressed !== block.uncompressed) throw data();
    if (block.bcj) bcjX86(out.buf, start, out.pos);
    // Block Padding to a multiple of four, all zeros.
    let q = compressedEnd;
    while ((q - p) % 4 !== 0) {
      need(b, q + 1);
      if (b[q++] !== 0) throw data();
    }
    need(b, q + checkSize);
    if (checkType === 1 && crcOf(out.buf, start, out.pos) !== le32(b, q)) throw data();
    records.push([headerSize + compressed + checkSize, uncompressed]);
    p = q + checkSize;
  }
  // Index
  const indexStart = p;
  const at = { p: p + 1 };
  const count = vli(b, at, b.length);
  if (count !== records.length) throw data();
  for (const [unpadded, uncompressed] of records) {
    if (vli(b, at, b.length) !== unpadded) throw data();
    if (vli(b, at, b.length) !== uncompressed) throw data();
  }
  while ((at.p - indexStart) % 4 !== 0) {
    need(b, at.p + 1);
    if (b[at.p++] !== 0) throw data();
  }
  need(b, at.p + 4);
  if (crcOf(b, indexStart, at.p) !== le32(b, at.p)) throw data();
  const footer = at.p + 4;
  need(b, footer + 12);
  if (crcOf(b, footer + 4, footer + 10) !== le32(b, footer)) throw data();
  if ((le32(b, footer + 4) + 1) * 4 !== footer - indexStart) throw data();
  if (b[footer + 8] !== 0 || b[footer + 9] !== checkType) throw data();
  if (b[footer + 10] !== 0x59 || b[footer + 11] !== 0x5a) throw data();
  return XZ_STREAM_END;
}

interface BlockHeader {
  readonly compressed: number | undefined;
  readonly uncompressed: number | undefined;
  readonly bcj: boolean;
  readonly dictSize: number;
}

/** `dec_block_header`. */
function blockHeader(b: Uint8Array, p: number, size: number): BlockHeader {
  const end = p + size - 4;
  if (crcOf(b, p, end) !== le32(b, end)) throw data();
  const flags = b[p + 1];
  if (flags & 0x3e) throw new XzStop(XZ_OPTIONS_ERROR);
  const at = { p: p + 2 };
  const vliIn = () => {
    try {
      return vli(b, at, end);
    } catch {
      throw data();
    }
  };
  const compressed = flags & 0x40 ? vliIn() : undefined;
  const uncompressed = flags & 0x80 ? vliIn() : undefined;
  const bcj = (flags & 0x01) !== 0;
  if (bcj) {
    if (end - at.p < 2) throw new XzStop(XZ_OPTIONS_ERROR);
    // Only the x86 filter (ID 4) is built into this decoder.
    if (b[at.p++] !== 0x04) throw new XzStop(XZ_OPTIONS_ERROR);
    if (b[at.p++] !== 0x00) throw new XzStop(XZ_OPTIONS_ERROR);
  }
  if (end - at.p < 2) throw data();
  if (b[at.p++] !== 0x21) throw new XzStop(XZ_OPTIONS_ERROR);
  if (b[at.p++] !== 0x01) throw new XzStop(XZ_OPTIONS_ERROR);
  if (end - at.p < 1) throw data();
  const props = b[at.p++];
  if (props > 39) throw new XzStop(XZ_OPTIONS_ERROR);
  const dictSize = (2 | (props & 1)) * 2 ** (Math.floor(props / 2) + 11);
  while (at.p < end) if (b[at.p++] !== 0) throw new XzStop(XZ_OPTIONS_ERROR);
  return { compressed, uncompressed, bcj, dictSize };
}

const PROB_INIT = 1024;
const STATES = 12;
const POS_STATES_MAX = 16;
const LITERAL_CODER_SIZE = 0x300;
const LITERAL_CODERS_MAX = 16;
// Probability array layout.
const IS_MATCH = 0;
const IS_REP = IS_MATCH + STATES * POS_STATES_MAX;
const IS_REP0 = IS_REP + STATES;
const IS_REP1 = IS_REP0 + STATES;
const IS_REP2 = IS_REP1 + STATES;
const IS_REP0_LONG = IS_REP2 + STATES;
const DIST_SLOT = IS_REP0_LONG + STATES * POS_STATES_MAX;
const DIST_SPECIAL = DIST_SLOT + 4 * 64;
const DIST_ALIGN = DIST_SPECIAL + 114;
const MATCH_LEN = DIST_ALIGN + 16;
const LEN_SIZE = 2 + POS_STATES_MAX * 8 * 2 + 256;
const REP_LEN = MATCH_LEN + LEN_SIZE;
const LITERAL = REP_LEN + LEN_SIZE;
const PROBS = LITERAL + LITERAL_CODER_SIZE * LITERAL_CODERS_MAX;

/** An LZMA2 decoder writing into the whole-output buffer, which doubles as its dictionary. */
class Lzma2 {
  private readonly probs = new Uint16Array(PROBS);
  private range = 0;
  private code = 0;
  private inPos: number;
  private inEnd = 0;
  private state = 0;
  private rep0 = 0;
  private rep1 = 0;
  private rep2 = 0;
  private rep3 = 0;
  private pendingLen = 0;
  private lc = 0;
  private lpMask = 0;
  private pbMask = 0;
  private dictStart = 0;
  private needDictReset = true;
  private needProps = true;

  constructor(
    private readonly b: Uint8Array,
    start: number,
    private readonly out: OutputBuffer,
    private readonly dictSize: number,
  ) {
    this.inPos = start;
  }

  /** Decodes chunks until the end marker; returns the input position after it. */
  run(compressedLimit: number | undefined): number {
    const b = this.b;
    const start = this.inPos;
    for (;;) {
      if (compressedLimit !== undefined && this.inPos - start >= compressedLimit) throw data();
      if (this.inPos >= b.length) throw truncated();
      const control = b[this.inPos++];
      if (control === 0x00) return this.inPos;
      if (control >= 0xe0 || control === 0x01) {
        this.needProps = true;
        this.needDictReset = false;
        this.dictStart = this.out.pos;
      } else if (this.needDictReset) throw data();
      if (control >= 0x80) {
        need(b, this.inPos + 4);
        const unpacked = (control & 0x1f) * 65536 + (b[this.inPos] << 8) + b[this.inPos + 1] + 1;
        const packed = (b[this.inPos + 2] << 8) + b[this.inPos + 3] + 1;
        this.inPos += 4;
        if (control >= 0xc0) {
          need(b, this.inPos + 1);
          this.setProps(b[this.inPos++]);
          this.needProps = false;
          this.reset();
        } else if (this.needProps) throw data();
        else if (control >= 0xa0) this.reset();
        this.chunk(unpacked, packed);
      } else {
        if (control > 0x02) throw data();
        need(b, this.inPos + 2);
        const size = (b[this.inPos] << 8) + b[this.inPos + 1] + 1;
        this.inPos += 2;
        need(b, this.inPos + size);
        this.out.write(b.subarray(this.inPos, this.inPos + size));
        this.inPos += size;
      }
    }
  }

  private setProps(props: number): void {
    if (props > (4 * 5 + 4) * 9 + 8) throw data();
    const pb = Math.floor(props / 45);
    const rest = props % 45;
    const lp = Math.floor(rest / 9);
    const lc = rest % 9;
    if (lc + lp > 4) throw data();
    this.lc = lc;
    this.lpMask = (1 << lp) - 1;
    this.pbMask = (1 << pb) - 1;
  }

  private reset(): void {
    this.probs.fill(PROB_INIT);
    this.state = 0;
    this.rep0 = this.rep1 = this.rep2 = this.rep3 = 0;
    this.pendingLen = 0;
  }

  private normalize(): void {
    if (this.range < 0x1000000) {
      if (this.inPos >= this.b.length) throw truncated();
      if (this.inPos >= this.inEnd) throw data();
      this.range = (this.range << 8) >>> 0;
      this.code = ((this.code << 8) | this.b[this.inPos++]) >>> 0;
    }
  }

  private bit(i: number): number {
    this.normalize();
    const p = this.probs[i];
    const bound = (this.range >>> 11) * p;
    if (this.code < bound) {
      this.range = bound;
      this.probs[i] = p + ((2048 - p) >>> 5);
      return 0;
    }
    this.range = (this.range - bound) >>> 0;
    this.code = (this.code - bound) >>> 0;
    this.probs[i] = p - (p >>> 5);
    return 1;
  }

  private tree(base: number, bits: number): number {
    let s = 1;
    for (let i = 0; i < bits; i++) s = (s << 1) | this.bit(base + s);
    return s - (1 << bits);
  }

  private reverse(base: number, bits: number): number {
    let s = 1;
    let r = 0;
    for (let i = 0; i < bits; i++) {
      const bit = this.bit(base + s);
      s = (s << 1) | bit;
      r |= bit << i;
    }
    return r;
  }

  private direct(bits: number): number {
    let r = 0;
    for (let i = 0; i < bits; i++) {
      this.normalize();
      this.range >>>= 1;
      let bit = 0;
      if (this.code >= this.range) {
        this.code = (this.code - this.range) >>> 0;
        bit = 1;
      }
      r = ((r << 1) | bit) >>> 0;
    }
    return r;
  }

  private len(base: number, posState: number): number {
    if (this.bit(base) === 0) return 2 + this.tree(base + 2 + posState * 8, 3);
    if (this.bit(base + 1) === 0) return 10 + this.tree(base + 2 + POS_STATES_MAX * 8 + posState * 8, 3);
    return 18 + this.tree(base + 2 + POS_STATES_MAX * 16, 8);
  }

  /** Copies `n` bytes from distance `rep0 + 1`, within the chunk's limit (a match may not cross chunks). */
  private repeat(n: number, limit: number): void {
    const out = this.out;
    const full = Math.min(out.pos - this.dictStart, this.dictSize);
    if (this.rep0 >= full) throw data();
    const k = Math.min(n, limit - out.pos);
    out.ensure(k);
    const buf = out.buf;
    let src = out.pos - this.rep0 - 1;
    for (let i = 0; i < k; i++) buf[out.pos++] = buf[src++];
    this.pendingLen = n - k;
  }

  private chunk(unpacked: number, packed: number): void {
    const b = this.b;
    this.inEnd = this.inPos + packed;
    const chunkEnd = this.inEnd;
    if (this.inPos + 5 > b.length) throw truncated();
    this.range = 0xffffffff;
    this.code = 0;
    for (let i = 0; i < 5; i++) this.code = ((this.code << 8) | b[this.inPos++]) >>> 0;
    const out = this.out;
    const limit = out.pos + unpacked;
    if (limit > out.limit) throw new OutputLimit(out.limit);
    out.ensure(unpacked);
    while (out.pos < limit) {
      const posState = out.pos & this.pbMask;
      const state = this.state;
      if (this.bit(IS_MATCH + state * POS_STATES_MAX + posState) === 0) {
        this.literal();
        continue;
      }
      let n: number;
      if (this.bit(IS_REP + state) === 0) {
        this.state = state < 7 ? 7 : 10;
        this.rep3 = this.rep2;
        this.rep2 = this.rep1;
        this.rep1 = this.rep0;
        n = this.len(MATCH_LEN, posState);
        this.rep0 = this.distance(n);
      } else {
        if (this.bit(IS_REP0 + state) === 0) {
          if (this.bit(IS_REP0_LONG + state * POS_STATES_MAX + posState) === 0) {
            this.state = state < 7 ? 9 : 11;
            this.repeat(1, limit);
            continue;
          }
        } else {
          let d: number;
          if (this.bit(IS_REP1 + state) === 0) d = this.rep1;
          else {
            if (this.bit(IS_REP2 + state) === 0) d = this.rep2;
            else {
              d = this.rep3;
              this.rep3 = this.rep2;
            }
            this.rep2 = this.rep1;
          }
          this.rep1 = this.rep0;
          this.rep0 = d;
        }
        this.state = state < 7 ? 8 : 11;
        n = this.len(REP_LEN, posState);
      }
      this.repeat(n, limit);
    }
    // lzma_main leaves the range decoder normalized; then rc_is_finished, no match left over, and the
    // chunk's compressed size used exactly.
    this.normalize();
    if (this.code !== 0 || this.inPos !== chunkEnd || this.pendingLen !== 0) throw data();
  }

  private distance(len: number): number {
    const lenState = Math.min(len - 2, 3);
    const slot = this.tree(DIST_SLOT + lenState * 64, 6);
    if (slot < 4) return slot;
    const limit = (slot >>> 1) - 1;
    let d = ((2 | (slot & 1)) << limit) >>> 0;
    if (slot < 14) return (d + this.reverse(DIST_SPECIAL + d - slot - 1, limit)) >>> 0;
    d = (d + ((this.direct(limit - 4) << 4) >>> 0)) >>> 0;
    return (d + this.reverse(DIST_ALIGN - 1, 4)) >>> 0;
  }

  private literal(): void {
    const out = this.out;
    const pos = out.pos;
    const prev = pos > this.dictStart ? out.buf[pos - 1] : 0;
    const base = LITERAL + LITERAL_CODER_SIZE * (((pos & this.lpMask) << this.lc) + (prev >>> (8 - this.lc)));
    let s = 1;
    if (this.state < 7) {
      while (s < 0x100) s = (s << 1) | this.bit(base + s);
    } else {
      const full = Math.min(pos - this.dictStart, this.dictSize);
      if (this.rep0 >= full) throw data();
      let matchByte = out.buf[pos - this.rep0 - 1] << 1;
      let offset = 0x100;
      while (s < 0x100) {
        const matchBit = matchByte & offset;
        matchByte <<= 1;
        const bit = this.bit(base + offset + matchBit + s);
        s = (s << 1) | bit;
        offset = bit ? matchBit : offset & ~matchBit;
      }
    }
    out.buf[out.pos++] = s & 0xff;
    this.state = this.state < 4 ? 0 : this.state < 10 ? this.state - 3 : this.state - 6;
  }
}

const BCJ_ALLOWED = [true, true, true, false, true, false, false, false];
const BCJ_BIT_NUM = [0, 1, 2, 2, 3, 3, 3, 3];
const msbyte = (b: number) => b === 0x00 || b === 0xff;

/** `bcj_x86` over one block's output (its position counter starts at 0 for each block). */
function bcjX86(buf: Uint8Array, start: number, end: number): void {
  const size = end - start;
  if (size <= 4) return;
  let prevPos = -1;
  let prevMask = 0;
  for (let i = 0; i < size - 4; i++) {
    const at = start + i;
    if ((buf[at] & 0xfe) !== 0xe8) continue;
    const gap = i - prevPos;
    if (gap > 3) prevMask = 0;
    else {
      prevMask = (prevMask << (gap - 1)) & 7;
      if (prevMask !== 0) {
        const b = buf[at + 4 - BCJ_BIT_NUM[prevMask]];
        if (!BCJ_ALLOWED[prevMask] || msbyte(b)) {
          prevPos = i;
          prevMask = (prevMask << 1) | 1;
          continue;
        }
      }
    }
    prevPos = i;
    if (msbyte(buf[at + 4])) {
      let src = le32(buf, at + 1);
      let dest: number;
      for (;;) {
        dest = (src - (i + 5)) >>> 0;
        if (prevMask === 0) break;
        const j = BCJ_BIT_NUM[prevMask] * 8;
        const b = (dest >>> (24 - j)) & 0xff;
        if (!msbyte(b)) break;
        src = (dest ^ (2 ** (32 - j) - 1)) >>> 0;
      }
      dest &= 0x01ffffff;
      dest = (dest | -(dest & 0x01000000)) >>> 0;
      buf[at + 1] = dest & 0xff;
      buf[at + 2] = (dest >>> 8) & 0xff;
      buf[at + 3] = (dest >>> 16) & 0xff;
      buf[at + 4] = dest >>> 24;
      i += 4;
    } else prevMask = (prevMask << 1) | 1;
  }
}
