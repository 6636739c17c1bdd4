/**
 * {@link KmodFs} over the host's own files (node:fs), for running `depmod` and `modinfo` on a real module tree.
 * @module
 */
import * as nodeFs from 'node:fs';
import type { ErrnoName } from '../../../abi/errno.js';
import { isErrnoName } from '../../../abi/errno.js';
import { fail, ok, type Result } from '../../../core/result.js';
import type { KmodDirent, KmodFs, KmodStat } from './kmod-fs.js';

function errnoOf(e: unknown): ErrnoName {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && isErrnoName(code) ? code : 'EIO';
}

/** The host file system; `cwd` defaults to the process's working directory. */
export class HostKmodFs implements KmodFs {
  constructor(private readonly workingDirectory: string = process.cwd()) {}

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
    try {
      return ok(nodeFs.readFileSync(path));
    } catch (e) {
      return fail(errnoOf(e));
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
