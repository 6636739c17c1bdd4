import type { Kernel } from '../kernel.js';
import type { PersonalityId } from '../personalities/personality.js';

/** A mistake in how the command was called: printed as one line, exit status 2, no stack trace. */
export class UsageError extends Error {
  /** Exit status to use. */
  readonly exitCode: number;

  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = 'UsageError';
    this.exitCode = exitCode;
  }
}

/** Output streams of a CLI run (real stdout/stderr, or buffers in tests). */
export interface CliIo {
  /** Writes to standard output. */
  out(text: string): void;
  /** Writes to standard error. */
  err(text: string): void;
}

/** What every command gets: global options, output, and the simulated kernel (created or restored on demand). */
export interface CliContext {
  /** `-p/--personality`, when given. */
  readonly personality: PersonalityId | undefined;
  /** `--json`: machine-readable output. */
  readonly json: boolean;
  /** `--state FILE`, when given. */
  readonly statePath: string | undefined;
  /** Output streams. */
  readonly io: CliIo;
  /** The kernel: restored from `--state` if the file exists, else created for `-p` (default `linux-v26`). */
  kernel(): Promise<Kernel>;
}

/** One `kmodsim` subcommand. */
export interface CliCommand {
  /** Name on the command line. */
  readonly name: string;
  /** One-line description for `--help`. */
  readonly summary: string;
  /** Usage line(s) shown by `kmodsim help <command>`. */
  readonly usage: string;
  /** Runs it; returns the exit status. */
  run(ctx: CliContext, argv: readonly string[]): Promise<number>;
}

/** A registry entry: metadata plus a lazy loader, so `--help` stays fast. */
export interface CommandEntry {
  /** Name on the command line. */
  readonly name: string;
  /** One-line description. */
  readonly summary: string;
  /** Loads the implementation. */
  load(): Promise<CliCommand>;
}
