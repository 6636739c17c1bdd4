import type { NeutralModuleSpec, PersonalityId } from '../personalities/personality.js';
import { ERA_EXPECTATIONS } from './expectations.js';
import type { ConformanceOp, Observation, OpOutcome } from './target.js';

/** One module of the suite's fixed set: its spec, the modules it needs, and whether its init fails. */
export interface SuiteModule {
  /** Spec handed to the target's builder. */
  readonly spec: NeutralModuleSpec;
  /** Modules whose exports it imports. */
  readonly deps: readonly string[];
  /** Exports, for the symbol-table invariant. */
  readonly exports: readonly string[];
  /** Whether its init fails (with ENODEV). */
  readonly failingInit: boolean;
}

/** The modules every suite uses: an exporter, its user, an independent module with a parameter, a failing init. */
export const SUITE_MODULES: readonly SuiteModule[] = [
  {
    spec: { name: 'cf_base', license: 'GPL', exports: ['cf_base_fn'] },
    deps: [],
    exports: ['cf_base_fn'],
    failingInit: false,
  },
  {
    spec: { name: 'cf_user', license: 'GPL', imports: ['cf_base_fn'], exports: ['cf_user_fn'] },
    deps: ['cf_base'],
    exports: ['cf_user_fn'],
    failingInit: false,
  },
  {
    spec: { name: 'cf_solo', license: 'GPL', params: { level: 'int' } },
    deps: [],
    exports: [],
    failingInit: false,
  },
  {
    spec: { name: 'cf_fail', license: 'GPL', behaviour: { init: [{ return: 'ENODEV' }] } },
    deps: [],
    exports: [],
    failingInit: true,
  },
];

/** The model: which modules are loaded, their user-space references, and the caller's state. */
export interface ConformanceModel {
  /** Loaded modules → user-space references taken with `use`. */
  readonly loaded: Map<string, { users: number }>;
  /** Whether the caller is privileged. */
  privileged: boolean;
  /** Whether module loading was disabled (linux-v26 `modules_disabled`). */
  disabled: boolean;
}

/** A fresh model: nothing loaded, privileged caller. */
export function initialModel(): ConformanceModel {
  return { loaded: new Map(), privileged: true, disabled: false };
}

function moduleOf(name: string): SuiteModule {
  const m = SUITE_MODULES.find((x) => x.spec.name === name);
  if (m === undefined) throw new Error(`no suite module ${name}`);
  return m;
}

function holders(model: ConformanceModel, name: string): string[] {
  return [...model.loaded.keys()].filter((n) => moduleOf(n).deps.includes(name));
}

/** What the contract says `op` returns in the model's state, under `personality`. */
export function predict(personality: PersonalityId, model: ConformanceModel, op: ConformanceOp): OpOutcome {
  const e = ERA_EXPECTATIONS[personality];
  switch (op.op) {
    case 'load': {
      const m = moduleOf(op.module);
      if (!model.privileged) return e.unprivileged;
      if (model.disabled && e.modulesDisabled !== undefined) return e.modulesDisabled;
      if (model.loaded.has(op.module)) return e.duplicateLoad;
      if (m.deps.some((d) => !model.loaded.has(d))) return e.missingDependency;
      return m.failingInit ? e.failingInit : 'ok';
    }
    case 'unload': {
      if (!model.privileged) return e.unprivileged;
      const m = model.loaded.get(op.module);
      if (m === undefined) return e.unloadMissing;
      if (holders(model, op.module).length > 0) return e.unloadWithHolders;
      return m.users > 0 ? e.unloadInUse : 'ok';
    }
    default:
      return 'ok';
  }
}

/** Applies a successful `op` to the model. */
export function apply(model: ConformanceModel, op: ConformanceOp, outcome: OpOutcome): void {
  if (outcome !== 'ok') return;
  switch (op.op) {
    case 'load':
      if (!model.loaded.has(op.module)) model.loaded.set(op.module, { users: 0 });
      return;
    case 'unload':
      model.loaded.delete(op.module);
      return;
    case 'use':
    case 'unuse': {
      const m = model.loaded.get(op.module);
      if (m) m.users += op.op === 'use' ? 1 : -1;
      return;
    }
    case 'privileged':
      model.privileged = op.on;
      return;
    case 'disable-modules':
      model.disabled = true;
      return;
  }
}

/**
 * The invariants checked after every command. Returns the broken ones (empty when all hold): use counts are
 * never negative; the loaded set, the era's listing and the holders graph match the model; every allocation
 * belongs to a loaded module and every loaded module has one (nothing leaked, nothing freed early); the symbol
 * table holds exactly the kernel's own symbols plus the exports of loaded modules.
 */
export function checkInvariants(model: ConformanceModel, obs: Observation): string[] {
  const broken: string[] = [];
  const expected = [...model.loaded.keys()].sort();
  const actual = obs.modules.map((m) => m.name).sort();
  if (JSON.stringify(actual) !== JSON.stringify(expected))
    broken.push(`loaded modules ${JSON.stringify(actual)} ≠ model ${JSON.stringify(expected)}`);
  if (JSON.stringify([...obs.listed].sort()) !== JSON.stringify(actual))
    broken.push(`listing ${JSON.stringify(obs.listed)} disagrees with the module list`);
  for (const m of obs.modules) {
    if (m.refcount < 0) broken.push(`${m.name}: negative use count ${m.refcount}`);
    const want = holders(model, m.name).sort();
    if (JSON.stringify([...m.holders].sort()) !== JSON.stringify(want))
      broken.push(`${m.name}: holders ${JSON.stringify(m.holders)} ≠ model ${JSON.stringify(want)}`);
  }
  const owners = new Set(obs.allocationOwners);
  for (const o of owners)
    if (!model.loaded.has(o))
      broken.push(`allocation owned by ${o}, which is not loaded (leak or freed module reachable)`);
  for (const n of model.loaded.keys()) if (!owners.has(n)) broken.push(`${n} is loaded but owns no memory`);
  const wantSyms = [...model.loaded.keys()].flatMap((n) => moduleOf(n).exports).sort();
  if (JSON.stringify([...obs.moduleSymbols].sort()) !== JSON.stringify(wantSyms))
    broken.push(`module symbols ${JSON.stringify(obs.moduleSymbols)} ≠ ${JSON.stringify(wantSyms)}`);
  if (!obs.kernelSymbolsIntact) broken.push("the kernel's own symbol table changed");
  return broken;
}
