/**
 * {@link KmodFs} over the simulated kernel's VFS: reads go through `open`/`read` as the calling process
 * (permission checks, generated `/proc` and `/sys` files computed at read time); depmod's output files are
 * written as root would write them.
 * @module
 */
import type { ErrnoName } from '../../../abi/errno.js';
import { fail, ok, type Result } from '../../../core/result.js';
import type { Vfs } from '../../../core/vfs.js';
import type { KmodDirent, KmodFs, KmodStat } from './kmod-fs.js';

/** The simulated file system seen by a process whose working directory is `cwd`. */
export class VfsKmodFs implements KmodFs {
  constructor(
    private readonly vfs: Vfs,
    private readonly workingDirectory = '/',
  ) {}

  private abs(path: string): string {
    return path.startsWith('/') ? path : `${this.workingDirectory}/${path}`;
  }

  /** @inheritDoc */
  stat(path: string): Result<KmodStat, ErrnoName> {
    const st = this.vfs.stat(this.abs(path));
    if (!st.ok) return fail(st.error.errno);
    const t = st.value.type;
    return ok({
      type: t === 'file' ? 'file' : t === 'dir' ? 'dir' : 'other',
      size: st.value.size,
      mtimeMs: 0,
    });
  }

  /** @inheritDoc */
  readFile(path: string): Result<Uint8Array, ErrnoName> {
    const fd = this.vfs.open(this.abs(path), { read: true, write: false });
    if (!fd.ok) return fail(fd.error.errno);
    const data = this.vfs.readFd(fd.value);
    this.vfs.close(fd.value);
    return data.ok ? ok(data.value) : fail(data.error.errno);
  }

  /** @inheritDoc */
  readdir(path: string): Result<readonly KmodDirent[], ErrnoName> {
    const st = this.vfs.stat(this.abs(path));
    if (!st.ok) return fail(st.error.errno);
    const names = this.vfs.readdir(this.abs(path));
    if (!names.ok) return fail(names.error.errno);
    return ok(names.value.map((name) => ({ name, type: 'unknown' as const })));
  }

  /** @inheritDoc */
  writeFile(path: string, data: Uint8Array | string): Result<void, ErrnoName> {
    const w = this.vfs.writeFile(this.abs(path), data);
    return w.ok ? ok(undefined) : fail(w.error.errno);
  }

  /** @inheritDoc */
  cwd(): string {
    return this.workingDirectory;
  }
}
