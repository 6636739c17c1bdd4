/**
 * The linux-v1 module machinery shared by the syscalls: `module_list` (newest first, then `kernel_module`, then
 * the pseudo modules of resident `register_symtab` calls), `find_module`, `free_modules`/`drop_refs`, the use-count
 * word in the first `long` of each module's memory and the macros a module's behaviour calls, and the mirror of
 * the list into the core registry and symbol table (which the conformance suites and `--state` read).
 *
 * `struct module` is kernel-private in this era (only its address reaches user space, as `#name` values of
 * `get_kernel_syms` and `module_ref.module` of insmod's table), so the records are kept here with kmalloc-like
 * addresses; the use-count word is real memory in the module area, where module code writes it.
 * @see kernel/module.c (1.2.13, 1.3.89, 2.0.40) find_module, free_modules, drop_refs; linux-legacy.md §A.2–§A.7
 * @module
 */
import { inject, injectable } from 'inversify';
import {
  MOD_DELETED,
  MOD_MAX_NAME,
  MOD_RUNNING,
  MOD_UNINITIALIZED,
  MOD_VISITED,
  PAGE_SIZE_V1,
  SIZEOF_MODULE_V1,
} from '../../abi/linux/v1.js';
import type { BehaviourHost } from '../../core/behaviours.js';
import { KernelCore } from '../../core/kernel-core.js';
import { LOG_LEVELS } from '../../core/kernel-log.js';
import { err, OK_VOID, type Result } from '../../core/result.js';
import { asArray, asObject, type JsonValue } from '../../core/snapshot.js';
import { KERNEL_OWNER, type KernelSymbol } from '../../core/symbol-table.js';
import { KernelMemory, type KernelOops, logOops } from '../linux-v24/kernel-memory.js';
import { KERNEL_MODULE_STRUCT, type V1Symbol } from './kernel-symbols.js';
import type { LinuxV1Config } from './linux-v1-config.js';
import type { V1Era } from './linux-v1-era.js';
import { V1_TOKENS } from './linux-v1-tokens.js';

/** A module's `struct symbol_table` as the kernel keeps it. */
export interface V1Symtab {
  /** `size` (0 for a resident table, which is never kfree'd). */
  readonly size: number;
  /** `symbol[]`: address and name (the kernel's relocated string). */
  readonly symbols: readonly V1Symbol[];
  /** The modules this table's `module_ref`s are linked into, in table order. */
  readonly refs: V1Module[];
}

/** `struct module` of 1.x/2.0. */
export interface V1Module {
  /** Its kernel address (what `#name` entries and `module_ref.module` carry). */
  readonly struct: number;
  /** `name` (`""` for `kernel_module` and pseudo modules). */
  readonly name: string;
  /** `size` in pages (0 for resident tables). */
  readonly pages: number;
  /** `addr`: the vmalloc'd area, whose first `long` is the use count (0 for resident tables). */
  readonly addr: number;
  /** `state`: `MOD_UNINITIALIZED`, `MOD_RUNNING` or `MOD_DELETED`. */
  state: number;
  /** `cleanup` routine address (0 until `init_module` copies the routines). */
  cleanup: number;
  /** `symtab`. */
  symtab: V1Symtab | undefined;
  /** `ref`: the modules referring to this one, the most recently linked first. */
  referrers: V1Module[];
}

/** The registry state name of a `state` value. */
export function stateName(state: number): string {
  if (state === MOD_RUNNING) return 'MOD_RUNNING';
  if (state === MOD_DELETED) return 'MOD_DELETED';
  if (state === MOD_UNINITIALIZED) return 'MOD_UNINITIALIZED';
  return 'bad state';
}

/** First kmalloc address handed to a `struct module` (kernel memory above the image; inferred). */
const KMALLOC_BASE = 0x00200000;
/** `sizeof(struct module) + MOD_MAX_NAME` (96), rounded up to kmalloc's power-of-two bucket (128). */
const STRUCT_STRIDE = 2 ** Math.ceil(Math.log2(SIZEOF_MODULE_V1 + MOD_MAX_NAME));

