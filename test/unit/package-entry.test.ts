/**
 * The package's entry (`exports["."]`) is the library bundle `scripts/bundle.mjs` writes over tsc's
 * `dist/index.js`: it must export what `src/index.ts` exports, work on its own, and leave fast-check and yaml to
 * the caller's copies (so the conformance arbitraries are the caller's fast-check's).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as source from '../../src/index.js';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { exports: { '.': { import: string } } };
const entryPath = pkg.exports['.'].import;
const loadEntry = async (): Promise<Record<string, unknown>> =>
  (await import(new URL(`../../${entryPath}`, import.meta.url).href)) as Record<string, unknown>;

describe('the package entry', () => {
  it('is the bundle, exporting exactly what src/index.ts exports', async () => {
    const built = await loadEntry();
    expect(Object.keys(built).sort()).toEqual(Object.keys(source).sort());
    const text = readFileSync(entryPath, 'utf8');
    expect(text).not.toMatch(/from ["']\.\.?\/(core|personalities|elf)\//);
    expect(text).not.toMatch(/from ["'](inversify|elfy|reflect-metadata)["']/);
    expect(text).toMatch(/from ["']fast-check["']/);
  });

  it('boots every personality through the built createKernel', async () => {
    const built = (await loadEntry()) as unknown as typeof source;
    for (const personality of ['linux-v1', 'linux-v24', 'linux-v26', 'hpux-dlkm'] as const) {
      const k = built.createKernel({ personality });
      expect(k.personality).toBe(personality);
      expect(k.dmesg()).not.toHaveLength(0);
    }
  });
});
