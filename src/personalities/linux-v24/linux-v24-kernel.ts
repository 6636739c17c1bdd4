/**
 * The linux-v24 module machinery shared by the syscalls: `module_list` (newest first, `kernel_module` at the
 * tail), `find_module`, `free_module`, `__MOD_IN_USE`, the use-count macros a module's behaviour calls, and the
 * mirror of the in-memory `struct module`s into the core registry and symbol table (which the conformance
 * suites and `--state` read). The structs in module memory are the truth; the mirror is rebuilt after every call.
 * @see kernel/module.c (2.2.1, 2.4.0, 2.4.27) find_module, free_module, try_inc_mod_count
 * @module
 */
import { inject, injectable } from 'inversify';
import {
  MOD_DELETED,
  MOD_INITIALIZING,
  MOD_JUST_FREED,
  MOD_RUNNING,
  MOD_USED_ONCE,
  MOD_VISITED,
  MODULE_SYMBOL,
} from '../../abi/linux/v24.js';
import type { BehaviourHost } from '../../core/behaviours.js';
import { KernelCore } from '../../core/kernel-core.js';
import { LOG_LEVELS, type LogLevel } from '../../core/kernel-log.js';
import { err, OK_VOID, type Result } from '../../core/result.js';
import { KERNEL_OWNER, type KernelSymbol } from '../../core/symbol-table.js';
import { KernelMemory, KernelOops, latin1Bytes, logOops } from './kernel-memory.js';
import { KERNEL_MODULE_ADDR } from './kernel-symbols.js';
import type { LinuxV24Config } from './linux-v24-config.js';
import type { V24Era } from './linux-v24-era.js';
import { V24_TOKENS } from './linux-v24-tokens.js';
import { ModuleStruct, moduleRef } from './module-struct.js';

/** A symbol as `struct module_symbol` gives it. */
export interface V24Symbol {
  /** `value`. */
  readonly value: number;
  /** The name the `name` pointer points at. */
  readonly name: string;
}

/** The registry state name of a flag word. */
export function stateOf(flags: number): string {
  if (flags & MOD_DELETED) return 'MOD_DELETED';
  if (flags & MOD_RUNNING) return 'MOD_RUNNING';
  if (flags & MOD_INITIALIZING) return 'MOD_INITIALIZING';
  return 'MOD_UNINITIALIZED';
}

/** The linux-v24 kernel state and helpers. */
@injectable()
export class LinuxV24Kernel {
  /** Loads and stores over module memory. */
  readonly mem: KernelMemory;
  /** `module_list`: address of the newest module, `kernel_module` when none. */
  moduleList = KERNEL_MODULE_ADDR;
  /** Open fds on module devices: fd → module address. */
  readonly devFds = new Map<number, number>();
  /** `request_module`: runs the era's modprobe (set by the personality once its userland exists). */
  requestModule: (name: string) => void = () => {};

  constructor(
    /** The core services. */
    @inject(KernelCore) readonly core: KernelCore,
    /** The parsed configuration. */
    @inject(V24_TOKENS.Config) readonly config: LinuxV24Config,
    /** The era's rules. */
    @inject(V24_TOKENS.Era) readonly era: V24Era,
  ) {
    this.mem = new KernelMemory(core.memory);
  }

  /** The struct at `addr`. */
  struct(addr: number): ModuleStruct {
    return new ModuleStruct(this.mem, addr);
  }

  /** `module_list` newest first, `kernel_module` excluded. */
  list(): ModuleStruct[] {
    const out: ModuleStruct[] = [];
    const limit = this.core.modules.size + 1;
    for (let a = this.moduleList; a !== KERNEL_MODULE_ADDR; a = this.mem.u32(a + 4)) {
      if (out.length > limit) throw new KernelOops(a);
      out.push(this.struct(a));
    }
    return out;
  }

  /** `find_module(name)`: the first module of that name not marked `MOD_DELETED`. */
  findModule(name: string): ModuleStruct | undefined {
    const bytes = latin1Bytes(name);
    for (const m of this.list()) {
      if (m.flags & MOD_DELETED) continue;
      if (this.mem.cstrEquals(m.get('name'), bytes)) return m;
    }
    return undefined;
  }

