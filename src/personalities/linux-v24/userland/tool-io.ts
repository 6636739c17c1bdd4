/**
 * modutils' message helpers (`error()`, `lprintf()`, the `errors` counter and `error_file` prefix) over a tool
 * run's stdout and stderr, plus the errno that made the run fail (what the neutral actions report).
 * @see modutils util/logger.c error, lprintf
 * @module
 */
import type { ErrnoName } from '../../../abi/errno.js';
import type { ToolResult } from '../../personality.js';

/** One tool run's output and error state. */
export class ToolIO {
  /** Standard output. */
  stdout = '';
  /** Standard error. */
  stderr = '';
  /** `errors`: how many `error()` calls were made. */
  errors = 0;
  /** `error_file`: the prefix of `error()` lines. */
  errorFile: string;
  /** Why the run failed (the failing call's errno, or the closest errno for a user-space refusal). */
  cause: ErrnoName | undefined;
  /** `-s`: messages go to syslog instead. */
  syslog: string[] | undefined;

  constructor(program: string) {
    this.errorFile = program;
  }

  /** `error(fmt, …)`: `error_file: message` on stderr, `errors++`. */
  error(message: string, cause?: ErrnoName): void {
    const line = `${this.errorFile === '' ? '' : `${this.errorFile}: `}${message}`;
    if (this.syslog !== undefined) this.syslog.push(line);
    else this.stderr += `${line}\n`;
    this.errors++;
    if (cause !== undefined && this.cause === undefined) this.cause = cause;
  }

  /** `lprintf(fmt, …)`: a line on stdout. */
  lprintf(message: string): void {
    if (this.syslog !== undefined) this.syslog.push(message);
    else this.stdout += `${message}\n`;
  }

  /** Notes the cause of a failure reported elsewhere. */
  because(cause: ErrnoName): void {
    if (this.cause === undefined) this.cause = cause;
  }

  /** The process result. */
  exit(code: number): ToolResult {
    return { exitCode: code, stdout: this.stdout, stderr: this.stderr };
  }
}
