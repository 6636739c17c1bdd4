import { injectable } from 'inversify';
import { type ErrnoName, isErrnoName } from '../abi/errno.js';
import { LOG_LEVELS } from './kernel-log.js';
import { fail, ok, type Result } from './result.js';
import { asObject, type JsonValue, type Snapshottable } from './snapshot.js';

/**
 * One thing a module's `init` or `cleanup` does. The JSON form is what the builder writes into the
 * `.kmodsim.behaviour` section, so one image carries its behaviour into every personality.
 */
export type BehaviourAction = ReturnAction | GetAction | PutAction | RequestAction | LogAction | BlockAction;

/** Ends the function with a return value. */
export interface ReturnAction {
  /** 0 or the errno the function returns (`-errno` in C). */
  readonly return: ErrnoName | 0;
}

/** Takes a reference on another module. */
export interface GetAction {
  /** The module. */
  readonly get: string;
}

/** Drops a reference on another module. */
export interface PutAction {
  /** The module. */
  readonly put: string;
}

/** Asks the kernel to load another module. */
export interface RequestAction {
  /** The module. */
  readonly request: string;
}

/** Writes a kernel log line. */
export interface LogAction {
  /** The text. */
  readonly log: string;
  /** printk level 0–7 (default 6, `KERN_INFO`). */
  readonly level?: number;
}

/** Never returns: the module stays in its loading state. */
export interface BlockAction {
  /** Always true. */
  readonly block: true;
}

/** What a module's init and cleanup do. Absent lists mean "return 0". */
export interface ModuleBehaviour {
  /** Actions of `init_module` / `_load`. */
  readonly init?: readonly BehaviourAction[];
  /** Actions of `cleanup_module` / `_unload`. */
  readonly cleanup?: readonly BehaviourAction[];
}

/** The kernel services a behaviour may call; each personality provides its era's meaning. */
export interface BehaviourHost {
  /** Takes a reference on another module (`try_module_get` / `MOD_INC_USE_COUNT`). */
  get(module: string): Result<void>;
  /** Drops a reference on another module. */
  put(module: string): Result<void>;
  /** Loads another module (`request_module` / kerneld / autoload). */
  request(module: string): Result<void>;
  /** Writes a line to the kernel log at a printk level (0–7). */
  log(level: number, text: string): void;
}

/** The result of running a behaviour: the function's return value, and whether it is still running. */
export interface BehaviourOutcome {
  /** 0, or the errno the function returned (as `-errno` in C). */
  readonly ret: 0 | ErrnoName;
  /** True when the function blocked (an init that never finishes keeps the module COMING). */
  readonly blocked: boolean;
}

/** A behaviour written in JavaScript by a library user. */
export type BehaviourCallback = (host: BehaviourHost) => 0 | ErrnoName;

/** Callbacks registered for one module name. */
export interface BehaviourCallbacks {
  /** Replaces the init behaviour. */
  readonly init?: BehaviourCallback;
  /** Replaces the cleanup behaviour. */
  readonly cleanup?: BehaviourCallback;
}

/** A resolved init/cleanup pair, ready to run. */
export interface ResolvedBehaviour {
  /** Runs init. */
  init(host: BehaviourHost): BehaviourOutcome;
  /** Runs cleanup. */
  cleanup(host: BehaviourHost): BehaviourOutcome;
}

/** Runs a list of actions in order; `return` ends the function, a failing `get`/`request` returns its errno. */
export function runActions(
  actions: readonly BehaviourAction[] | undefined,
  host: BehaviourHost,
): BehaviourOutcome {
  for (const a of actions ?? []) {
    if ('return' in a) return { ret: a.return, blocked: false };
    if ('block' in a) return { ret: 0, blocked: true };
    if ('log' in a) host.log(a.level ?? 6, a.log);
    else {
      const r = 'get' in a ? host.get(a.get) : 'put' in a ? host.put(a.put) : host.request(a.request);
      if (!r.ok) return { ret: r.error.errno, blocked: false };
    }
  }
  return { ret: 0, blocked: false };
}

