/**
 * The host fast path: kmod's `depmod` and `modinfo` run in-process over the host's own files (a real
 * distribution module tree), for the CLI (`kmodsim depmod -b ROOT -a KVER`, `kmodsim modinfo FILE...`) and the
 * benchmark.
 * @module
 */
import * as os from 'node:os';

import { type DepmodRunResult, depmodRun } from './depmod.js';
import { HostKmodFs } from './host-fs.js';
import type { KmodDecompressor } from './kmod-file.js';
import type { KmodToolResult } from './kmod-tool.js';
import { modinfo } from './modinfo.js';

/** Options of the host runs. */
export interface HostToolOptions {
  /** Working directory for relative paths (default: the process's). */
  readonly cwd?: string;
  /** `uname -r` (default: the host's release). */
  readonly release?: string;
  /** Decompressor for `.ko.xz` / `.ko.zst` files. */
  readonly decompress?: KmodDecompressor;
}

function env(opts: HostToolOptions) {
  return {
    fs: new HostKmodFs(opts.cwd, true),
    release: opts.release ?? os.release(),
    ...(opts.decompress === undefined ? {} : { decompress: opts.decompress }),
  };
}

/**
 * `depmod argv...` on the host: writes `modules.dep` and the other files into `<basedir>/lib/modules/<release>`
 * exactly as kmod 30's depmod does, and returns its output, status and files.
 * @example depmodHost(['-b', '/srv/root', '-a', '6.1.0-50-amd64'])
 */
export function depmodHost(argv: readonly string[], opts: HostToolOptions = {}): DepmodRunResult {
  const e = env(opts);
  try {
    return depmodRun(argv, e);
  } finally {
    e.fs.unmap();
  }
}

/**
 * `modinfo argv...` on the host (files, or names/aliases with `-b`/`-k`), printing exactly what kmod 30's
 * modinfo prints.
 * @example modinfoHost(['-F', 'vermagic', '/lib/modules/6.1.0-50-amd64/kernel/fs/fat/vfat.ko'])
 */
export function modinfoHost(argv: readonly string[], opts: HostToolOptions = {}): KmodToolResult {
  const e = env(opts);
  try {
    return modinfo(argv, e);
  } finally {
    e.fs.unmap();
  }
}
