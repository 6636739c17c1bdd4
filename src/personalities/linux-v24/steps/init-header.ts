/**
 * The first half of `sys_init_module`: privilege, the name, the module, the image's `size_of_struct` window, and
 * the copy of the user's header over the kernel's (kept in `mod_tmp` to restore on the error paths, `err2`).
 * @see kernel/module.c sys_init_module (2.2.1, 2.4.0, 2.4.27); linux-legacy.md §B.5 steps 1–6
 * @module
 */
import { MODULE_OFFSETS } from '../../../abi/linux/v24.js';
import { step } from '../../../core/pipeline.js';
import { err, OK_VOID } from '../../../core/result.js';
import { type InitContext, modOf } from '../init-context.js';
import { latin1Bytes } from '../kernel-memory.js';
import { copyFromUser, getModName, getUser32 } from '../user-access.js';

/** `capable(CAP_SYS_MODULE)`. */
export const capableCheck = step<InitContext>('capable', (ctx) =>
  ctx.k.core.creds.capable('CAP_SYS_MODULE') ? OK_VOID : err('EPERM', 'init_module: not CAP_SYS_MODULE'),
);

/** `get_mod_name(name_user, &name)`. */
export const getModNameStep = step<InitContext>('getModName', (ctx) => {
  const n = getModName(ctx.k.core.user, ctx.namePtr, ctx.k.era.checksTaskSize);
  if (!n.ok) return n;
  ctx.name = n.value.name;
  ctx.nameBytes = latin1Bytes(n.value.name);
  return OK_VOID;
});

/** `find_module(name)`: ENOENT; there is no state check (a running module can be initialised again). */
export const findModuleStep = step<InitContext>('findModule', (ctx) => {
  const mod = ctx.k.findModule(ctx.name);
  if (mod === undefined) return err('ENOENT', `init_module: no module ${ctx.name}`);
  ctx.mod = mod;
  return OK_VOID;
});

/** `get_user(mod_user_size, &mod_user->size_of_struct)`. */
export const getUserSizeOfStruct = step<InitContext>('getUserSizeOfStruct', (ctx) => {
  const v = getUser32(ctx.k.core.user, ctx.imagePtr + MODULE_OFFSETS.size_of_struct);
  if (!v.ok) return err('EFAULT', 'init_module: image header unreadable');
  ctx.userSize = v.value;
  return OK_VOID;
});

/** `persist_start <= mod_user_size <= sizeof(struct module) + 16*sizeof(void*)`. */
export const checkHeaderSize = step<InitContext>('checkHeaderSize', (ctx) => {
  const max = ctx.k.era.sizeofModule + 16 * 4;
  if (ctx.userSize < MODULE_OFFSETS.persist_start || ctx.userSize > max) {
    ctx.k.core.log.err('init_module: Invalid module header size.');
    ctx.k.core.log.err('A new version of the modutils is likely needed.');
    return err('EINVAL', `init_module: size_of_struct ${ctx.userSize} outside [60, ${max}]`);
  }
  return OK_VOID;
});

/**
 * `mod_tmp = *mod` (and 2.4's `name_tmp`); pushes `err2`: `*mod = mod_tmp`, then 2.4's `strcpy(mod->name,
 * name_tmp)` because a header longer than the kernel's struct overwrote the name that follows it.
 */
export const saveHeader = step<InitContext>('saveHeader', (ctx, undo) => {
  const k = ctx.k;
  const mod = modOf(ctx);
  ctx.saved = k.mem.read(mod.addr, k.era.sizeofModule);
  ctx.savedNext = mod.next;
  if (k.era.restoresName) ctx.savedName = k.mem.cbytes(mod.get('name'));
  // `residue: 'clean'`: also the bytes a longer user header copies past the struct (the "2.4 header tail").
  const tail = k.era.restoresHeaderTail ? headerTail(ctx) : undefined;
  undo.push('restoreHeader', () => {
    if (tail !== undefined) k.mem.write(mod.addr + k.era.sizeofModule, tail);
    k.mem.write(mod.addr, ctx.saved);
    if (k.era.restoresName) {
      const at = mod.get('name');
      k.mem.write(at, ctx.savedName);
      k.mem.write(at + ctx.savedName.length, Uint8Array.of(0));
    }
  });
  return OK_VOID;
});

/** The module's bytes from the end of the struct to the end of the header copy, as far as its memory goes. */
function headerTail(ctx: InitContext): Uint8Array | undefined {
  const k = ctx.k;
  const mod = modOf(ctx);
  const alloc = k.core.memory.find(BigInt(mod.addr));
  if (alloc === undefined) return undefined;
  const room = alloc.size - Number(BigInt(mod.addr) - alloc.address);
  const end = Math.min(k.era.headerCopyLength(ctx.userSize), room);
  return end > k.era.sizeofModule
    ? k.mem.read(mod.addr + k.era.sizeofModule, end - k.era.sizeofModule)
    : undefined;
}

/**
 * The header copy: 2.2 copies the kernel's `sizeof(struct module)` bytes, 2.4.0 the user's `size_of_struct`
 * bytes straight over the module (a fault leaves the partial copy, zero-filled), 2.4.27 through a vmalloc'd
 * bounce buffer (ENOMEM when the area is full) and keeps `mod->next`.
 */
export const copyHeader = step<InitContext>('copyHeader', (ctx) => {
  const k = ctx.k;
  const mod = modOf(ctx);
  const length = k.era.headerCopyLength(ctx.userSize);
  if (k.era.bounceHeader) {
    const bounce = k.core.memory.alloc(Math.max(length, 1), 'init_module');
    if (!bounce.ok) return err('ENOMEM', 'init_module: vmalloc of the header bounce buffer failed');
    const copy = copyFromUser(k.core.user, ctx.imagePtr, length);
    k.core.memory.free(bounce.value.address);
    if (copy.uncopied !== 0) return err('EFAULT', 'init_module: image header unreadable');
    k.mem.write(mod.addr, copy.bytes);
    mod.set('next', ctx.savedNext);
    return OK_VOID;
  }
  const copy = copyFromUser(k.core.user, ctx.imagePtr, length);
  k.mem.write(mod.addr, copy.bytes);
  if (copy.uncopied !== 0) return err('EFAULT', 'init_module: image header unreadable');
  return OK_VOID;
});
