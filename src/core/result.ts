import type { ErrnoName } from '../abi/errno.js';
import { type KernelError, kernelError } from './kernel-error.js';

/** A success carrying a value. */
export interface Ok<T> {
  /** Discriminant: success. */
  readonly ok: true;
  /** The value. */
  readonly value: T;
}

/** A failure carrying an error. */
export interface Fail<E> {
  /** Discriminant: failure. */
  readonly ok: false;
  /** The error. */
  readonly error: E;
}

/** The outcome of an operation that can fail in an expected way: a value or an error, never an exception. */
export type Result<T, E = KernelError> = Ok<T> | Fail<E>;

/** A successful {@link Result}. */
export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

/** A successful {@link Result} without a value. */
export const OK_VOID: Ok<undefined> = { ok: true, value: undefined };

/** A failed {@link Result} carrying an arbitrary error value. */
export function fail<E>(error: E): Fail<E> {
  return { ok: false, error };
}

/** A failed {@link Result} carrying a {@link KernelError}. */
export function err(errno: ErrnoName, reason: string, step?: string): Fail<KernelError> {
  return { ok: false, error: kernelError(errno, reason, step) };
}
