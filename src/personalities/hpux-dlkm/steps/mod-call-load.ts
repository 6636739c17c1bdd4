/**
 * Enters the module in the kernel's module list (state LOADING) and calls its `_load()` entry point
 * (hpux-dlkm.md §3.2 row 17, §2.1 load step 5).
 * @module
 */
import { step } from '../../../core/pipeline.js';
import { err, OK_VOID } from '../../../core/result.js';
import type { DlkmLoadInfo } from '../load-info.js';

/** Registry states of a DLKM module. */
export const DLKM_RECORD_STATES = {
  /** `_load()` is running (or never returned). */
  loading: 'LOADING',
  /** Loaded and connected. */
  loaded: 'LOADED',
  /** `_unload()` is running (or never returned). */
  unloading: 'UNLOADING',
} as const;

/**
 * Adds the module record with its dependency edges (each raises the dependency's `ms_depcnt`), declares the
 * behaviour the image carries, and runs `_load()`. A non-zero return fails the load with that errno after the
 * module has undone its own work (HP: "_load() should return 0 on success and an errno value on failure");
 * everything is released. A `_load()` that never returns leaves the module LOADING: `modload` reports EINTR
 * (the caller was interrupted while waiting) and `moduload` answers EBUSY ("in the process of being loaded").
 * @see hpux-dlkm.md §2.1 (`_load` errno propagation), §3.2 row 17
 */
export const modCallLoad = step<DlkmLoadInfo>('modCallLoad', (ctx, undo) => {
  const k = ctx.k;
  const name = ctx.name!;
  const modules = k.core.modules;
  const added = modules.add(name, {
    state: DLKM_RECORD_STATES.loading,
    address: ctx.core!.address,
    size: ctx.layout!.coreSize,
    extra: {
      id: ctx.id!,
      path: ctx.path!,
      bss: `0x${(ctx.bss?.address ?? 0n).toString(16)}`,
      bssSize: ctx.layout!.bssSize,
      rev: ctx.rev!,
      permanent: ctx.permanent === true,
      type: ctx.meta!.type ?? '',
      version: ctx.meta!.version ?? '0.1.0',
      cause: ctx.cause,
    },
  });
  if (!added.ok) return err('EBUSY', `${name}: already in the module list`);
  undo.push('remove module record', () => {
    modules.removeUsesOf(name);
    modules.remove(name, true);
  });
  for (const d of ctx.deps!) modules.addUse(name, d);
  if (ctx.behaviour !== undefined) {
    k.core.behaviours.declare(name, ctx.behaviour);
    undo.push('forget behaviour', () => k.core.behaviours.forget(name));
  }
  const out = k.core.behaviours.resolve(name).init(k.behaviourHost(name));
  if (out.blocked) {
    ctx.blocked = true;
    undo.commit();
    return err('EINTR', `${name}: _load() did not return`);
  }
  if (out.ret !== 0) return err(out.ret, `${name}: _load() returned ${out.ret}`);
  return OK_VOID;
});
