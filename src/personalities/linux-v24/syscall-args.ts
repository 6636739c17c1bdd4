/**
 * Syscall arguments as callers give them: raw user pointers (numbers), or conveniences mapped into the caller's
 * memory for the duration of the call (a `Uint8Array` image, a string name), `null`/absent for NULL.
 * @module
 */
import { QM_NAMES } from '../../abi/linux/v24.js';
import type { SyscallArg, SyscallArgs } from '../../core/syscall-table.js';
import type { UserMemory } from '../../core/user-memory.js';
import { latin1Bytes } from './kernel-memory.js';

/** A pointer argument and how to release what was mapped for it. */
export interface PointerArg {
  /** The user pointer (0 = NULL). */
  readonly ptr: number;
  /** Unmaps what was mapped. */
  release(): void;
}

/** Turns an argument into a user pointer: bytes and strings are mapped (strings as C bytes, NUL-terminated). */
export function pointerArg(user: UserMemory, v: SyscallArg): PointerArg {
  if (v instanceof Uint8Array) {
    const p = user.map(v, false);
    return { ptr: p, release: () => user.unmap(p) };
  }
  if (typeof v === 'string') {
    const b = latin1Bytes(v);
    const bytes = new Uint8Array(b.length + 1);
    bytes.set(b);
    const p = user.map(bytes, false);
    return { ptr: p, release: () => user.unmap(p) };
  }
  if (typeof v === 'number') return { ptr: v >>> 0, release: () => {} };
  if (typeof v === 'bigint') return { ptr: Number(BigInt.asUintN(32, v)), release: () => {} };
  return { ptr: 0, release: () => {} };
}

/** The first present key of `names`. */
export function pick(args: SyscallArgs, ...names: string[]): SyscallArg {
  for (const n of names) if (n in args) return args[n];
  return undefined;
}

/** A 32-bit integer argument (`size_t` callers pass as numbers, bigints or decimal/hex strings). */
export function intArg(v: SyscallArg, dflt: number): number {
  if (typeof v === 'number') return Math.trunc(v);
  if (typeof v === 'bigint') return Number(BigInt.asIntN(53, v));
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && /^-?(0x[0-9a-f]+|\d+)$/i.test(v.trim())) return Number(v.trim());
  return dflt;
}

/** `which` of `query_module`: a number or a `QM_*` name (an unknown name is -1: EINVAL). */
export function whichArg(v: SyscallArg): number {
  if (typeof v === 'string' && v in QM_NAMES) return QM_NAMES[v];
  return intArg(v, typeof v === 'string' ? -1 : 0) | 0;
}
