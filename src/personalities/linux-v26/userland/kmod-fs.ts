/**
 * The file-system calls kmod's tools make (stat, open+read, readdir, create+write), over either the simulated
 * kernel's VFS or the host's own files (the `depmod`/`modinfo` fast path over a real module tree).
 * @module
 */
import type { ErrnoName } from '../../../abi/errno.js';
import type { Result } from '../../../core/result.js';

/** What `stat(2)` tells kmod. */
export interface KmodStat {
  /** `S_ISREG` / `S_ISDIR` / anything else. */
  readonly type: 'file' | 'dir' | 'other';
  /** `st_size`. */
  readonly size: number;
  /** `st_mtime` in milliseconds (0 where the file system keeps none). */
  readonly mtimeMs: number;
}

/** One directory entry with its `d_type` when known. */
export interface KmodDirent {
  /** `d_name`. */
  readonly name: string;
  /** `d_type` (`DT_REG`, `DT_DIR`, or unknown → the caller stats). */
  readonly type: 'file' | 'dir' | 'unknown';
}

/**
 * A file opened the way kmod 30 maps a module (`mmap(PROT_READ, MAP_PRIVATE)`): {@link KmodMappedFile.memory}
 * spans the whole file, but only the ranges passed to {@link KmodMappedFile.fault} are read — the pages kmod
 * touches. Every reader of `memory` faults its range first.
 */
export interface KmodMappedFile {
  /** The file's extent; bytes outside every faulted range are unspecified. */
  readonly memory: Uint8Array;
  /** Reads `[offset, offset + length)` (clipped to the file) into {@link KmodMappedFile.memory} unless read already. */
  readonly fault: (offset: number, length: number) => void;
  /** `munmap` + `close`: `memory` is not to be used afterwards. */
  readonly release: () => void;
}

/** The calls kmod makes, each failing with the errno the real call would set. */
export interface KmodFs {
  /** `stat(2)`, following symbolic links. */
  stat(path: string): Result<KmodStat, ErrnoName>;
  /** `open(O_RDONLY)` and read everything. */
  readFile(path: string): Result<Uint8Array, ErrnoName>;
  /**
   * `open(O_RDONLY)` and `mmap` of a regular file, read on demand (the errnos of {@link KmodFs.readFile}).
   * Optional: without it, kmod's file opens read the whole file.
   */
  mapFile?(path: string): Result<KmodMappedFile, ErrnoName>;
  /** `opendir`/`readdir` (without `.` and `..`), in the file system's own order. */
  readdir(path: string): Result<readonly KmodDirent[], ErrnoName>;
  /** Creates or replaces a file (`depmod` writes a temporary then renames it). */
  writeFile(path: string, data: Uint8Array | string): Result<void, ErrnoName>;
  /** The current working directory (`get_current_dir_name`), for relative paths. */
  cwd(): string;
}

/** `path_make_absolute_cwd`: an absolute path as is, else `cwd + "/" + path` (no normalisation, as kmod). */
export function pathMakeAbsoluteCwd(fs: KmodFs, path: string): string {
  if (path.startsWith('/')) return path;
  return `${fs.cwd()}/${path}`;
}
