#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { exitWhenIdle } from './exit-when-idle.js';
import { runCli } from './run-cli.js';
import { v8Settings } from './v8-settings.js';

for (const setting of v8Settings(process.execArgv)) setFlagsFromString(setting);

const io = {
  out: (text: string) => process.stdout.write(text),
  err: (text: string) => process.stderr.write(text),
};

runCli(
  process.argv.slice(2),
  io,
  () => JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version as string,
).then(exitWhenIdle);
