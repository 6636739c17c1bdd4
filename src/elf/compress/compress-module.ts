/**
 * Compressors for `.ko.gz`, `.ko.xz` and `.ko.zst` variants of built modules. gzip is real deflate (level 9,
 * no name, as kbuild's `gzip -n -f -9`). xz and zstd are valid containers with stored data — LZMA2
 * uncompressed chunks with a CRC32 check (kbuild's `xz --check=crc32`), Zstandard raw blocks with the content
 * checksum — so every decoder, the kernel's included, accepts them; they are not smaller than the input.
 * @module
 */
import { crc32, gzipSync } from 'node:zlib';
import type { CompressionAlgorithm } from './module-decompress.js';
import { xxh64 } from './xxhash64.js';

class Bytes {
  private readonly parts: number[] = [];
  u8(...v: number[]): this {
    this.parts.push(...v);
    return this;
  }
  le32(v: number): this {
    return this.u8(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24);
  }
  vli(v: number): this {
    let x = v;
    while (x >= 0x80) {
      this.u8((x % 0x80) | 0x80);
      x = Math.floor(x / 0x80);
    }
    return this.u8(x);
  }
  get length(): number {
    return this.parts.length;
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** An `.xz` stream holding `data` in LZMA2 uncompressed chunks (CRC32 check, 1 MiB dictionary). */
export function xzStore(data: Uint8Array): Uint8Array {
  const streamFlags = [0x00, 0x01];
  const header = new Bytes().u8(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, ...streamFlags);
  header.le32(crc32(Uint8Array.from(streamFlags)) >>> 0);
  // Block header: size byte, flags (no sizes, one filter), LZMA2 with dictionary props 16 (1 MiB), padding.
  const bh = new Bytes().u8(0x02, 0x00, 0x21, 0x01, 0x10, 0x00, 0x00, 0x00);
  const bhBytes = bh.bytes();
  const blockHeader = concat([bhBytes, new Bytes().le32(crc32(bhBytes) >>> 0).bytes()]);
  const chunks: Uint8Array[] = [];
  for (let p = 0; p < data.length; p += 0x10000) {
    const n = Math.min(0x10000, data.length - p);
    chunks.push(Uint8Array.from([p === 0 ? 0x01 : 0x02, (n - 1) >> 8, (n - 1) & 0xff]));
    chunks.push(data.subarray(p, p + n));
  }
  chunks.push(Uint8Array.of(0x00));
  const compressed = chunks.reduce((n, c) => n + c.length, 0);
  const pad = (4 - ((blockHeader.length + compressed) % 4)) % 4;
  const check = new Bytes().le32(crc32(data) >>> 0).bytes();
  const unpadded = blockHeader.length + compressed + 4;
  const index = new Bytes().u8(0x00).vli(1).vli(unpadded).vli(data.length);
  while (index.length % 4) index.u8(0);
  const indexBytes = index.bytes();
  const backward = new Bytes()
    .le32((indexBytes.length + 4) / 4 - 1)
    .u8(...streamFlags)
    .bytes();
  return concat([
    header.bytes(),
    blockHeader,
    ...chunks,
    new Uint8Array(pad),
    check,
    indexBytes,
    new Bytes().le32(crc32(indexBytes) >>> 0).bytes(),
    new Bytes().le32(crc32(backward) >>> 0).bytes(),
    backward,
    Uint8Array.of(0x59, 0x5a),
  ]);
}

/** A Zstandard frame holding `data` in raw blocks, with its content size and checksum. */
export function zstdStore(data: Uint8Array): Uint8Array {
  // Frame header: magic, descriptor (8-byte content size, single segment, checksum), content size.
  const h = new Bytes().u8(0x28, 0xb5, 0x2f, 0xfd, 0xe4);
  for (let i = 0, v = data.length; i < 8; i++, v = Math.floor(v / 256)) h.u8(v & 0xff);
  const parts: Uint8Array[] = [h.bytes()];
  const max = 128 * 1024;
  let p = 0;
  do {
    const n = Math.min(max, data.length - p);
    const last = p + n >= data.length ? 1 : 0;
    const bh = (n << 3) | last; // block type 0 (raw)
    parts.push(Uint8Array.of(bh & 0xff, (bh >>> 8) & 0xff, (bh >>> 16) & 0xff), data.subarray(p, p + n));
    p += n;
  } while (p < data.length);
  parts.push(new Bytes().le32(Number(xxh64(data) & 0xffffffffn)).bytes());
  return concat(parts);
}

/** Compresses a module for one of the `.ko` variants. */
export function compressModule(algorithm: CompressionAlgorithm, data: Uint8Array): Uint8Array {
  switch (algorithm) {
    case 'gzip': {
      const z = gzipSync(data, { level: 9 });
      return new Uint8Array(z.buffer, z.byteOffset, z.byteLength);
    }
    case 'xz':
      return xzStore(data);
    default:
      return zstdStore(data);
  }
}

/** The file suffix kmod and kbuild use for each algorithm. */
export const COMPRESSED_SUFFIX: Readonly<Record<CompressionAlgorithm, string>> = {
  gzip: '.gz',
  xz: '.xz',
  zstd: '.zst',
};
