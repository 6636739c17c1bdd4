/**
 * {@link KmodFs} over the host's own files (node:fs), for running `depmod` and `modinfo` on a real module tree.
 * @module
 */
import { Buffer } from 'node:buffer';
import * as nodeFs from 'node:fs';
import type { ErrnoName } from '../../../abi/errno.js';
import { isErrnoName } from '../../../abi/errno.js';
import { fail, ok, type Result } from '../../../core/result.js';
import type { KmodDirent, KmodFs, KmodStat } from './kmod-fs.js';

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
