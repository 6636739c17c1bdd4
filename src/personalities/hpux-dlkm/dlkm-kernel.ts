/**
 * The in-kernel DLKM subsystem: load (with dependencies), unload, status and autoload over the common core.
 * The syscall handlers add the user/kernel edge (privilege, copy-in, the ENOSYS gate, copy-out).
 * @module
 */
import { inject, injectable } from 'inversify';
import { SHF_ALLOC, SHN_ABS, SHN_LORESERVE, SHN_UNDEF, STB_GLOBAL, STB_WEAK } from '../../abi/elf.js';
import type { KcCause } from '../../abi/hpux/dlkm.js';
import type { BehaviourHost } from '../../core/behaviours.js';
import { KernelCore } from '../../core/kernel-core.js';
import type { KernelError } from '../../core/kernel-error.js';
import { LOG_LEVELS } from '../../core/kernel-log.js';
import type { ModuleRecord } from '../../core/module-registry.js';
import { type PipelineTrace, runPipeline } from '../../core/pipeline.js';
import { err, OK_VOID, ok, type Result } from '../../core/result.js';
import type { KernelSymbol } from '../../core/symbol-table.js';
import type { DlkmEra } from './dlkm-era.js';
import type { DlkmRelocator } from './dlkm-relocator.js';
import type { DlkmServices } from './dlkm-services.js';
import { DLKM_TOKENS } from './dlkm-tokens.js';
import { kernelInterfaces } from './hpux-kernel-symbols.js';
import { KcStore } from './kc-store.js';
import type { DlkmLoadInfo } from './load-info.js';
import { EMPTY_MSINFO, type ModSpecificStat, type ModStatus } from './modstatus.js';
import { findInstalled, infoFromMeta } from './module-catalog.js';
import { ModuleSearchPath } from './module-search-path.js';
import { modAlloc } from './steps/mod-alloc.js';
import { DLKM_RECORD_STATES, modCallLoad } from './steps/mod-call-load.js';
import { modConnect } from './steps/mod-connect.js';
import { modDepLoad } from './steps/mod-dep-load.js';
import { getModName, modCheckLoaded, modCheckRegistered, modCheckStatic } from './steps/mod-lookup.js';
import { modObjCheck } from './steps/mod-obj-check.js';
import { modCheckType, modObjMeta } from './steps/mod-obj-meta.js';
import { modObjReloc } from './steps/mod-obj-reloc.js';
import { modObjSymbols } from './steps/mod-obj-symbols.js';
import { modOpenPath } from './steps/mod-open-path.js';
import { modWrapperRev } from './steps/mod-wrapper-rev.js';

/** The checks on the name, before any file is touched (§3.2 rows 5–8). */
const LOOKUP_STEPS = [getModName, modCheckStatic, modCheckLoaded, modCheckRegistered];

/** The load proper, in HP's documented order (§3.2 rows 9–18). */
const LOAD_STEPS = [
  modOpenPath,
  modObjCheck,
  modObjMeta,
  modCheckType,
  modDepLoad,
  modAlloc,
  modObjSymbols,
  modObjReloc,
  modWrapperRev,
  modCallLoad,
  modConnect,
];

/** The in-kernel DLKM subsystem. */
@injectable()
export class DlkmKernel implements DlkmServices {
  /** @inheritDoc */
  readonly kernelInterfaces: ReadonlySet<string>;

  constructor(
    @inject(KernelCore) readonly core: KernelCore,
    @inject(KcStore) readonly store: KcStore,
    @inject(ModuleSearchPath) readonly searchPath: ModuleSearchPath,
    @inject(DLKM_TOKENS.Era) readonly era: DlkmEra,
    @inject(DLKM_TOKENS.Relocator) readonly relocator: DlkmRelocator,
  ) {
    this.kernelInterfaces = kernelInterfaces(era.release);
  }

  /**
   * Loads a module by name (searched along the module path) or absolute pathname, with its dependencies, and
   * returns its id. Failures leave the kernel as it was, apart from a `_load()` that never returned. The names of
   * the steps run are appended to `steps`.
   */
  load(request: string, cause: KcCause, chain: readonly string[] = [], steps: string[] = []): Result<number> {
    const ctx: DlkmLoadInfo = { k: this, request, cause, chain, steps };
    const trace: PipelineTrace = { steps, undone: [] };
    const looked = runPipeline(ctx, LOOKUP_STEPS, trace);
    if (!looked.ok) return this.failed(looked.error, request);
    if (ctx.alreadyLoaded) return ok(ctx.id!);
    const loaded = runPipeline(ctx, LOAD_STEPS, trace);
    if (!loaded.ok) return this.failed(loaded.error, request);
    this.commit(ctx);
    return ok(ctx.id!);
  }

  /** @inheritDoc */
  loadModule(request: string, cause: KcCause, chain: readonly string[]): Result<number> {
    return this.load(request, cause, chain);
  }

  private failed(e: KernelError, request: string): Result<number> {
    this.core.log.err(`DLKM: modload ${request} failed: ${e.reason}`);
    return { ok: false, error: e };
  }

