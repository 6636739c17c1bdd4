/**
 * The modules an administration command knows: those in the kernel configuration store plus those installed
 * along the module path.
 * @module
 */
import type { KcCause, KcState } from '../../../abi/hpux/dlkm.js';
import type { DlkmCallContext } from '../dlkm-call-context.js';
import type { KcModuleInfo } from '../kc-store.js';
import { findInstalled, listInstalled } from '../module-catalog.js';

/** One module as the commands see it. */
export interface KnownModule {
  /** Name. */
  readonly name: string;
  /** Metadata: the installed file's, else the last known. */
  readonly info: KcModuleInfo | undefined;
  /** Installed file, if any. */
  readonly path: string | undefined;
  /** Current state. */
  readonly state: KcState;
  /** Current cause. */
  readonly cause: KcCause | undefined;
  /** Next-boot state. */
  readonly nextState: KcState;
  /** Next-boot cause. */
  readonly nextCause: KcCause | undefined;
}

function known(
  c: DlkmCallContext,
  name: string,
  installed?: { path: string; info: KcModuleInfo },
): KnownModule {
  const e = c.dlkm.store.get(name);
  return {
    name,
    info: installed?.info ?? e?.info,
    path: installed?.path ?? e?.path,
    state: e?.state ?? 'unused',
    cause: e?.cause,
    nextState: e?.nextState ?? 'unused',
    nextCause: e?.nextCause,
  };
}

/** The module `name`, or undefined when neither the store nor the module path knows it. */
export function knownModule(c: DlkmCallContext, name: string): KnownModule | undefined {
  const inst = findInstalled(c.core.vfs, c.dlkm.searchPath.dirs(), name);
  if (inst === undefined && c.dlkm.store.get(name) === undefined) return undefined;
  return known(c, name, inst);
}

/** Every known module, sorted by name. */
export function knownModules(c: DlkmCallContext): KnownModule[] {
  const installed = new Map(listInstalled(c.core.vfs, c.dlkm.searchPath.dirs()).map((m) => [m.name, m]));
  const names = new Set([...installed.keys(), ...c.dlkm.store.list().map((e) => e.name)]);
  return [...names].sort().map((n) => known(c, n, installed.get(n)));
}
