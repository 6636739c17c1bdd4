/**
 * Model-based test of the linux-v24 personality: for random module sets (a random dependency DAG, some inits
 * failing) and random sequences of insmod (with or without -k), rmmod, device use/unuse and `rmmod -a`
 * (autoclean reaping), `query_module(QM_MODULES)` and `/proc/modules` must agree with each other and with a
 * small model: name → {deps, autoclean, used once, visited, opens}, reaped by the reference's pseudocode
 * (linux-legacy.md §B.6).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createKernel, type Kernel } from '../../src/kernel.js';

interface ModDef {
  readonly name: string;
  readonly deps: readonly string[];
  readonly failing: boolean;
}

interface ModState {
  autoclean: boolean;
  usedOnce: boolean;
  visited: boolean;
  justFreed: boolean;
  opens: number;
}

interface Model {
  readonly defs: ReadonlyMap<string, ModDef>;
  /** Loaded modules, oldest first. */
  readonly order: string[];
  readonly state: Map<string, ModState>;
}

interface Real {
  readonly k: Kernel<'linux-v24'>;
  readonly fds: Map<string, number[]>;
  /** What a failing init answers: its own errno on 2.4, EBUSY on 2.2. */
  readonly failingInit: string;
}

function usersOf(m: Model, name: string): string[] {
  return m.order.filter((u) => m.defs.get(u)?.deps.includes(name));
}

function remove(m: Model, name: string): void {
  m.order.splice(m.order.indexOf(name), 1);
  m.state.delete(name);
}

/** `/proc/modules` as the model sees it. */
function expectedProc(m: Model): string[] {
  return [...m.order].reverse().map((name) => {
    const s = m.state.get(name) as ModState;
    let line = `${name.padEnd(20)}`;
    const words = `${s.autoclean ? ' (autoclean)' : ''}${s.usedOnce ? '' : ' (unused)'}`;
    // Users, last linked first: newest user first.
    const users = usersOf(m, name).reverse();
    line += `${String(s.opens).padStart(4)}${words}${users.length > 0 ? ` [${users.join(' ')}]` : ''}`;
    return line;
  });
}

function check(m: Model, r: Real): void {
  const names = r.k.sys.queryModules();
  expect(names).toEqual([...m.order].reverse());
  const proc = (r.k.read('/proc/modules') ?? '').split('\n').filter((l) => l !== '');
  expect(proc.map((l) => l.split(' ')[0])).toEqual(names);
  // Drop the size column (its value depends on the object's layout), keep everything else.
  expect(proc.map((l) => l.slice(0, 20) + l.slice(28))).toEqual(expectedProc(m));
  expect(r.k.core.memory.allocations().length).toBe(m.order.length);
}

class Insmod implements fc.Command<Model, Real> {
  constructor(
    readonly name: string,
    readonly autoclean: boolean,
  ) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const def = m.defs.get(this.name) as ModDef;
    let expected = 'ok';
    if (m.state.has(this.name)) expected = 'EEXIST';
    else if (def.deps.some((d) => !m.state.has(d))) expected = 'ENOENT';
    else if (def.failing) expected = r.failingInit;
    // insmod's getopt permutes: `insmod PATH -k` is `insmod -k PATH`.
    const got = r.k.actions.load(r.k.modulePath(this.name), this.autoclean ? '-k' : undefined).result;
    expect(got).toBe(expected);
    // init_module links the dependencies before the init runs: even a failing init (after which insmod deletes
    // the module again) leaves them marked used once.
    if (got === 'ok' || got === r.failingInit)
      for (const d of def.deps) (m.state.get(d) as ModState).usedOnce = true;
    if (got === 'ok') {
      m.order.push(this.name);
      m.state.set(this.name, {
        autoclean: this.autoclean,
        usedOnce: false,
        visited: false,
        justFreed: false,
        opens: 0,
      });
    }
    check(m, r);
  }
  toString = () => `insmod ${this.autoclean ? '-k ' : ''}${this.name}`;
}

class Rmmod implements fc.Command<Model, Real> {
  constructor(readonly name: string) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const s = m.state.get(this.name);
    let expected = 'ok';
    if (s === undefined) expected = 'ENOENT';
    else if (usersOf(m, this.name).length > 0 || s.opens > 0) expected = 'EBUSY';
    expect(r.k.actions.unload(this.name).result).toBe(expected);
    if (expected === 'ok') remove(m, this.name);
    check(m, r);
  }
  toString = () => `rmmod ${this.name}`;
}

class Use implements fc.Command<Model, Real> {
  constructor(readonly name: string) {}
  check = (m: Readonly<Model>) => m.state.has(this.name);
  run(m: Model, r: Real): void {
    const fd = r.k.sys.open(`/dev/${this.name}`);
    expect(fd.errno).toBeUndefined();
    r.fds.set(this.name, [...(r.fds.get(this.name) ?? []), Number(fd.ret)]);
    const s = m.state.get(this.name) as ModState;
    s.opens++;
    s.usedOnce = true;
    s.visited = true;
    check(m, r);
  }
  toString = () => `use ${this.name}`;
}

