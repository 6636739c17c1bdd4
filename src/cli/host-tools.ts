import { statSync } from 'node:fs';
import type { CliIo } from './cli-context.js';

/** modinfo options that take a value (kmod 30). */
const MODINFO_VALUE_OPTIONS = new Set(['-F', '--field', '-k', '--set-version', '-b', '--basedir']);

// One stat each (no exception for a missing path): modinfo over a whole tree checks thousands of arguments.
function isDir(p: string): boolean {
  return statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

function isFile(p: string): boolean {
  return statSync(p, { throwIfNoEntry: false })?.isFile() ?? false;
}

/** Whether `depmod argv` names a host base directory (`-b DIR`, `-bDIR`, `--basedir=DIR`) that exists. */
export function depmodOnHost(argv: readonly string[]): boolean {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-b' || a === '--basedir') return isDir(argv[i + 1] ?? '');
    if (a.startsWith('--basedir=')) return isDir(a.slice(10));
    if (a.startsWith('-b') && !a.startsWith('--')) return isDir(a.slice(2));
  }
  return false;
}

/** Whether every module argument of `modinfo argv` is an existing host file (and there is at least one). */
export function modinfoOnHost(argv: readonly string[]): boolean {
  let files = 0;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (MODINFO_VALUE_OPTIONS.has(a)) i++;
    else if (a.startsWith('-')) continue;
    else if (isFile(a)) files++;
    else return false;
  }
  return files > 0;
}

/**
 * linux-v26's `depmod` and `modinfo` over the host's own files (a real module tree) run on kmod's in-process fast
 * path rather than through the simulated VFS: no copy of the tree, the same output. Returns the exit status, or
 * `undefined` when the command is not such a call.
 */
export async function runHostTool(
  name: string,
  argv: readonly string[],
  io: CliIo,
): Promise<number | undefined> {
  if (name === 'depmod' && depmodOnHost(argv)) {
    const { depmodHost } = await import('../personalities/linux-v26/userland/host.js');
    const r = depmodHost(argv);
    io.out(r.stdout);
    io.err(r.stderr);
    return r.exitCode;
  }
  if (name === 'modinfo' && modinfoOnHost(argv)) {
    const { modinfoHost } = await import('../personalities/linux-v26/userland/host.js');
    const r = modinfoHost(argv);
    // In pieces: a whole tree's output need not be joined (and re-encoded) as one string.
    for (const part of r.stdoutParts) io.out(part);
    io.err(r.stderr);
    return r.exitCode;
  }
  return undefined;
}
