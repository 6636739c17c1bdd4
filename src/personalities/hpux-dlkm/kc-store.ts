/**
 * The kernel configuration store: every module the running kernel knows about, with its current and next-boot
 * state (kcmodule's `unused`/`static`/`loaded`/`auto`) and cause, and the module-id bindings.
 *
 * Registration (what `modload` checks, ENOREG) is keyed by name and is a function of the state: a module is
 * registered exactly when its current state is `loaded` or `auto` (hpux-dlkm.md §5.3 mapping). 11i v1's
 * `kmmodreg -M`/`-U` map onto the same two states. Ids are bound at first registration and never reused within
 * one boot: a name keeps its id across unload, reload, unregistration and re-registration (§4).
 * @module
 */
import { injectable } from 'inversify';
import { KC_CAUSES, KC_STATES, type KcCause, type KcState } from '../../abi/hpux/dlkm.js';
import { asArray, asObject, type JsonValue } from '../../core/snapshot.js';
import type { ModDependency } from './modmeta.js';

/** What kcmodule knows about a module: from its file's metadata, or from the static kernel's own list. */
export interface KcModuleInfo {
  /** Description (`desc`). */
  readonly desc: string;
  /** Version string (loadable modules default to `0.1.0`). */
  readonly version: string;
  /** Module type (`misc`, `wsio_class`…). */
  readonly type: string;
  /** States the module supports. */
  readonly capable: readonly KcState[];
  /** The developer's preferred state (`best`). */
  readonly best: KcState;
  /** Declared dependencies. */
  readonly depends: readonly ModDependency[];
  /** Exported interfaces (`name:version`). */
  readonly exports: readonly string[];
  /** Build timestamp (seconds), when known. */
  readonly timestamp?: number;
  /** Marked required by its developer (never `unused`). */
  readonly required: boolean;
}

/** One module's configuration record. */
export interface KcEntry {
  /** Module name. */
  readonly name: string;
  /** Current state. */
  state: KcState;
  /** Why it is in that state (`undefined` for a never-configured module). */
  cause: KcCause | undefined;
  /** State at next boot. */
  nextState: KcState;
  /** Cause at next boot. */
  nextCause: KcCause | undefined;
  /** Last known metadata. */
  info: KcModuleInfo | undefined;
  /** The path the module was last loaded from (`ms_path` while unloaded). */
  path: string | undefined;
}

/** Whether a state means "registered with the running kernel". */
export function isRegisteredState(s: KcState): boolean {
  return s === 'loaded' || s === 'auto';
}

/** The kernel configuration store (see the module notes). */
@injectable()
export class KcStore {
  private entries = new Map<string, KcEntry>();
  private idByName = new Map<string, number>();
  private nameById = new Map<number, string>();
  private nextId = 1;

  /** Clears everything (boot). */
  reset(): void {
    this.entries.clear();
    this.idByName.clear();
    this.nameById.clear();
    this.nextId = 1;
  }

  /** The record of `name`, if the kernel has one. */
  get(name: string): KcEntry | undefined {
    return this.entries.get(name);
  }

