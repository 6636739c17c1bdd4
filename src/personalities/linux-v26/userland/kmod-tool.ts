/**
 * What kmod's tools share: their output streams and log formats, the environment they run in, and the process
 * boundary (exit status, an `assert()` abort).
 * @see tools/log.c, libkmod/libkmod.c log_filep (kmod 30, Debian build with --enable-debug)
 * @module
 */
import { Buffer } from 'node:buffer';
import type { ErrnoName } from '../../../abi/errno.js';
import type { ToolResult } from '../../personality.js';
import { ABORT_EXIT_STATUS, KmodAbort } from './kmod-abort.js';
import type { KmodDecompressor } from './kmod-file.js';
import type { KmodFs } from './kmod-fs.js';
import type { KmodKernel } from './kmod-kernel.js';

/** Where a kmod tool runs: its files, `uname -r`, and a decompressor for `.ko.xz`/`.ko.zst`. */
export interface KmodEnv {
  /** File system calls. */
  readonly fs: KmodFs;
  /** `uname -r`. */
  readonly release: string;
  /** Decompressor for compressed modules. */
  readonly decompress?: KmodDecompressor;
}

/** A tool that also talks to the kernel (insmod, rmmod, modprobe). */
export interface KmodKernelEnv extends KmodEnv {
  /** Kernel calls. */
  readonly kernel: KmodKernel;
}

/** syslog priorities kmod uses. Source: <syslog.h>. */
export const LOG_CRIT = 2;
/** `LOG_ERR`. */
export const LOG_ERR = 3;
/** `LOG_WARNING`. */
export const LOG_WARNING = 4;
/** `LOG_NOTICE`. */
export const LOG_NOTICE = 5;
/** `LOG_INFO`. */
export const LOG_INFO = 6;
/** `LOG_DEBUG`. */
export const LOG_DEBUG = 7;

/** `prio_to_str` (tools/log.c). */
export function prioName(prio: number): string {
  switch (prio) {
    case LOG_CRIT:
      return 'FATAL';
    case LOG_ERR:
      return 'ERROR';
    case LOG_WARNING:
      return 'WARNING';
    case LOG_NOTICE:
      return 'NOTICE';
    case LOG_INFO:
      return 'INFO';
    case LOG_DEBUG:
      return 'DEBUG';
    default:
      return `LOG-${String(prio).padStart(3, '0')}`;
  }
}

/** `kmod` version lines printed by `-V`. Source: kmod 30 on Debian 12. */
export const KMOD_VERSION_TEXT = 'kmod version 30\n+ZSTD +XZ -ZLIB +LIBCRYPTO -EXPERIMENTAL\n';

/** Thrown by `CRIT()` in the tools (`log_printf` exits the process at `LOG_CRIT`). */
export class KmodExit extends Error {
  constructor(readonly status: number) {
    super(`exit ${status}`);
    this.name = 'KmodExit';
  }
}

/** `Buffer#utf8Write` (what `write(s, offset, 'utf8')` calls after its checks; not in the typings). */
type Utf8Writer = (this: Buffer, s: string, offset: number) => number;
const utf8Write: Utf8Writer =
  (Buffer.prototype as unknown as { utf8Write?: Utf8Writer }).utf8Write ??
  function (this: Buffer, s: string, offset: number): number {
    return this.write(s, offset, 'utf8');
  };

/** Size of {@link KmodIo}'s output chunks. */
const OUT_CHUNK = 1 << 16;

/** A tool's result with its standard output also in pieces (write them in turn: no need to join them first). */
export interface KmodToolResult extends ToolResult {
  /** Pieces that concatenate to `stdout`. */
  readonly stdoutParts: readonly string[];
}

/** The output streams of one tool run, with kmod's log helpers. */
export class KmodIo {
  /**
   * Standard output as UTF-8 bytes, written as the tool prints (like stdio's buffer) into chunks of at least
   * {@link OUT_CHUNK} bytes, each holding whole writes: a long output (modinfo of a whole tree) is then a few
   * buffers, not thousands of strings joined that the collector copies on every young-generation collection, and
   * each chunk decodes on its own (most are ASCII: fast both ways).
   */
  private readonly outChunks: Buffer[] = [];
  private outBytes: Buffer | undefined;
  private outLength = 0;
  /** Standard error. */
  stderr = '';
  /** `log_priority` of tools/log.c (default `LOG_WARNING`). */
  logPriority = LOG_WARNING;
  /** libkmod's `ctx->log_priority` (default `LOG_ERR`). */
  kmodLogPriority = LOG_ERR;
  /** Whether `log_setup_kmod_log` routed libkmod's messages through the tool's logger. */
  kmodLogSetup = false;
  /** The errno behind the tool's failure, when one caused it (for the neutral actions). */
  errno: ErrnoName | undefined;

  constructor(readonly prog: string) {}

