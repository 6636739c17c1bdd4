/**
 * Model-based test of the linux-v26 personality: random sequences of load, duplicate load, unload (with and
 * without users), use/unuse (opening the module's device), modules_disabled and CAP_SYS_MODULE changes, checked
 * against a tiny model `name → {deps, opens, loaded}` and the kernel's visible state after every command.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALL_CAPABILITIES } from '../../src/core/credentials.js';
import { SYSCTL } from '../../src/core/sysctl.js';
import { buildKo } from '../../src/elf/builder/ko-builder.js';
import type { ModuleSpec } from '../../src/elf/builder/module-spec.js';
import { createKernel, type Kernel } from '../../src/kernel.js';

const SPECS: readonly ModuleSpec[] = [
  { name: 'base', exports: ['base_fn'] },
  { name: 'mid', imports: [{ name: 'base_fn', module: 'base' }], exports: ['mid_fn'] },
  {
    name: 'top',
    imports: [
      { name: 'mid_fn', module: 'mid' },
      { name: 'base_fn', module: 'base' },
    ],
  },
  { name: 'solo', imports: ['_printk'] },
];
const DEPS: Readonly<Record<string, readonly string[]>> = {
  base: [],
  mid: ['base'],
  top: ['mid', 'base'],
  solo: [],
};
const NAMES = SPECS.map((s) => s.name);
const IMAGES = Object.fromEntries(SPECS.map((s) => [s.name, buildKo(s)]));

interface Model {
  loaded: Set<string>;
  opens: Map<string, number[]>;
  privileged: boolean;
  disabled: boolean;
}

interface Real {
  k: Kernel<'linux-v26'>;
}

/** The errno the model predicts (or 'ok'). */
type Outcome = string;

function users(m: Model, name: string): string[] {
  return [...m.loaded].filter((u) => DEPS[u].includes(name));
}

function check(m: Model, r: Real): void {
  const k = r.k;
  const lines = (k.read('/proc/modules') ?? '').split('\n').filter((l) => l !== '');
  expect(new Set(lines.map((l) => l.split(' ')[0]))).toEqual(m.loaded);
  for (const line of lines) {
    const [name, , refcnt, holders, state] = line.split(' ');
    const us = users(m, name);
    expect(Number(refcnt)).toBe(us.length + (m.opens.get(name)?.length ?? 0));
    expect(
      holders === '-'
        ? []
        : holders
            .split(',')
            .filter((h) => h !== '')
            .sort(),
    ).toEqual(us.sort());
    expect(state).toBe('Live');
  }
  expect(k.core.memory.allocations().length).toBe(m.loaded.size);
}

class Load implements fc.Command<Model, Real> {
  constructor(readonly name: string) {}
  check = () => true;
  run(m: Model, r: Real): void {
    let expected: Outcome = 'ok';
    if (!m.privileged || m.disabled) expected = 'EPERM';
    else if (m.loaded.has(this.name)) expected = 'EEXIST';
    else if (DEPS[this.name].some((d) => !m.loaded.has(d))) expected = 'ENOENT';
    const res = r.k.sys.init_module(IMAGES[this.name]);
    expect(res.errno ?? 'ok').toBe(expected);
    if (expected === 'ok') m.loaded.add(this.name);
    check(m, r);
  }
  toString = () => `load(${this.name})`;
}

class Unload implements fc.Command<Model, Real> {
  constructor(readonly name: string) {}
  check = () => true;
  run(m: Model, r: Real): void {
    let expected: Outcome = 'ok';
    if (!m.privileged || m.disabled) expected = 'EPERM';
    else if (!m.loaded.has(this.name)) expected = 'ENOENT';
    else if (users(m, this.name).length > 0) expected = 'EWOULDBLOCK';
    else if ((m.opens.get(this.name)?.length ?? 0) > 0) expected = 'EWOULDBLOCK';
    const res = r.k.sys.delete_module(this.name, 'O_NONBLOCK');
    expect(res.errno ?? 'ok').toBe(expected);
    if (expected === 'ok') m.loaded.delete(this.name);
    check(m, r);
  }
  toString = () => `unload(${this.name})`;
}

class Use implements fc.Command<Model, Real> {
  constructor(readonly name: string) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const res = r.k.sys.open(`/dev/${this.name}`, 'O_RDONLY');
    expect(res.errno ?? 'ok').toBe(m.loaded.has(this.name) ? 'ok' : 'ENOENT');
    if (res.errno === undefined) m.opens.set(this.name, [...(m.opens.get(this.name) ?? []), Number(res.ret)]);
    check(m, r);
  }
  toString = () => `use(${this.name})`;
}

class Unuse implements fc.Command<Model, Real> {
  constructor(readonly name: string) {}
  check = (m: Readonly<Model>) => (m.opens.get(this.name)?.length ?? 0) > 0;
  run(m: Model, r: Real): void {
    const fds = m.opens.get(this.name) ?? [];
    const fd = fds.pop();
    expect(r.k.sys.close(fd ?? -1).ret).toBe(0);
    check(m, r);
  }
  toString = () => `unuse(${this.name})`;
}

class DisableModules implements fc.Command<Model, Real> {
  check = () => true;
  run(m: Model, r: Real): void {
    expect(r.k.core.sysctl.set(SYSCTL.modulesDisabled, 1).ok).toBe(true);
    m.disabled = true;
    // The latch is one-way: turning it off again is refused.
    expect(r.k.core.sysctl.set(SYSCTL.modulesDisabled, 0).ok).toBe(false);
    check(m, r);
  }
  toString = () => 'modules_disabled=1';
}

class DropCapability implements fc.Command<Model, Real> {
  check = () => true;
  run(m: Model, r: Real): void {
    r.k.core.creds.drop('CAP_SYS_MODULE');
    m.privileged = false;
    check(m, r);
  }
  toString = () => 'drop CAP_SYS_MODULE';
}

class RestoreCapability implements fc.Command<Model, Real> {
  check = () => true;
  run(m: Model, r: Real): void {
    r.k.core.creds.set({ capabilities: new Set(ALL_CAPABILITIES) });
    m.privileged = true;
    check(m, r);
  }
  toString = () => 'restore CAP_SYS_MODULE';
}

const name = fc.constantFrom(...NAMES);
const commands = [
  name.map((n) => new Load(n)),
  name.map((n) => new Load(n)),
  name.map((n) => new Unload(n)),
  name.map((n) => new Use(n)),
  name.map((n) => new Unuse(n)),
  fc.constant(new DisableModules()).map(() => new DisableModules()),
  fc.constant(new DropCapability()).map(() => new DropCapability()),
  fc.constant(new RestoreCapability()).map(() => new RestoreCapability()),
];

describe('linux-v26 model', () => {
  it('agrees with the model over random command sequences (1000 runs)', () => {
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 25 }), (cmds) => {
        const k = createKernel({ personality: 'linux-v26', config: { moduleSig: false } });
        const model: Model = { loaded: new Set(), opens: new Map(), privileged: true, disabled: false };
        fc.modelRun(() => ({ model, real: { k } }), cmds);
      }),
      { numRuns: 1000 },
    );
  });
});
