import type { ErrnoName } from '../abi/errno.js';
import { type KernelError, kernelError } from './kernel-error.js';

/** The outcome of an operation that can fail in an expected way: a value or an error, never an exception. */
export type Result<T, E = KernelError> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: E };

/** A successful {@link Result}. */
export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

/** A successful {@link Result} without a value. */
export const OK_VOID: { readonly ok: true; readonly value: undefined } = { ok: true, value: undefined };

/** A failed {@link Result} carrying an arbitrary error value. */
export function fail<E>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error };
}

/** A failed {@link Result} carrying a {@link KernelError}. */
export function err(
  errno: ErrnoName,
  reason: string,
  step?: string,
): { readonly ok: false; readonly error: KernelError } {
  return { ok: false, error: kernelError(errno, reason, step) };
}