  /** Every record, by name. */
  list(): KcEntry[] {
    return [...this.entries.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The record of `name`, created `unused` (never configured) when absent. */
  ensure(name: string, info?: KcModuleInfo): KcEntry {
    let e = this.entries.get(name);
    if (e === undefined) {
      e = {
        name,
        state: 'unused',
        cause: undefined,
        nextState: 'unused',
        nextCause: undefined,
        info,
        path: undefined,
      };
      this.entries.set(name, e);
    } else if (info !== undefined) e.info = info;
    return e;
  }

  /** A copy of the record of `name` (to put back with {@link KcStore.reinstate}), or undefined. */
  capture(name: string): KcEntry | undefined {
    const e = this.entries.get(name);
    return e === undefined ? undefined : { ...e };
  }

  /** Puts back a record taken with {@link KcStore.capture}; `undefined` removes the record of `name`. */
  reinstate(name: string, saved: KcEntry | undefined): void {
    if (saved === undefined) this.entries.delete(name);
    else this.entries.set(name, { ...saved });
  }

  /** Whether `name` is registered (current state `loaded` or `auto`). */
  isRegistered(name: string): boolean {
    const e = this.entries.get(name);
    return e !== undefined && isRegisteredState(e.state);
  }

  /** Whether `name` is statically configured in the running kernel. */
  isStatic(name: string): boolean {
    return this.entries.get(name)?.state === 'static';
  }

  /**
   * Sets the current state (and, unless `currentOnly`, the next-boot state too). Entering a registered state
   * binds the module id if the name has none yet.
   */
  setState(name: string, state: KcState, cause: KcCause | undefined, currentOnly = false): KcEntry {
    const e = this.ensure(name);
    e.state = state;
    e.cause = cause;
    if (!currentOnly) {
      e.nextState = state;
      e.nextCause = cause;
    }
    if (isRegisteredState(state)) this.bindId(name);
    return e;
  }

  /** Sets only the next-boot state (a change held for next boot). */
  setNext(name: string, state: KcState, cause: KcCause | undefined): KcEntry {
    const e = this.ensure(name);
    e.nextState = state;
    e.nextCause = cause;
    return e;
  }

  /** The module id bound to `name`, if any. */
  idOf(name: string): number | undefined {
    return this.idByName.get(name);
  }

  /** The name bound to `id`, if any. */
  nameOf(id: number): string | undefined {
    return this.nameById.get(id);
  }

  /** Binds the next id to `name` unless it has one; returns its id. Ids start at 1 and are never reused. */
  bindId(name: string): number {
    const have = this.idByName.get(name);
    if (have !== undefined) return have;
    const id = this.nextId++;
    this.idByName.set(name, id);
    this.nameById.set(id, name);
    return id;
  }

  /** Ids of the registered modules, ascending (ids are bound in increasing order, so insertion order). */
  registeredIds(): number[] {
    const out: number[] = [];
    for (const [name, id] of this.idByName) if (this.isRegistered(name)) out.push(id);
    return out;
  }

  /** The store as JSON. */
  snapshot(): JsonValue {
    return {
      nextId: this.nextId,
      ids: [...this.idByName].map(([name, id]) => [name, id]),
      entries: [...this.entries.values()].map((e) => ({
        name: e.name,
        state: e.state,
        cause: e.cause ?? '',
        nextState: e.nextState,
        nextCause: e.nextCause ?? '',
        info: e.info === undefined ? null : (JSON.parse(JSON.stringify(e.info)) as JsonValue),
        path: e.path ?? null,
      })),
    };
  }

  /** Restores {@link KcStore.snapshot}'s output. */
  restore(state: JsonValue): void {
    this.reset();
    const o = asObject(state, 'kcstore');
    this.nextId = Number(o.nextId);
    const pairs = asArray(o.ids, 'kcstore.ids').map((p) => asArray(p, 'kcstore id'));
    pairs.sort((a, b) => Number(a[1]) - Number(b[1]));
    for (const [name, id] of pairs) {
      this.idByName.set(String(name), Number(id));
      this.nameById.set(Number(id), String(name));
    }
    for (const raw of asArray(o.entries, 'kcstore.entries')) {
      const e = asObject(raw, 'kcstore entry');
      this.entries.set(String(e.name), {
        name: String(e.name),
        state: asState(e.state),
        cause: asCause(e.cause),
        nextState: asState(e.nextState),
        nextCause: asCause(e.nextCause),
        info: e.info === null || e.info === undefined ? undefined : asInfo(e.info),
        path: e.path === null || e.path === undefined ? undefined : String(e.path),
      });
    }
  }
}

function asState(v: JsonValue): KcState {
  const s = String(v);
  if (!(KC_STATES as readonly string[]).includes(s)) throw new TypeError(`state: bad kcmodule state ${s}`);
  return s as KcState;
}

function asCause(v: JsonValue): KcCause | undefined {
  const s = String(v);
  if (s === '') return undefined;
  if (!(KC_CAUSES as readonly string[]).includes(s)) throw new TypeError(`state: bad kcmodule cause ${s}`);
  return s as KcCause;
}

function asInfo(v: JsonValue): KcModuleInfo {
  const o = asObject(v, 'kcstore info');
  return {
    desc: String(o.desc),
    version: String(o.version),
    type: String(o.type),
    capable: asArray(o.capable, 'capable').map(asState),
    best: asState(o.best),
    depends: asArray(o.depends, 'depends').map((d) => {
      const x = asObject(d, 'depend');
      const kind = x.kind === 'interface' ? 'interface' : 'module';
      return { kind, name: String(x.name), version: String(x.version) };
    }),
    exports: asArray(o.exports, 'exports').map(String),
    ...(o.timestamp === undefined ? {} : { timestamp: Number(o.timestamp) }),
    required: o.required === true,
  };
}
