/**
 * The linux-v26 kernel's module bookkeeping over the core services: the module list by exact `mod->name`,
 * states, reference counts (`try_module_get`/`module_put`/`ref_module`), taints, per-cpu areas, the views in
 * `/proc` and `/sys`, and `free_module`, the inverse of every load step.
 * @see kernel/module/main.c find_module_all, try_module_get, module_put, ref_module, free_module
 * @module
 */
import { inject, injectable } from 'inversify';
import { SIZEOF_STRUCT_MODULE } from '../../abi/linux/v26.js';
import type { Allocation } from '../../core/address-space.js';
import type { BehaviourHost } from '../../core/behaviours.js';
import { KernelCore } from '../../core/kernel-core.js';
import type { ModuleRecord } from '../../core/module-registry.js';
import { err, OK_VOID, type Result } from '../../core/result.js';
import { SYSCTL } from '../../core/sysctl.js';
import type { GeneratedFile } from '../../core/vfs.js';
import type { VersionSupport } from './check-version.js';
import type { DecompressSupport, SignatureSupport } from './features.js';
import type { LinuxV26Config } from './linux-v26-config.js';
import type { LinuxV26Era } from './linux-v26-era.js';
import { V26_TOKENS } from './linux-v26-tokens.js';
import type { LoadInfo } from './load-info.js';
import {
  addrToNumber,
  hexAddr,
  type LoadedModule,
  moduleExtra,
  type ParamDef,
  type V26State,
} from './loaded-module.js';
import type { ParamMemory } from './params/param-ops.js';
import { paramGet } from './params/param-ops.js';
import { addTaint, moduleTaintLetters } from './taint.js';

const PROC_STATE: Readonly<Record<V26State, string>> = {
  LIVE: 'Live',
  COMING: 'Loading',
  GOING: 'Unloading',
  UNFORMED: 'Unformed',
};

const SYSFS_STATE: Readonly<Record<V26State, string>> = {
  LIVE: 'live',
  COMING: 'coming',
  GOING: 'going',
  UNFORMED: 'unformed',
};

/** Per-cpu areas: a first-fit list over the reserved module chunk, addresses as offsets. */
class PercpuArea {
  private live = new Map<number, number>();
  private next = 0x2a000;

  alloc(size: number, align: number): number {
    const a = Math.max(align, 8);
    const at = Math.ceil(this.next / a) * a;
    this.live.set(at, size);
    this.next = at + size;
    return at;
  }

  reserve(at: number, size: number): void {
    this.live.set(at, size);
    this.next = Math.max(this.next, at + size);
  }

  free(at: number): void {
    this.live.delete(at);
    let end = 0x2a000;
    for (const [o, s] of this.live) end = Math.max(end, o + s);
    this.next = end;
  }
}

/** The linux-v26 module machinery shared by the syscalls and the load steps. */
@injectable()
export class LinuxV26Kernel {
  /** Loaded modules by exact `mod->name`. */
  private readonly mods = new Map<string, LoadedModule>();
  private readonly percpu = new PercpuArea();
  /** Address → name of the kernel's `param_ops_*` (how a `kernel_param.ops` pointer is recognised). */
  private paramOps: Map<number, string> | undefined;

  constructor(
    /** The core services. */
    @inject(KernelCore) readonly core: KernelCore,
    /** The parsed configuration. */
    @inject(V26_TOKENS.Config) readonly config: LinuxV26Config,
    /** The era. */
    @inject(V26_TOKENS.Era) readonly era: LinuxV26Era,
    /** `CONFIG_MODULE_SIG` support. */
    @inject(V26_TOKENS.Signatures) readonly signatures: SignatureSupport,
    /** `CONFIG_MODVERSIONS` support. */
    @inject(V26_TOKENS.Versions) readonly versions: VersionSupport,
    /** `CONFIG_MODULE_DECOMPRESS` support. */
    @inject(V26_TOKENS.Decompress) readonly decompressor: DecompressSupport,
  ) {}

