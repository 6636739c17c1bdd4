#!/usr/bin/env node
/**
 * Bundles what Node loads at run time; `npm run build` runs it after tsc. tsc's output is one ESM module per
 * source file (~400 of them, 240 more for inversify), and resolving and reading that many files was most of a
 * cold start. Two bundles, each replacing tsc's entry file in place and putting lazily imported parts in a
 * `chunks/` directory beside it:
 * - the `kmodsim` command, `dist/cli/main.js`: the CLI frame up front, each command, each personality and the
 *   kernel core in chunks, so `kmodsim lsmod` reads about 20 files at start-up;
 * - the library, `dist/index.js` (the package's only export): `import('kmodsim')` ~0.44 s → ~0.15 s.
 * The rest of `dist/` stays tsc's output: the `.d.ts` files the package's types point at, and the modules tests
 * and scripts import one by one.
 *
 * Bundled from node_modules: inversify (with reflect-metadata) and elfy, which the kernel always loads. Other
 * packages stay imports resolved at run time — for the library that keeps fast-check and yaml the caller's own
 * copies (an arbitrary from the conformance module must be the caller's fast-check's). A file that must exist on
 * its own at run time (a worker script) has to be added as an input.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const CHUNKS = 'chunks';
const BUNDLED_PACKAGES = /^(@inversifyjs\/|(inversify|reflect-metadata|elfy)(\/|$))/;

/** tsc's entry imports its sibling modules; a bundle imports packages and its own chunks only. */
const TSC_OUTPUT = new RegExp(`from ['"]\\.\\.?/(?!${CHUNKS}/)`);

/** Bundles `dir/entry.js` into itself and `dir/chunks/`, unless it is a bundle already. */
async function bundle(dir, entry) {
  // Another build running at the same time may already have bundled tsc's output: never bundle a bundle.
  if (!TSC_OUTPUT.test(readFileSync(`${dir}${entry}.js`, 'utf8'))) return;
  const output = await build({
    input: { [entry]: `${dir}${entry}.js` },
    platform: 'node',
    external: (id, _importer, isResolved) =>
      !isResolved && !id.startsWith('.') && !id.startsWith('/') && !BUNDLED_PACKAGES.test(id),
    logLevel: 'warn',
    output: {
      dir,
      format: 'esm',
      entryFileNames: '[name].js',
      chunkFileNames: `${CHUNKS}/[name]-[hash].js`,
    },
  });
  // Chunks of earlier builds (their names carry a content hash).
  const written = new Set(output.output.map((o) => o.fileName));
  let old = [];
  try {
    old = readdirSync(`${dir}${CHUNKS}`);
  } catch {}
  for (const name of old) {
    if (!written.has(`${CHUNKS}/${name}`)) rmSync(`${dir}${CHUNKS}/${name}`, { force: true });
  }
}

// The command first: it is built from tsc's modules, never from the library's bundle.
await bundle(fileURLToPath(new URL('../dist/cli/', import.meta.url)), 'main');
await bundle(fileURLToPath(new URL('../dist/', import.meta.url)), 'index');
