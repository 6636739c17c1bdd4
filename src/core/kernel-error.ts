import type { ErrnoName } from '../abi/errno.js';

/**
 * An expected failure of a simulated kernel operation: the errno the real system returns, the `pr_err`-style
 * reason (also written to the kernel log) and, for load pipelines, the step that failed.
 */
export interface KernelError {
  /** The errno name the real system reports. */
  readonly errno: ErrnoName;
  /** Human-readable reason, in the kernel's own wording where it prints one. */
  readonly reason: string;
  /** The pipeline step (kernel function, camelCase) that failed, when known. */
  readonly step?: string;
}

/** Builds a {@link KernelError}. */
export function kernelError(errno: ErrnoName, reason: string, step?: string): KernelError {
  return step === undefined ? { errno, reason } : { errno, reason, step };
}

/**
 * The exception thrown by the convenience API (never by syscalls). Same shape as Node's `SystemError`.
 */
export class KmodsimError extends Error {
  /** The errno name, e.g. `'EBUSY'` (Node's `code`). */
  readonly code: ErrnoName;
  /** The errno number in the personality's family. */
  readonly errno: number;
  /** The syscall or tool that failed. */
  readonly syscall: string;

  constructor(syscall: string, code: ErrnoName, errno: number, reason: string) {
    super(`${syscall}: ${code}: ${reason}`);
    this.name = 'KmodsimError';
    this.code = code;
    this.errno = errno;
    this.syscall = syscall;
  }
}
