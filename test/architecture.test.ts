import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * DESIGN.md §1: imports go one way, abi ← elf ← core ← personalities ← kernel ← experiments/conformance ←
 * index ← cli. The error model (core/result.ts, core/kernel-error.ts) imports only abi, and every layer may use it.
 */
const SRC = resolve(import.meta.dirname, '../src');

const LAYERS: readonly [RegExp, number, string][] = [
  [/^abi\//, 0, 'abi'],
  [/^core\/(result|kernel-error)\.ts$/, 0.5, 'error model'],
  [/^types\//, 0.5, 'ambient types'],
  [/^host\//, 0.5, 'host I/O'],
  [/^elf\//, 1, 'elf'],
  [/^core\//, 2, 'core'],
  [/^personalities\//, 3, 'personalities'],
  [/^kernel\.ts$/, 4, 'kernel'],
  [/^(experiments|conformance)\//, 5, 'experiments/conformance'],
  [/^index\.ts$/, 6, 'index'],
  [/^cli\//, 7, 'cli'],
];

function layerOf(file: string): { rank: number; name: string } {
  for (const [re, rank, name] of LAYERS) if (re.test(file)) return { rank, name };
  return { rank: Number.POSITIVE_INFINITY, name: 'unknown' };
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

/** Relative import specifiers of a file (static and dynamic). */
function importsOf(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](\.[^'"]+)['"]/g)) out.push(m[1]);
  return out;
}

/** Every import that points to a higher layer, as "from -> to" lines. */
function violations(root: string): string[] {
  const bad: string[] = [];
  for (const file of sourceFiles(root)) {
    const from = relative(root, file);
    const fromLayer = layerOf(from);
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      const to = relative(root, resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      const toLayer = layerOf(to);
      if (toLayer.rank > fromLayer.rank) bad.push(`${from} (${fromLayer.name}) -> ${to} (${toLayer.name})`);
    }
  }
  return bad;
}

describe('architecture', () => {
  it('every source file belongs to a layer', () => {
    const unknown = sourceFiles(SRC)
      .map((f) => relative(SRC, f))
      .filter((f) => layerOf(f).name === 'unknown');
    expect(unknown).toEqual([]);
  });

  it('imports only go down the layers (abi <- elf <- core <- personalities <- kernel <- cli)', () => {
    expect(violations(SRC)).toEqual([]);
  });

  it('only src/elf/elf-file.ts imports elfy', () => {
    const users = sourceFiles(SRC)
      .filter((f) => /from\s+['"]elfy['"]/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(SRC, f));
    expect(users.filter((f) => f !== 'elf/elf-file.ts')).toEqual([]);
  });

  it('detects a wrong-way import', () => {
    expect(importsOf("import { x } from '../personalities/index.js';")).toEqual([
      '../personalities/index.js',
    ]);
    expect(layerOf('core/vfs.ts').rank).toBeLessThan(layerOf('personalities/index.ts').rank);
  });
});