/** The linux-v1 kernel state and helpers. */
@injectable()
export class LinuxV1Kernel {
  /** Loads and stores over module memory (the use-count words). */
  readonly mem: KernelMemory;
  /** Loadable modules, newest first (the head of `module_list`). */
  modules: V1Module[] = [];
  /** `kernel_module`. */
  kernelModule: V1Module;
  /** Pseudo modules of resident `register_symtab` calls, in list order (after `kernel_module`). */
  pseudo: V1Module[] = [];
  /** `securelevel` (2.0). */
  securelevel = 0;
  /** Open fds on module devices: fd → module struct address. */
  readonly devFds = new Map<number, number>();
  /** `request_module`: runs the era's loader (set by the personality once its userland exists). */
  requestModule: (name: string) => Result<void> = () => err('ENOSYS', 'no kerneld');
  private freeStructs: number[] = [];
  private nextStruct = KMALLOC_BASE;

  constructor(
    /** The core services. */
    @inject(KernelCore) readonly core: KernelCore,
    /** The parsed configuration. */
    @inject(V1_TOKENS.Config) readonly config: LinuxV1Config,
    /** The era's rules. */
    @inject(V1_TOKENS.Era) readonly era: V1Era,
  ) {
    this.mem = new KernelMemory(core.memory);
    this.kernelModule = this.residentModule(KERNEL_MODULE_STRUCT, []);
    this.securelevel = config.securelevel;
  }

  /** A `MOD_RUNNING` record with an empty name and no memory: `kernel_module` or a pseudo module. */
  residentModule(struct: number, symbols: readonly V1Symbol[]): V1Module {
    return {
      struct,
      name: '',
      pages: 0,
      addr: 0,
      state: MOD_RUNNING,
      cleanup: 0,
      symtab: { size: 0, symbols, refs: [] },
      referrers: [],
    };
  }

  /** `module_list` in order: loadable modules newest first, `kernel_module`, the pseudo modules. */
  list(): V1Module[] {
    return [...this.modules, this.kernelModule, ...this.pseudo];
  }

  /** `find_module(name)`: the first list element of that name not `MOD_DELETED` (`""` is `kernel_module`). */
  findModule(name: string): V1Module | undefined {
    for (const m of this.modules) if (m.state !== MOD_DELETED && m.name === name) return m;
    return name === '' ? this.kernelModule : undefined;
  }

  /** The list element whose `struct module` is at `address`. */
  byStruct(address: number): V1Module | undefined {
    for (const m of this.list()) if (m.struct === address) return m;
    return undefined;
  }

  /** `kmalloc(sizeof(struct module) + MOD_MAX_NAME)`: the most recently freed block first, as a free list does. */
  allocStruct(): number {
    const reused = this.freeStructs.pop();
    if (reused !== undefined) return reused;
    const at = this.nextStruct;
    this.nextStruct += STRUCT_STRIDE;
    return at;
  }

  /** Prepends a new module (`sys_create_module`'s tail). */
  link(m: V1Module): void {
    this.modules.unshift(m);
  }

  /** The raw use-count word (`GET_USE_COUNT`), flag bits included. */
  useWord(m: V1Module): number {
    return m.addr === 0 ? 0 : this.mem.i32(m.addr);
  }

  /** Stores the use-count word. */
  setUseWord(m: V1Module, value: number): void {
    if (m.addr !== 0) this.mem.setU32(m.addr, value);
  }

  /** The use count with the era's flag bits masked out. */
  useCount(m: V1Module): number {
    return this.useWord(m) & this.era.countMask;
  }

  /** `MOD_INC_USE_COUNT` as the module's own code does it (2.0 also sets `MOD_VISITED`). */
  incUseCount(m: V1Module): void {
    const w = this.useWord(m) + 1;
    this.setUseWord(m, this.era.visited ? w | MOD_VISITED : w);
  }

  /** `MOD_DEC_USE_COUNT`. */
  decUseCount(m: V1Module): void {
    const w = this.useWord(m) - 1;
    this.setUseWord(m, this.era.visited ? w | MOD_VISITED : w);
  }

