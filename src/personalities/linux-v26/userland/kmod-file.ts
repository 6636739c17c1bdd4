/**
 * `kmod_file_open`: reads a module file, recognising compressed files by their magic (zstd, xz; Debian's kmod 30
 * is built `+ZSTD +XZ -ZLIB`, so a gzip file is taken as it is). Only an uncompressed file is "direct", which
 * is what makes insmod use `finit_module`.
 * @see libkmod/libkmod-file.c (kmod 30) kmod_file_open, load_reg, load_xz, load_zstd
 * @module
 */
import type { ErrnoName } from '../../../abi/errno.js';
import { fail, ok, type Result } from '../../../core/result.js';
import type { KmodFs } from './kmod-fs.js';

/** A compression kmod 30 recognises. */
export type KmodCompression = 'zstd' | 'xz';

/**
 * Decompresses a whole file; returns the errno kmod reports (EINVAL for a corrupt stream). Supplied by the
 * caller because the decompressors live outside the userland.
 */
export type KmodDecompressor = (kind: KmodCompression, data: Uint8Array) => Result<Uint8Array, ErrnoName>;

/** `struct kmod_file`. */
export interface KmodFile {
  /** The (decompressed) contents; of a file opened by {@link kmodFileMap}, only the ranges faulted in. */
  readonly memory: Uint8Array;
  /** Whether the file is used as is (uncompressed): only then does insmod try `finit_module`. */
  readonly direct: boolean;
  /** The compression found, if any. */
  readonly compression?: KmodCompression;
  /**
   * Makes `memory[offset, offset + length)` hold the file's bytes: reads them for a mapped file, nothing to do
   * for one read whole. Readers of a mapped file's memory call it first.
   */
  readonly fault: (offset: number, length: number) => void;
  /** `kmod_file_unref`: closes a mapped file (`memory` is not to be used afterwards); nothing otherwise. */
  readonly release: () => void;
}

const NOTHING_TO_DO = (): void => {};

const MAGIC_ZSTD = [0x28, 0xb5, 0x2f, 0xfd];
const MAGIC_XZ = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
/** The longest magic kmod compares (`magic_size_max`): files shorter than this fail with EINVAL. */
const MAGIC_SIZE_MAX = 6;

function startsWith(data: Uint8Array, magic: readonly number[]): boolean {
  for (let i = 0; i < magic.length; i++) if (data[i] !== magic[i]) return false;
  return true;
}

/** Without a decompressor, kmod's liblzma/libzstd would fail on the stream: EINVAL, as for a corrupt file. */
const NO_DECOMPRESSOR: KmodDecompressor = () => fail('EINVAL');

/**
 * `kmod_file_open(path)`: errno of the open/read, EINVAL for a file shorter than 6 bytes (kmod reads that many
 * to compare magics), the decompressor's errno for a compressed file. The whole file is read.
 */
export function kmodFileOpen(
  fs: KmodFs,
  path: string,
  decompress: KmodDecompressor = NO_DECOMPRESSOR,
): Result<KmodFile, ErrnoName> {
  const data = fs.readFile(path);
  if (!data.ok) return data;
  return fromBytes(data.value, decompress, NOTHING_TO_DO, NOTHING_TO_DO);
}

/**
 * `kmod_file_open(path)` as kmod 30 does it for an uncompressed file: mapped, its bytes read as they are
 * faulted in (`KmodFs.mapFile`; a whole read where the file system has none). A compressed file is read whole
 * and decompressed. Same errnos as {@link kmodFileOpen}. Release the file when done with it.
 */
export function kmodFileMap(
  fs: KmodFs,
  path: string,
  decompress: KmodDecompressor = NO_DECOMPRESSOR,
): Result<KmodFile, ErrnoName> {
  if (fs.mapFile === undefined) return kmodFileOpen(fs, path, decompress);
  const mapped = fs.mapFile(path);
  if (!mapped.ok) return mapped;
  const m = mapped.value;
  m.fault(0, MAGIC_SIZE_MAX);
  const r = fromBytes(
    m.memory,
    (kind, data) => {
      m.fault(0, data.length);
      return decompress(kind, data);
    },
    m.fault,
    m.release,
  );
  if (!r.ok || !r.value.direct) m.release();
  return r;
}

function fromBytes(
  bytes: Uint8Array,
  decompress: KmodDecompressor,
  fault: KmodFile['fault'],
  release: KmodFile['release'],
): Result<KmodFile, ErrnoName> {
  if (bytes.length < MAGIC_SIZE_MAX) return fail('EINVAL');
  const kind: KmodCompression | undefined = startsWith(bytes, MAGIC_ZSTD)
    ? 'zstd'
    : startsWith(bytes, MAGIC_XZ)
      ? 'xz'
      : undefined;
  if (kind === undefined) return ok({ memory: bytes, direct: true, fault, release });
  const out = decompress(kind, bytes);
  if (!out.ok) return out;
  return ok({
    memory: out.value,
    direct: false,
    compression: kind,
    fault: NOTHING_TO_DO,
    release: NOTHING_TO_DO,
  });
}
