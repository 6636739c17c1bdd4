/**
 * Compressed modules: the kernel's `module_decompress` (gzip, xz, zstd) and the compressors for `.ko`
 * variants.
 * @see kernel/module/decompress.c
 * @module
 */
export { COMPRESSED_SUFFIX, compressModule, xzStore, zstdStore } from './compress-module.js';
export {
  COMPRESSION_MAGIC,
  type CompressionAlgorithm,
  DEFAULT_MAX_DECOMPRESSED,
  type DecompressError,
  type DecompressOptions,
  detectCompression,
  moduleDecompress,
  moduleGzipHeaderLen,
} from './module-decompress.js';
export { xxh64 } from './xxhash64.js';
export { XZ_RET, type XzRet } from './xz-dec.js';
export { type ZstdFrameHeader, zstdFrameHeader } from './zstd-dec.js';
