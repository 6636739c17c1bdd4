/**
 * {@link KmodFs} over the host's own files (node:fs), for running `depmod` and `modinfo` on a real module tree.
 * @module
 */
import { Buffer } from 'node:buffer';
import * as nodeFs from 'node:fs';
import type { ErrnoName } from '../../../abi/errno.js';
import { isErrnoName } from '../../../abi/errno.js';
import { fail, ok, type Result } from '../../../core/result.js';
import type { KmodDirent, KmodFs, KmodMappedFile, KmodStat } from './kmod-fs.js';

/**
 * Granularity of {@link HostKmodFs.mapFile}'s reads: a page, as kmod's mmap faults them. A run of pages not yet
 * read is read in one call, so a large section costs one read.
 */
const MAP_CHUNK = 4096;

/** Files up to this size are read whole when mapped, as readahead would bring them in (most modules are smaller). */
const MAP_WHOLE_BELOW = 128 << 10;

/** What {@link HostKmodFs.mapFile} has open. */
interface Mapping {
  readonly fd: number;
  readonly buffer: Buffer;
  readonly size: number;
}

function errnoOf(e: unknown): ErrnoName {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && isErrnoName(code) ? code : 'EIO';
}

/**
 * The host file system; `cwd` defaults to the process's working directory. With `reuseBuffer`, every
 * {@link HostKmodFs.readFile} returns a view of one growing scratch buffer, valid until the next read: reading a
 * whole distribution tree then allocates (and collects) almost nothing. Only for callers that consume each file
 * before reading the next (depmod, modinfo).
 */
export class HostKmodFs implements KmodFs {
  private scratch: Buffer | undefined;
  private mapScratch: Buffer | undefined;
  private mapping: Mapping | undefined;
  /** One byte per {@link MAP_CHUNK} of the current mapping: whether it has been read. */
  private loaded = new Uint8Array(256);

  constructor(
    private readonly workingDirectory: string = process.cwd(),
    private readonly reuseBuffer = false,
  ) {}

  /** @inheritDoc */
  stat(path: string): Result<KmodStat, ErrnoName> {
    try {
      const st = nodeFs.statSync(path);
      return ok({
        type: st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other',
        size: st.size,
        mtimeMs: st.mtimeMs,
      });
    } catch (e) {
      return fail(errnoOf(e));
    }
  }

  /** @inheritDoc */
  readFile(path: string): Result<Uint8Array, ErrnoName> {
    if (!this.reuseBuffer) {
      try {
        return ok(nodeFs.readFileSync(path));
      } catch (e) {
        return fail(errnoOf(e));
      }
    }
    let fd: number | undefined;
    try {
      fd = nodeFs.openSync(path, 'r');
      const size = nodeFs.fstatSync(fd).size;
      if (this.scratch === undefined || this.scratch.length < size + 1) {
        this.scratch = Buffer.allocUnsafe(Math.max(size + 1, (this.scratch?.length ?? 1 << 20) * 2));
      }
      let got = 0;
      for (;;) {
        const n = nodeFs.readSync(fd, this.scratch, got, this.scratch.length - got, null);
        if (n === 0) break;
        got += n;
        if (got === this.scratch.length) {
          const bigger = Buffer.allocUnsafe(this.scratch.length * 2);
          this.scratch.copy(bigger, 0, 0, got);
          this.scratch = bigger;
        }
      }
      return ok(new Uint8Array(this.scratch.buffer, this.scratch.byteOffset, got));
    } catch (e) {
      return fail(errnoOf(e));
    } finally {
      if (fd !== undefined) nodeFs.closeSync(fd);
    }
  }