/** Validates untrusted behaviour JSON (from an image): a clear error instead of a surprise later. */
export function parseBehaviour(text: string): Result<ModuleBehaviour, string> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return fail('behaviour is not valid JSON');
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    return fail('behaviour must be an object');
  const out: { init?: BehaviourAction[]; cleanup?: BehaviourAction[] } = {};
  for (const key of ['init', 'cleanup'] as const) {
    const list = (raw as Record<string, unknown>)[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) return fail(`behaviour.${key} must be an array`);
    const actions: BehaviourAction[] = [];
    for (const [i, item] of list.entries()) {
      const a = parseAction(item);
      if (a === undefined) return fail(`behaviour.${key}[${i}] is not a known action`);
      actions.push(a);
    }
    out[key] = actions;
  }
  return ok(out);
}

function parseAction(item: unknown): BehaviourAction | undefined {
  if (item === null || typeof item !== 'object') return undefined;
  const o = item as Record<string, unknown>;
  const keys = Object.keys(o);
  if ('return' in o) {
    const v = o.return;
    if (v === 0 || (typeof v === 'string' && isErrnoName(v))) return { return: v };
    return undefined;
  }
  if ('block' in o) return o.block === true ? { block: true } : undefined;
  if ('log' in o && typeof o.log === 'string') {
    const level = o.level;
    if (level === undefined) return { log: o.log };
    return typeof level === 'number' && Number.isInteger(level) && level >= 0 && level < LOG_LEVELS.length
      ? { log: o.log, level }
      : undefined;
  }
  if (keys.length !== 1) return undefined;
  const [k] = keys;
  const v = o[k];
  if (typeof v !== 'string') return undefined;
  if (k === 'get') return { get: v };
  if (k === 'put') return { put: v };
  if (k === 'request') return { request: v };
  return undefined;
}

/**
 * Where a module's behaviour comes from, in priority order: JS callbacks a library user registered for the name,
 * then the behaviour the image carried (or that the era's insmod handed over), then the default: return 0.
 */
@injectable()
export class Behaviours implements Snapshottable {
  private callbacks = new Map<string, BehaviourCallbacks>();
  private declared = new Map<string, ModuleBehaviour>();

  /** Registers JS callbacks for a module name (they win over anything the image says). */
  register(moduleName: string, callbacks: BehaviourCallbacks): void {
    this.callbacks.set(moduleName, callbacks);
  }

  /** Records the behaviour an image declares for a module (done by the loader or the era's insmod). */
  declare(moduleName: string, behaviour: ModuleBehaviour): void {
    this.declared.set(moduleName, behaviour);
  }

  /** Forgets a declared behaviour (module freed). Registered callbacks stay. */
  forget(moduleName: string): void {
    this.declared.delete(moduleName);
  }

  /** The behaviour to run for a module. */
  resolve(moduleName: string): ResolvedBehaviour {
    const cb = this.callbacks.get(moduleName);
    const decl = this.declared.get(moduleName);
    return {
      init: (host) => (cb?.init ? { ret: cb.init(host), blocked: false } : runActions(decl?.init, host)),
      cleanup: (host) =>
        cb?.cleanup ? { ret: cb.cleanup(host), blocked: false } : runActions(decl?.cleanup, host),
    };
  }

  /** Saves declared behaviours; registered callbacks are code, not state, and are not saved. */
  snapshot(): JsonValue {
    return Object.fromEntries(
      [...this.declared].map(([k, v]) => [k, JSON.parse(JSON.stringify(v)) as JsonValue]),
    );
  }

  /** @inheritDoc */
  restore(state: JsonValue): void {
    this.declared.clear();
    for (const [k, v] of Object.entries(asObject(state, 'behaviours'))) {
      const parsed = parseBehaviour(JSON.stringify(v));
      if (parsed.ok) this.declared.set(k, parsed.value);
    }
  }
}
