/**
 * The sanity checks `sys_init_module` runs on the header it just copied, in the kernel's order, each EINVAL with
 * the kernel's printk. `bound(p, n)` is `p >= mod + LOWER && p + n <= mod + mod->size` in 32-bit unsigned
 * arithmetic (so a huge count can wrap, as in C), where LOWER is the kernel's `sizeof(struct module)` on 2.2 and
 * the image's `size_of_struct` on 2.4, and `n` counts elements of `*p`.
 * @see kernel/module.c sys_init_module (`bound`, 2.2.1; `mod_bound`, 2.4); linux-legacy.md §B.5 step 7
 * @module
 */
import {
  MOD_AUTOCLEAN,
  MODULE_REF,
  MODULE_SYMBOL,
  SIZEOF_EXCEPTION_TABLE_ENTRY,
} from '../../../abi/linux/v24.js';
import { type Step, step } from '../../../core/pipeline.js';
import { err, OK_VOID, type Result } from '../../../core/result.js';
import { type InitContext, modOf } from '../init-context.js';
import type { ModuleStruct } from '../module-struct.js';

/** `bound(p, n, mod)` with elements of `size` bytes. */
export function bound(ctx: InitContext, mod: ModuleStruct, p: number, n: number, size: number): boolean {
  const lower = (mod.addr + ctx.k.era.boundLower(ctx.userSize)) >>> 0;
  const end = (p + ((n * size) % 0x100000000)) >>> 0;
  return p >>> 0 >= lower && end <= (mod.addr + mod.get('size')) >>> 0;
}

function invalid(ctx: InitContext, message: string): Result<void> {
  ctx.k.core.log.err(`init_module: ${message}`);
  return err('EINVAL', `init_module: ${message}`);
}

function check(
  name: string,
  run: (ctx: InitContext, mod: ModuleStruct) => string | undefined,
): Step<InitContext> {
  return step<InitContext>(name, (ctx) => {
    const mod = modOf(ctx);
    const message = run(ctx, mod);
    return message === undefined ? OK_VOID : invalid(ctx, message);
  });
}

/** `mod->size > mod_tmp.size`. */
export const checkModuleSize = check('checkModuleSize', (ctx, mod) => {
  const created = new DataView(ctx.saved.buffer, ctx.saved.byteOffset).getUint32(12, true);
  return mod.get('size') > created ? 'Size of initialized module exceeds size of created module.' : undefined;
});

/** `bound(mod->name, namelen)`. */
export const boundName = check('boundName', (ctx, mod) =>
  bound(ctx, mod, mod.get('name'), ctx.nameBytes.length, 1) ? undefined : 'mod->name out of bounds.',
);

/** `nsyms && bound(mod->syms, nsyms)`. */
export const boundSyms = check('boundSyms', (ctx, mod) => {
  const n = mod.get('nsyms');
  return n !== 0 && !bound(ctx, mod, mod.get('syms'), n, MODULE_SYMBOL.size)
    ? 'mod->syms out of bounds.'
    : undefined;
});

/** `ndeps && bound(mod->deps, ndeps)`. */
export const boundDeps = check('boundDeps', (ctx, mod) => {
  const n = mod.get('ndeps');
  return n !== 0 && !bound(ctx, mod, mod.get('deps'), n, MODULE_REF.size)
    ? 'mod->deps out of bounds.'
    : undefined;
});

/** `init && bound(init, 0)`. */
export const boundInit = check('boundInit', (ctx, mod) => {
  const p = mod.get('init');
  return p !== 0 && !bound(ctx, mod, p, 0, 1) ? 'mod->init out of bounds.' : undefined;
});

/** `cleanup && bound(cleanup, 0)`. */
export const boundCleanup = check('boundCleanup', (ctx, mod) => {
  const p = mod.get('cleanup');
  return p !== 0 && !bound(ctx, mod, p, 0, 1) ? 'mod->cleanup out of bounds.' : undefined;
});

/** The exception table: ordered, inside the image (end strictly below `mod + size`), whole entries. */
export const checkExTable = check('checkExTable', (ctx, mod) => {
  const start = mod.get('ex_table_start');
  const end = mod.get('ex_table_end');
  const lower = (mod.addr + ctx.k.era.boundLower(ctx.userSize)) >>> 0;
  const top = (mod.addr + mod.get('size')) >>> 0;
  const bad =
    start > end ||
    (start !== 0 && !(start >= lower && end < top)) ||
    ((start - end) >>> 0) % SIZEOF_EXCEPTION_TABLE_ENTRY !== 0;
  return bad ? 'mod->ex_table_* invalid.' : undefined;
});

/** `mod->flags & ~MOD_AUTOCLEAN`: the image may carry only `MOD_AUTOCLEAN`. */
export const checkFlags = check('checkFlags', (_ctx, mod) =>
  (mod.flags & ~MOD_AUTOCLEAN) !== 0 ? 'mod->flags invalid.' : undefined,
);

/** `mod_member_present(can_unload) && can_unload && !bound(can_unload, 0)`. */
export const boundCanUnload = check('boundCanUnload', (ctx, mod) => {
  const p = mod.canUnload();
  return p !== 0 && !bound(ctx, mod, p, 0, 1) ? 'mod->can_unload out of bounds.' : undefined;
});

function pair(kind: 'kallsyms' | 'archdata'): Step<InitContext> {
  const startMember = kind === 'kallsyms' ? 'kallsyms_start' : 'archdata_start';
  const endMember = kind === 'kallsyms' ? 'kallsyms_end' : 'archdata_end';
  return check(kind === 'kallsyms' ? 'boundKallsyms' : 'boundArchdata', (ctx, mod) => {
    if (!mod.present(endMember)) return undefined;
    const start = mod.get(startMember);
    const end = mod.get(endMember);
    if (end !== 0 && (!bound(ctx, mod, start, 0, 1) || !bound(ctx, mod, end, 0, 1)))
      return `mod->${kind} out of bounds.`;
    if (start > end) return `mod->${kind} invalid.`;
    return undefined;
  });
}

/** 2.4: `kallsyms_*` inside the image and ordered. */
export const boundKallsyms = pair('kallsyms');
/** 2.4: `archdata_*` inside the image and ordered. */
export const boundArchdata = pair('archdata');

/** 2.4: `kernel_data` must be zero. */
export const checkKernelData = check('checkKernelData', (_ctx, mod) =>
  mod.present('kernel_data') && mod.get('kernel_data') !== 0 ? 'mod->kernel_data must be zero.' : undefined,
);
