#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { runCli } from './run-cli.js';

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
