import { injectable } from 'inversify';
import { err, ok, type Result } from './result.js';
import { asArray, asObject, type JsonValue, type Snapshottable } from './snapshot.js';

/** A loaded (or loading, or half-deleted) module as the kernel tracks it, in any era. */
export interface ModuleRecord {
  /** The module's name as registered (before normalisation). */
  readonly name: string;
  /** The era's state name (e.g. `'LIVE'`, `'COMING'`, `'MOD_RUNNING'`, `'LOADED'`). */
  state: string;
  /** The era's flag word (2.x `MOD_*` bits); 0 where the era has none. */
  flags: number;
  /** Address of the module's memory (`0n` when none is allocated). */
  address: bigint;
  /** Size of the module's memory in bytes. */
  size: number;
  /** Use count (`refcnt`); never negative. */
  refcount: number;
  /** Load order: increases with every registration, never reused. */
  readonly seq: number;
  /** Era-specific JSON data (taints, params, ids…), saved with the kernel state. */
  extra: { [key: string]: JsonValue };
}

/** How module names compare in an era. */
export type NameNormaliser = (name: string) => string;

/** Names compare byte for byte (1.x, 2.x, HP-UX). */
export const EXACT_NAMES: NameNormaliser = (name) => name;

/** Names compare with `-` and `_` equal (2.6+: `module_name`/kmod treat them alike). */
export const DASH_UNDERSCORE_NAMES: NameNormaliser = (name) => name.replaceAll('-', '_');

/**
 * The kernel's module list with use counts and the dependency graph (`uses` / `used by`), shared by every
 * personality. It keeps two invariants whatever the caller does: a use count never goes below zero, and a
 * module that others use is never removed.
 */
@injectable()
export class ModuleRegistry implements Snapshottable {
  private normalise: NameNormaliser = EXACT_NAMES;
  private records = new Map<string, ModuleRecord>();
  /** user → modules it uses (its dependencies), in the order they were added. */
  private usesOf = new Map<string, Set<string>>();
  /** module → modules using it (holders). */
  private usedByOf = new Map<string, Set<string>>();
  private nextSeq = 1;

  /** Sets the era's name comparison; only valid while the registry is empty. */
  setNameNormaliser(normalise: NameNormaliser): void {
    if (this.records.size > 0) throw new Error('registry: name normaliser changed with modules present');
    this.normalise = normalise;
  }

  /** The key a name is stored under. */
  key(name: string): string {
    return this.normalise(name);
  }

  /** Adds a module; EEXIST if one with the same (normalised) name is present. */
  add(
    name: string,
    init: Partial<Pick<ModuleRecord, 'state' | 'flags' | 'address' | 'size' | 'extra'>> = {},
  ): Result<ModuleRecord> {
    const k = this.key(name);
    if (this.records.has(k)) return err('EEXIST', `module ${name} already exists`);
    const record: ModuleRecord = {
      name,
      state: init.state ?? 'UNFORMED',
      flags: init.flags ?? 0,
      address: init.address ?? 0n,
      size: init.size ?? 0,
      refcount: 0,
      seq: this.nextSeq++,
      extra: init.extra ?? {},
    };
    this.records.set(k, record);
    return ok(record);
  }

  /** The module with that name, if any. */
  get(name: string): ModuleRecord | undefined {
    return this.records.get(this.key(name));
  }

  /** Whether a module with that name is present. */
  has(name: string): boolean {
    return this.records.has(this.key(name));
  }

  /** All modules, oldest first (reverse it for the 2.6+ newest-first `/proc/modules`). */
  list(): ModuleRecord[] {
    return [...this.records.values()];
  }

  /** Number of modules. */
  get size(): number {
    return this.records.size;
  }

  /** Increments the use count (`try_module_get` / `MOD_INC_USE_COUNT`). */
  hold(name: string): Result<number> {
    const r = this.get(name);
    if (r === undefined) return err('ENOENT', `no module ${name}`);
    r.refcount++;
    return ok(r.refcount);
  }

  /** Decrements the use count (`module_put`); refuses (EINVAL) rather than go below zero. */
  put(name: string): Result<number> {
    const r = this.get(name);
    if (r === undefined) return err('ENOENT', `no module ${name}`);
    if (r.refcount === 0) return err('EINVAL', `module ${name}: use count would become negative`);
    r.refcount--;
    return ok(r.refcount);
  }

