/**
 * Typed errors of the ELF reader. Every malformed input becomes one of these values; the reader never throws.
 * Personalities map the {@link ElfErrorKind} to their errno (Linux: `ENOEXEC` for almost all of them).
 * @module
 */
import type { ErrnoName } from '../abi/errno.js';
import type { KernelError } from '../core/kernel-error.js';
import { kernelError } from '../core/kernel-error.js';
import type { Result } from '../core/result.js';

/** What was wrong with the input. */
export type ElfErrorKind =
  /** The input ends before a structure the reader needs. */
  | 'truncated'
  /** `e_ident[0..3]` is not `\x7fELF`. */
  | 'bad-magic'
  /** `e_ident[EI_CLASS]` is neither `ELFCLASS32` nor `ELFCLASS64`. */
  | 'bad-class'
  /** `e_ident[EI_DATA]` is neither `ELFDATA2LSB` nor `ELFDATA2MSB`. */
  | 'bad-encoding'
  /** A header field is inconsistent (e.g. `e_shentsize`). */
  | 'bad-header'
  /** A section header points outside the file or has an unusable size, link or entry size. */
  | 'bad-section'
  /** A required section is absent. */
  | 'missing-section'
  /** A string-table offset is out of bounds or a string is not terminated. */
  | 'bad-string'
  /** A symbol-table entry is unusable (bad index, bad name). */
  | 'bad-symbol'
  /** A relocation entry is unusable (bad symbol index, offset outside its target). */
  | 'bad-relocation'
  /** `.modinfo` is malformed. */
  | 'bad-modinfo'
  /** `__versions` is malformed. */
  | 'bad-versions'
  /** `__ksymtab*` / `__kcrctab*` is malformed. */
  | 'bad-ksymtab'
  /** `__param` is malformed. */
  | 'bad-param'
  /** `.gnu.linkonce.this_module` is malformed. */
  | 'bad-this-module'
  /** The appended module signature trailer is malformed. */
  | 'bad-signature';

/** A reader error: the kind, a readelf-style message and, when known, the file offset involved. */
export interface ElfError {
  /** The class of problem. */
  readonly kind: ElfErrorKind;
  /** What exactly was wrong, for logs. */
  readonly message: string;
  /** The file (or section) offset the problem was found at, when meaningful. */
  readonly offset?: number;
}

/** A `Result` (src/core/result.ts) whose error is an {@link ElfError}. */
export type ElfResult<T> = Result<T, ElfError>;

/** Builds an {@link ElfError}. */
export function elfError(kind: ElfErrorKind, message: string, offset?: number): ElfError {
  return offset === undefined ? { kind, message } : { kind, message, offset };
}

/** A failed {@link ElfResult}. */
export function elfFail(kind: ElfErrorKind, message: string, offset?: number): ElfResult<never> {
  return { ok: false, error: elfError(kind, message, offset) };
}

/**
 * Turns a reader error into a `KernelError` with the errno the personality chose (Linux rejects every
 * malformed module with `ENOEXEC`, see `elf_validity_cache_copy` in kernel/module/main.c).
 */
export function elfErrorToKernelError(error: ElfError, errno: ErrnoName, step?: string): KernelError {
  return kernelError(errno, error.message, step);
}
