/**
 * `module_decompress` for `finit_module(…, MODULE_INIT_COMPRESSED_FILE)`: one algorithm per kernel
 * (`CONFIG_MODULE_COMPRESS_{GZIP,XZ,ZSTD}`), the kernel's magic checks and messages, and a page budget: the
 * kernel grows its page array until memory runs out (ENOMEM); the simulation stops at `maxOutput` bytes with
 * the same errno instead of exhausting the host.
 * - gzip: the 10-byte header plus an optional file name is skipped by hand (other header flags are not
 *   understood), then raw inflate until `Z_STREAM_END`; the trailer (CRC32, ISIZE) is never read.
 * - xz: xz-embedded (see xz-dec.ts); the status printed is `enum xz_ret`.
 * - zstd: frame header checks, first frame only, `ZSTD_ErrorCode` printed.
 * @see kernel/module/decompress.c (6.1)
 * @module
 */

import { inflateRawSync } from 'node:zlib';
import type { ErrnoName } from '../../abi/errno.js';
import { fail, ok, type Result } from '../../core/result.js';
import { OutputBuffer, OutputLimit } from './output-buffer.js';
import { XZ_RET, xzDecode } from './xz-dec.js';
import { ZSTD_WINDOWLOG_MAX, zstdDecodeFrame, zstdFrameHeader } from './zstd-dec.js';

/** `CONFIG_MODULE_COMPRESS_*`. */
export type CompressionAlgorithm = 'gzip' | 'xz' | 'zstd';

/** Why decompression failed: EINVAL (bad data) or ENOMEM (the page budget), with the printed lines. */
export interface DecompressError {
  /** The errno `module_decompress` returns. */
  readonly errno: ErrnoName;
  /** pr_err lines, in order. */
  readonly lines: readonly string[];
}

/** Options of {@link moduleDecompress}. */
export interface DecompressOptions {
  /** Most bytes the decompressed module may take (default {@link DEFAULT_MAX_DECOMPRESSED}). */
  readonly maxOutput?: number;
}

/** Default page budget: 512 MiB, far above any real module (amdgpu is about 20 MiB). */
export const DEFAULT_MAX_DECOMPRESSED = 512 * 1024 * 1024;

/** The magic numbers the three decompressors check, for picking one by content. */
export const COMPRESSION_MAGIC: Readonly<Record<CompressionAlgorithm, readonly number[]>> = {
  gzip: [0x1f, 0x8b, 0x08],
  xz: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00],
  zstd: [0x28, 0xb5, 0x2f, 0xfd],
};

/** The algorithm whose magic `data` starts with (kmod picks its decompressor the same way). */
export function detectCompression(data: Uint8Array): CompressionAlgorithm | undefined {
  for (const a of ['gzip', 'xz', 'zstd'] as const) {
    const m = COMPRESSION_MAGIC[a];
    if (data.length >= m.length && m.every((v, i) => data[i] === v)) return a;
  }
  return undefined;
}

const einval = (...lines: string[]): Result<Uint8Array, DecompressError> => fail({ errno: 'EINVAL', lines });
const ENOMEM: Result<Uint8Array, DecompressError> = fail({ errno: 'ENOMEM', lines: [] });

/** `module_gzip_header_len`: 0 when the header is not gzip's (or its file name never ends). */
export function moduleGzipHeaderLen(buf: Uint8Array): number {
  let len = 10;
  if (buf.length < len || buf[0] !== 0x1f || buf[1] !== 0x8b || buf[2] !== 0x08) return 0;
  if (buf[3] & 0x08) {
    do {
      if (len === buf.length) return 0;
    } while (buf[len++] !== 0);
  }
  return len;
}

function gzipDecompress(buf: Uint8Array, limit: number): Result<Uint8Array, DecompressError> {
  const hdr = moduleGzipHeaderLen(buf);
  if (hdr === 0) return einval('not a gzip compressed module');
  try {
    const out = inflateRawSync(buf.subarray(hdr), { maxOutputLength: limit });
    return ok(new Uint8Array(out.buffer, out.byteOffset, out.byteLength));
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') return ENOMEM;
    const errno = (e as { errno?: unknown }).errno;
    return einval(`decompression failed with status ${typeof errno === 'number' ? errno : -3}`);
  }
}

function xzDecompress(buf: Uint8Array, limit: number): Result<Uint8Array, DecompressError> {
  const sig = COMPRESSION_MAGIC.xz;
  if (buf.length < sig.length || sig.some((v, i) => buf[i] !== v))
    return einval('not an xz compressed module');
  const out = new OutputBuffer(limit, buf.length * 4);
  const ret = xzDecode(buf, out);
  if (ret !== XZ_RET.XZ_STREAM_END) return einval(`decompression failed with status ${ret}`);
  return ok(out.result());
}

function zstdDecompress(buf: Uint8Array, limit: number): Result<Uint8Array, DecompressError> {
  const sig = COMPRESSION_MAGIC.zstd;
  if (buf.length < sig.length || sig.some((v, i) => buf[i] !== v))
    return einval('not a zstd compressed module');
  const h = zstdFrameHeader(buf);
  if (h === undefined) return einval('ZSTD-compressed data has an incomplete frame header');
  if (h.windowSize > 2 ** ZSTD_WINDOWLOG_MAX)
    return einval('ZSTD-compressed data has too large a window size');
  // The workspace for the window is vmalloc'ed before any output: a window beyond the budget is ENOMEM.
  if (h.windowSize > limit) return ENOMEM;
  const r = zstdDecodeFrame(buf, h, limit);
  if (!r.ok) return einval(`ZSTD-decompression failed with status ${r.code}`);
  return ok(r.data);
}

/** `module_decompress` with one algorithm: the decompressed module, or EINVAL/ENOMEM with the kernel's lines. */
export function moduleDecompress(
  algorithm: CompressionAlgorithm,
  buf: Uint8Array,
  options: DecompressOptions = {},
): Result<Uint8Array, DecompressError> {
  const limit = options.maxOutput ?? DEFAULT_MAX_DECOMPRESSED;
  try {
    switch (algorithm) {
      case 'gzip':
        return gzipDecompress(buf, limit);
      case 'xz':
        return xzDecompress(buf, limit);
      default:
        return zstdDecompress(buf, limit);
    }
  } catch (e) {
    if (e instanceof OutputLimit) return ENOMEM;
    throw e;
  }
}
