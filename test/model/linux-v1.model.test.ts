/**
 * Model-based test of the linux-v1 personality (2.0 rules): for random module sets (a random dependency DAG, some
 * inits failing) and random sequences of insmod (with or without -k), rmmod, device use/unuse and `rmmod -a`
 * (`delete_module(NULL)`), `/proc/modules`, the `get_kernel_syms` module entries and the core registry must agree
 * with a small model: name → {deps, autoclean, visited, opens}, reaped by the reference's 2.0 pseudocode
 * (linux-legacy.md §A.7): one pass newest first, a visited module spared once.
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
  visited: boolean;
  opens: number;
}

interface Model {
  readonly defs: ReadonlyMap<string, ModDef>;
  /** Loaded modules, oldest first. */
  readonly order: string[];
  readonly state: Map<string, ModState>;
}

interface Real {
  readonly k: Kernel<'linux-v1'>;
}

const usersOf = (m: Model, name: string) => m.order.filter((u) => m.defs.get(u)?.deps.includes(name));

function remove(m: Model, name: string): void {
  m.order.splice(m.order.indexOf(name), 1);
  m.state.delete(name);
}

/** One `/proc/modules` line of 2.0 without the page count: name, referrers, count, autoclean. */
function parseProc(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const m = /^(\S+) +\d+\t(?:\[([^\]]*)\])?\t(\d+)( \(autoclean\))?$/.exec(l);
      if (m === null) return `unparsed: ${JSON.stringify(l)}`;
      return `${m[1]} [${m[2] ?? ''}] ${m[3]}${m[4] ?? ''}`;
    });
}

function expectedProc(m: Model): string[] {
  return [...m.order].reverse().map((name) => {
    const s = m.state.get(name) as ModState;
    const users = usersOf(m, name).reverse(); // the most recently linked referrer first
    return `${name} [${users.join(' ')}] ${s.opens}${s.autoclean ? ' (autoclean)' : ''}`;
  });
}

function check(m: Model, r: Real): void {
  expect(parseProc(r.k.read('/proc/modules') ?? '')).toEqual(expectedProc(m));
  const hashes = r.k.sys
    .kernelSyms()
    .filter((s) => s.name.startsWith('#') && s.name !== '#')
    .map((s) => s.name.slice(1));
  expect(hashes).toEqual([...m.order].reverse());
  expect(
    r.k.core.modules
      .list()
      .map((x) => x.name)
      .sort(),
  ).toEqual([...m.order].sort());
  for (const rec of r.k.core.modules.list()) expect(rec.refcount).toBeGreaterThanOrEqual(0);
  expect(r.k.core.memory.allocations().length).toBe(m.order.length);
}

/** Loads through the tool and mirrors the outcome in the model. */
class Load implements fc.Command<Model, Real> {
  constructor(
    readonly name: string,
    readonly autoclean: boolean,
  ) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const def = m.defs.get(this.name) as ModDef;
    const argv = this.autoclean ? ['-k', r.k.modulePath(this.name)] : [r.k.modulePath(this.name)];
    const out = r.k.run('insmod', argv);
    const ok = !m.order.includes(this.name) && def.deps.every((d) => m.order.includes(d)) && !def.failing;
    expect(out.exitCode).toBe(ok ? 0 : 1);
    if (ok) {
      m.order.push(this.name);
      m.state.set(this.name, { autoclean: this.autoclean, visited: false, opens: 0 });
    }
    check(m, r);
  }
  toString = () => `insmod ${this.autoclean ? '-k ' : ''}${this.name}`;
}

class Rmmod implements fc.Command<Model, Real> {
  constructor(readonly name: string) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const errno = r.k.sys.delete_module(this.name).errno;
    if (!m.order.includes(this.name)) expect(errno).toBe('ENOENT');
    else if (usersOf(m, this.name).length > 0 || (m.state.get(this.name)?.opens ?? 0) > 0)
      expect(errno).toBe('EBUSY');
    else {
      expect(errno).toBeUndefined();
      remove(m, this.name);
    }
    check(m, r);
  }
  toString = () => `rmmod ${this.name}`;
}

class Use implements fc.Command<Model, Real> {
  constructor(readonly name: string) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const res = r.k.actions.use(this.name).result;
    const s = m.state.get(this.name);
    if (s === undefined) expect(res).not.toBe('ok');
    else {
      expect(res).toBe('ok');
      s.opens++;
      s.visited = true;
    }
    check(m, r);
  }
  toString = () => `use ${this.name}`;
}

class Unuse implements fc.Command<Model, Real> {
  constructor(readonly name: string) {}
  check = (m: Readonly<Model>) => (m.state.get(this.name)?.opens ?? 0) > 0;
  run(m: Model, r: Real): void {
    expect(r.k.actions.unuse(this.name).result).toBe('ok');
    const s = m.state.get(this.name) as ModState;
    s.opens--;
    s.visited = true;
    check(m, r);
  }
  toString = () => `unuse ${this.name}`;
}

class Reap implements fc.Command<Model, Real> {
  check = () => true;
  run(m: Model, r: Real): void {
    expect(r.k.run('rmmod', ['-a']).exitCode).toBe(0);
    for (const name of [...m.order].reverse()) {
      const s = m.state.get(name);
      if (s === undefined || !s.autoclean || s.opens !== 0 || usersOf(m, name).length > 0) continue;
      if (s.visited) s.visited = false;
      else remove(m, name);
    }
    check(m, r);
  }
  toString = () => 'rmmod -a';
}

const defsArb: fc.Arbitrary<ModDef[]> = fc
  .array(fc.record({ deps: fc.array(fc.nat(5), { maxLength: 2 }), failing: fc.boolean() }), {
    minLength: 2,
    maxLength: 5,
  })
  .map((rows) =>
    rows.map((row, i) => ({
      name: `m${i}`,
      deps: [...new Set(row.deps.filter((d) => d < i).map((d) => `m${d}`))],
      failing: row.failing && i > 0 && i % 3 === 0,
    })),
  );

describe('linux-v1 model (2.0 rules)', () => {
  it('insmod/rmmod/use/unuse/rmmod -a agree with the model', () => {
    fc.assert(
      fc.property(
        defsArb.chain((defs) =>
          fc.tuple(
            fc.constant(defs),
            fc.commands(
              [
                fc
                  .tuple(fc.constantFrom(...defs.map((d) => d.name)), fc.boolean())
                  .map(([n, a]) => new Load(n, a)),
                fc.constantFrom(...defs.map((d) => d.name)).map((n) => new Rmmod(n)),
                fc.constantFrom(...defs.map((d) => d.name)).map((n) => new Use(n)),
                fc.constantFrom(...defs.map((d) => d.name)).map((n) => new Unuse(n)),
                fc.constant(new Reap()),
              ],
              { maxCommands: 25 },
            ),
          ),
        ),
        ([defs, cmds]) => {
          const k = createKernel({ personality: 'linux-v1', config: { kernelVersion: '2.0.40' } });
          for (const d of defs) {
            const spec = {
              name: d.name,
              exports: [`${d.name}_sym`],
              imports: d.deps.map((x) => `${x}_sym`),
              ...(d.failing ? { behaviour: { init: [{ return: 'ENODEV' }] } } : {}),
            };
            const img = k.buildImage(spec);
            if (!img.ok) throw new Error(img.error);
            k.vfs.writeFile(k.modulePath(d.name), img.value);
          }
          const model: Model = { defs: new Map(defs.map((d) => [d.name, d])), order: [], state: new Map() };
          fc.modelRun(() => ({ model, real: { k } }), cmds);
        },
      ),
      { numRuns: 400 },
    );
  });
});
