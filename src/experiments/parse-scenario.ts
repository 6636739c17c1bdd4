import { LineCounter, parseDocument } from 'yaml';
import { isErrnoName } from '../abi/errno.js';
import { fail, ok, type Result } from '../core/result.js';
import type { JsonValue } from '../core/snapshot.js';
import { isPersonalityId, PERSONALITY_IDS, type PersonalityId } from '../personalities/personality.js';
import {
  type Expectation,
  type Outcome,
  type Scenario,
  type ScenarioFile,
  type ScenarioStep,
  STEP_ACTIONS,
  type StepAction,
} from './scenario.js';

/** One problem found in a scenario file: where (path and line) and what. */
export interface ScenarioIssue {
  /** Path of the bad field, e.g. `steps[2].expect`. */
  readonly path: string;
  /** 1-based line in the file, when known. */
  readonly line?: number;
  /** What is wrong. */
  readonly message: string;
}

type Path = (string | number)[];
type Obj = { [key: string]: JsonValue };

const STEP_MODIFIERS = new Set(['params', 'args', 'on', 'expect']);
const FILE_KEYS = new Set(['from', 'content', 'module', 'mode', 'behaviour']);

/**
 * Parses and validates a scenario (YAML, or JSON, which YAML 1.2 reads too). Every problem is reported with the
 * path of the bad field and its line, not only the first.
 */
export function parseScenario(text: string, baseDir: string): Result<Scenario, ScenarioIssue[]> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    return fail(
      doc.errors.map((e) => ({
        path: '',
        line: lines.linePos(e.pos[0]).line,
        message: e.message.split('\n')[0],
      })),
    );
  }
  const issues: ScenarioIssue[] = [];
  const report = (path: Path, message: string): void => {
    const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
    const offset = node?.range?.[0];
    issues.push({
      path: formatPath(path),
      ...(offset === undefined ? {} : { line: lines.linePos(offset).line }),
      message,
    });
  };
  const raw = doc.toJS() as JsonValue;
  if (!isObj(raw))
    return fail([
      { path: '', line: 1, message: 'a scenario is a mapping with name, personalities and steps' },
    ]);

  for (const key of Object.keys(raw)) {
    if (!['name', 'description', 'personalities', 'kernel', 'modules', 'files', 'steps'].includes(key)) {
      report([key], `unknown key '${key}'`);
    }
  }
  const name = raw.name;
  if (typeof name !== 'string' || name === '') report(['name'], 'name must be a non-empty string');
  const personalities = parsePersonalities(raw.personalities, ['personalities'], report) ?? [];
  const kernel = raw.kernel ?? {};
  if (!isObj(kernel)) report(['kernel'], 'kernel must be a mapping');
  else {
    for (const [k, v] of Object.entries(kernel)) {
      if (isPersonalityId(k) && !isObj(v)) report(['kernel', k], `kernel.${k} must be a mapping`);
    }
  }
  const modules = raw.modules ?? {};
  if (!isObj(modules)) report(['modules'], 'modules must be a mapping of name to module spec');
  else {
    for (const [m, spec] of Object.entries(modules)) {
      if (!/^[A-Za-z0-9_-]{1,200}$/.test(m))
        report(['modules', m], `module name '${m}' must be letters, digits, - or _`);
      if (spec !== null && !isObj(spec)) report(['modules', m], 'a module spec is a mapping');
    }
  }
  const files = parseFiles(raw.files ?? {}, isObj(modules) ? modules : {}, report);
  const steps = parseSteps(raw.steps, personalities, report);
  if (issues.length > 0) return fail(issues);
  return ok({
    name: name as string,
    ...(typeof raw.description === 'string' ? { description: raw.description } : {}),
    personalities,
    kernel: kernel as Obj,
    modules: Object.fromEntries(Object.entries(modules as Obj).map(([k, v]) => [k, (v ?? {}) as Obj])),
    files,
    steps,
    baseDir,
  });
}

