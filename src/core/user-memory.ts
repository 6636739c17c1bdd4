import { Buffer } from 'node:buffer';
import { injectable } from 'inversify';
import { err, OK_VOID, ok, type Result } from './result.js';
import {
  asArray,
  asObject,
  bytesFromJson,
  bytesToJson,
  type JsonValue,
  type Snapshottable,
} from './snapshot.js';

/** A user-space pointer: a plain number (user addresses fit in 47 bits). `0` is NULL. */
export type UserPtr = number;

/** A string copied from user memory. */
export interface UserString {
  /** The bytes up to the NUL (or `count`), as Latin-1. */
  readonly value: string;
  /** True when no NUL came within `count` bytes. */
  readonly truncated: boolean;
}

/** The NULL user pointer. */
export const NULL_PTR: UserPtr = 0;

interface Region {
  start: number;
  bytes: Uint8Array;
  writable: boolean;
}

/**
 * The calling process's memory, so syscalls receive real pointers: a NULL, dangling or short pointer gives
 * EFAULT exactly where `copy_from_user` would, with no JavaScript exception. Regions are separated by unmapped
 * gaps so an overrun faults instead of reading a neighbour.
 */
@injectable()
export class UserMemory implements Snapshottable {
  private regions: Region[] = [];
  private next = 0x10000;

  /** Maps a copy of `bytes` and returns its address. */
  map(bytes: Uint8Array, writable = true): UserPtr {
    const start = this.next;
    this.regions.push({ start, bytes: new Uint8Array(bytes), writable });
    this.next = start + alignUp(Math.max(bytes.length, 1), 0x1000) + 0x1000;
    return start;
  }

  /**
   * Maps `bytes` read-only without copying them: for an argument that is unmapped before the caller can change
   * it (a syscall's image buffer). Reads see the caller's bytes; writes fault as in any read-only region.
   */
  mapReadOnlyView(bytes: Uint8Array): UserPtr {
    const start = this.next;
    this.regions.push({ start, bytes, writable: false });
    this.next = start + alignUp(Math.max(bytes.length, 1), 0x1000) + 0x1000;
    return start;
  }

  /** Maps `size` zero bytes (an output buffer). */
  alloc(size: number): UserPtr {
    return this.map(new Uint8Array(size));
  }

  /** Maps a NUL-terminated string. */
  mapString(s: string): UserPtr {
    const enc = new TextEncoder().encode(s);
    const buf = new Uint8Array(enc.length + 1);
    buf.set(enc);
    return this.map(buf);
  }

  /** Unmaps the region starting at `ptr` (later accesses fault). */
  unmap(ptr: UserPtr): void {
    this.regions = this.regions.filter((r) => r.start !== ptr);
  }

  /** Whether `[ptr, ptr+length)` is mapped (`access_ok` plus presence). */
  isMapped(ptr: UserPtr, length: number): boolean {
    return this.find(ptr, length) !== undefined;
  }

  /** Mapped length from `ptr` to the end of its region (0 when unmapped). */
  available(ptr: UserPtr): number {
    const r = this.regionAt(ptr);
    return r === undefined ? 0 : r.start + r.bytes.length - ptr;
  }

  /** `copy_from_user`: the bytes, or EFAULT if any byte is unmapped. Never allocates before checking. */
  read(ptr: UserPtr, length: number): Result<Uint8Array> {
    if (length === 0) return ok(new Uint8Array(0));
    const r = this.find(ptr, length);
    if (r === undefined) return err('EFAULT', `bad user address 0x${ptr.toString(16)} (+${length})`);
    return ok(r.bytes.subarray(ptr - r.start, ptr - r.start + length));
  }

  /** `copy_to_user`: EFAULT unless the whole range is mapped and writable. */
  write(ptr: UserPtr, data: Uint8Array): Result<void> {
    const r = this.find(ptr, data.length);
    if (r === undefined || !r.writable)
      return err('EFAULT', `bad user address 0x${ptr.toString(16)} (+${data.length})`);
    r.bytes.set(data, ptr - r.start);
    return OK_VOID;
  }

  /**
   * `strncpy_from_user(dst, src, count)`: the string up to the first NUL or `count` bytes. `truncated` is true when
   * no NUL was found within `count` (the kernel returns `count`). EFAULT when a byte before that is unmapped.
   */
  strncpyFromUser(ptr: UserPtr, count: number): Result<UserString> {
    const r = this.regionAt(ptr);
    if (r === undefined || ptr === 0) return err('EFAULT', `bad user address 0x${ptr.toString(16)}`);
    const off = ptr - r.start;
    const end = Math.min(r.bytes.length, off + count);
    const nul = r.bytes.subarray(off, end).indexOf(0);
    if (nul >= 0) return ok({ value: decode(r.bytes.subarray(off, off + nul)), truncated: false });
    if (off + count > r.bytes.length) return err('EFAULT', `unterminated string at 0x${ptr.toString(16)}`);
    return ok({ value: decode(r.bytes.subarray(off, end)), truncated: true });
  }

  /** @inheritDoc */
  snapshot(): JsonValue {
    return {
      next: this.next,
      regions: this.regions.map((r) => ({
        start: r.start,
        writable: r.writable,
        bytes: bytesToJson(r.bytes),
      })),
    };
  }

  /** @inheritDoc */
  restore(state: JsonValue): void {
    const o = asObject(state, 'userMemory');
    this.next = Number(o.next);
    this.regions = asArray(o.regions, 'userMemory.regions').map((raw) => {
      const r = asObject(raw, 'region');
      return { start: Number(r.start), writable: r.writable === true, bytes: bytesFromJson(r.bytes) };
    });
  }

  private regionAt(ptr: UserPtr): Region | undefined {
    if (!Number.isSafeInteger(ptr) || ptr <= 0) return undefined;
    for (const r of this.regions) if (ptr >= r.start && ptr < r.start + r.bytes.length) return r;
    return undefined;
  }

  private find(ptr: UserPtr, length: number): Region | undefined {
    if (!Number.isSafeInteger(length) || length < 0) return undefined;
    const r = this.regionAt(ptr);
    if (r === undefined) return undefined;
    return ptr + length <= r.start + r.bytes.length ? r : undefined;
  }
}

function alignUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

/** The bytes as a string of the same length, one character per byte (ISO-8859-1), as the kernel sees them. */
function decode(bytes: Uint8Array): string {
  // A Buffer view's latin1 decoding: a new TextDecoder per call cost ~5 µs, once per init_module's parameters.
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
}

/** A syscall argument given either as a raw user pointer (a number) or as a value the handler maps into user
 * memory for the call. */
export type UserArg<T> = T | number;