  /**
   * `free_modules()`: frees every `MOD_DELETED` module whose count is 0 (1.3+: and which nobody refers to).
   * 1.2 compares the raw word; later kernels clear the flag bits before marking a module deleted.
   */
  freeModules(): void {
    for (const m of [...this.modules]) {
      if (m.state !== MOD_DELETED || this.useWord(m) !== 0) continue;
      if (this.era.freeNeedsNoRefs && m.referrers.length > 0) continue;
      this.freeModule(m);
    }
  }

  /** Unlinks and frees one module: `drop_refs`, the symbol table, the code, the struct. */
  freeModule(m: V1Module): void {
    this.dropRefs(m);
    this.modules = this.modules.filter((x) => x !== m);
    for (const [fd, s] of this.devFds) if (s === m.struct) this.devFds.delete(fd);
    if (!this.modules.some((x) => x.name === m.name)) this.core.vfs.unlink(`/dev/${m.name}`);
    this.core.behaviours.forget(m.name);
    this.core.memory.free(BigInt(m.addr));
    this.mem.invalidate();
    this.freeStructs.push(m.struct);
  }

  /**
   * `drop_refs(mp)`: walks the list once and takes the first `module_ref` of this module off each target's `ref`
   * list ("every module only references once!"): a table that named one module twice leaves a dangling link.
   */
  dropRefs(m: V1Module): void {
    for (const target of new Set(m.symtab?.refs ?? [])) {
      const i = target.referrers.indexOf(m);
      if (i >= 0) target.referrers.splice(i, 1);
    }
  }

  /** What a module's init/cleanup may call: the use-count macros on other modules, kerneld, `printk`. */
  behaviourHost(self: string): BehaviourHost {
    return {
      get: (module: string): Result<void> => {
        const m = this.findModule(module);
        if (m === undefined || m.addr === 0) return err('ENOENT', `${self}: no module ${module}`);
        this.incUseCount(m);
        return OK_VOID;
      },
      put: (module: string): Result<void> => {
        const m = this.findModule(module);
        if (m === undefined || m.addr === 0) return err('ENOENT', `${self}: no module ${module}`);
        if (this.useCount(m) <= 0) return err('EINVAL', `${self}: ${module}'s use count would go negative`);
        this.decUseCount(m);
        return OK_VOID;
      },
      request: (module: string): Result<void> => this.requestModule(module),
      log: (level: number, text: string) =>
        this.core.log.log(LOG_LEVELS[Math.max(0, Math.min(LOG_LEVELS.length - 1, level))], text),
    };
  }

  /**
   * Rebuilds the core mirror from the list: one registry record per loadable module (a deleted module shadowed
   * by a newer one of the same name is recorded as `name (deleted)`), its state, masked count, size in bytes and
   * flag bits, `uses` edges from the `ref` lists, and the symbols of every running module.
   */
  sync(): void {
    const registry = this.core.modules;
    const want = new Map<string, V1Module>();
    for (const m of this.modules) {
      const key = want.has(m.name) ? `${m.name} (deleted)` : m.name;
      if (!want.has(key)) want.set(key, m);
    }
    // The edges are rebuilt below; dropping them first lets a freed module go even when a module freed in the
    // same call still "used" it (the registry never removes a module with users).
    for (const r of registry.list()) registry.removeUsesOf(r.name);
    for (const r of registry.list()) {
      const m = want.get(r.name);
      if (m === undefined || r.address !== BigInt(m.addr)) registry.remove(r.name, true);
    }
    for (const [key, m] of [...want].reverse()) {
      if (!registry.has(key))
        registry.add(key, { state: stateName(m.state), flags: 0, address: BigInt(m.addr), size: 0 });
    }
    const nameOf = new Map<V1Module, string>();
    for (const [key, m] of want) nameOf.set(m, key);
    for (const [key, m] of want) {
      const rec = registry.get(key);
      if (rec === undefined) continue;
      const word = this.useWord(m);
      rec.state = stateName(m.state);
      rec.flags = word & ~this.era.countMask;
      rec.refcount = Math.max(0, word & this.era.countMask);
      rec.size = m.pages * PAGE_SIZE_V1;
    }
    for (const [key, m] of want)
      for (const user of m.referrers) {
        const u = nameOf.get(user);
        if (u !== undefined) registry.addUse(u, key);
      }
    const symbols = this.core.symbols;
    for (const owner of symbols.owners()) if (owner !== KERNEL_OWNER) symbols.removeOwner(owner);
    for (const [key, m] of want) {
      if (m.state !== MOD_RUNNING || m.symtab === undefined) continue;
      const syms: KernelSymbol[] = m.symtab.symbols.map((s) => ({
        name: s.name,
        value: BigInt(s.addr),
        owner: key,
        gplOnly: false,
      }));
      symbols.addAll(syms, true);
    }
  }

