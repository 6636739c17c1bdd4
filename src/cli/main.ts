#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runCli } from './run-cli.js';

// TurboFan inlines callees of up to 460 bytes of bytecode by default; the loader's many mid-sized functions then
// make large graphs, ~0.8 s of compile time over a whole-tree load. At 100 the small helpers are still inlined
// and a load takes ~0.3 s less CPU (docs/performance.md). Set before any code is hot; a node flag given wins.
if (!process.execArgv.some((a) => a.startsWith('--max-inlined-bytecode-size=')))
  setFlagsFromString('--max-inlined-bytecode-size=100');

const io = {
  out: (text: string) => process.stdout.write(text),
  err: (text: string) => process.stderr.write(text),
};

runCli(
  process.argv.slice(2),
  io,
  () => JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version as string,
).then((code) => {
  process.exitCode = code;
});