  /** Counters for benchmarks: modules loaded, relocations applied. */
  readonly stats = { loaded: 0, relocations: 0 };
  /** Keys of the `*_once` messages already printed. */
  readonly printedOnce = new Set<string>();
  /** The calling process's name, for messages that print it. */
  comm = 'kmodsim';
  /** Open fds on module devices: fd → module name. */
  readonly devFds = new Map<number, string>();

  /** Modules whose unload waits for their last reference (2.6 – 3.12 `delete_module` without O_NONBLOCK). */
  readonly pendingUnload = new Set<string>();

  /** `/proc/sys/kernel/modules_disabled`. */
  get modulesDisabled(): boolean {
    return this.core.sysctl.get(SYSCTL.modulesDisabled) !== 0;
  }

  /** The second half of `delete_module`: the exit function, then `free_module`. */
  finishUnload(m: LoadedModule): 'done' | 'blocked' {
    this.pendingUnload.delete(m.record.name);
    if (m.extra.hasExit) {
      const out = this.core.behaviours.resolve(m.record.name).cleanup(this.behaviourHost(m.record.name));
      // An exit function that never returns leaves the module GOING (and its caller stuck).
      if (out.blocked) return 'blocked';
    }
    this.freeModule(m);
    return 'done';
  }

  /** `is_module_sig_enforced()`: `CONFIG_MODULE_SIG_FORCE` or `module.sig_enforce`. */
  get sigEnforced(): boolean {
    return this.config.sigForce || this.core.sysctl.get(SYSCTL.sigEnforce) !== 0;
  }

  /** `pr_warn_once`. */
  warnOnce(key: string, text: string): void {
    if (this.printedOnce.has(key)) return;
    this.printedOnce.add(key);
    this.core.log.warn(text);
  }

  /** `pr_notice_once`. */
  noticeOnce(key: string, text: string): void {
    if (this.printedOnce.has(key)) return;
    this.printedOnce.add(key);
    this.core.log.notice(text);
  }

  /** Taints the kernel now and the module being loaded (now, or when it gets its record). */
  taintPending(info: LoadInfo, bit: number): void {
    addTaint(this.core.sysctl, bit);
    if (info.mod !== undefined) info.mod.extra.taints |= 1 << bit;
    else info.pendingTaints |= 1 << bit;
  }

  /** A LIVE module's device node, `/dev/<name>` (opening it takes a reference). */
  moduleLive(m: LoadedModule): void {
    this.core.vfs.mknod(`/dev/${m.record.name}`, 'chr', 0o600);
  }

  /**
   * `free_module`: sysfs, the references it holds, its exports, the list entry, its memory and behaviour.
   */
  freeModule(m: LoadedModule): void {
    this.sysfsTeardown(m);
    this.setState(m, 'UNFORMED');
    this.moduleUnloadFree(m);
    this.core.symbols.removeOwner(m.record.name);
    this.core.vfs.unlink(`/dev/${m.record.name}`);
    this.mods.delete(m.record.name);
    this.core.modules.remove(m.record.name, true);
    this.freeMemory(m);
    this.core.behaviours.forget(m.record.name);
  }

  /** `find_module_all(name, even_unformed)`: exact name comparison, as the kernel's `strcmp`. */
  find(name: string, evenUnformed = false): LoadedModule | undefined {
    const m = this.mods.get(name);
    if (m === undefined) return undefined;
    if (!evenUnformed && m.record.state === 'UNFORMED') return undefined;
    return m;
  }

  /** Every module, oldest first. */
  list(): LoadedModule[] {
    return [...this.mods.values()].sort((a, b) => a.record.seq - b.record.seq);
  }

  /** Number of modules on the list (any state). */
  get count(): number {
    return this.mods.size;
  }

  /** Puts a module on the list (`list_add_rcu` in `add_unformed_module`). */
  attach(m: LoadedModule): void {
    this.mods.set(m.record.name, m);
  }

  /** Takes it off the list and out of the registry. */
  detach(m: LoadedModule): void {
    this.mods.delete(m.record.name);
    this.core.modules.removeUsesOf(m.record.name);
    this.core.modules.remove(m.record.name, true);
  }