  /** Logs a simulated oops (a dereference of module memory that is not mapped), as the kernel prints it. */
  oops(e: KernelOops, where: string): void {
    logOops(this.core, e, where);
  }

  /** The module list for `--state`: records, their symbol tables and references by struct address. */
  snapshot(): JsonValue {
    const enc = (m: V1Module): JsonValue => ({
      struct: m.struct,
      name: m.name,
      pages: m.pages,
      addr: m.addr,
      state: m.state,
      cleanup: m.cleanup,
      symtab:
        m.symtab === undefined
          ? null
          : {
              size: m.symtab.size,
              symbols: m.symtab.symbols.map((s) => [s.addr, s.name]),
              refs: m.symtab.refs.map((t) => t.struct),
            },
      referrers: m.referrers.map((r) => r.struct),
    });
    return {
      modules: this.modules.map(enc),
      residentReferrers: [this.kernelModule, ...this.pseudo].map((m) => m.referrers.map((r) => r.struct)),
      securelevel: this.securelevel,
      freeStructs: this.freeStructs,
      nextStruct: this.nextStruct,
    };
  }

  /** Restores {@link LinuxV1Kernel.snapshot} (after boot: the resident tables are already there). */
  restore(state: JsonValue): void {
    const o = asObject(state, 'linux-v1');
    const raw = asArray(o.modules ?? [], 'linux-v1.modules').map((r) => asObject(r, 'module'));
    const mods: V1Module[] = raw.map((r) => {
      const st = r.symtab === null || r.symtab === undefined ? undefined : asObject(r.symtab, 'symtab');
      return {
        struct: Number(r.struct),
        name: String(r.name),
        pages: Number(r.pages),
        addr: Number(r.addr),
        state: Number(r.state),
        cleanup: Number(r.cleanup),
        symtab:
          st === undefined
            ? undefined
            : {
                size: Number(st.size),
                symbols: asArray(st.symbols, 'symbols').map((s) => {
                  const [addr, name] = asArray(s, 'symbol');
                  return { addr: Number(addr), name: String(name) };
                }),
                refs: [],
              },
        referrers: [],
      };
    });
    this.modules = mods;
    for (const [i, r] of raw.entries()) {
      const m = mods[i];
      const st = r.symtab === null || r.symtab === undefined ? undefined : asObject(r.symtab, 'symtab');
      for (const t of st === undefined ? [] : asArray(st.refs, 'refs')) {
        const target = this.byStruct(Number(t));
        if (target !== undefined) m.symtab?.refs.push(target);
      }
      for (const u of asArray(r.referrers ?? [], 'referrers')) {
        const user = this.byStruct(Number(u));
        if (user !== undefined) m.referrers.push(user);
      }
    }
    const resident = asArray(o.residentReferrers ?? [], 'linux-v1.residentReferrers');
    [this.kernelModule, ...this.pseudo].forEach((m, i) => {
      m.referrers = asArray(resident[i] ?? [], 'referrers')
        .map((u) => this.byStruct(Number(u)))
        .filter((u): u is V1Module => u !== undefined);
    });
    this.securelevel = Number(o.securelevel ?? this.config.securelevel);
    this.freeStructs = asArray(o.freeStructs ?? [], 'freeStructs').map(Number);
    this.nextStruct = Number(o.nextStruct ?? KMALLOC_BASE);
    this.mem.invalidate();
  }
}