class Unuse implements fc.Command<Model, Real> {
  constructor(readonly name: string) {}
  check = (m: Readonly<Model>) => (m.state.get(this.name)?.opens ?? 0) > 0;
  run(m: Model, r: Real): void {
    const fd = r.fds.get(this.name)?.pop() as number;
    expect(r.k.sys.close(fd).errno).toBeUndefined();
    const s = m.state.get(this.name) as ModState;
    s.opens--;
    s.visited = true;
    check(m, r);
  }
  toString = () => `unuse ${this.name}`;
}

class Autoclean implements fc.Command<Model, Real> {
  check = () => true;
  run(m: Model, r: Real): void {
    const cursor = r.k.core.log.cursor;
    expect(r.k.run('rmmod', ['-a']).exitCode).toBe(0);
    const reaped: string[] = [];
    for (;;) {
      let changed = false;
      for (const name of [...m.order].reverse()) {
        const s = m.state.get(name);
        if (s === undefined || !s.autoclean || !s.usedOnce || s.opens > 0 || usersOf(m, name).length > 0)
          continue;
        if (s.visited && !s.justFreed) {
          s.visited = false;
          continue;
        }
        remove(m, name);
        reaped.push(`cleanup ${name}`);
        for (const d of m.defs.get(name)?.deps ?? []) {
          const ds = m.state.get(d);
          if (ds !== undefined && usersOf(m, d).length === 0) ds.justFreed = true;
        }
        changed = true;
      }
      if (!changed) break;
    }
    for (const s of m.state.values()) s.justFreed = false;
    // The order the cleanups ran in is the order the passes freed the modules.
    const cleanups = r.k.core.log
      .lines(cursor)
      .map((l) => l.text)
      .filter((t) => t.startsWith('cleanup '));
    expect(cleanups).toEqual(reaped);
    check(m, r);
  }
  toString = () => 'rmmod -a';
}

/** A random module set: unique names, each module using some earlier ones, some inits failing. */
const arbDefs: fc.Arbitrary<ModDef[]> = fc
  .uniqueArray(fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/), { minLength: 2, maxLength: 5 })
  .chain((names) =>
    fc.tuple(
      ...names.map((name, i) =>
        fc.record({
          name: fc.constant(name),
          deps: i === 0 ? fc.constant([]) : fc.subarray(names.slice(0, i), { maxLength: Math.min(2, i) }),
          failing: fc.boolean().map((b) => b && i > 0 && name.length % 3 === 0),
        }),
      ),
    ),
  );

describe('linux-v24 model', () => {
  for (const kernelVersion of ['2.4.27', '2.2.26']) {
    it(`QM_MODULES and /proc/modules follow the model under insmod/rmmod/use/autoclean (${kernelVersion})`, () => {
      fc.assert(
        fc.property(
          arbDefs.chain((defs) =>
            fc.tuple(
              fc.constant(defs),
              fc.commands(
                [
                  // Weighted towards what autoclean reaping needs: -k loads, uses and repeated passes.
                  ...[1, 2].map(() =>
                    fc
                      .tuple(fc.constantFrom(...defs.map((d) => d.name)), fc.integer({ min: 0, max: 9 }))
                      .map(([n, a]) => new Insmod(n, a < 7)),
                  ),
                  fc.constantFrom(...defs.map((d) => d.name)).map((n) => new Rmmod(n)),
                  ...[1, 2].map(() => fc.constantFrom(...defs.map((d) => d.name)).map((n) => new Use(n))),
                  ...[1, 2].map(() => fc.constantFrom(...defs.map((d) => d.name)).map((n) => new Unuse(n))),
                  ...[1, 2, 3].map(() => fc.constant(new Autoclean())),
                ],
                { maxCommands: 30 },
              ),
            ),
          ),
          ([defs, cmds]) => {
            const k = createKernel({ personality: 'linux-v24', config: { kernelVersion } });
            for (const d of defs) {
              const image = k.buildImage({
                name: d.name,
                exports: [`${d.name}_fn`],
                imports: d.deps.map((x) => `${x}_fn`),
                behaviour: {
                  ...(d.failing ? { init: [{ return: 'ENODEV' }] } : {}),
                  cleanup: [{ log: `cleanup ${d.name}` }],
                },
              });
              if (!image.ok) throw new Error(image.error);
              k.vfs.writeFile(k.modulePath(d.name), image.value);
            }
            const model: Model = { defs: new Map(defs.map((d) => [d.name, d])), order: [], state: new Map() };
            const failingInit = kernelVersion.startsWith('2.2') ? 'EBUSY' : 'ENODEV';
            fc.modelRun(() => ({ model, real: { k, fds: new Map(), failingInit } }), cmds);
          },
        ),
        { numRuns: 200 },
      );
    });
  }
});