  /** State name of a module. */
  state(m: LoadedModule): V26State {
    return m.record.state as V26State;
  }

  /** Moves a module to another state. */
  setState(m: LoadedModule, s: V26State): void {
    m.record.state = s;
  }

  /** `try_module_get`: fails for a GOING module or one whose count was taken down to "unloading". */
  tryModuleGet(m: LoadedModule): boolean {
    if (this.state(m) === 'GOING' || m.record.refcount < 0) return false;
    m.record.refcount++;
    return true;
  }

  /** `module_put`. */
  modulePut(m: LoadedModule): void {
    if (m.record.refcount > 0) m.record.refcount--;
    if (m.record.refcount === 0 && this.pendingUnload.has(m.record.name)) this.finishUnload(m);
  }

  /**
   * `ref_module(a, b)`: a uses b. COMING → EBUSY (the caller waits, then gives up), GOING → ENOENT; else one
   * reference and a `module_use` link.
   */
  refModule(user: LoadedModule, used: LoadedModule): Result<boolean> {
    if (this.core.modules.alreadyUses(user.record.name, used.record.name)) return { ok: true, value: false };
    if (this.state(used) === 'COMING') return err('EBUSY', 'owner is still initialising');
    if (!this.tryModuleGet(used)) return err('ENOENT', 'owner is going away');
    const r = this.core.modules.addUse(user.record.name, used.record.name);
    if (!r.ok) {
      this.modulePut(used);
      return r;
    }
    return { ok: true, value: true };
  }

  /** `module_unload_free`: drops the references a module holds on the modules it uses. */
  moduleUnloadFree(m: LoadedModule): void {
    for (const name of this.core.modules.uses(m.record.name)) {
      const t = this.mods.get(name);
      if (t !== undefined) this.modulePut(t);
    }
    this.core.modules.removeUsesOf(m.record.name);
  }

  /** `add_taint_module`: the module's bit and the global one. */
  taintModule(m: LoadedModule, bit: number): void {
    moduleExtra(m.record).taints |= 1 << bit;
    addTaint(this.core.sysctl, bit);
  }

  /** The module's taint letters. */
  taintLetters(m: LoadedModule): string {
    return moduleTaintLetters(moduleExtra(m.record).taints, this.era.taintOrder);
  }

  /** A per-cpu area for `.data..percpu`. */
  percpuAlloc(size: number, align: number): number {
    return this.percpu.alloc(size, align);
  }

  /** Frees a per-cpu area. */
  percpuFree(at: number): void {
    this.percpu.free(at);
  }

  /** The address → name map of the kernel's parameter ops. */
  paramOpsAt(addr: number): string | undefined {
    if (this.paramOps === undefined) {
      const m = new Map<number, string>();
      for (const s of this.core.symbols.exportsOf('vmlinux')) {
        if (s.name.startsWith('param_ops_') || s.name === 'param_array_ops')
          m.set(addrToNumber(s.value), s.name);
      }
      this.paramOps = m;
    }
    return this.paramOps.get(addr);
  }

  /** Module memory for parameter code: the module's core and init allocations. */
  paramMemory(m: LoadedModule): ParamMemory {
    const regions: Allocation[] = [];
    if (m.core !== undefined) regions.push(m.core);
    if (m.init !== undefined) regions.push(m.init);
    const views = regions.map((a) => ({
      base: addrToNumber(a.address),
      a,
      view: new DataView(a.bytes.buffer, a.bytes.byteOffset, a.bytes.byteLength),
    }));
    const log = this.core.log;
    return {
      at(addr, len) {
        // Indexed: inlined at every field read of post_relocation, where a for-of's iterator protocol made the
        // compiled graph several times larger.
        for (let i = 0; i < views.length; i++) {
          const r = views[i];
          const off = addr - r.base;
          if (off >= 0 && off + len <= r.a.size) return { view: r.view, bytes: r.a.bytes, off };
        }
        return undefined;
      },
      values: moduleExtra(m.record).paramValues,
      kstrto: this.era.kstrto,
      err: (t) => log.err(t),
    };
  }

