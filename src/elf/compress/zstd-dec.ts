/**
 * Zstandard decoding as the kernel's `module_zstd_decompress` sees it: `zstd_get_frame_header` checks (with
 * the 64-bit `ZSTD_WINDOWLOG_MAX` of 31), the first frame only (the loop stops when a frame ends), blocks
 * decoded by fzstd, the content checksum verified (fzstd skips it), no dictionary. Input that ends inside the
 * frame is not an error to the kernel's loop: the blocks decoded so far are the result.
 * @see kernel/module/decompress.c module_zstd_decompress; lib/zstd/decompress/zstd_decompress.c
 * @module
 */
import { Decompress } from 'fzstd';
import { OutputBuffer, OutputLimit } from './output-buffer.js';
import { xxh64 } from './xxhash64.js';

/** `ZSTD_WINDOWLOG_MAX` on 64-bit kernels. */
export const ZSTD_WINDOWLOG_MAX = 31;
/** `ZSTD_error_corruption_detected`. */
export const ZSTD_ERROR_CORRUPTION_DETECTED = 20;
/** `ZSTD_error_checksum_wrong`. */
export const ZSTD_ERROR_CHECKSUM_WRONG = 22;
/** `ZSTD_error_dictionary_wrong`. */
export const ZSTD_ERROR_DICTIONARY_WRONG = 32;

/** `zstd_frame_header`, the fields the loader uses. */
export interface ZstdFrameHeader {
  /** Header length in bytes. */
  readonly headerSize: number;
  /** `windowSize`. */
  readonly windowSize: number;
  /** `frameContentSize`, when declared. */
  readonly contentSize: number | undefined;
  /** `dictID`. */
  readonly dictId: number;
  /** Content checksum present. */
  readonly checksum: boolean;
  /** A skippable frame. */
  readonly skippable: boolean;
}

/** `zstd_get_frame_header`: the header, or `undefined` when it is incomplete or invalid. */
export function zstdFrameHeader(b: Uint8Array): ZstdFrameHeader | undefined {
  if (b.length < 5) return undefined;
  const magic = (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
  if ((magic & 0xfffffff0) === 0x184d2a50) {
    return b.length < 8
      ? undefined
      : { headerSize: 8, windowSize: 0, contentSize: undefined, dictId: 0, checksum: false, skippable: true };
  }
  if (magic !== 0xfd2fb528) return undefined;
  const fhd = b[4];
  const fcsFlag = fhd >> 6;
  const single = (fhd >> 5) & 1;
  const dictFlag = fhd & 3;
  const dictSize = [0, 1, 2, 4][dictFlag];
  const fcsSize = [single ? 1 : 0, 2, 4, 8][fcsFlag];
  const headerSize = 5 + (single ? 0 : 1) + dictSize + fcsSize;
  if (b.length < headerSize) return undefined;
  if (fhd & 0x08) return undefined; // reserved bit: frameParameter_unsupported
  let p = 5;
  let windowSize = 0;
  if (!single) {
    const wd = b[p++];
    const windowLog = 10 + (wd >> 3);
    if (windowLog > ZSTD_WINDOWLOG_MAX) return undefined;
    const base = 2 ** windowLog;
    windowSize = base + (base / 8) * (wd & 7);
  }
  let dictId = 0;
  for (let i = 0; i < dictSize; i++) dictId += b[p++] * 2 ** (8 * i);
  let contentSize: number | undefined;
  if (fcsSize > 0) {
    contentSize = 0;
    for (let i = 0; i < fcsSize; i++) contentSize += b[p++] * 2 ** (8 * i);
    if (fcsSize === 2) contentSize += 256;
  }
  if (single) windowSize = contentSize ?? 0;
  return { headerSize, windowSize, contentSize, dictId, checksum: (fhd & 0x04) !== 0, skippable: false };
}

/** Where the first frame ends (after its checksum), or `undefined` when the input ends first. */
function frameEnd(b: Uint8Array, h: ZstdFrameHeader): number | 'corrupt' | undefined {
  let p = h.headerSize;
  for (;;) {
    if (p + 3 > b.length) return undefined;
    const bh = b[p] | (b[p + 1] << 8) | (b[p + 2] << 16);
    const type = (bh >> 1) & 3;
    const size = bh >>> 3;
    if (type === 3) return 'corrupt';
    p += 3 + (type === 1 ? 1 : size);
    if (bh & 1) break;
  }
  p += h.checksum ? 4 : 0;
  return p > b.length ? undefined : p;
}

/** The outcome of decoding: bytes, or the `ZSTD_ErrorCode` the kernel prints. */
export type ZstdOutcome =
  | { readonly ok: true; readonly data: Uint8Array }
  | { readonly ok: false; readonly code: number };

/** Decodes the first frame of `b` (whose header is `h`) into at most `limit` bytes. */
export function zstdDecodeFrame(b: Uint8Array, h: ZstdFrameHeader, limit: number): ZstdOutcome {
  if (h.skippable) return { ok: true, data: new Uint8Array(0) };
  if (h.dictId !== 0) return { ok: false, code: ZSTD_ERROR_DICTIONARY_WRONG };
  const end = frameEnd(b, h);
  if (end === 'corrupt') return { ok: false, code: ZSTD_ERROR_CORRUPTION_DETECTED };
  const out = new OutputBuffer(limit, Math.min(h.contentSize ?? b.length * 4, limit));
  const d = new Decompress((chunk) => out.write(chunk));
  try {
    d.push(end === undefined ? b : b.subarray(0, end), true);
  } catch (e) {
    if (e instanceof OutputLimit) throw e;
    // Input ending inside the frame: the kernel's loop stops without an error code.
    if (end === undefined) return { ok: true, data: out.result() };
    return { ok: false, code: ZSTD_ERROR_CORRUPTION_DETECTED };
  }
  const data = out.result();
  if (end === undefined) return { ok: true, data };
  if (h.contentSize !== undefined && data.length !== h.contentSize) {
    return { ok: false, code: ZSTD_ERROR_CORRUPTION_DETECTED };
  }
  if (h.checksum) {
    const want = (b[end - 4] | (b[end - 3] << 8) | (b[end - 2] << 16) | (b[end - 1] << 24)) >>> 0;
    if (Number(xxh64(data) & 0xffffffffn) !== want) return { ok: false, code: ZSTD_ERROR_CHECKSUM_WRONG };
  }
  return { ok: true, data };
}
