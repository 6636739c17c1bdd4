/**
 * `get_mod_name(user_name, buf)` of 1.x/2.0: copies byte by byte until the NUL; `++i >= MOD_MAX_NAME` gives E2BIG
 * (63 characters at most). Nothing else is checked: the empty name passes. The pointer is not verified first, so
 * a bad one faults inside the kernel; that fault is answered EFAULT here (inferred, linux-legacy.md §A.4, D.6).
 * @see kernel/module.c get_mod_name (1.2.13, 1.3.89, 2.0.40)
 * @module
 */
import { MOD_MAX_NAME } from '../../abi/linux/v1.js';
import { err, ok, type Result } from '../../core/result.js';
import type { UserMemory } from '../../core/user-memory.js';
import { latin1 } from '../linux-v24/kernel-memory.js';

/** The name, or E2BIG / EFAULT. */
export function getModName(user: UserMemory, ptr: number): Result<string> {
  const avail = ptr === 0 ? 0 : user.available(ptr);
  const r = avail > 0 ? user.read(ptr, Math.min(avail, MOD_MAX_NAME)) : undefined;
  const bytes = r?.ok === true ? r.value : new Uint8Array(0);
  for (let i = 0; i < MOD_MAX_NAME; i++) {
    if (i >= bytes.length)
      return err('EFAULT', `get_mod_name: fault reading the name at 0x${(ptr + i).toString(16)} (inferred)`);
    if (bytes[i] === 0) return ok(latin1(bytes.subarray(0, i)));
    if (i + 1 >= MOD_MAX_NAME) break;
  }
  return err('E2BIG', `get_mod_name: name of ${MOD_MAX_NAME} bytes or more`);
}