  /** Makes a loaded module visible: LOADED state, exported symbols, configuration state. */
  private commit(ctx: DlkmLoadInfo): void {
    const name = ctx.name!;
    const rec = this.core.modules.get(name)!;
    rec.state = DLKM_RECORD_STATES.loaded;
    rec.extra.cmajor = ctx.cmajor!;
    rec.extra.bmajor = ctx.bmajor!;
    rec.extra.msinfo = ctx.msinfo!.map((m) => ({
      linkinfo: m.linkinfo,
      type: m.type,
      p0: [...m.p0],
      p1: [...m.p1],
    }));
    rec.extra.exports = [...ctx.meta!.exports];
    const symtab = ctx.symtab!;
    const exported: KernelSymbol[] = [];
    for (let i = 1; i < symtab.count; i++) {
      const bind = symtab.bind(i);
      if (bind !== STB_GLOBAL && bind !== STB_WEAK) continue;
      const shndx = symtab.shndx(i);
      if (shndx === SHN_UNDEF || (shndx >= SHN_LORESERVE && shndx !== SHN_ABS)) continue;
      if (shndx !== SHN_ABS && ((ctx.elf!.section(shndx)?.flags ?? 0) & SHF_ALLOC) === 0) continue;
      const n = symtab.name(i);
      if (n === undefined || n === '') continue;
      exported.push({ name: n, value: ctx.symbolValues![i], owner: name, gplOnly: false });
    }
    this.core.symbols.addAll(exported, true);
    const entry = this.store.setState(name, 'loaded', ctx.cause, true);
    entry.info = infoFromMeta(ctx.meta!);
    entry.path = ctx.path;
    this.core.log.info(`DLKM: module ${name} loaded from ${ctx.path}, id ${ctx.id}`);
  }

  /**
   * Unloads module `name`: disconnect, `_unload()`, free. `_unload()` may veto with an errno (the module stays
   * loaded and reconnected) or never return (the module stays UNLOADING; EINTR). `force` (undoing a dependency
   * load) removes the module whatever `_unload()` says. The module stays registered: its state becomes `auto`.
   */
  private doUnload(rec: ModuleRecord, force: boolean): Result<void> {
    const name = rec.name;
    rec.state = DLKM_RECORD_STATES.unloading;
    const out = this.core.behaviours.resolve(name).cleanup(this.behaviourHost(name));
    if (!force) {
      if (out.blocked) return err('EINTR', `${name}: _unload() did not return`);
      if (out.ret !== 0) {
        rec.state = DLKM_RECORD_STATES.loaded;
        return err(out.ret, `${name}: _unload() returned ${out.ret}: the module stays loaded`);
      }
    }
    this.core.memory.free(rec.address);
    const bss = BigInt(String(rec.extra.bss ?? '0'));
    if (bss !== 0n) this.core.memory.free(bss);
    this.core.symbols.removeOwner(name);
    this.core.behaviours.forget(name);
    this.core.modules.removeUsesOf(name);
    this.core.modules.remove(name, true);
    const e = this.store.get(name);
    if (e !== undefined && e.state === 'loaded') this.store.setState(name, 'auto', e.cause, true);
    this.core.log.info(`DLKM: module ${name} unloaded`);
    return OK_VOID;
  }

  /** @inheritDoc */
  unloadModule(name: string): Result<void> {
    const rec = this.core.modules.get(name);
    return rec === undefined ? err('EINVAL', `${name} is not loaded`) : this.doUnload(rec, true);
  }

  /** Why a loaded module cannot be unloaded now, or undefined. */
  private busy(rec: ModuleRecord, profiling: boolean): string | undefined {
    if (rec.state !== DLKM_RECORD_STATES.loaded) return `${rec.name} is being loaded or unloaded`;
    if (rec.extra.permanent === true) return `${rec.name} has no _unload routine`;
    if (rec.refcount > 0) return `${rec.name} has ${rec.refcount} outstanding references`;
    const by = this.core.modules.usedBy(rec.name);
    if (by.length > 0) return `${rec.name} is needed by loaded module(s) ${by.join(', ')}`;
    if (profiling) return 'kernel profiling is enabled';
    return undefined;
  }

  /**
   * `moduload(module_id)` below the edge: EINVAL unless the id names a loaded module, EBUSY while it is busy,
   * else the unload (whose `_unload()` may veto).
   * @see hpux-dlkm.md §3.3
   */
  unloadById(id: number, profiling: boolean): Result<void> {
    const name = this.store.nameOf(id);
    const rec = name === undefined ? undefined : this.core.modules.get(name);
    if (rec === undefined) return err('EINVAL', `moduload: ${id} is not a loaded module`);
    const why = this.busy(rec, profiling);
    if (why !== undefined) return err('EBUSY', `moduload: ${why}`);
    return this.doUnload(rec, false);
  }