function parsePersonalities(
  v: JsonValue | undefined,
  path: Path,
  report: (p: Path, m: string) => void,
): PersonalityId[] | undefined {
  if (v === undefined) return [...PERSONALITY_IDS];
  if (!Array.isArray(v) || v.length === 0) {
    report(path, `personalities must be a non-empty list of ${PERSONALITY_IDS.join(', ')}`);
    return undefined;
  }
  const out: PersonalityId[] = [];
  v.forEach((p, i) => {
    if (typeof p === 'string' && isPersonalityId(p)) out.push(p);
    else report([...path, i], `unknown personality '${String(p)}' (one of ${PERSONALITY_IDS.join(', ')})`);
  });
  return out;
}

function parseFiles(
  v: JsonValue,
  modules: Obj,
  report: (p: Path, m: string) => void,
): { [path: string]: ScenarioFile } {
  const out: { [path: string]: ScenarioFile } = {};
  if (!isObj(v)) {
    report(['files'], 'files must be a mapping of absolute path to { from | content | module }');
    return out;
  }
  for (const [path, spec] of Object.entries(v)) {
    const at: Path = ['files', path];
    if (!path.startsWith('/')) report(at, `file path '${path}' must be absolute`);
    if (!isObj(spec)) {
      report(at, 'a file is a mapping with one of from, content, module');
      continue;
    }
    for (const k of Object.keys(spec)) if (!FILE_KEYS.has(k)) report([...at, k], `unknown key '${k}'`);
    const sources = ['from', 'content', 'module'].filter((k) => spec[k] !== undefined);
    if (sources.length !== 1) report(at, 'a file needs exactly one of from, content, module');
    for (const k of ['from', 'content', 'module']) {
      if (spec[k] !== undefined && typeof spec[k] !== 'string') report([...at, k], `${k} must be a string`);
    }
    if (typeof spec.module === 'string' && !(spec.module in modules))
      report([...at, 'module'], `no module spec named '${spec.module}'`);
    if (spec.mode !== undefined && (typeof spec.mode !== 'number' || spec.mode < 0 || spec.mode > 0o7777)) {
      report([...at, 'mode'], 'mode must be a number such as 0o644 or 420');
    }
    let behaviour: ScenarioFile['behaviour'];
    if (spec.behaviour !== undefined) {
      if (!isObj(spec.behaviour))
        report([...at, 'behaviour'], 'behaviour is { init?: ERRNO|0, cleanup?: ERRNO|0 }');
      else {
        const b: { init?: Outcome; cleanup?: Outcome } = {};
        for (const [k, val] of Object.entries(spec.behaviour)) {
          if (
            (k !== 'init' && k !== 'cleanup') ||
            !(val === 0 || (typeof val === 'string' && isErrnoName(val)))
          ) {
            report([...at, 'behaviour', k], 'behaviour keys are init and cleanup, values 0 or an errno name');
          } else b[k] = val as Outcome;
        }
        behaviour = b as ScenarioFile['behaviour'];
      }
    }
    out[path] = {
      ...(typeof spec.from === 'string' ? { from: spec.from } : {}),
      ...(typeof spec.content === 'string' ? { content: spec.content } : {}),
      ...(typeof spec.module === 'string' ? { module: spec.module } : {}),
      ...(typeof spec.mode === 'number' ? { mode: spec.mode } : {}),
      ...(behaviour === undefined ? {} : { behaviour }),
    };
  }
  return out;
}

