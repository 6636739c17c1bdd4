/**
 * `get_kernel_syms(table)`: with NULL, the count — over every list element whatever its state, `n_symbols + 1`
 * (the `#name` pseudo-symbol) or 1 for a module without symbols. With a table, `verify_area(VERIFY_WRITE)` of the
 * whole count (EFAULT), then for each *running* element in list order a `#name` entry whose value is the address
 * of its `struct module` (`"#"` for `kernel_module` and pseudo modules), then its symbols (`strncpy` of 60 bytes:
 * no NUL at 60 characters or more). It returns the full count even when it skipped modules that are not running,
 * leaving the tail of the buffer unwritten. No privilege check.
 * @see kernel/module.c sys_get_kernel_syms (1.2.13, 1.3.89, 2.0.40); linux-legacy.md §A.8
 * @module
 */
import { KERNEL_SYM_V1, MOD_RUNNING, SYM_MAX_NAME } from '../../abi/linux/v1.js';
import { err, ok, type Result } from '../../core/result.js';
import { latin1Bytes } from '../linux-v24/kernel-memory.js';
import { u32Bytes } from '../linux-v24/user-access.js';
import type { LinuxV1Kernel } from './linux-v1-kernel.js';

/** The count `get_kernel_syms(NULL)` returns. */
export function kernelSymsCount(k: LinuxV1Kernel): number {
  let count = 0;
  for (const m of k.list()) {
    const n = m.symtab?.symbols.length ?? 0;
    count += n > 0 ? n + 1 : 1;
  }
  return count;
}

/** The syscall body. */
export function getKernelSyms(k: LinuxV1Kernel, table: number): Result<number> {
  const count = kernelSymsCount(k);
  if (table === 0) return ok(count);
  const user = k.core.user;
  if (!user.isMapped(table, count * KERNEL_SYM_V1.size))
    return err('EFAULT', `get_kernel_syms: verify_area(VERIFY_WRITE, ${count} entries)`);
  const entry = new Uint8Array(KERNEL_SYM_V1.size);
  let at = table;
  const emit = (value: number, name: Uint8Array) => {
    entry.fill(0);
    entry.set(u32Bytes(value), KERNEL_SYM_V1.value);
    entry.set(name.subarray(0, SYM_MAX_NAME), KERNEL_SYM_V1.name);
    user.write(at, entry);
    at += KERNEL_SYM_V1.size;
  };
  for (const m of k.list()) {
    if (m.state !== MOD_RUNNING) continue;
    emit(m.struct, latin1Bytes(`#${m.name}`));
    for (const s of m.symtab?.symbols ?? []) emit(s.addr, latin1Bytes(s.name));
  }
  return ok(count);
}
