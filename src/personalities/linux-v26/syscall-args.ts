/**
 * Syscall arguments as callers give them — raw user pointers (numbers), or conveniences the handler maps into
 * user memory for the call (a `Uint8Array` image, a string) — and flags as numbers or names.
 * @module
 */
import {
  MODULE_INIT_COMPRESSED_FILE,
  MODULE_INIT_IGNORE_MODVERSIONS,
  MODULE_INIT_IGNORE_VERMAGIC,
  O_ACCMODE,
  O_CLOEXEC,
  O_CREAT,
  O_DIRECTORY,
  O_EXCL,
  O_NONBLOCK,
  O_PATH,
  O_RDONLY,
  O_RDWR,
  O_TRUNC,
  O_WRONLY,
} from '../../abi/linux/v26.js';
import type { SyscallArg, SyscallArgs } from '../../core/syscall-table.js';
import type { UserMemory } from '../../core/user-memory.js';

/** Flag names accepted in place of numbers. */
export const FLAG_NAMES: Readonly<Record<string, number>> = {
  MODULE_INIT_IGNORE_MODVERSIONS,
  MODULE_INIT_IGNORE_VERMAGIC,
  MODULE_INIT_COMPRESSED_FILE,
  O_TRUNC,
  O_NONBLOCK,
  O_EXCL,
  O_RDONLY,
  O_WRONLY,
  O_RDWR,
  O_ACCMODE,
  O_CREAT,
  O_DIRECTORY,
  O_CLOEXEC,
  O_PATH,
};

/** A number, a `|`-separated list of names, or a list of names → the flag word (unknown names → NaN). */
export function flagsArg(v: SyscallArg): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(BigInt.asIntN(32, v));
  if (typeof v === 'boolean') return v ? 1 : 0;
  const names = typeof v === 'string' ? v.split('|') : Array.isArray(v) ? v : [];
  let f = 0;
  for (const raw of names) {
    const n = raw.trim();
    if (n === '' || n === '0') continue;
    const val = FLAG_NAMES[n] ?? (/^(0x[0-9a-f]+|0[0-7]*|\d+)$/i.test(n) ? Number(n) : Number.NaN);
    f |= val;
    if (Number.isNaN(val)) return Number.NaN;
  }
  return f;
}

/** A pointer argument: a number as is, bytes/strings mapped for the call (`release` unmaps them). */
export interface PointerArg {
  /** The user pointer. */
  readonly ptr: number;
  /** Length of mapped bytes, when the argument was bytes. */
  readonly length: number | undefined;
  /** Unmaps what was mapped. */
  release(): void;
}

/** Turns an argument into a user pointer. `undefined` is NULL. */
export function pointerArg(user: UserMemory, v: SyscallArg): PointerArg {
  if (v instanceof Uint8Array) {
    // Unmapped when the call returns, and nothing in the kernel writes through it: no copy needed.
    const p = user.mapReadOnlyView(v);
    return { ptr: p, length: v.length, release: () => user.unmap(p) };
  }
  if (typeof v === 'string') {
    // Kernel strings are bytes; a string whose characters are all below 256 is passed byte for byte.
    const p = /^[\0-\xff]*$/.test(v) ? user.map(Buffer.from(`${v}\0`, 'latin1')) : user.mapString(v);
    return { ptr: p, length: undefined, release: () => user.unmap(p) };
  }
  if (typeof v === 'number') return { ptr: v, length: undefined, release: () => {} };
  if (typeof v === 'bigint') return { ptr: Number(v), length: undefined, release: () => {} };
  return { ptr: 0, length: undefined, release: () => {} };
}

/** The first present key of `names` (aliases scenario files may use). */
export function pick(args: SyscallArgs, ...names: string[]): SyscallArg {
  for (const n of names) if (n in args) return args[n];
  return undefined;
}

/** Whether any of `names` is present. */
export function has(args: SyscallArgs, ...names: string[]): boolean {
  return names.some((n) => n in args);
}

/** An integer argument. */
export function intArg(v: SyscallArg, dflt: number): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  return dflt;
}
