/**
 * What a built module's `init`/`cleanup` does (DESIGN.md §6), as carried in the `.kmodsim.behaviour` section:
 * UTF-8 JSON `{ "init"?: Action[], "cleanup"?: Action[] }`. The section is not `SHF_ALLOC`, so a loader never
 * copies it into module memory; the simulated kernel reads it to know what the module's code would do.
 *
 * The JSON is written with a fixed key order so the same behaviour always gives the same bytes.
 * @module
 */
import { type ErrnoName, isErrnoName } from '../../abi/errno.js';
import { fail, ok, type Result } from '../../core/result.js';

/** Name of the section carrying the behaviour. */
export const BEHAVIOUR_SECTION = '.kmodsim.behaviour';

/** Ends the function with a return value: 0, or an errno (`-errno` in C). */
export interface ReturnActionSpec {
  /** 0 or the errno name. */
  readonly return: ErrnoName | 0;
}

/** Takes a reference on another module. */
export interface GetActionSpec {
  /** The module. */
  readonly get: string;
}

/** Drops a reference on another module. */
export interface PutActionSpec {
  /** The module. */
  readonly put: string;
}

/** Asks the kernel to load another module. */
export interface RequestActionSpec {
  /** The module. */
  readonly request: string;
}

/** Writes a kernel log line. */
export interface LogActionSpec {
  /** The text. */
  readonly log: string;
  /** printk level 0–7 (absent: the kernel's default). */
  readonly level?: number;
}

/** Never returns. */
export interface BlockActionSpec {
  /** Always true. */
  readonly block: true;
}

/** One action of a behaviour. */
export type BehaviourActionSpec =
  | ReturnActionSpec
  | GetActionSpec
  | PutActionSpec
  | RequestActionSpec
  | LogActionSpec
  | BlockActionSpec;

/** A module's behaviour: absent lists mean "return 0". */
export interface BehaviourSpec {
  /** Actions of `init_module` (Linux) / `<name>_load` (HP-UX). */
  readonly init?: readonly BehaviourActionSpec[];
  /** Actions of `cleanup_module` / `<name>_unload`. */
  readonly cleanup?: readonly BehaviourActionSpec[];
}

function actionJson(a: BehaviourActionSpec): string {
  if ('return' in a) return `{"return":${JSON.stringify(a.return)}}`;
  if ('get' in a) return `{"get":${JSON.stringify(a.get)}}`;
  if ('put' in a) return `{"put":${JSON.stringify(a.put)}}`;
  if ('request' in a) return `{"request":${JSON.stringify(a.request)}}`;
  if ('log' in a) {
    const level = a.level === undefined ? '' : `,"level":${a.level}`;
    return `{"log":${JSON.stringify(a.log)}${level}}`;
  }
  return '{"block":true}';
}

/** The section text of a behaviour: compact JSON, keys in a fixed order. */
export function serializeBehaviour(behaviour: BehaviourSpec): string {
  const parts: string[] = [];
  for (const key of ['init', 'cleanup'] as const) {
    const list = behaviour[key];
    if (list !== undefined) parts.push(`"${key}":[${list.map(actionJson).join(',')}]`);
  }
  return `{${parts.join(',')}}`;
}

function parseAction(item: unknown): BehaviourActionSpec | string {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return 'an action must be an object';
  const o = item as Record<string, unknown>;
  const keys = Object.keys(o);
  const only = (...allowed: string[]) => keys.every((k) => allowed.includes(k));
  if ('return' in o) {
    const v = o.return;
    if (!only('return')) return 'a return action has only "return"';
    if (v === 0 || (typeof v === 'string' && isErrnoName(v))) return { return: v };
    return `return value ${JSON.stringify(v)} is neither 0 nor an errno name`;
  }
  if ('block' in o) return o.block === true && only('block') ? { block: true } : 'block must be true';
  if ('log' in o) {
    if (typeof o.log !== 'string' || !only('log', 'level')) return 'a log action is {log: string, level?}';
    if (o.level === undefined) return { log: o.log };
    const level = o.level;
    if (typeof level !== 'number' || !Number.isInteger(level) || level < 0 || level > 7)
      return 'log level must be an integer 0-7';
    return { log: o.log, level };
  }
  for (const k of ['get', 'put', 'request'] as const) {
    if (k in o) {
      const v = o[k];
      if (typeof v !== 'string' || v === '' || !only(k)) return `a ${k} action is {${k}: module name}`;
      return k === 'get' ? { get: v } : k === 'put' ? { put: v } : { request: v };
    }
  }
  return `unknown action ${JSON.stringify(keys)}`;
}

/** Validates a behaviour given as a parsed JSON value. */
export function behaviourFromJson(raw: unknown): Result<BehaviourSpec, string> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    return fail('behaviour must be an object');
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (k !== 'init' && k !== 'cleanup') return fail(`behaviour has an unknown key "${k}"`);
  const out: { init?: BehaviourActionSpec[]; cleanup?: BehaviourActionSpec[] } = {};
  for (const key of ['init', 'cleanup'] as const) {
    const list = o[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) return fail(`behaviour.${key} must be an array`);
    const actions: BehaviourActionSpec[] = [];
    for (const [i, item] of list.entries()) {
      const a = parseAction(item);
      if (typeof a === 'string') return fail(`behaviour.${key}[${i}]: ${a}`);
      actions.push(a);
    }
    out[key] = actions;
  }
  return ok(out);
}

/** Parses the text of a `.kmodsim.behaviour` section (trailing NULs ignored). */
export function parseBehaviourSpec(text: string): Result<BehaviourSpec, string> {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/\0+$/, ''));
  } catch {
    return fail('behaviour is not valid JSON');
  }
  return behaviourFromJson(raw);
}