  /** The behaviour host a module's init/cleanup runs against. */
  behaviourHost(self: string): BehaviourHost {
    return {
      get: (name) => {
        const m = this.find(name);
        if (m === undefined || !this.tryModuleGet(m))
          return err('ENOENT', `${self}: try_module_get(${name}) failed`);
        return OK_VOID;
      },
      put: (name) => {
        const m = this.find(name);
        if (m === undefined) return err('ENOENT', `${self}: module_put(${name}): no such module`);
        this.modulePut(m);
        return OK_VOID;
      },
      request: () => err('ENOSYS', `${self}: request_module is not simulated`),
      log: (level, text) => this.core.log.log(LEVELS[level] ?? 'info', text),
    };
  }

  /** The registry record behind a name (any state). */
  record(name: string): ModuleRecord | undefined {
    return this.mods.get(name)?.record;
  }

  /**
   * `/proc/modules` (`m_show`): newest first, UNFORMED hidden; addresses only for a reader with CAP_SYSLOG
   * (`kallsyms_show_value` with `kptr_restrict` 0/1 and perf paranoid), zeros otherwise.
   */
  procModules(): string {
    const unload = this.config.moduleUnload;
    const showValue = this.core.creds.capable('CAP_SYSLOG');
    const lines: string[] = [];
    const all = this.list();
    for (let i = all.length - 1; i >= 0; i--) {
      const m = all[i];
      const st = this.state(m);
      if (st === 'UNFORMED') continue;
      const x = moduleExtra(m.record);
      let users = '';
      if (unload) {
        for (const u of this.core.modules.usedBy(m.record.name)) users += `${u},`;
        if (x.hasInit && !x.hasExit) users += '[permanent],';
        if (users === '') users = '-';
      }
      const refs = unload ? `${m.record.refcount} ${users}` : '- -';
      const t = this.taintLetters(m);
      const tail = t === '' ? '' : ` (${t}${st === 'GOING' ? '-' : st === 'COMING' ? '+' : ''})`;
      lines.push(
        `${m.record.name} ${x.coreSize + x.initSize} ${refs} ${PROC_STATE[st]} 0x${showValue ? hexAddr(addrToNumber(m.record.address)) : '0000000000000000'}${tail}\n`,
      );
    }
    return lines.join('');
  }

  /**
   * Creates `/sys/module/<name>/…` (`mod_sysfs_setup`). EINVAL when the directory exists. The directory's
   * contents are created when first looked at (most never are): the same files, in the same order.
   */
  sysfsSetup(m: LoadedModule): Result<void> {
    const vfs = this.core.vfs;
    const name = m.record.name;
    const dir = `/sys/module/${name}`;
    // mod_sysfs_init's kset_find_obj: the kernel's own lookup, no caller's permissions.
    if (vfs.exists(dir)) return err('EINVAL', `${name}: module is already loaded`);
    vfs.registerLazyDir(dir, () => this.sysfsPopulate(m));
    // A holder link in a directory already created; the others get theirs when they are created.
    for (const used of this.core.modules.uses(name)) {
      if (vfs.isPopulated(`/sys/module/${used}`))
        vfs.registerGenerated(`/sys/module/${used}/holders/${name}`, () => '', 0o777);
    }
    return OK_VOID;
  }

