/**
 * The module files of an unpacked kernel tree, found without loading anything else (the bench commands need it
 * before, and without, the load machinery).
 * @module
 */
import { readdirSync } from 'node:fs';
import { normalize } from 'node:path';

/** Every `.ko` under `dir` (recursively), sorted by path. */
export function treeModuleFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    // The root is normalised once; below it, a name never needs path.join's normalisation.
    const prefix = d.endsWith('/') ? d : `${d}/`;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = prefix + e.name;
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ko')) out.push(p);
    }
  };
  walk(normalize(dir));
  return out.sort();
}