function parseSteps(
  v: JsonValue | undefined,
  personalities: readonly PersonalityId[],
  report: (p: Path, m: string) => void,
): ScenarioStep[] {
  if (!Array.isArray(v) || v.length === 0) {
    report(['steps'], 'steps must be a non-empty list');
    return [];
  }
  const steps: ScenarioStep[] = [];
  v.forEach((raw, index) => {
    const at: Path = ['steps', index];
    if (!isObj(raw)) {
      report(at, `a step is a mapping with one action (${STEP_ACTIONS.join(', ')})`);
      return;
    }
    const actions = Object.keys(raw).filter((k) => (STEP_ACTIONS as readonly string[]).includes(k));
    for (const k of Object.keys(raw)) {
      if (!STEP_MODIFIERS.has(k) && !actions.includes(k))
        report([...at, k], `unknown key '${k}' (actions: ${STEP_ACTIONS.join(', ')})`);
    }
    if (actions.length !== 1) {
      report(
        at,
        `a step needs exactly one action, found ${actions.length === 0 ? 'none' : actions.join(' and ')}`,
      );
      return;
    }
    const action = actions[0] as StepAction;
    const target = raw[action];
    checkTarget(action, target, [...at, action], report);
    if (raw.params !== undefined && (action !== 'load' || typeof raw.params !== 'string')) {
      report([...at, 'params'], 'params is a string and only for load');
    }
    if (raw.args !== undefined && (action !== 'sys' || !isObj(raw.args)))
      report([...at, 'args'], 'args is a mapping and only for sys');
    const on = raw.on === undefined ? undefined : parsePersonalities(raw.on, [...at, 'on'], report);
    if (on !== undefined) {
      on.forEach((p, i) => {
        if (!personalities.includes(p))
          report([...at, 'on', i], `'${p}' is not among the scenario's personalities`);
      });
    }
    const expect = raw.expect === undefined ? undefined : parseExpect(raw.expect, [...at, 'expect'], report);
    steps.push({
      index,
      action,
      target: target ?? {},
      ...(typeof raw.params === 'string' ? { params: raw.params } : {}),
      ...(isObj(raw.args) ? { args: raw.args } : {}),
      ...(on === undefined ? {} : { on }),
      ...(expect === undefined ? {} : { expect }),
    });
  });
  return steps;
}

function checkTarget(
  action: StepAction,
  target: JsonValue | undefined,
  at: Path,
  report: (p: Path, m: string) => void,
): void {
  switch (action) {
    case 'load':
    case 'unload':
    case 'use':
    case 'unuse':
    case 'sys':
      if (typeof target !== 'string' || target === '')
        report(at, `${action} needs a ${action === 'sys' ? 'syscall' : 'module'} name`);
      return;
    case 'read':
      if (typeof target !== 'string' || !target.startsWith('/')) report(at, 'read needs an absolute path');
      return;
    case 'list':
      if (target !== null && !isObj(target)) report(at, 'list takes {}');
      return;
    case 'cred':
    case 'sysctl':
    case 'register':
      if (!isObj(target)) report(at, `${action} takes a mapping`);
      return;
  }
}

function parseOutcome(v: JsonValue, at: Path, report: (p: Path, m: string) => void): Outcome | undefined {
  if (v === 'ok' || v === 'n/a' || (typeof v === 'string' && isErrnoName(v))) return v as Outcome;
  report(at, `expected 'ok', 'n/a' or an errno name, got ${JSON.stringify(v)}`);
  return undefined;
}

function parseExpect(v: JsonValue, at: Path, report: (p: Path, m: string) => void): Expectation | undefined {
  if (typeof v === 'string') {
    const o = parseOutcome(v, at, report);
    return o === undefined ? undefined : { results: { default: o } };
  }
  if (!isObj(v)) {
    report(at, 'expect is ok, an errno name, or a mapping of personality/default/log/content');
    return undefined;
  }
  const results: Partial<Record<PersonalityId | 'default', Outcome>> = {};
  let log: string | undefined;
  let content: string | undefined;
  for (const [k, val] of Object.entries(v)) {
    if (k === 'log' || k === 'content') {
      if (typeof val !== 'string') report([...at, k], `${k} must be a string`);
      else if (k === 'log') log = val;
      else content = val;
    } else if (k === 'default' || isPersonalityId(k)) {
      const o = parseOutcome(val, [...at, k], report);
      if (o !== undefined) results[k] = o;
    } else report([...at, k], `unknown key '${k}' (default, a personality id, log, content)`);
  }
  return {
    ...(Object.keys(results).length > 0 ? { results } : {}),
    ...(log === undefined ? {} : { log }),
    ...(content === undefined ? {} : { content }),
  };
}

function isObj(v: JsonValue | undefined): v is Obj {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);
}

function formatPath(path: Path): string {
  return path.reduce<string>(
    (s, p) => (typeof p === 'number' ? `${s}[${p}]` : s === '' ? p : `${s}.${p}`),
    '',
  );
}
