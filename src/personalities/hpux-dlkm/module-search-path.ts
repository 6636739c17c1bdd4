/**
 * The global DLKM search path (`modpath(2)`): directories prepended by the administrator, most recent first,
 * then the release's default directory, which is always searched last. Not persistent across boots.
 * @module
 */
import { injectable } from 'inversify';
import { err, ok, type Result } from '../../core/result.js';
import { asArray, asObject, type JsonValue } from '../../core/snapshot.js';

/**
 * Splits a `modpath` argument into directories, or EINVAL when the list is malformed: it must start with `/`,
 * entries are separated by `:` or a space, and every entry after a separator must start with `/` as well
 * (`""`, `"a"`, `"/a::/b"`, `"/a:"`, `"/a:b"` are malformed). hpux-dlkm.md §2.4 (lineage rule, adopted).
 */
export function parseModpathList(list: string): Result<string[]> {
  if (!list.startsWith('/')) return err('EINVAL', `modpath: "${list}" does not start with /`);
  const dirs = list.split(/[: ]/);
  for (const d of dirs) {
    if (!d.startsWith('/')) return err('EINVAL', `modpath: malformed entry "${d}" in "${list}"`);
  }
  return ok(dirs);
}

/** The search path. */
@injectable()
export class ModuleSearchPath {
  private prepended: string[] = [];
  private fallback = '/usr/conf/mod';

  /** Sets the default directory (boot) and clears the prepended ones. */
  reset(defaultDir?: string): void {
    if (defaultDir !== undefined) this.fallback = defaultDir;
    this.prepended = [];
  }

  /** The default directory. */
  get defaultDir(): string {
    return this.fallback;
  }

  /** Prepends directories (searched before any given earlier), keeping their order. */
  prepend(dirs: readonly string[]): void {
    this.prepended = [...dirs, ...this.prepended];
  }

  /** Every directory in search order: the prepended ones, most recent call first, then the default. */
  dirs(): string[] {
    return [...this.prepended, this.fallback];
  }

  /** The path as a colon-separated string (`kmadmin`/`kcmodule` displays). */
  toString(): string {
    return this.dirs().join(':');
  }

  /** State for `--state`. */
  snapshot(): JsonValue {
    return { default: this.fallback, prepended: [...this.prepended] };
  }

  /** Restores {@link ModuleSearchPath.snapshot}'s output. */
  restore(state: JsonValue): void {
    const o = asObject(state, 'modpath');
    this.fallback = String(o.default);
    this.prepended = asArray(o.prepended, 'modpath.prepended').map(String);
  }
}
