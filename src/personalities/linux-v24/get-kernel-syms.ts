/**
 * `get_kernel_syms(table)`, "obsolete" since 2.1.18 but still there: with NULL, Σ(nsyms + 1) over every list
 * element (the kernel included, whatever the flags); with a table, for each queryable module newest first then
 * the kernel, a `#name` pseudo-symbol whose value is the module's address, then its symbols, names truncated to
 * 59 characters. A fault ends the copy: the call returns the number written so far, never EFAULT.
 * @see kernel/module.c sys_get_kernel_syms (2.2.1, 2.4.27); linux-legacy.md §B.9
 * @module
 */
import { KERNEL_SYM, MOD_RUNNING } from '../../abi/linux/v24.js';
import { ok, type Result } from '../../core/result.js';
import { latin1Bytes } from './kernel-memory.js';
import { KERNEL_MODULE_ADDR } from './kernel-symbols.js';
import type { LinuxV24Kernel, V24Symbol } from './linux-v24-kernel.js';
import { copyToUser, u32Bytes } from './user-access.js';

/** One `struct kernel_sym`: value, then `strncpy(name, 60)` with `name[59] = 0`. */
function kernelSym(value: number, name: Uint8Array): Uint8Array {
  const out = new Uint8Array(KERNEL_SYM.size);
  out.set(u32Bytes(value), KERNEL_SYM.value);
  out.set(name.subarray(0, KERNEL_SYM.nameLength - 1), KERNEL_SYM.name);
  return out;
}

/** The syscall body. */
export function getKernelSyms(k: LinuxV24Kernel, table: number): Result<number> {
  const mods = k.list();
  const kernel = k.kernelSymbols();
  let count = kernel.length + 1;
  for (const m of mods) count += m.get('nsyms') + 1;
  if (table === 0) return ok(count | 0);
  const entries: { addr: number; name: string; flags: number; syms: () => V24Symbol[] }[] = [
    ...mods.map((m) => ({ addr: m.addr, name: m.name(), flags: m.flags, syms: () => k.moduleSymbols(m) })),
    { addr: KERNEL_MODULE_ADDR, name: '', flags: MOD_RUNNING, syms: () => kernel },
  ];
  let i = 0;
  let at = table;
  const emit = (value: number, name: Uint8Array): boolean => {
    if (!copyToUser(k.core.user, at, kernelSym(value, name)).ok) return false;
    i++;
    at += KERNEL_SYM.size;
    return true;
  };
  for (const e of entries) {
    if (!k.era.canQuery(e.flags)) continue;
    const header = new Uint8Array(latin1Bytes(e.name).length + 1);
    header[0] = 0x23; // '#'
    header.set(latin1Bytes(e.name), 1);
    if (!emit(e.addr, header)) return ok(i);
    for (const s of e.syms()) if (!emit(s.value, latin1Bytes(s.name))) return ok(i);
  }
  return ok(i);
}
