/**
 * Finds and reads the object file (hpux-dlkm.md §3.2 row 9, §7).
 * @module
 */
import type { KernelError } from '../../../core/kernel-error.js';
import { step } from '../../../core/pipeline.js';
import { err, OK_VOID, type Result } from '../../../core/result.js';
import type { Vfs } from '../../../core/vfs.js';
import type { DlkmLoadInfo } from '../load-info.js';

/** Opens `path` as the caller and reads it whole; EINVAL when it is not a regular file. */
function readObject(vfs: Vfs, path: string): Result<Uint8Array> {
  const fd = vfs.open(path, { read: true, write: false });
  if (!fd.ok) return fd;
  try {
    const st = vfs.fstat(fd.value);
    if (st.ok && st.value.type !== 'file') return err('EINVAL', `${path} is not an ELF64 relocatable object`);
    return vfs.readFd(fd.value);
  } finally {
    vfs.close(fd.value);
  }
}

/**
 * Candidate files for a pathname: an absolute pathname is used as is; anything else (`foo`, even `a/b`) is
 * looked up as `dir/pathname` in each search-path directory, most recently prepended first, the default last.
 */
export function candidatePaths(request: string, dirs: readonly string[]): string[] {
  if (request.startsWith('/')) return [request];
  return dirs.map((d) => `${d.endsWith('/') ? d.slice(0, -1) : d}/${request}`);
}

/**
 * Locates the object: the first candidate that opens wins; when none does, the error is that of the **last**
 * one tried (normally ENOENT; EACCES when a directory on the way denies search permission; ENAMETOOLONG when
 * `dir/name` exceeds `MAXPATHLEN`).
 * @see hpux-dlkm.md §3.2 row 9, §7 (SVR4.2 lineage `mod_openpath`)
 */
export const modOpenPath = step<DlkmLoadInfo>('modOpenPath', (ctx) => {
  const vfs = ctx.k.core.vfs;
  let last: KernelError | undefined;
  for (const path of candidatePaths(ctx.request, ctx.k.searchPath.dirs())) {
    const bytes = readObject(vfs, path);
    if (bytes.ok) {
      ctx.path = path;
      ctx.bytes = bytes.value;
      return OK_VOID;
    }
    // A file that opened but is not a regular file ends the search: it was found.
    if (bytes.error.errno === 'EINVAL') return bytes;
    last = bytes.error;
  }
  return last === undefined ? err('ENOENT', `${ctx.request}: not found`) : { ok: false, error: last };
});
