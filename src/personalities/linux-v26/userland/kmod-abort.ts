/**
 * A failed `assert()` inside kmod: Debian builds kmod with assertions on, so some malformed ELF files make the
 * real tool abort (exit status 134, glibc's message on stderr, buffered stdout lost). The simulated tools model
 * that as this exception, caught at the tool boundary only.
 * @see glibc assert/assert.c __assert_fail
 * @module
 */

/** Thrown where kmod's `assert()` fails; carries glibc's message without the program name. */
export class KmodAbort extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly fn: string,
    readonly expression: string,
  ) {
    super(`${file}:${line}: ${fn}: Assertion \`${expression}' failed.`);
    this.name = 'KmodAbort';
  }
}

/** `assert(cond)` at `file:line` in `fn` (kmod's paths are relative to its build directory: `../libkmod/...`). */
export function kmodAssert(cond: boolean, file: string, line: number, fn: string, expression: string): void {
  if (!cond) throw new KmodAbort(file, line, fn, expression);
}

/** The exit status of a process killed by `SIGABRT`, as a shell reports it. */
export const ABORT_EXIT_STATUS = 134;