  /** Standard output so far. */
  get stdout(): string {
    return this.stdoutParts().join('');
  }

  /** Standard output so far, in pieces that concatenate to {@link KmodIo.stdout}. */
  stdoutParts(): string[] {
    return this.filledChunks().map((c) => c.toString('utf8'));
  }

  /** Standard output so far, as the bytes written. */
  get stdoutBytes(): Uint8Array {
    return Buffer.concat(this.filledChunks());
  }

  /** `printf` to stdout. */
  out(s: string): void {
    // A UTF-16 unit never takes more than 3 bytes of UTF-8.
    const need = 3 * s.length;
    let b = this.outBytes;
    if (b === undefined || this.outLength + need > b.length) {
      if (b !== undefined) this.outChunks.push(b.subarray(0, this.outLength));
      b = Buffer.allocUnsafe(Math.max(need, OUT_CHUNK));
      this.outBytes = b;
      this.outLength = 0;
    }
    this.outLength += utf8Write.call(b, s, this.outLength);
  }

  private filledChunks(): Buffer[] {
    const b = this.outBytes;
    return b === undefined ? [] : [...this.outChunks, b.subarray(0, this.outLength)];
  }

  /** `fprintf(stderr, ...)`. */
  err(s: string): void {
    this.stderr += s;
  }

  /**
   * `log_printf(prio, msg)` of tools/log.c: nothing above the log priority; a printed `LOG_CRIT` (or worse)
   * message exits with status 1 (a filtered one does not, as in the C code).
   */
  log(prio: number, msg: string): void {
    if (prio > this.logPriority) return;
    this.stderr += `${this.prog}: ${prioName(prio)}: ${msg}`;
    if (prio <= LOG_CRIT) throw new KmodExit(1);
  }

  /**
   * A libkmod message (`ERR(ctx, ...)`, `INFO(ctx, ...)`) at `file:line` in `fn`, formatted by the tool's logger
   * when set up, else by libkmod's default stderr logger.
   */
  kmodLog(prio: number, file: string, line: number, fn: string, msg: string): void {
    if (prio > this.kmodLogPriority) return;
    if (this.kmodLogSetup)
      this.stderr += `${this.prog}: ${prioName(prio)}: ../libkmod/${file}:${line} ${fn}() ${msg}`;
    else this.stderr += `libkmod: ${kmodPrioName(prio)} ../libkmod/${file}:${line} ${fn}: ${msg}`;
  }

  /** `log_setup_kmod_log(ctx, priority)`. */
  setupKmodLog(priority: number): void {
    this.logPriority = priority;
    this.kmodLogPriority = priority;
    this.kmodLogSetup = true;
  }
}

/** libkmod's own priority names (`log_filep` with ENABLE_DEBUG). */
function kmodPrioName(prio: number): string {
  switch (prio) {
    case 0:
      return 'EMERGENCY';
    case 1:
      return 'ALERT';
    case LOG_CRIT:
      return 'CRITICAL';
    default:
      return prio <= LOG_DEBUG ? prioName(prio) : `L:${prio}`;
  }
}

/** glibc's stdio buffer for a pipe or file: what is flushed before an abort. */
const STDOUT_BUFSIZ = 4096;

/**
 * Runs a tool body as a process: its return value is the exit status; `CRIT` exits; a failed kmod assertion
 * aborts (status 134, glibc's message on stderr, the unflushed part of stdout lost).
 */
export function runKmodTool(prog: string, body: (io: KmodIo) => number): KmodToolResult {
  return runKmodToolDetailed(prog, body).result;
}

/** {@link runKmodTool}, also returning the errno the tool recorded for its failure. */
export function runKmodToolDetailed(
  prog: string,
  body: (io: KmodIo) => number,
): { readonly result: KmodToolResult; readonly errno: ErrnoName | undefined } {
  const io = new KmodIo(prog);
  const done = (exitCode: number, parts = io.stdoutParts(), stderr = io.stderr) => {
    let stdout: string | undefined;
    const plain = {
      exitCode,
      // Joined when asked for: a host run writes the parts.
      get stdout() {
        stdout ??= parts.join('');
        return stdout;
      },
      stderr,
    };
    // Not enumerable: the result still looks like a plain ToolResult to comparisons and copies.
    const result = Object.defineProperty(plain, 'stdoutParts', { value: parts }) as KmodToolResult;
    return { result, errno: io.errno };
  };
  try {
    return done(body(io));
  } catch (e) {
    if (e instanceof KmodExit) return done(e.status);
    if (e instanceof KmodAbort) {
      const bytes = Buffer.from(io.stdoutBytes);
      const flushed = bytes
        .subarray(0, Math.floor(bytes.length / STDOUT_BUFSIZ) * STDOUT_BUFSIZ)
        .toString('utf8');
      return done(ABORT_EXIT_STATUS, [flushed], `${io.stderr}${prog}: ${e.message}\n`);
    }
    throw e;
  }
}
