/**
 * The checks `modload` makes on the module *name* before touching any file: name derivation, statically
 * configured, already loaded, registered (hpux-dlkm.md §3.2 rows 5–8).
 * @module
 */

import { step } from '../../../core/pipeline.js';
import { err, OK_VOID } from '../../../core/result.js';
import type { DlkmLoadInfo } from '../load-info.js';

/** The basename of a pathname (`/abs/path/foo` → `foo`, `a/b` → `b`). */
export function moduleNameOf(pathname: string): string {
  const slash = pathname.lastIndexOf('/');
  return slash < 0 ? pathname : pathname.slice(slash + 1);
}

/**
 * Derives the module name from the pathname; an empty name (empty pathname, or one ending in `/`) names no file.
 * @see hpux-dlkm.md §3.2 row 5 (SVR4.2 lineage `getmodname`)
 */
export const getModName = step<DlkmLoadInfo>('getModName', (ctx) => {
  const name = moduleNameOf(ctx.request);
  if (name === '') return err('ENOENT', `modload: "${ctx.request}" names no module file`);
  ctx.name = name;
  return OK_VOID;
});

/**
 * A module statically configured in the running kernel cannot be loaded ("not appropriately pre-configured").
 * @see hpux-dlkm.md §3.2 row 6
 */
export const modCheckStatic = step<DlkmLoadInfo>('modCheckStatic', (ctx) =>
  ctx.k.store.isStatic(ctx.name!)
    ? err('EINVAL', `modload: ${ctx.name} is statically configured in the running kernel`)
    : OK_VOID,
);

/**
 * A module already loaded is not loaded again: the call succeeds with the existing id. One whose load or unload
 * is in progress (its `_load`/`_unload` never returned) answers EBUSY instead of waiting forever.
 * @see hpux-dlkm.md §2.1 ("already loaded"), §3.2 row 7
 */
export const modCheckLoaded = step<DlkmLoadInfo>('modCheckLoaded', (ctx) => {
  const rec = ctx.k.core.modules.get(ctx.name!);
  if (rec === undefined) return OK_VOID;
  if (rec.state !== 'LOADED')
    return err('EBUSY', `modload: ${ctx.name} is being ${rec.state === 'LOADING' ? 'loaded' : 'unloaded'}`);
  ctx.alreadyLoaded = true;
  ctx.id = Number(rec.extra.id);
  return OK_VOID;
});

/**
 * Only a registered module may be loaded; registration is by name, so an absolute path to an unregistered
 * module's file fails too.
 * @see hpux-dlkm.md §3.2 row 8, §7 rule 6
 */
export const modCheckRegistered = step<DlkmLoadInfo>('modCheckRegistered', (ctx) => {
  if (ctx.alreadyLoaded) return OK_VOID;
  const name = ctx.name!;
  if (!ctx.k.store.isRegistered(name)) return err('ENOREG', `modload: module ${name} is not registered`);
  ctx.id = ctx.k.store.bindId(name);
  return OK_VOID;
});
