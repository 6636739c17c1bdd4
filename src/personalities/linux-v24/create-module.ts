/**
 * `create_module(name, size)`: reserves the module's memory, writes a fresh `struct module` at its start (the
 * name right after it) and puts it at the head of `module_list`, uninitialized. Returns the address, which
 * `insmod` relocates the object against.
 * @see kernel/module.c sys_create_module (2.2.1, 2.4.0, 2.4.27); linux-legacy.md §B.4
 * @module
 */
import { PAGE_SIZE_I386 } from '../../abi/linux/v24.js';
import { err, ok, type Result } from '../../core/result.js';
import { latin1Bytes } from './kernel-memory.js';
import type { LinuxV24Kernel } from './linux-v24-kernel.js';
import { getModName } from './user-access.js';

/** The syscall body; `size` is the raw `size_t` argument. */
export function createModule(k: LinuxV24Kernel, namePtr: number, size: number): Result<bigint> {
  const core = k.core;
  if (!core.creds.capable('CAP_SYS_MODULE')) return err('EPERM', 'create_module: not CAP_SYS_MODULE');
  const n = getModName(core.user, namePtr, k.era.checksTaskSize);
  if (!n.ok) return n;
  const { name, length } = n.value;
  const bytes = size >>> 0;
  const minimum = k.era.sizeofModule + length + (k.era.createCountsNul ? 1 : 0);
  if (bytes < minimum)
    return err('EINVAL', `create_module: size ${bytes} < sizeof(struct module) + name (${minimum})`);
  if (k.findModule(name) !== undefined) return err('EEXIST', `create_module: ${name} exists`);
  if (core.modules.has(name)) return err('EEXIST', `create_module: ${name} is still being deleted`);
  // module_map is vmalloc, which maps whole pages: the slack past `size` is real, writable memory.
  const alloc = core.memory.alloc(Math.ceil(bytes / PAGE_SIZE_I386) * PAGE_SIZE_I386, name);
  if (!alloc.ok) return err('ENOMEM', `create_module: vmalloc(${bytes}) failed`);
  k.mem.invalidate();
  const addr = Number(alloc.value.address);
  const mod = k.struct(addr);
  mod.set('size_of_struct', k.era.sizeofModule);
  mod.set('name', addr + k.era.sizeofModule);
  mod.set('size', bytes);
  const nameBytes = latin1Bytes(name);
  k.mem.write(addr + k.era.sizeofModule, nameBytes);
  k.mem.write(addr + k.era.sizeofModule + nameBytes.length, Uint8Array.of(0));
  k.link(addr);
  core.modules.add(name, { state: 'MOD_UNINITIALIZED', flags: 0, address: alloc.value.address, size: bytes });
  return ok(alloc.value.address);
}
