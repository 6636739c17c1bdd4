/**
 * `create_module(name, size)`: reserves `(size + sizeof(long) + 4095) / 4096` pages, zeroes the use-count word at
 * their start and prepends an uninitialized `struct module`; returns the area's address (the use-count word —
 * code goes right after it).
 * @see kernel/module.c sys_create_module (1.2.13, 1.3.89, 2.0.40); linux-legacy.md §A.5
 * @module
 */
import { MOD_UNINITIALIZED, PAGE_SIZE_V1 } from '../../abi/linux/v1.js';
import { err, ok, type Result } from '../../core/result.js';
import { getModName } from './get-mod-name.js';
import type { LinuxV1Kernel } from './linux-v1-kernel.js';
import { checkSuser } from './privilege.js';

/** The syscall body; `size` is the raw `unsigned long` argument. */
export function createModule(k: LinuxV1Kernel, namePtr: number, size: number): Result<bigint> {
  const perm = checkSuser(k, 'create_module');
  if (!perm.ok) return perm;
  const bytes = size >>> 0;
  if (namePtr === 0 || bytes === 0) return err('EINVAL', 'create_module: NULL name or zero size');
  const n = getModName(k.core.user, namePtr);
  if (!n.ok) return n;
  const name = n.value;
  if (k.findModule(name) !== undefined) return err('EEXIST', `create_module: ${name} exists`);
  // Unsigned long arithmetic: a size near 4 GiB wraps to a page or two, as on the real kernel.
  const npages = Math.floor(((bytes + 4 + PAGE_SIZE_V1 - 1) >>> 0) / PAGE_SIZE_V1);
  const alloc = k.core.memory.alloc(npages * PAGE_SIZE_V1, name);
  if (!alloc.ok) return err('ENOMEM', `create_module: vmalloc of ${npages} pages failed`);
  k.mem.invalidate();
  const addr = Number(alloc.value.address);
  k.link({
    struct: k.allocStruct(),
    name,
    pages: npages,
    addr,
    state: MOD_UNINITIALIZED,
    cleanup: 0,
    symtab: undefined,
    referrers: [],
  });
  k.setUseWord(k.modules[0], 0);
  return ok(alloc.value.address);
}
