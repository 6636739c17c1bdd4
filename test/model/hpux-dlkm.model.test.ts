/**
 * Model-based test of hpux-dlkm: random sequences of registration (kcmodule), modload, moduload, device opens
 * and closes, and unregistration, against a tiny model `name → {registered, loaded, holds}` over a fixed
 * dependency graph. After every command the kernel's loaded and registered sets must match the model, and the
 * module ids `modstat` reports must obey the id contract (hpux-dlkm.md §4): positive, never reused for another
 * name, kept by a name across unload/reload/unregistration, and growing with each newly registered name.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import type { Kernel } from '../../src/kernel.js';
import { hpux, install } from '../unit/hpux-dlkm/support/kernel.js';

/** The module universe: `user` depends on `lib`, `stack` on `user`, `solo` stands alone. */
const DEPS: Readonly<Record<string, readonly string[]>> = {
  lib: [],
  user: ['lib'],
  stack: ['user'],
  solo: [],
};
const NAMES = Object.keys(DEPS);

interface ModuleModel {
  registered: boolean;
  loaded: boolean;
  holds: number;
}

interface Model {
  modules: Map<string, ModuleModel>;
  /** Ids observed so far: name → id and id → name. */
  idOf: Map<string, number>;
  nameOf: Map<number, string>;
  maxId: number;
}

interface Real {
  k: Kernel<'hpux-dlkm'>;
  fds: Map<string, number[]>;
}

const m = (model: Model, name: string) => model.modules.get(name)!;
/** Modules `name` needs, transitively, itself excluded. */
function closure(name: string): string[] {
  const out: string[] = [];
  const visit = (n: string) => {
    for (const d of DEPS[n]) {
      if (!out.includes(d)) {
        out.push(d);
        visit(d);
      }
    }
  };
  visit(name);
  return out;
}
const dependents = (model: Model, name: string) =>
  NAMES.filter((n) => m(model, n).loaded && DEPS[n].includes(name));

