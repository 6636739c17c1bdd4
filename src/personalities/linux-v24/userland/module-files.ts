/**
 * Files as modutils sees them: reading an object as the calling user (permission errors included), absolute
 * paths (the simulated process runs in `/`), and `search_module_path` over the default module directories.
 * @see modutils util/config.c (the default `path[]` of modules.conf), insmod/insmod.c search_module_path
 * @module
 */
import type { ErrnoName } from '../../../abi/errno.js';
import { fail, ok, type Result } from '../../../core/result.js';
import type { ModutilsContext } from './modutils-context.js';
import type { ToolIO } from './tool-io.js';

/** What the file helpers need of a tool context (shared with the 1.x tools). */
export type FileContext = Pick<ModutilsContext, 'core' | 'moduleDir'>;

/** An absolute, normalised path (relative names are taken from `/`). */
export function resolvePath(path: string): string {
  const parts: string[] = [];
  for (const p of (path.startsWith('/') ? path : `/${path}`).split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return `/${parts.join('/')}`;
}

/** Reads a whole file through `open`/`read` as the caller. */
export function readUserFile(ctx: FileContext, path: string): Result<Uint8Array, ErrnoName> {
  const vfs = ctx.core.vfs;
  const fd = vfs.open(resolvePath(path), { read: true, write: false });
  if (!fd.ok) return fail(fd.error.errno);
  try {
    const data = vfs.readFd(fd.value);
    return data.ok ? ok(data.value) : fail(data.error.errno);
  } finally {
    vfs.close(fd.value);
  }
}

function findIn(ctx: FileContext, dir: string, file: string, depth: number): string | undefined {
  const entries = ctx.core.vfs.readdir(dir);
  if (!entries.ok) return undefined;
  for (const e of entries.value) if (e === file) return `${dir}/${e}`;
  if (depth > 8) return undefined;
  for (const e of entries.value) {
    const st = ctx.core.vfs.stat(`${dir}/${e}`);
    if (st.ok && st.value.type === 'dir') {
      const hit = findIn(ctx, `${dir}/${e}`, file, depth + 1);
      if (hit !== undefined) return hit;
    }
  }
  return undefined;
}

/** The module directories modutils searches by default, most specific first. */
export function modulePathDirs(ctx: FileContext): string[] {
  return [ctx.moduleDir, '/lib/modules/default', '/lib/modules'];
}

/** `search_module_path(name)`: the first `<name>.o` (then `.mod`) under the module directories. */
export function searchModulePath(ctx: FileContext, name: string): string | undefined {
  for (const suffix of ['.o', '.mod']) {
    for (const dir of modulePathDirs(ctx)) {
      const hit = findIn(ctx, dir, `${name}${suffix}`, 0);
      if (hit !== undefined) return hit;
    }
  }
  return undefined;
}

/**
 * insmod's "Locate the file to be loaded": a bare name (no `/`, no `.`) is searched along the module path
 * (`Using PATH` printed; ENOENT and "no module by that name found" when absent), anything else is taken as given
 * (`Using PATH` only with `-v`). `undefined` after an error.
 */
export function locateModule(
  ctx: FileContext,
  filename: string,
  verbose: boolean,
  io: ToolIO,
): string | undefined {
  if (!filename.includes('/') && !filename.includes('.')) {
    const found = searchModulePath(ctx, filename);
    if (found === undefined) {
      io.error(`${filename}: no module by that name found`, 'ENOENT');
      return undefined;
    }
    io.lprintf(`Using ${found}`);
    return found;
  }
  if (verbose) io.lprintf(`Using ${filename}`);
  return filename;
}
