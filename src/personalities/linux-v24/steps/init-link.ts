/**
 * The second half of `sys_init_module`: the name re-read at its user-space address, the body copy, the
 * dependencies (each must be a listed module other than this one) linked into their `refs` chains, then the
 * module's init. 2.4 checks every dependency before linking any; 2.2 checks and links in one loop, so a bad
 * dependency at index k leaves deps 0..k-1 linked into other modules while the header is restored — the
 * dangling `refs` residue (reproduced unless `residue: 'clean'`).
 * @see kernel/module.c sys_init_module (2.2.1, 2.4.0, 2.4.27); linux-legacy.md §B.5 steps 8–14
 * @module
 */
import { MOD_INITIALIZING, MOD_RUNNING, MOD_USED_ONCE, MODULE_REF } from '../../../abi/linux/v24.js';
import { step } from '../../../core/pipeline.js';
import { err, OK_VOID, type Result } from '../../../core/result.js';
import { type InitContext, modOf } from '../init-context.js';
import { latin1 } from '../kernel-memory.js';
import { KERNEL_MODULE_ADDR } from '../kernel-symbols.js';
import type { LinuxV24Kernel } from '../linux-v24-kernel.js';
import { moduleRef } from '../module-struct.js';
import { copyFromUser, getModName } from '../user-access.js';

/** `get_mod_name(mod->name - mod + mod_user)` and the comparison with the module's name. */
export const checkName = step<InitContext>('checkName', (ctx) => {
  const k = ctx.k;
  const mod = modOf(ctx);
  const userPtr = (mod.get('name') - mod.addr + ctx.imagePtr) >>> 0;
  const n = getModName(k.core.user, userPtr, k.era.checksTaskSize);
  if (!n.ok) {
    if (k.era.printsNameFailure) k.core.log.err('init_module: get_mod_name failure.');
    return n;
  }
  const original = k.era.restoresName ? latin1(ctx.savedName) : ctx.name;
  if (n.value.length !== ctx.nameBytes.length || n.value.name !== original) {
    k.core.log.err(`init_module: changed module name to \`${n.value.name}' from \`${original}'`);
    return err('EINVAL', `init_module: changed module name to ${n.value.name} from ${original}`);
  }
  return OK_VOID;
});

/** The body: `mod->size - LOWER` bytes from `mod_user + LOWER` (a fault keeps the partial copy). */
export const copyBody = step<InitContext>('copyBody', (ctx) => {
  const k = ctx.k;
  const mod = modOf(ctx);
  const from = k.era.headerCopyLength(ctx.userSize);
  // The bound checks above guarantee mod->size > LOWER, so this never wraps.
  const length = mod.get('size') - from;
  const copy = copyFromUser(k.core.user, ctx.imagePtr + from, length);
  k.mem.write(mod.addr + from, copy.bytes);
  if (copy.uncopied !== 0) return err('EFAULT', 'init_module: image body unreadable');
  return OK_VOID;
});

/** `module_arch_init(mod)`: nothing to do on i386 (2.4). */
export const moduleArchInit = step<InitContext>('moduleArchInit', () => OK_VOID);

function isListed(k: LinuxV24Kernel, d: number): boolean {
  for (let o = k.moduleList; o !== KERNEL_MODULE_ADDR; o = k.mem.u32(o + 4)) if (o === d) return true;
  return false;
}

function checkDep(ctx: InitContext, d: number): Result<void> {
  const k = ctx.k;
  if (d === modOf(ctx).addr) {
    k.core.log.err('init_module: self-referential dependency in mod->deps.');
    return err('EINVAL', 'init_module: self-referential dependency in mod->deps');
  }
  if (!isListed(k, d)) {
    k.core.log.err('init_module: found dependency that is (no longer?) a module.');
    return err('EINVAL', 'init_module: found dependency that is (no longer?) a module');
  }
  return OK_VOID;
}

function linkDep(ctx: InitContext, i: number): void {
  const k = ctx.k;
  const mod = modOf(ctx);
  const dep = mod.depAt(i);
  const d = k.struct(k.mem.u32(dep + MODULE_REF.dep));
  moduleRef.setRef(k.mem, dep, mod.addr);
  moduleRef.setNext(k.mem, dep, d.get('refs'));
  d.set('refs', dep);
  d.flags = d.flags | MOD_USED_ONCE;
}

/** `mod->next = mod_tmp.next; mod->refs = NULL;` then the dependency checks and links. */
export const linkDependencies = step<InitContext>('linkDependencies', (ctx) => {
  const k = ctx.k;
  const mod = modOf(ctx);
  mod.set('next', ctx.savedNext);
  mod.set('refs', 0);
  const ndeps = mod.get('ndeps');
  if (k.era.checkDepsFirst) {
    for (let i = 0; i < ndeps; i++) {
      const r = checkDep(ctx, mod.depTarget(i));
      if (!r.ok) return r;
    }
    for (let i = 0; i < ndeps; i++) linkDep(ctx, i);
    return OK_VOID;
  }
  for (let i = 0; i < ndeps; i++) {
    const r = checkDep(ctx, mod.depTarget(i));
    if (!r.ok) return r;
    linkDep(ctx, i);
  }
  return OK_VOID;
});

/**
 * The init: use count 1 (and 2.4's `MOD_INITIALIZING`) while it runs; a failure leaves the module listed,
 * uninitialized, with its dependencies linked (2.2 answers EBUSY, 2.4 the init's own error); success drops the
 * count and sets `MOD_RUNNING`. An init that never returns leaves it initializing and the caller interrupted.
 */
export const runInit = step<InitContext>('runInit', (ctx, undo) => {
  const k = ctx.k;
  const mod = modOf(ctx);
  undo.commit();
  mod.usecount = 1;
  if (k.era.hasInitializing) mod.flags = mod.flags | MOD_INITIALIZING;
  if (mod.get('init') !== 0) {
    const out = k.core.behaviours.resolve(ctx.name).init(k.behaviourHost(ctx.name));
    if (out.blocked) return err('EINTR', `init_module: ${ctx.name}'s init did not return`);
    if (out.ret !== 0) {
      mod.usecount = 0;
      mod.flags = mod.flags & ~MOD_INITIALIZING;
      if (!k.era.hasInitializing) return err('EBUSY', `init_module: ${ctx.name}'s init failed (${out.ret})`);
      return err(out.ret, `init_module: ${ctx.name}'s init returned ${out.ret}`);
    }
  }
  mod.usecount = mod.usecount - 1;
  mod.flags = (mod.flags | MOD_RUNNING) & ~MOD_INITIALIZING;
  k.core.vfs.mknod(`/dev/${ctx.name}`, 'chr', 0o600);
  return OK_VOID;
});
