import type { ErrnoName } from '../abi/errno.js';
import type { NeutralModuleSpec, PersonalityId } from '../personalities/personality.js';
import { ERA_EXPECTATIONS, type LoadCheck, type UnloadCheck } from './expectations.js';
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
  /** Whether the model-based suite picks it (the others serve the targeted cases). */
  readonly inModel: boolean;
}

function mod(
  name: string,
  spec: Omit<NeutralModuleSpec, 'name'>,
  extra: { deps?: string[]; exports?: string[]; failingInit?: boolean; inModel?: boolean } = {},
): SuiteModule {
  return {
    spec: { name, license: 'GPL', ...spec },
    deps: extra.deps ?? [],
    exports: extra.exports ?? [],
    failingInit: extra.failingInit ?? false,
    inModel: extra.inModel ?? true,
  };
}

/**
 * The modules every suite uses: an exporter, its user, an independent module with a parameter, a failing
 * init (the model's four); and for the targeted cases an init that never returns and a module using it, a
 * module without cleanup (permanent), one whose cleanup never returns, one needing a symbol nobody exports, and
 * (HP-UX) one with an old wrapper revision.
 */
export const SUITE_MODULES: readonly SuiteModule[] = [
  mod('cf_base', { exports: ['cf_base_fn'] }, { exports: ['cf_base_fn'] }),
  mod(
    'cf_user',
    { imports: ['cf_base_fn'], exports: ['cf_user_fn'], dependencies: ['cf_base'] },
    { deps: ['cf_base'], exports: ['cf_user_fn'] },
  ),
  mod('cf_solo', { params: [{ name: 'level', type: 'int' }] }),
  mod('cf_fail', { behaviour: { init: [{ return: 'ENODEV' }] } }, { failingInit: true }),
  mod('cf_hang', { exports: ['cf_hang_fn'], behaviour: { init: [{ block: true }] } }, { inModel: false }),
  mod(
    'cf_hang_user',
    { imports: ['cf_hang_fn'], dependencies: ['cf_hang'] },
    { deps: ['cf_hang'], inModel: false },
  ),
  mod('cf_perm', { permanent: true }, { inModel: false }),
  mod('cf_stuck', { behaviour: { cleanup: [{ block: true }] } }, { inModel: false }),
  mod('cf_unres', { imports: ['cf_no_such_symbol'] }, { inModel: false }),
  mod('cf_oldrev', { dlkm: { wrapperRevision: 9 } }, { inModel: false }),
];

/** The specs of the modules the model-based suite uses. */
export const MODEL_MODULE_SPECS: readonly NeutralModuleSpec[] = SUITE_MODULES.filter((m) => m.inModel).map(
  (m) => m.spec,
);

/** The errnos the suite's modules' own init and cleanup return (documented where a call passes them through). */
export const MODULE_ERRNOS: readonly ErrnoName[] = ['ENODEV'];

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
      const params = op.params ?? '';
      const failed = (check: LoadCheck): OpOutcome | undefined => {
        switch (check) {
          case 'paramsRefused':
            return params.trim() !== '' ? e.paramsRefused : undefined;
          case 'privilege':
            return model.privileged ? undefined : e.unprivileged;
          case 'disabled':
            return model.disabled ? e.modulesDisabled : undefined;
          case 'duplicate':
            return model.loaded.has(op.module) ? e.duplicateLoad : undefined;
          case 'dependency':
            return m.deps.some((d) => !model.loaded.has(d)) ? e.missingDependency : undefined;
          case 'params': {
            const p = paramOutcome(personality, op.module, params);
            return p === 'ok' ? undefined : p;
          }
        }
      };
      for (const check of e.loadOrder) {
        const r = failed(check);
        if (r !== undefined) return r;
      }
      return m.failingInit ? e.failingInit : 'ok';
    }
    case 'unload': {
      const m = model.loaded.get(op.module);
      const failed = (check: UnloadCheck): OpOutcome | undefined => {
        switch (check) {
          case 'privilege':
            return model.privileged ? undefined : e.unprivileged;
          case 'disabled':
            return model.disabled ? e.modulesDisabled : undefined;
          case 'missing':
            return m === undefined ? e.unloadMissing : undefined;
          case 'holders':
            return holders(model, op.module).length > 0 ? e.unloadWithHolders : undefined;
          case 'inUse':
            return (m?.users ?? 0) > 0 ? e.unloadInUse : undefined;
        }
      };
      for (const check of e.unloadOrder) {
        const r = failed(check);
        if (r !== undefined) return r;
      }
      return 'ok';
    }
    case 'use':
      return model.privileged ? 'ok' : e.unprivilegedUse;
    default:
      return 'ok';
  }
}

/** Parameter strings the model suite passes, and what each means for a module. */
export const MODEL_PARAMS: readonly string[] = ['level=3', 'level=abc', 'nosuch=1'];

function paramOutcome(personality: PersonalityId, module: string, params: string): OpOutcome {
  const e = ERA_EXPECTATIONS[personality];
  const has = (name: string): boolean => {
    const list = moduleOf(module).spec.params;
    return (
      Array.isArray(list) &&
      list.some((p) => p !== null && typeof p === 'object' && 'name' in p && p.name === name)
    );
  };
  for (const word of params.split(/\s+/).filter((w) => w !== '')) {
    const [name, value = ''] = word.split('=');
    if (!has(name)) {
      if (e.unknownParam !== 'ok') return e.unknownParam;
    } else if (!/^-?\d+$/.test(value)) return e.badParamValue;
  }
  return 'ok';
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
export function checkInvariants(
  personality: PersonalityId,
  model: ConformanceModel,
  obs: Observation,
): string[] {
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
  const noise = ERA_EXPECTATIONS[personality].extraModuleSymbols;
  const gotSyms = obs.moduleSymbols.filter((s) => noise === undefined || !noise.test(s)).sort();
  if (JSON.stringify(gotSyms) !== JSON.stringify(wantSyms))
    broken.push(`module symbols ${JSON.stringify(obs.moduleSymbols)} ≠ ${JSON.stringify(wantSyms)}`);
  if (!obs.kernelSymbolsIntact) broken.push("the kernel's own symbol table changed");
  return broken;
}
