/**
 * The i386 2.x user-access primitives over the simulated process memory: `get_user`/`put_user`,
 * `copy_from_user` (which copies up to the first unmapped byte and zero-fills the rest, as the fault fixup does),
 * `copy_to_user`, `access_ok` (a range check against `TASK_SIZE` only) and `get_mod_name`.
 * @see arch/i386/lib/usercopy.c; include/asm-i386/uaccess.h; kernel/module.c get_mod_name (2.2.1, 2.4.27)
 * @module
 */
import { PAGE_SIZE_I386, TASK_SIZE_I386 } from '../../abi/linux/v24.js';
import { err, OK_VOID, ok, type Result } from '../../core/result.js';
import type { UserMemory } from '../../core/user-memory.js';
import { latin1 } from './kernel-memory.js';

/** `get_user` of a 32-bit word. */
export function getUser32(user: UserMemory, ptr: number): Result<number> {
  const r = user.read(ptr, 4);
  if (!r.ok) return r;
  const b = r.value;
  return ok((b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0);
}

/** Little-endian bytes of a 32-bit word. */
export function u32Bytes(value: number): Uint8Array {
  const v = value >>> 0;
  return Uint8Array.of(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
}

/** `put_user` of a 32-bit word. */
export function putUser32(user: UserMemory, ptr: number, value: number): Result<void> {
  return user.write(ptr, u32Bytes(value));
}

/** What `copy_from_user` produced: `length` bytes (zeros past a fault) and whether it faulted. */
export interface UserCopy {
  /** The copied bytes; those past the first unmapped byte are zero. */
  readonly bytes: Uint8Array;
  /** Bytes not copied (the C return value); 0 on success. */
  readonly uncopied: number;
}

/** `copy_from_user(to, from, n)`: partial copy up to the first fault, the remainder zeroed. */
export function copyFromUser(user: UserMemory, ptr: number, length: number): UserCopy {
  const bytes = new Uint8Array(length);
  if (length === 0) return { bytes, uncopied: 0 };
  if (!accessOk(ptr, length)) return { bytes, uncopied: length };
  const n = Math.min(length, user.available(ptr));
  if (n > 0) {
    const r = user.read(ptr, n);
    if (r.ok) bytes.set(r.value);
  }
  return { bytes, uncopied: length - Math.max(n, 0) };
}

/** `copy_to_user`: EFAULT unless the whole range is mapped and writable. */
export function copyToUser(user: UserMemory, ptr: number, data: Uint8Array): Result<void> {
  if (data.length === 0) return OK_VOID;
  if (!accessOk(ptr, data.length)) return err('EFAULT', `bad user address 0x${ptr.toString(16)}`);
  return user.write(ptr, data);
}

/** i386 `access_ok`: the range neither wraps nor reaches `TASK_SIZE` (presence is not checked). */
export function accessOk(ptr: number, length: number): boolean {
  return Number.isSafeInteger(ptr) && ptr >= 0 && length >= 0 && ptr + length <= TASK_SIZE_I386;
}

/** A module name copied from user space. */
export interface ModName {
  /** The name (Latin-1 text of its bytes). */
  readonly name: string;
  /** `strlen` of the name. */
  readonly length: number;
}

/**
 * `get_mod_name(user_name, &buf)`: `strncpy_from_user` into a page. A fault gives EFAULT, an empty name EINVAL,
 * a name filling the page ENAMETOOLONG. 2.2 first refuses a pointer at or above `TASK_SIZE` (EFAULT).
 */
export function getModName(user: UserMemory, ptr: number, checksTaskSize: boolean): Result<ModName> {
  if (checksTaskSize && ptr >= TASK_SIZE_I386) return err('EFAULT', 'get_mod_name: pointer above TASK_SIZE');
  const s = strncpyFromUser(user, ptr, PAGE_SIZE_I386);
  if (!s.ok) return s;
  if (s.value.truncated) return err('ENAMETOOLONG', 'get_mod_name: name fills a page');
  if (s.value.bytes.length === 0) return err('EINVAL', 'get_mod_name: empty name');
  return ok({ name: latin1(s.value.bytes), length: s.value.bytes.length });
}

/** `strncpy_from_user(dst, src, count)`: the bytes before the NUL, or `count` bytes (truncated); EFAULT on a fault. */
export function strncpyFromUser(
  user: UserMemory,
  ptr: number,
  count: number,
): Result<{ bytes: Uint8Array; truncated: boolean }> {
  const fault = err('EFAULT', `bad user address 0x${ptr.toString(16)}`);
  if (!accessOk(ptr, 1)) return fault;
  const n = Math.min(count, user.available(ptr));
  if (n <= 0) return fault;
  const r = user.read(ptr, n);
  if (!r.ok) return fault;
  const nul = r.value.indexOf(0);
  if (nul >= 0) return ok({ bytes: r.value.slice(0, nul), truncated: false });
  if (n < count) return fault;
  return ok({ bytes: r.value.slice(), truncated: true });
}

/** `getname(pathname)`: the path copied from user space; ENAMETOOLONG past a page, ENOENT when empty, EFAULT. */
export function getname(user: UserMemory, ptr: number): Result<string> {
  const p = strncpyFromUser(user, ptr, PAGE_SIZE_I386);
  if (!p.ok) return p;
  if (p.value.truncated) return err('ENAMETOOLONG', 'path too long');
  const path = latin1(p.value.bytes);
  return path === '' ? err('ENOENT', 'empty path') : ok(path);
}

/** The read/write access `open`'s `O_ACCMODE` bits ask for. */
export function accessMode(flags: number): { read: boolean; write: boolean } {
  const acc = flags & 3;
  return { read: acc !== 1 /* O_WRONLY */, write: acc !== 0 /* O_RDONLY */ };
}
