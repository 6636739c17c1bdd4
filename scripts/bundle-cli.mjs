#!/usr/bin/env node
/**
 * Bundles the `kmodsim` command; `npm run build` runs it after tsc. It replaces tsc's `dist/cli/main.js` with an
 * entry holding the CLI frame and puts every lazily imported part (each command, each personality, the kernel
 * core) in `dist/cli/chunks/`, so `kmodsim lsmod` reads about 20 files at start-up instead of ~400 modules (240
 * of them inversify's): module loading was most of its start-up time. The library (`dist/index.js` and the rest of
 * `dist/`) stays tsc's one-module-per-file ESM with its `.d.ts` files.
 *
 * Bundled from node_modules: inversify (with reflect-metadata) and elfy, which the kernel always loads; other
 * packages stay imports resolved at run time. A file that must exist on its own at run time (a worker script) has
 * to be added to `input`.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const cli = fileURLToPath(new URL('../dist/cli/', import.meta.url));
const CHUNKS = 'chunks';
const BUNDLED_PACKAGES = /^(@inversifyjs\/|(inversify|reflect-metadata|elfy)(\/|$))/;

// Another build running at the same time may already have bundled tsc's output: never bundle a bundle.
if (readFileSync(`${cli}main.js`, 'utf8').includes(`./${CHUNKS}/`)) process.exit(0);

const output = await build({
  input: { main: `${cli}main.js` },
  platform: 'node',
  external: (id, _importer, isResolved) =>
    !isResolved && !id.startsWith('.') && !id.startsWith('/') && !BUNDLED_PACKAGES.test(id),
  logLevel: 'warn',
  output: {
    dir: cli,
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: `${CHUNKS}/[name]-[hash].js`,
  },
});

// Chunks of earlier builds (their names carry a content hash).
const written = new Set(output.output.map((o) => o.fileName));
for (const name of readdirSync(`${cli}${CHUNKS}`)) {
  if (!written.has(`${CHUNKS}/${name}`)) rmSync(`${cli}${CHUNKS}/${name}`, { force: true });
}
