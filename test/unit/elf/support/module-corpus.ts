/**
 * Finds an already-downloaded Debian kernel module tree (the repo's `.cache/`, or the machine's
 * `/work/cache`) and samples it deterministically. Used until the shared corpus helper exists; callers skip
 * with the returned reason when nothing is found.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '../../../..');

/** Candidate roots holding `lib/modules/<kver>/kernel`. */
const ROOTS = [join(REPO, '.cache/debian/root'), join(REPO, '.cache/debian'), '/work/cache/debian/root'];

export interface ModuleCorpus {
  /** The `lib/modules/<kver>` directory. */
  readonly dir: string;
  /** Every `.ko` below it, sorted. */
  readonly modules: readonly string[];
}

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) walk(p, out);
    else if (entry.name.endsWith('.ko')) out.push(p);
  }
}

/** The first module tree found, or the reason none is available. */
export function findModuleCorpus(): ModuleCorpus | { readonly missing: string } {
  for (const root of ROOTS) {
    const base = join(root, 'lib/modules');
    if (!existsSync(base)) continue;
    for (const kver of readdirSync(base).sort()) {
      const dir = join(base, kver);
      if (!existsSync(join(dir, 'kernel'))) continue;
      const modules: string[] = [];
      walk(join(dir, 'kernel'), modules);
      if (modules.length > 0) return { dir, modules: modules.sort() };
    }
  }
  return { missing: `no Debian module tree under ${ROOTS.join(', ')}` };
}

/**
 * `count` modules evenly spread over the sorted list (all of them for `count` ≥ the corpus size), skipping
 * files above `maxBytes` so a test run stays quick.
 */
export function sampleModules(
  corpus: ModuleCorpus,
  count: number,
  maxBytes = Number.POSITIVE_INFINITY,
): string[] {
  const eligible = corpus.modules.filter((m) => statSync(m).size <= maxBytes);
  if (count >= eligible.length) return [...eligible];
  const step = eligible.length / count;
  return Array.from({ length: count }, (_, i) => eligible[Math.floor(i * step)]);
}