  /**
   * Records that `user` uses `used` (`ref_module` / `add_module_usage`). Returns true when the edge is new.
   * Both must be present.
   */
  addUse(user: string, used: string): Result<boolean> {
    const u = this.key(user);
    const d = this.key(used);
    if (!this.records.has(u) || !this.records.has(d)) return err('ENOENT', `no module ${user} or ${used}`);
    let uses = this.usesOf.get(u);
    if (uses === undefined) {
      uses = new Set();
      this.usesOf.set(u, uses);
    }
    if (uses.has(d)) return ok(false);
    uses.add(d);
    let by = this.usedByOf.get(d);
    if (by === undefined) {
      by = new Set();
      this.usedByOf.set(d, by);
    }
    by.add(u);
    return ok(true);
  }

  /** Drops every dependency edge from `user` (`module_unload_free`). */
  removeUsesOf(user: string): void {
    const u = this.key(user);
    for (const d of this.usesOf.get(u) ?? []) this.usedByOf.get(d)?.delete(u);
    this.usesOf.delete(u);
  }

  /**
   * Whether `user` uses `used` already (what `uses(user).includes(used)` says, without building the list).
   * @see kernel/module/main.c already_uses
   */
  alreadyUses(user: string, used: string): boolean {
    return this.usesOf.get(this.key(user))?.has(this.key(used)) === true;
  }

  /** Names of the modules `name` uses, in the order the edges were added. */
  uses(name: string): string[] {
    return [...(this.usesOf.get(this.key(name)) ?? [])].map((k) => this.records.get(k)?.name ?? k);
  }

  /** Names of the modules that use `name` (its holders), in the order they started using it. */
  usedBy(name: string): string[] {
    return [...(this.usedByOf.get(this.key(name)) ?? [])].map((k) => this.records.get(k)?.name ?? k);
  }

  /**
   * Removes a module and its outgoing edges. Refuses with EBUSY while other modules use it, and while its use
   * count is non-zero unless `ignoreRefcount` (forced unload).
   */
  remove(name: string, ignoreRefcount = false): Result<ModuleRecord> {
    const k = this.key(name);
    const r = this.records.get(k);
    if (r === undefined) return err('ENOENT', `no module ${name}`);
    if ((this.usedByOf.get(k)?.size ?? 0) > 0)
      return err('EBUSY', `module ${name} is in use by other modules`);
    if (r.refcount > 0 && !ignoreRefcount) return err('EBUSY', `module ${name} has use count ${r.refcount}`);
    this.removeUsesOf(name);
    this.usedByOf.delete(k);
    this.records.delete(k);
    return ok(r);
  }

  /** @inheritDoc */
  snapshot(): JsonValue {
    return {
      nextSeq: this.nextSeq,
      modules: this.list().map((r) => ({
        name: r.name,
        state: r.state,
        flags: r.flags,
        address: `0x${r.address.toString(16)}`,
        size: r.size,
        refcount: r.refcount,
        seq: r.seq,
        extra: r.extra,
        uses: [...(this.usesOf.get(this.key(r.name)) ?? [])],
      })),
    };
  }

  /** @inheritDoc */
  restore(state: JsonValue): void {
    const o = asObject(state, 'registry');
    this.records.clear();
    this.usesOf.clear();
    this.usedByOf.clear();
    const pending: [string, string][] = [];
    for (const raw of asArray(o.modules, 'registry.modules')) {
      const m = asObject(raw, 'module');
      const record: ModuleRecord = {
        name: String(m.name),
        state: String(m.state),
        flags: Number(m.flags),
        address: BigInt(String(m.address)),
        size: Number(m.size),
        refcount: Number(m.refcount),
        seq: Number(m.seq),
        extra: asObject(m.extra, 'module.extra'),
      };
      this.records.set(this.key(record.name), record);
      for (const used of asArray(m.uses, 'module.uses')) pending.push([record.name, String(used)]);
    }
    for (const [user, used] of pending) this.addUse(user, used);
    this.nextSeq = Number(o.nextSeq);
  }
}