  /**
   * `open` + `mmap` of a regular file: nothing but the size is read until a range is faulted in, then whole
   * {@link MAP_CHUNK}s (runs of them in one `pread`). With `reuseBuffer` the memory is one scratch buffer, valid
   * until the next mapping. A path that is not a regular file is read as {@link HostKmodFs.readFile} reads it
   * (same errnos). The previous mapping, if still open, is released first.
   */
  mapFile(path: string): Result<KmodMappedFile, ErrnoName> {
    this.unmap();
    let fd: number;
    try {
      fd = nodeFs.openSync(path, 'r');
    } catch (e) {
      return fail(errnoOf(e));
    }
    let size: number;
    try {
      const st = nodeFs.fstatSync(fd);
      if (!st.isFile()) {
        nodeFs.closeSync(fd);
        return this.readWhole(path);
      }
      size = st.size;
    } catch (e) {
      nodeFs.closeSync(fd);
      return fail(errnoOf(e));
    }
    let buffer: Buffer;
    if (this.reuseBuffer) {
      if (this.mapScratch === undefined || this.mapScratch.length < size) {
        this.mapScratch = Buffer.allocUnsafe(Math.max(size, (this.mapScratch?.length ?? 1 << 20) * 2));
      }
      buffer = this.mapScratch;
    } else buffer = Buffer.allocUnsafe(size);
    const chunks = Math.ceil(size / MAP_CHUNK);
    if (this.loaded.length < chunks) this.loaded = new Uint8Array(Math.max(chunks, this.loaded.length * 2));
    else this.loaded.fill(0, 0, chunks);
    const m: Mapping = { fd, buffer, size };
    this.mapping = m;
    // Readahead: a small file is read whole at once, one call instead of one per table looked at.
    if (size <= MAP_WHOLE_BELOW) this.faultIn(m, 0, size);
    return ok({
      memory: new Uint8Array(buffer.buffer, buffer.byteOffset, size),
      fault: (offset, length) => {
        if (this.mapping === m) this.faultIn(m, offset, length);
      },
      release: () => {
        if (this.mapping === m) this.unmap();
      },
    });
  }

  /** Closes the current mapping's file, if any (its memory is not to be used afterwards). */
  unmap(): void {
    const m = this.mapping;
    if (m === undefined) return;
    this.mapping = undefined;
    try {
      nodeFs.closeSync(m.fd);
    } catch {
      // Already closed: nothing to release.
    }
  }

  private faultIn(m: Mapping, offset: number, length: number): void {
    const start = Math.max(0, offset);
    const end = Math.min(m.size, offset + length);
    if (!(end > start)) return;
    const loaded = this.loaded;
    const last = Math.floor((end - 1) / MAP_CHUNK);
    for (let c = Math.floor(start / MAP_CHUNK); c <= last; c++) {
      if (loaded[c] !== 0) continue;
      let k = c;
      while (k < last && loaded[k + 1] === 0) k++;
      const from = c * MAP_CHUNK;
      const to = Math.min(m.size, (k + 1) * MAP_CHUNK);
      let got = 0;
      try {
        while (from + got < to) {
          const n = nodeFs.readSync(m.fd, m.buffer, from + got, to - from - got, from + got);
          if (n === 0) break;
          got += n;
        }
      } catch {
        // An I/O error mid-file: the rest reads as zeros (kmod's mmap would fault).
      }
      if (from + got < to) m.buffer.fill(0, from + got, to);
      loaded.fill(1, c, k + 1);
      c = k;
    }
  }

  /** {@link HostKmodFs.readFile} as a mapping with everything read. */
  private readWhole(path: string): Result<KmodMappedFile, ErrnoName> {
    const r = this.readFile(path);
    if (!r.ok) return r;
    return ok({ memory: r.value, fault: () => {}, release: () => {} });
  }

  /** @inheritDoc */
  readdir(path: string): Result<readonly KmodDirent[], ErrnoName> {
    try {
      return ok(
        nodeFs.readdirSync(path, { withFileTypes: true }).map((d) => ({
          name: d.name,
          type: d.isFile() ? 'file' : d.isDirectory() ? 'dir' : 'unknown',
        })),
      );
    } catch (e) {
      return fail(errnoOf(e));
    }
  }

  /** @inheritDoc */
  writeFile(path: string, data: Uint8Array | string): Result<void, ErrnoName> {
    try {
      nodeFs.writeFileSync(path, data, { mode: 0o644 });
      return ok(undefined);
    } catch (e) {
      return fail(errnoOf(e));
    }
  }

  /** @inheritDoc */
  cwd(): string {
    return this.workingDirectory;
  }
}
