/**
 * Symbol CRCs for modversions. Real CRCs come from genksyms over a symbol's type; a built module has no types,
 * so the default is the CRC-32 of the name — deterministic, so a simulated kernel that uses the same function
 * for its own exports matches, and a test that wants a mismatch gives another value in `ModuleSpec.crcs`.
 * @module
 */
import type { CrcSource } from './module-spec.js';

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3, the zlib polynomial) of bytes. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const encoder = new TextEncoder();

/** The default CRC of a symbol: CRC-32 of its name. */
export function defaultSymbolCrc(symbol: string): number {
  return crc32(encoder.encode(symbol));
}

/** The CRC of `symbol` from `source` (map or function), else the default; always an unsigned 32-bit value. */
export function symbolCrc(source: CrcSource | undefined, symbol: string): number {
  if (typeof source === 'function') return source(symbol) >>> 0;
  const v = source !== undefined && Object.hasOwn(source, symbol) ? source[symbol] : undefined;
  return (v ?? defaultSymbolCrc(symbol)) >>> 0;
}
