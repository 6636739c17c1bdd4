/**
 * Runs binutils and kmod over images the builder wrote: each image goes to a scratch file, the tool's stdout
 * and stderr are both kept so tests can require "no warnings".
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseReadelf, type ReadelfFile } from '../../support/readelf-output.js';

/** A tool's output. */
export interface ToolRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `command args… <file>` with `bytes` in a scratch file named `name`. */
export function runOnImage(
  command: string,
  args: readonly string[],
  bytes: Uint8Array,
  name = 'image.ko',
): ToolRun {
  const dir = mkdtempSync(join(tmpdir(), 'kmodsim-builder-'));
  try {
    const file = join(dir, name);
    writeFileSync(file, bytes);
    const r = spawnSync(command, [...args, file], {
      encoding: 'latin1',
      env: { ...process.env, LC_ALL: 'C' },
      maxBuffer: 1 << 26,
    });
    return {
      status: r.status,
      stdout: r.stdout.replaceAll(file, '<file>'),
      stderr: r.stderr.replaceAll(file, '<file>'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether a command runs at all. */
export function haveTool(command: string, args: readonly string[] = ['--version']): boolean {
  return spawnSync(command, [...args], { stdio: 'ignore' }).status === 0;
}

/** `readelf -W -S -s -r [-p <strings>]`, parsed, with the raw output. */
export function readelfImage(
  bytes: Uint8Array,
  stringSection?: string,
): ToolRun & { readonly parsed: ReadelfFile } {
  const args = ['-W', '-S', '-s', '-r', ...(stringSection === undefined ? [] : ['-p', stringSection])];
  const run = runOnImage('readelf', args, bytes);
  // parseReadelf knows the `.modinfo` dump header; other string sections are parsed the same way.
  const text =
    stringSection === undefined
      ? run.stdout
      : run.stdout.replace(
          `String dump of section '${stringSection}':`,
          "String dump of section '.modinfo':",
        );
  return { ...run, parsed: parseReadelf(text) };
}