  /**
   * `moduload(0)`: tries every loaded module, newest first (so dependents go before what they depend on),
   * skipping busy ones and vetoes; 0 when at least one was unloaded, EBUSY otherwise.
   * @see hpux-dlkm.md §2.2, §3.3 step 3
   */
  unloadAll(profiling: boolean): Result<void> {
    let unloaded = 0;
    const newestFirst = [...this.core.modules.list()].sort((a, b) => b.seq - a.seq);
    for (const rec of newestFirst) {
      if (!this.core.modules.has(rec.name) || this.busy(rec, profiling) !== undefined) continue;
      if (this.doUnload(rec, false).ok) unloaded++;
    }
    return unloaded > 0 ? OK_VOID : err('EBUSY', 'moduload: no module could be unloaded');
  }

  /**
   * Loads a registered module on first use (a device open, a `request` from another module's code).
   * Already loaded: nothing to do.
   * @see hpux-dlkm.md §11
   */
  autoload(name: string): Result<void> {
    const rec = this.core.modules.get(name);
    if (rec !== undefined)
      return rec.state === DLKM_RECORD_STATES.loaded ? OK_VOID : err('EBUSY', `${name} is being loaded`);
    if (!this.store.isRegistered(name)) return err('ENOREG', `autoload: ${name} is not registered`);
    const r = this.load(name, 'auto');
    return r.ok ? OK_VOID : r;
  }

  /** @inheritDoc */
  behaviourHost(module: string): BehaviourHost {
    const modules = this.core.modules;
    return {
      get: (m) => {
        const r = modules.get(m)?.state === DLKM_RECORD_STATES.loaded ? modules.hold(m) : undefined;
        return r === undefined ? err('ENOENT', `${module}: ${m} is not loaded`) : r.ok ? OK_VOID : r;
      },
      put: (m) => {
        const r = modules.put(m);
        return r.ok ? OK_VOID : r;
      },
      request: (m) => this.autoload(m),
      log: (level, text) => this.core.log.log(LOG_LEVELS[level] ?? 'info', text),
    };
  }

  /**
   * `modstat` below the edge. With `getNext` false: the registered module `id`, EINVAL when none. With
   * `getNext` true: the registered module with the smallest id ≥ `id`, skipping modules whose load is in
   * progress; EINVAL past the last. Unloaded modules report no memory and the path they were (or would be)
   * loaded from. `showAddresses` false blanks `ms_base`, `ms_size`, `ms_bss`, `ms_bss_size` (11i v2+ for
   * unprivileged callers).
   * @see hpux-dlkm.md §2.3, §4
   */
  status(id: number, getNext: boolean, showAddresses: boolean): Result<ModStatus> {
    let name: string | undefined;
    if (!getNext) {
      const n = this.store.nameOf(id);
      if (n !== undefined && this.store.isRegistered(n)) name = n;
    } else {
      for (const candidate of this.store.registeredIds()) {
        if (candidate < id) continue;
        const n = this.store.nameOf(candidate)!;
        if (this.core.modules.get(n)?.state === DLKM_RECORD_STATES.loading) continue;
        name = n;
        break;
      }
    }
    if (name === undefined)
      return err(
        'EINVAL',
        getNext ? `modstat: no module with id >= ${id}` : `modstat: no module with id ${id}`,
      );
    return ok(this.statusOf(name, showAddresses));
  }

  private statusOf(name: string, showAddresses: boolean): ModStatus {
    const id = this.store.idOf(name)!;
    const entry = this.store.get(name);
    const rec = this.core.modules.get(name);
    const version = entry?.info?.version ?? '';
    if (rec === undefined) {
      const path =
        entry?.path ??
        findInstalled(this.core.vfs, this.searchPath.dirs(), name)?.path ??
        `${this.searchPath.defaultDir}/${name}`;
      return {
        id,
        base: 0n,
        size: 0,
        bss: 0n,
        bssSize: 0,
        rev: 0,
        path,
        unloadDelay: 0n,
        holdcnt: 0,
        depcnt: 0,
        msinfo: [],
        reg: 1,
        version,
      };
    }
    const msinfo: ModSpecificStat[] = Array.isArray(rec.extra.msinfo)
      ? rec.extra.msinfo.map((raw) => {
          const m = raw as { linkinfo: string; type: number; p0: [number, number]; p1: [number, number] };
          return { linkinfo: m.linkinfo, type: m.type, p0: m.p0, p1: m.p1 };
        })
      : [EMPTY_MSINFO];
    return {
      id,
      base: showAddresses ? rec.address : 0n,
      size: showAddresses ? rec.size : 0,
      bss: showAddresses ? BigInt(String(rec.extra.bss ?? '0')) : 0n,
      bssSize: showAddresses ? Number(rec.extra.bssSize ?? 0) : 0,
      rev: Number(rec.extra.rev ?? 0),
      path: String(rec.extra.path ?? ''),
      unloadDelay: 0n,
      holdcnt: rec.refcount,
      depcnt: this.core.modules.usedBy(name).length,
      msinfo,
      reg: 1,
      version: String(rec.extra.version ?? version),
    };
  }
}