  /** The contents of `/sys/module/<name>`: attributes, `holders/` (with a link per user), `notes/`, `parameters/`, `sections/`. */
  private sysfsPopulate(m: LoadedModule): void {
    const vfs = this.core.vfs;
    const name = m.record.name;
    const dir = `/sys/module/${name}`;
    vfs.mkdirp(`${dir}/holders`);
    vfs.mkdirp(`${dir}/notes`);
    const x = moduleExtra(m.record);
    // One walk per directory (a module has some 40 files).
    const top: GeneratedFile[] = [
      { name: 'initstate', generate: () => `${SYSFS_STATE[this.state(m)]}\n` },
      { name: 'coresize', generate: () => `${x.coreSize}\n` },
      { name: 'initsize', generate: () => `${x.initSize}\n` },
      { name: 'taint', generate: () => `${this.taintLetters(m)}\n` },
      { name: 'uevent', generate: () => '', mode: 0o200 },
    ];
    if (this.config.moduleUnload) top.push({ name: 'refcnt', generate: () => `${m.record.refcount}\n` });
    if (x.version !== undefined) top.push({ name: 'version', generate: () => `${x.version}\n` });
    if (x.srcversion !== undefined) top.push({ name: 'srcversion', generate: () => `${x.srcversion}\n` });
    vfs.registerGeneratedIn(dir, top);
    const withPerm = x.params.filter((p) => p.perm !== 0);
    if (withPerm.length > 0) {
      vfs.mkdirp(`${dir}/parameters`);
      for (const p of withPerm) this.registerParam(m, p);
    }
    vfs.registerGeneratedIn(
      `${dir}/sections`,
      x.sectionNames.map((sec, i) => ({
        name: sec,
        generate: () => `0x${hexAddr(x.sectionAddrs[i])}\n`,
        mode: 0o400,
      })),
    );
    vfs.registerGeneratedIn(
      `${dir}/holders`,
      this.core.modules.usedBy(name).map((user) => ({ name: user, generate: () => '', mode: 0o777 })),
    );
  }

  private registerParam(m: LoadedModule, p: ParamDef): void {
    this.core.vfs.registerGenerated(
      `/sys/module/${m.record.name}/parameters/${p.name}`,
      () => paramGet(p, this.paramMemory(m)),
      p.perm & 0o777,
    );
  }

  /** Removes `/sys/module/<name>` and the holder links it made (`mod_sysfs_teardown`). */
  sysfsTeardown(m: LoadedModule): void {
    const name = m.record.name;
    for (const used of this.core.modules.uses(name)) {
      if (this.core.vfs.isPopulated(`/sys/module/${used}`))
        this.core.vfs.unlink(`/sys/module/${used}/holders/${name}`);
    }
    removeTree(this.core, `/sys/module/${name}`);
  }

  /** Frees the module's memory (core, init) and per-cpu area. */
  freeMemory(m: LoadedModule): void {
    if (m.init !== undefined) this.core.memory.free(m.init.address);
    if (m.core !== undefined) this.core.memory.free(m.core.address);
    m.init = undefined;
    m.core = undefined;
    const x = moduleExtra(m.record);
    if (x.percpu !== undefined) this.percpuFree(x.percpu[0]);
    x.percpu = undefined;
  }

  /** The global taint mask. */
  get tainted(): number {
    return this.core.sysctl.get(SYSCTL.tainted);
  }

  /** `sizeof(struct module)` of this kernel build. */
  get structModuleSize(): number {
    return SIZEOF_STRUCT_MODULE;
  }

  /** Rebuilds the runtime list from the registry after a state restore (allocations found by address). */
  rebuild(): void {
    this.mods.clear();
    this.paramOps = undefined;
    const allocs = this.core.memory.allocations();
    const byAddr = new Map(allocs.map((a) => [a.address, a]));
    for (const record of this.core.modules.list()) {
      const x = moduleExtra(record);
      const core = x.core === undefined ? undefined : byAddr.get(BigInt(`0x${x.core[0]}`));
      const init = x.init === undefined ? undefined : byAddr.get(BigInt(`0x${x.init[0]}`));
      const m: LoadedModule = { record, extra: x, core, init };
      this.mods.set(record.name, m);
      if (x.percpu !== undefined) this.percpu.reserve(x.percpu[0], x.percpu[1]);
    }
    for (const m of this.mods.values()) {
      if (this.state(m) !== 'UNFORMED' && !this.core.vfs.stat(`/sys/module/${m.record.name}`).ok) {
        this.sysfsSetup(m);
      } else if (this.state(m) !== 'UNFORMED') {
        removeTree(this.core, `/sys/module/${m.record.name}`);
        this.sysfsSetup(m);
      }
    }
  }
}

const LEVELS = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const;

/** Removes a directory tree of the VFS (`rm -r`). */
export function removeTree(core: KernelCore, path: string): void {
  core.vfs.removeTree(path);
}
