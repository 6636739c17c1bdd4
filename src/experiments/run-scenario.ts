import { readFileSync } from 'node:fs';
import { basename, isAbsolute, resolve } from 'node:path';
import type { HpuxPrivilege, LinuxCapability } from '../abi/capabilities.js';
import { ALL_CAPABILITIES } from '../core/credentials.js';
import type { KernelConfig } from '../core/kernel-config.js';
import type { JsonValue } from '../core/snapshot.js';
import type { SyscallRecord } from '../core/syscall-table.js';
import { createKernel, type Kernel } from '../kernel.js';
import {
  errnoNumber,
  isPersonalityId,
  type NeutralModuleSpec,
  type PersonalityId,
} from '../personalities/personality.js';
import { expectationFor, type Outcome, type Scenario, type ScenarioStep } from './scenario.js';
import { newSysState, prepareSys, type SysState } from './sys-args.js';

/** The result of one step under one personality. */
export interface StepResult {
  /** Step index in the scenario. */
  readonly step: number;
  /** Personality. */
  readonly personality: PersonalityId;
  /** Short description of the action (`load base`). */
  readonly action: string;
  /** `ok`, the errno of the first failing syscall, or `n/a`. */
  readonly result: Outcome;
  /** errno number in the personality's family, on failure. */
  readonly errnoNumber?: number;
  /** Raw return of a `sys` step. */
  readonly ret?: number | string;
  /** The expected outcome, if any. */
  readonly expected?: Outcome;
  /** Whether every expectation of the step held. */
  readonly pass: boolean;
  /** Why it failed to pass, when it did not. */
  readonly mismatch?: string;
  /** Kernel log lines written during the step. */
  readonly log: readonly string[];
  /** The log line that explains a failure: the last one written, taint notices aside. */
  readonly reason?: string;
  /** Syscalls the step made. */
  readonly syscalls: readonly SyscallRecord[];
  /** What the step printed or read (list, read). */
  readonly output?: string;
}

/** The outcome of a whole scenario run. */
export interface ScenarioResult {
  /** Scenario name. */
  readonly name: string;
  /** Personalities, in column order. */
  readonly personalities: readonly PersonalityId[];
  /** Every step × personality, step-major. */
  readonly results: readonly StepResult[];
  /** The kernels after the last step (for reports). */
  readonly kernels: ReadonlyMap<PersonalityId, Kernel>;
  /** Problems staging the scenario (a module spec a personality cannot build…), per personality; any fails the run. */
  readonly setup: ReadonlyMap<PersonalityId, readonly string[]>;
  /** Whether every expectation held. */
  readonly pass: boolean;
}

/** Options of {@link runScenario}. */
export interface RunOptions {
  /** Called after each step × personality (progress bars). */
  readonly onResult?: (r: StepResult, done: number, total: number) => void;
}

/** Runs a scenario under each of its personalities, each on a fresh kernel, and checks every expectation. */
export function runScenario(scenario: Scenario, options: RunOptions = {}): ScenarioResult {
  const kernels = new Map<PersonalityId, Kernel>();
  const setup = new Map<PersonalityId, string[]>();
  const perPersonality = new Map<PersonalityId, StepResult[]>();
  const total = scenario.steps.length * scenario.personalities.length;
  let done = 0;
  for (const p of scenario.personalities) {
    const k = createKernel({ personality: p, config: configFor(scenario, p) });
    kernels.set(p, k);
    const setupLog = stage(scenario, k);
    setup.set(p, setupLog);
    const sys = newSysState();
    const rows: StepResult[] = [];
    for (const step of scenario.steps) {
      const r = runStep(scenario, k, step, [], sys);
      rows.push(r);
      options.onResult?.(r, ++done, total);
    }
    perPersonality.set(p, rows);
  }
  const results: StepResult[] = [];
  for (const step of scenario.steps) {
    for (const p of scenario.personalities) results.push(perPersonality.get(p)![step.index]);
  }
  return {
    name: scenario.name,
    personalities: scenario.personalities,
    results,
    kernels,
    setup,
    // A scenario that cannot be staged under a personality does not pass there, whatever the steps say.
    pass: results.every((r) => r.pass) && [...setup.values()].every((problems) => problems.length === 0),
  };
}

/** The kernel configuration for one personality: shared keys, overridden by that personality's block. */
export function configFor(scenario: Scenario, p: PersonalityId): KernelConfig {
  const shared: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(scenario.kernel)) if (!isPersonalityId(k)) shared[k] = v;
  const own = scenario.kernel[p];
  const merged = {
    ...shared,
    ...(own !== null && typeof own === 'object' && !Array.isArray(own) ? own : {}),
  };
  return Object.fromEntries(Object.entries(merged).map(([k, v]) => [k, resolvePaths(v, scenario.baseDir)]));
}