  /** The registry name of the module at `addr` (the name it was created with). */
  recordName(addr: number): string | undefined {
    for (const r of this.core.modules.list()) if (Number(r.address) === addr) return r.name;
    return undefined;
  }

  /** `kernel_module.syms`: the kernel's exports. */
  kernelSymbols(): V24Symbol[] {
    return this.core.symbols.exportsOf(KERNEL_OWNER).map((s) => ({ value: Number(s.value), name: s.name }));
  }

  /** The symbols of a module as its `syms` array gives them. */
  moduleSymbols(m: ModuleStruct): V24Symbol[] {
    const n = m.get('nsyms');
    const out: V24Symbol[] = [];
    for (let i = 0; i < n; i++) {
      const at = m.symAt(i);
      out.push({
        value: this.mem.u32(at + MODULE_SYMBOL.value),
        name: this.mem.cstring(this.mem.u32(at + MODULE_SYMBOL.name)),
      });
    }
    return out;
  }

  /** Prepends a module to `module_list`. */
  link(addr: number): void {
    this.struct(addr).set('next', this.moduleList);
    this.moduleList = addr;
  }

  /** Unlinks a module from `module_list`. */
  unlink(addr: number): void {
    if (this.moduleList === addr) {
      this.moduleList = this.mem.u32(addr + 4);
      return;
    }
    let p = this.moduleList;
    while (p !== KERNEL_MODULE_ADDR && this.mem.u32(p + 4) !== addr) p = this.mem.u32(p + 4);
    if (p !== KERNEL_MODULE_ADDR) this.struct(p).set('next', this.mem.u32(addr + 4));
  }

  /**
   * `__MOD_IN_USE(mod)`: `can_unload()` when the member is present and set, else the use count. A simulated
   * module's `can_unload` function returns 0.
   */
  inUse(m: ModuleStruct): boolean {
    if (m.canUnload() !== 0) return false;
    return m.usecount !== 0;
  }

  /** `__MOD_INC_USE_COUNT`: count up, `MOD_VISITED | MOD_USED_ONCE`. */
  incUseCount(m: ModuleStruct): void {
    m.usecount = m.usecount + 1;
    m.flags = m.flags | MOD_VISITED | MOD_USED_ONCE;
  }

  /** `__MOD_DEC_USE_COUNT`: count down, `MOD_VISITED`. */
  decUseCount(m: ModuleStruct): void {
    m.usecount = m.usecount - 1;
    m.flags = m.flags | MOD_VISITED;
  }

  /**
   * `free_module(mod, tag_freed)`: the module's cleanup when it is running, its `deps` out of each dependency's
   * `refs` chain (tagging a dependency left without users `MOD_JUST_FREED` when reaping), off `module_list`,
   * and `module_unmap`. Returns `'blocked'` when the cleanup never returns: the module stays listed, deleted.
   */
  freeModule(m: ModuleStruct, tagFreed: boolean): 'done' | 'blocked' {
    const name = this.recordName(m.addr) ?? m.name();
    if (!this.era.deletedBeforeFree) m.flags = m.flags | MOD_DELETED;
    if (m.flags & MOD_RUNNING) {
      if (m.get('cleanup') !== 0) {
        const out = this.core.behaviours.resolve(name).cleanup(this.behaviourHost(name));
        if (out.blocked) return 'blocked';
      }
      m.flags = m.flags & ~MOD_RUNNING;
    }
    const ndeps = m.get('ndeps');
    for (let i = 0; i < ndeps; i++) {
      const dep = m.depAt(i);
      const d = this.struct(moduleRef.dep(this.mem, dep));
      // for (pp = &dep->dep->refs; *pp != dep; pp = &(*pp)->next_ref)
      let holder = -1;
      let cur = d.get('refs');
      for (let spins = 0; cur !== dep; spins++) {
        // A chain that loops without reaching `dep` spins forever in a real kernel; simulated as an oops.
        if (spins > MAX_CHAIN) throw new KernelOops(cur);
        holder = cur;
        cur = moduleRef.next(this.mem, cur);
      }
      const after = moduleRef.next(this.mem, dep);
      if (holder < 0) d.set('refs', after);
      else moduleRef.setNext(this.mem, holder, after);
      if (tagFreed && d.get('refs') === 0) d.flags = d.flags | MOD_JUST_FREED;
    }
    this.unlink(m.addr);
    this.unmap(m.addr, name);
    return 'done';
  }

