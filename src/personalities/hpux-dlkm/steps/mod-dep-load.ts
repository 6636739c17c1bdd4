/**
 * Loads the modules this one declares it depends on, first (hpux-dlkm.md §3.2 row 13, §10).
 * @module
 */
import { step } from '../../../core/pipeline.js';
import { err, OK_VOID, type Result } from '../../../core/result.js';
import type { DlkmServices } from '../dlkm-services.js';
import type { DlkmLoadInfo } from '../load-info.js';

/** Interface name of an `exports` / `depend interface` entry (`HPUX_11_31:1.0` → `HPUX_11_31`). */
export function interfaceName(entry: string): string {
  const at = entry.indexOf(':');
  return at < 0 ? entry : entry.slice(0, at);
}

/** A loaded module exporting interface `iface`, or a registered one known (from its metadata) to export it. */
function interfaceSupplier(k: DlkmServices, iface: string): { name: string; loaded: boolean } | undefined {
  let registered: string | undefined;
  for (const e of k.store.list()) {
    if (!(e.info?.exports ?? []).some((x) => interfaceName(x) === iface)) continue;
    if (k.core.modules.get(e.name)?.state === 'LOADED') return { name: e.name, loaded: true };
    if (registered === undefined && k.store.isRegistered(e.name) && !k.core.modules.has(e.name))
      registered = e.name;
  }
  return registered === undefined ? undefined : { name: registered, loaded: false };
}

/**
 * Makes `dep` loaded for `ctx`: already loaded is fine; a registered one is loaded now (and unloaded again if
 * this load later fails); anything else is an invalid dependency (EINVAL).
 */
function need(
  ctx: DlkmLoadInfo,
  dep: string,
  undo: { push(name: string, f: () => void): void },
): Result<void> {
  const k = ctx.k;
  const name = ctx.name!;
  if (dep === name || ctx.chain.includes(dep)) return err('EINVAL', `${name}: circular dependency on ${dep}`);
  if (k.store.isStatic(dep)) return OK_VOID;
  const rec = k.core.modules.get(dep);
  if (rec !== undefined) {
    if (rec.state !== 'LOADED')
      return err('EINVAL', `${name}: dependency ${dep} is being loaded or unloaded`);
    if (!ctx.deps!.includes(dep)) ctx.deps!.push(dep);
    return OK_VOID;
  }
  if (!k.store.isRegistered(dep)) return err('EINVAL', `${name}: dependency ${dep} is not registered`);
  const saved = k.store.capture(dep);
  const loaded = k.loadModule(dep, 'depend', [...ctx.chain, name]);
  if (!loaded.ok)
    return err(
      'EINVAL',
      `${name}: dependency ${dep} failed to load (${loaded.error.errno}: ${loaded.error.reason})`,
    );
  undo.push(`unload dependency ${dep}`, () => {
    k.unloadModule(dep);
    k.store.reinstate(dep, saved);
  });
  ctx.deps!.push(dep);
  return OK_VOID;
}

/**
 * For each `depend module` line: the module must be static, loaded, or registered and loadable now; for each
 * `depend interface` line: the kernel or a loaded module must export it, or a registered module known to export
 * it is loaded. Missing, unregistered, failing or circular dependencies are EINVAL ("invalid dependency on
 * other modules"). Symbols of the loadable dependencies become visible to the module.
 * @see hpux-dlkm.md §3.2 row 13, §10 (SVR4.2 lineage `dodep`)
 */
export const modDepLoad = step<DlkmLoadInfo>('modDepLoad', (ctx, undo) => {
  const k = ctx.k;
  ctx.deps = [];
  for (const d of ctx.meta!.depends) {
    if (d.kind === 'module') {
      const r = need(ctx, d.name, undo);
      if (!r.ok) return r;
      continue;
    }
    if (k.kernelInterfaces.has(d.name)) continue;
    const supplier = interfaceSupplier(k, d.name);
    if (supplier === undefined) return err('EINVAL', `${ctx.name}: no module supplies interface ${d.name}`);
    const r = need(ctx, supplier.name, undo);
    if (!r.ok) return r;
  }
  ctx.allowedOwners = new Set(ctx.deps);
  return OK_VOID;
});