function expectEq<T>(what: string, got: T, want: T): void {
  if (JSON.stringify(got) !== JSON.stringify(want))
    throw new Error(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
}

/** Compares the kernel with the model and checks the id contract. */
function checkInvariants(model: Model, real: Real): void {
  const k = real.k;
  const loaded = k.core.modules
    .list()
    .map((r) => r.name)
    .sort();
  expectEq('loaded modules', loaded, NAMES.filter((n) => m(model, n).loaded).sort());
  const listed = k.sys.list();
  expectEq(
    'registered modules (modstat walk)',
    listed.map((s) => s.path.slice(s.path.lastIndexOf('/') + 1)).sort(),
    NAMES.filter((n) => m(model, n).registered).sort(),
  );
  let prev = 0;
  for (const st of listed) {
    const name = st.path.slice(st.path.lastIndexOf('/') + 1);
    if (st.id <= prev) throw new Error(`modstat walk not in increasing id order at ${st.id}`);
    prev = st.id;
    if (st.id <= 0) throw new Error(`id ${st.id} is not positive`);
    const known = model.idOf.get(name);
    if (known !== undefined && known !== st.id) throw new Error(`${name} changed id ${known} → ${st.id}`);
    const owner = model.nameOf.get(st.id);
    if (owner !== undefined && owner !== name) throw new Error(`id ${st.id} reused: ${owner} then ${name}`);
    if (known === undefined) {
      if (st.id <= model.maxId) throw new Error(`new name ${name} got id ${st.id}, not above ${model.maxId}`);
      model.idOf.set(name, st.id);
      model.nameOf.set(st.id, name);
    }
  }
  model.maxId = Math.max(model.maxId, ...model.idOf.values(), 0);
  for (const n of NAMES) {
    const rec = k.core.modules.get(n);
    if (rec !== undefined) expectEq(`${n} hold count`, rec.refcount, m(model, n).holds);
  }
}

/** `kcmodule name=auto`: registers the module and its unregistered dependencies; a loaded one stays loaded. */
class Register implements fc.Command<Model, Real> {
  constructor(readonly name: string) {}
  check = () => true;
  run(model: Model, real: Real): void {
    const r = real.k.run('kcmodule', [`${this.name}=auto`]);
    expectEq('kcmodule exit', r.exitCode, 0);
    for (const n of [this.name, ...closure(this.name)]) m(model, n).registered = true;
    checkInvariants(model, real);
  }
  toString = () => `kcmodule ${this.name}=auto`;
}

/** `modload(name)`: ENOREG when unregistered, EINVAL when a dependency is not registered, else loads the closure. */
class Load implements fc.Command<Model, Real> {
  constructor(readonly name: string) {}
  check = () => true;
  run(model: Model, real: Real): void {
    const r = real.k.sys.modload(this.name);
    const me = m(model, this.name);
    const want = me.loaded
      ? 'ok'
      : !me.registered
        ? 'ENOREG'
        : closure(this.name).some((d) => !m(model, d).registered)
          ? 'EINVAL'
          : 'ok';
    expectEq(`modload ${this.name}`, r.errno ?? 'ok', want);
    if (want === 'ok') for (const n of [this.name, ...closure(this.name)]) m(model, n).loaded = true;
    checkInvariants(model, real);
    if (want === 'ok') expectEq('returned id', r.ret, model.idOf.get(this.name));
  }
  toString = () => `modload ${this.name}`;
}

/** `moduload(id)`: EINVAL unless loaded, EBUSY with holds or loaded dependents. */
class Unload implements fc.Command<Model, Real> {
  constructor(readonly name: string) {}
  check = (model: Readonly<Model>) => model.idOf.has(this.name);
  run(model: Model, real: Real): void {
    const r = real.k.sys.moduload(model.idOf.get(this.name)!);
    const me = m(model, this.name);
    const want = !me.loaded
      ? 'EINVAL'
      : me.holds > 0 || dependents(model, this.name).length > 0
        ? 'EBUSY'
        : 'ok';
    expectEq(`moduload ${this.name}`, r.errno ?? 'ok', want);
    if (want === 'ok') me.loaded = false;
    checkInvariants(model, real);
  }
  toString = () => `moduload ${this.name}`;
}

/** `open("/dev/name")`: autoloads a registered module (ENXIO when it cannot be), holds it. */
class Use implements fc.Command<Model, Real> {
  constructor(readonly name: string) {}
  check = () => true;
  run(model: Model, real: Real): void {
    const r = real.k.sys.open(`/dev/${this.name}`);
    const me = m(model, this.name);
    const want = !me.registered
      ? 'ENOENT'
      : !me.loaded && closure(this.name).some((d) => !m(model, d).registered)
        ? 'ENXIO'
        : 'ok';
    expectEq(`open /dev/${this.name}`, r.errno ?? 'ok', want);
    if (want === 'ok') {
      for (const n of [this.name, ...closure(this.name)]) m(model, n).loaded = true;
      me.holds++;
      real.fds.set(this.name, [...(real.fds.get(this.name) ?? []), Number(r.ret)]);
    }
    checkInvariants(model, real);
  }
  toString = () => `open /dev/${this.name}`;
}

/** `close(fd)` of the last open of the module. */
class Unuse implements fc.Command<Model, Real> {
  constructor(readonly name: string) {}
  check = (model: Readonly<Model>) => m(model as Model, this.name).holds > 0;
  run(model: Model, real: Real): void {
    const fds = real.fds.get(this.name)!;
    expectEq('close', real.k.sys.close(fds.pop()!).ret, 0);
    m(model, this.name).holds--;
    checkInvariants(model, real);
  }
  toString = () => `close /dev/${this.name}`;
}

/** `kcmodule name=unused`: unloads and unregisters; held for next boot while the module is busy. */
class Unregister implements fc.Command<Model, Real> {
  constructor(readonly name: string) {}
  check = () => true;
  run(model: Model, real: Real): void {
    const r = real.k.run('kcmodule', [`${this.name}=unused`]);
    expectEq('kcmodule exit', r.exitCode, 0);
    const me = m(model, this.name);
    const busy = me.loaded && (me.holds > 0 || dependents(model, this.name).length > 0);
    if (!busy) {
      me.loaded = false;
      me.registered = false;
    }
    checkInvariants(model, real);
  }
  toString = () => `kcmodule ${this.name}=unused`;
}

const name = fc.constantFrom(...NAMES);
const commands = [
  name.map((n) => new Register(n)),
  name.map((n) => new Load(n)),
  name.map((n) => new Unload(n)),
  name.map((n) => new Use(n)),
  name.map((n) => new Unuse(n)),
  name.map((n) => new Unregister(n)),
];

describe('hpux-dlkm model', () => {
  it('registration, loads, unloads and holds follow the model; ids are never reused and stay with their name', () => {
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 40 }), (cmds) => {
        const k = hpux();
        for (const n of NAMES) install(k, { name: n, depends: DEPS[n] });
        const model: Model = {
          modules: new Map(NAMES.map((n) => [n, { registered: false, loaded: false, holds: 0 }])),
          idOf: new Map(),
          nameOf: new Map(),
          maxId: 0,
        };
        fc.modelRun(() => ({ model, real: { k, fds: new Map() } }), cmds);
      }),
      { numRuns: 250 },
    );
  });
});