/** Relative host paths (`./x`, `../x`) in configuration values are resolved against the scenario's folder. */
function resolvePaths(v: JsonValue, baseDir: string): JsonValue {
  if (typeof v === 'string' && (v.startsWith('./') || v.startsWith('../'))) return resolve(baseDir, v);
  if (Array.isArray(v)) return v.map((x) => resolvePaths(x, baseDir));
  return v;
}

/** Places a scenario's module images and files in a kernel's VFS. Returns problems as log lines. */
export function stage(scenario: Scenario, k: Kernel): string[] {
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(scenario.modules)) {
    const image = k.buildImage(neutralSpec(name, spec));
    if (image.ok) k.vfs.writeFile(k.modulePath(name), image.value);
    else problems.push(`setup: cannot build module ${name} for ${k.personality}: ${image.error}`);
  }
  for (const [path, f] of Object.entries(scenario.files)) {
    let data: Uint8Array | string | undefined;
    if (f.content !== undefined) data = f.content;
    else if (f.from !== undefined) {
      try {
        data = new Uint8Array(readFileSync(isAbsolute(f.from) ? f.from : resolve(scenario.baseDir, f.from)));
      } catch {
        problems.push(`setup: cannot read ${f.from}`);
      }
    } else if (f.module !== undefined) {
      const image = k.buildImage(neutralSpec(f.module, scenario.modules[f.module]));
      if (image.ok) data = image.value;
      else problems.push(`setup: cannot build module ${f.module}: ${image.error}`);
    }
    if (data !== undefined) k.vfs.writeFile(path, data, f.mode === undefined ? {} : { mode: f.mode });
    if (f.behaviour !== undefined) {
      const b = f.behaviour;
      k.core.behaviours.register(basename(path).replace(/\.(ko|o)(\.(gz|xz|zst))?$/, ''), {
        ...(b.init === undefined ? {} : { init: () => b.init ?? 0 }),
        ...(b.cleanup === undefined ? {} : { cleanup: () => b.cleanup ?? 0 }),
      });
    }
  }
  return problems;
}

/**
 * A scenario's module spec as the builders take it. Two shorthands are expanded: `params` written as a
 * `{ name: type }` or `{ name: { type, default… } }` map becomes the builder's list, and a behaviour written as
 * `{ init: ENODEV }` (an errno name or 0) becomes `{ init: [{ return: ENODEV }] }`.
 */
export function neutralSpec(name: string, spec: { readonly [key: string]: JsonValue }): NeutralModuleSpec {
  const out: { [key: string]: JsonValue } = { ...spec, name };
  const p = spec.params;
  if (p !== null && typeof p === 'object' && !Array.isArray(p)) {
    out.params = Object.entries(p).map(
      ([param, v]): JsonValue =>
        v !== null && typeof v === 'object' && !Array.isArray(v)
          ? { ...v, name: param }
          : { name: param, type: v },
    );
  }
  const b = spec.behaviour;
  if (b !== null && typeof b === 'object' && !Array.isArray(b)) {
    out.behaviour = Object.fromEntries(
      Object.entries(b).map(([fn, v]) => [fn, typeof v === 'string' || v === 0 ? [{ return: v }] : v]),
    );
  }
  return out as NeutralModuleSpec;
}

function label(step: ScenarioStep): string {
  const t = step.target;
  if (typeof t === 'string') return `${step.action} ${t}`;
  if (t !== null && typeof t === 'object' && !Array.isArray(t) && Object.keys(t).length > 0) {
    return `${step.action} ${Object.entries(t)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(' ')}`;
  }
  return step.action;
}

interface Raw {
  result: Outcome;
  ret?: number | string;
  output?: string;
  syscalls: readonly SyscallRecord[];
}

/** Runs one step on one kernel and checks its expectations. */
export function runStep(
  scenario: Scenario,
  k: Kernel,
  step: ScenarioStep,
  setupLog: readonly string[] = [],
  sys: SysState = newSysState(),
): StepResult {
  const base = { step: step.index, personality: k.personality, action: label(step) };
  const logStart = k.core.log.cursor;
  const excluded = step.on !== undefined && !step.on.includes(k.personality);
  const raw: Raw = excluded ? { result: 'n/a', syscalls: [] } : perform(scenario, k, step, sys);
  const log = [...setupLog, ...k.core.log.lines(logStart).map((l) => l.text)];
  // A step `on` other personalities is checked here only against an expectation naming this one.
  const expected = excluded ? step.expect?.results?.[k.personality] : expectationFor(step, k.personality);
  const mismatches: string[] = [];
  if (expected !== undefined && expected !== raw.result)
    mismatches.push(`expected ${expected}, got ${raw.result}`);
  if (raw.result !== 'n/a') {
    const wantLog = step.expect?.log;
    if (wantLog !== undefined && !log.some((l) => l.includes(wantLog)))
      mismatches.push(`log lacks '${wantLog}'`);
    const wantContent = step.expect?.content;
    if (wantContent !== undefined && !(raw.output ?? '').includes(wantContent))
      mismatches.push(`output lacks '${wantContent}'`);
  }
  const failed = raw.result !== 'ok' && raw.result !== 'n/a';
  const n = raw.result === 'ok' || raw.result === 'n/a' ? undefined : errnoNumber(familyOf(k), raw.result);
  const reason = failed
    ? ([...log].reverse().find((l) => !/tainting kernel/.test(l)) ?? raw.output)
    : undefined;
  return {
    ...base,
    result: raw.result,
    ...(n === undefined ? {} : { errnoNumber: n }),
    ...(raw.ret === undefined ? {} : { ret: raw.ret }),
    ...(expected === undefined ? {} : { expected }),
    pass: mismatches.length === 0,
    ...(mismatches.length === 0 ? {} : { mismatch: mismatches.join('; ') }),
    log,
    ...(reason === undefined ? {} : { reason }),
    syscalls: raw.syscalls,
    ...(raw.output === undefined ? {} : { output: raw.output }),
  };
}