  /** `module_unmap` and the end of everything the simulation keeps for the module. */
  unmap(addr: number, name: string): void {
    for (const [fd, a] of this.devFds) if (a === addr) this.devFds.delete(fd);
    this.core.vfs.unlink(`/dev/${name}`);
    this.core.symbols.removeOwner(name);
    this.core.modules.removeUsesOf(name);
    const r = this.core.modules.remove(name, true);
    if (!r.ok) this.core.log.log('crit', `BUG: kmodsim: registry refused to drop ${name}: ${r.error.reason}`);
    this.core.behaviours.forget(name);
    this.core.memory.free(BigInt(addr));
    this.mem.invalidate();
  }

  /** What a module's init/cleanup may call: the use-count macros on other modules, `request_module`, `printk`. */
  behaviourHost(self: string): BehaviourHost {
    const target = (name: string): ModuleStruct | undefined => this.findModule(name);
    return {
      get: (module: string): Result<void> => {
        // try_inc_mod_count: refuses a module being deleted (find_module already skips those).
        const m = target(module);
        if (m === undefined) return err('ENOENT', `${self}: no module ${module}`);
        this.incUseCount(m);
        return OK_VOID;
      },
      put: (module: string): Result<void> => {
        const m = target(module);
        if (m === undefined) return err('ENOENT', `${self}: no module ${module}`);
        if (m.usecount <= 0) return err('EINVAL', `${self}: ${module}'s use count would go negative`);
        this.decUseCount(m);
        return OK_VOID;
      },
      request: (module: string): Result<void> => {
        this.requestModule(module);
        return OK_VOID;
      },
      log: (level: number, text: string) => this.core.log.log(logLevel(level), text),
    };
  }

  /**
   * Rebuilds the core mirror from the structs: each registry record's flags, state, use count and size, the
   * `uses`/`used by` edges from the `refs` chains, and the exported symbols of every queryable module.
   */
  sync(): void {
    const registry = this.core.modules;
    const names = new Map<number, string>();
    for (const r of registry.list()) names.set(Number(r.address), r.name);
    let mods: ModuleStruct[];
    try {
      mods = this.list();
    } catch {
      return;
    }
    for (const m of mods) {
      const name = names.get(m.addr);
      if (name === undefined) continue;
      const rec = registry.get(name);
      if (rec === undefined) continue;
      const flags = m.flags;
      rec.flags = flags;
      rec.state = stateOf(flags);
      rec.refcount = Math.max(0, m.usecount);
      rec.size = m.get('size');
      registry.removeUsesOf(name);
    }
    for (const m of mods) {
      const used = names.get(m.addr);
      if (used === undefined) continue;
      try {
        const seen = new Set<number>();
        for (let ref = m.get('refs'); ref !== 0 && !seen.has(ref); ref = moduleRef.next(this.mem, ref)) {
          seen.add(ref);
          const user = names.get(moduleRef.ref(this.mem, ref));
          if (user !== undefined) registry.addUse(user, used);
        }
      } catch (e) {
        if (!(e instanceof KernelOops)) throw e;
      }
    }
    for (const owner of this.core.symbols.owners())
      if (owner !== KERNEL_OWNER) this.core.symbols.removeOwner(owner);
    for (const m of mods) {
      const name = names.get(m.addr);
      if (name === undefined || !this.era.canQuery(m.flags)) continue;
      try {
        const syms: KernelSymbol[] = this.moduleSymbols(m).map((s) => ({
          name: s.name,
          value: BigInt(s.value),
          owner: name,
          gplOnly: s.name.startsWith('GPLONLY_'),
        }));
        this.core.symbols.addAll(syms, true);
      } catch (e) {
        if (!(e instanceof KernelOops)) throw e;
      }
    }
  }

  /** Logs an oops the way the kernel prints it. */
  oops(e: KernelOops, where: string): void {
    logOops(this.core, e, where);
  }
}

/** Longest `refs` chain followed before a loop is assumed. */
const MAX_CHAIN = 1 << 20;

function logLevel(level: number): LogLevel {
  return LOG_LEVELS[Math.max(0, Math.min(LOG_LEVELS.length - 1, level))];
}