function familyOf(k: Kernel): 'linux' | 'hpux' {
  return k.personality === 'hpux-dlkm' ? 'hpux' : 'linux';
}

function perform(scenario: Scenario, k: Kernel, step: ScenarioStep, sys: SysState): Raw {
  const t = step.target;
  const start = k.core.syscalls.cursor;
  const moduleRef = (name: string): string => (name in scenario.modules ? k.modulePath(name) : name);
  switch (step.action) {
    case 'load': {
      const r = k.actions.load(moduleRef(String(t)), step.params);
      return {
        result: r.result,
        syscalls: r.syscalls,
        ...(r.output === undefined ? {} : { output: r.output }),
      };
    }
    case 'unload':
    case 'use':
    case 'unuse': {
      const name = String(t);
      const r = k.actions[step.action](
        name in scenario.modules ? name : basename(name).replace(/\.(ko|o)$/, ''),
      );
      return { result: r.result, syscalls: r.syscalls };
    }
    case 'list': {
      const r = k.actions.list();
      return { result: r.result, syscalls: r.syscalls, output: r.output ?? '' };
    }
    case 'read': {
      const text = k.read(String(t));
      return text === undefined
        ? { result: 'ENOENT', syscalls: [] }
        : { result: 'ok', syscalls: [], output: text };
    }
    case 'cred':
      return { result: applyCred(k, t), syscalls: [] };
    case 'sysctl': {
      for (const [name, value] of Object.entries(t as Record<string, JsonValue>)) {
        const r = k.core.sysctl.set(name, Number(value));
        if (!r.ok) return { result: r.error.errno, syscalls: [] };
      }
      return { result: 'ok', syscalls: [] };
    }
    case 'register': {
      if (!k.tools.includes('kcmodule')) return { result: 'n/a', syscalls: [] };
      const args = Object.entries(t as Record<string, JsonValue>).map(
        ([m, state]) => `${m}=${String(state)}`,
      );
      const r = k.run('kcmodule', args);
      return {
        result: r.exitCode === 0 ? 'ok' : 'EINVAL',
        syscalls: k.core.syscalls.trace(start),
        output: r.stdout + r.stderr,
      };
    }
    case 'sys': {
      const entry = k.core.syscalls.entry(String(t));
      if (entry === undefined) return { result: 'n/a', syscalls: [] };
      const call = prepareSys(k, sys, entry.name, step.args ?? {}, (name) =>
        name in scenario.modules ? k.modulePath(name) : undefined,
      );
      if (call.problem !== undefined) return { result: 'EINVAL', syscalls: [], output: call.problem };
      try {
        const r = k.syscall(entry.name, call.args);
        if (r.errno === undefined) call.after?.(r.ret);
        return {
          result: r.errno ?? 'ok',
          ret: typeof r.ret === 'bigint' ? `0x${r.ret.toString(16)}` : r.ret,
          syscalls: k.core.syscalls.trace(start),
        };
      } finally {
        call.release?.();
      }
    }
  }
}

function applyCred(k: Kernel, t: JsonValue): Outcome {
  const c = t as Record<string, JsonValue>;
  const caps = c.caps;
  k.core.creds.set({
    ...(typeof c.uid === 'number' ? { uid: c.uid, euid: c.uid } : {}),
    ...(typeof c.euid === 'number' ? { euid: c.euid } : {}),
    ...(typeof c.gid === 'number' ? { gid: c.gid } : {}),
    ...(caps === 'all'
      ? { capabilities: new Set(ALL_CAPABILITIES) }
      : Array.isArray(caps)
        ? { capabilities: new Set(caps.map(String) as LinuxCapability[]) }
        : {}),
    ...(Array.isArray(c.privileges)
      ? { privileges: new Set(c.privileges.map(String) as HpuxPrivilege[]) }
      : {}),
  });
  return 'ok';
}
