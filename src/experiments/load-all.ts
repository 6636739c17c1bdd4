/**
 * Loading a whole module tree: every `.ko` of a distribution kernel read with its `.modinfo` name and
 * dependencies, put in dependency order, loaded into one linux-v26 kernel and unloaded again in reverse order.
 * The corpus test checks this run; `kmodsim bench load-all` times it.
 * @module
 */
import * as fs from 'node:fs';
import type { KernelSymbol } from '../core/symbol-table.js';
import { ElfFile } from '../elf/elf-file.js';
import { readModinfo } from '../elf/modinfo.js';
import { readModuleSignature } from '../elf/module-signature.js';
import { FileReader } from '../host/file-reader.js';
import { ReadAhead } from '../host/read-ahead.js';
import { type ModuleDeps, scanModuleDeps, scanModuleFile } from '../host/scan-module-deps.js';
import type { Kernel } from '../kernel.js';
import { assembleKernel } from '../personalities/assemble-kernel.js';
import { linuxV26Definition } from '../personalities/linux-v26/linux-v26-module.js';
import { cryptoOptions, startLoadAhead, TREE_RING_BYTES } from './load-ahead.js';

/** One module file of a tree: its name and dependencies, and its bytes when they are kept in memory. */
export interface TreeModuleRef {
  /** Host path of the file. */
  readonly path: string;
  /** `.modinfo` `name=`. */
  readonly name: string;
  /** `.modinfo` `depends=`, names normalised with {@link moduleKey}. */
  readonly depends: readonly string[];
  /** Size of the file in bytes (when it was read). */
  readonly size: number;
  /** The whole file; absent: {@link loadAll} reads it from `path` when it loads the module. */
  readonly bytes?: Uint8Array;
}

/** One module file of a tree, with its bytes. */
export interface TreeModule extends TreeModuleRef {
  /** The whole file. */
  readonly bytes: Uint8Array;
}

/** Module names compare with `-` and `_` equal, as kmod does. */
export const moduleKey = (name: string): string => name.replaceAll('-', '_');

export { startLoadAhead } from './load-ahead.js';
export { treeModuleFiles } from './tree-module-files.js';

/** Reads a module file and its `.modinfo` name and dependencies; throws on a file that is no module. */
export function readTreeModule(path: string): TreeModule {
  const b = fs.readFileSync(path);
  const bytes = new Uint8Array(b.buffer, b.byteOffset, b.length);
  return { ...treeModuleInfo(path, bytes), bytes };
}

/**
 * {@link readTreeModule} for many files, without keeping their bytes: each file is read into one reused buffer
 * just long enough to find its `.modinfo` (fresh memory for 400 MB of files costs more than reading them twice).
 */
export function readTreeModules(paths: readonly string[]): TreeModuleRef[] {
  const file = new FileReader();
  const scratch: Uint8Array[] = [];
  return paths.map((path) => {
    // Only the header, the section table, its names and .modinfo are read (four small reads), when they can be.
    const { deps, size } = scanModuleFile(fs, path, scratch);
    if (deps !== undefined) return treeModuleRef(path, deps, size);
    const bytes = file.read(path);
    return treeModuleRef(path, modinfoViaElf(path, bytes), bytes.length);
  });
}

function treeModuleInfo(path: string, bytes: Uint8Array): TreeModuleRef {
  const whole = (offset: number, length: number) =>
    offset + length <= bytes.length ? bytes.subarray(offset, offset + length) : undefined;
  return treeModuleRef(path, scanModuleDeps(bytes.length, whole) ?? modinfoViaElf(path, bytes), bytes.length);
}

function treeModuleRef(path: string, deps: ModuleDeps, size: number): TreeModuleRef {
  return { path, name: deps.name, depends: deps.depends.map(moduleKey), size };
}

/** `.modinfo` through the ELF reader (any class or byte order); throws on a file that is no module. */
function modinfoViaElf(path: string, bytes: Uint8Array): ModuleDeps {
  const sig = readModuleSignature(bytes);
  const payload = sig.ok && sig.value !== undefined ? bytes.subarray(0, sig.value.payloadLength) : bytes;
  const elf = ElfFile.parse(payload);
  if (!elf.ok) throw new Error(`${path}: ${elf.error.message}`);
  const mi = readModinfo(elf.value);
  if (!mi.ok) throw new Error(`${path}: no modinfo`);
  const dep = mi.value.get('depends') ?? '';
  return { name: mi.value.get('name') ?? '', depends: dep === '' ? [] : dep.split(',') };
}

/** Dependencies first; ties in input order. Throws on a cycle or a dependency missing from `mods`. */
export function dependencyOrder<M extends { readonly name: string; readonly depends: readonly string[] }>(
  mods: readonly M[],
): M[] {
  const byName = new Map(mods.map((m) => [moduleKey(m.name), m]));
  const out: M[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (m: M) => {
    const k = moduleKey(m.name);
    if (state.get(k) === 'done') return;
    if (state.get(k) === 'visiting') throw new Error(`dependency cycle at ${m.name}`);
    state.set(k, 'visiting');
    for (const d of m.depends) {
      const dm = byName.get(d);
      if (dm === undefined) throw new Error(`${m.name}: depends on missing ${d}`);
      visit(dm);
    }
    state.set(k, 'done');
    out.push(m);
  };
  for (const m of mods) visit(m);
  return out;
}

/** Options of {@link loadAll}. */
export interface LoadAllOptions {
  /**
   * The modules, in load order (see {@link dependencyOrder}); those without bytes are read when loaded. One of
   * `modules` and `files` is given.
   */
  readonly modules?: readonly TreeModuleRef[];
  /**
   * Module files in any order (e.g. {@link treeModuleFiles}): the read-ahead thread reads their names and
   * dependencies and hands them over dependencies first, so loading starts while the tree is still being
   * scanned; where it cannot (no thread, a file it cannot scan, a missing dependency or a cycle) the rest is
   * ordered here with {@link readTreeModules} and {@link dependencyOrder}, which throws as it does.
   */
  readonly files?: readonly string[];
  /** Kernel release (`uname -r`), which sets the vermagic the kernel expects. */
  readonly release: string;
  /** Path of a `Module.symvers` whose `vmlinux` entries become the kernel's exports. */
  readonly symvers?: string;
  /** Trusted X.509 certificates (PEM or DER file paths or PEM text); with them signatures are enforced. */
  readonly trustedCerts?: readonly string[];
  /** linux-v26 era (default `6.1`). */
  readonly kernelVersion?: string;
  /**
   * Called for each `init_module` with the module, its milliseconds and the relocations it applied: after the
   * call, or with `files` once every module is loaded (their names are known then), in load order.
   */
  readonly onLoaded?: (m: TreeModuleRef, ms: number, relocations: number) => void;
  /** Called with the kernel after every module is loaded, before unloading (checks, listings). */
  readonly whileLoaded?: (k: Kernel<'linux-v26'>) => void;
  /**
   * The read-ahead thread to use, made by {@link startLoadAhead} before the modules were known (it prepares its
   * memory meanwhile); by default one is started here. Closed when loading ends.
   */
  readonly readAhead?: ReadAhead;
}

/** What {@link loadAll} did. */
export interface LoadAllResult {
  /** Modules loaded. */
  readonly modules: number;
  /** Bytes of all module files. */
  readonly bytes: number;
  /** Relocation entries applied. */
  readonly relocations: number;
  /** Kernel exports before loading. */
  readonly kernelSymbols: number;
  /** `name: ERRNO` of every module that failed to load. */
  readonly loadFailures: readonly string[];
  /** `name: ERRNO` of every module that failed to unload. */
  readonly unloadFailures: readonly string[];
  /** Kernel log lines about unknown symbols, CRC mismatches, or (with certificates) failed signature checks. */
  readonly problems: readonly string[];
  /** Modules marked `[permanent]` (init without exit), removed by force. */
  readonly permanent: number;
  /** Whether the module area and the symbol table ended exactly as they began. */
  readonly restored: boolean;
  /** Seconds to create the kernel, to load every module, to unload them. */
  readonly seconds: { readonly boot: number; readonly load: number; readonly unload: number };
}

const PROBLEMS = /Unknown symbol|disagrees about version/;
const PROBLEMS_ENFORCED = /Unknown symbol|disagrees about version|module verification failed/;

/** The linux-v26 kernel's counters (modules loaded, relocations applied); not part of the public Kernel. */
function relocationCount(k: Kernel<'linux-v26'>): number {
  const impl = (k as unknown as { impl?: { kernel?: { stats?: { relocations?: number } } } }).impl;
  return impl?.kernel?.stats?.relocations ?? 0;
}

/**
 * Whether the kernel's symbol table holds exactly `before` again: the same records (immutable objects) in the
 * same order, owners included, each found by its name — what comparing two snapshots checks, without
 * serialising 10,000 symbols twice.
 */
function sameSymbols(k: Kernel<'linux-v26'>, before: readonly KernelSymbol[]): boolean {
  const symbols = k.core.symbols;
  if (symbols.size !== before.length) return false;
  let i = 0;
  for (const s of symbols.all()) {
    if (s !== before[i++] || symbols.lookup(s.name) !== s) return false;
  }
  return true;
}

/**
 * Loads every module into a fresh linux-v26 kernel (init_module, all checks: signatures when certificates are
 * given, vermagic, modversions, symbol resolution, relocation, parameters), then removes them in reverse order
 * (`[permanent]` ones with O_TRUNC and CONFIG_MODULE_FORCE_UNLOAD, as `rmmod -f`).
 */
export function loadAll(opts: LoadAllOptions): LoadAllResult {
  const t0 = performance.now();
  const certs = opts.trustedCerts ?? [];
  const files = opts.files;
  const given = opts.modules ?? [];
  const count = files?.length ?? given.length;
  // Files not in memory are read ahead on a second thread while the kernel boots and loads, and the module
  // area's memory is faulted in there (the files' total size bounds what their sections take).
  const lazy = given.length > 0 && given.every((m) => m.bytes === undefined);
  const paths = files ?? (lazy ? given.map((m) => m.path) : []);
  const ahead =
    opts.readAhead ??
    (count === 0
      ? undefined
      : files !== undefined
        ? startLoadAhead(certs)
        : new ReadAhead({
            paths,
            ringBytes: TREE_RING_BYTES,
            poolBytes: given.reduce((n, m) => n + m.size, 0),
            ...cryptoOptions(certs),
          }));
  const threadOrders = files !== undefined && ahead?.begin(files, { order: true }) === true;
  if (files === undefined && opts.readAhead !== undefined) ahead?.begin(paths);
  // Assembled from linux-v26's own definition: createKernel's registry would import all four personalities.
  const k = assembleKernel(linuxV26Definition, {
    personality: 'linux-v26',
    config: {
      kernelVersion: opts.kernelVersion ?? '6.1',
      release: opts.release,
      ...(opts.symvers === undefined ? {} : { symvers: opts.symvers }),
      ...(certs.length > 0 ? { trustedCerts: [...certs], sigEnforce: true } : {}),
      forceUnload: true,
    },
  });
  k.core.memory.useMemorySource(ahead?.memory);
  k.core.crypto.useSource(ahead?.crypto);
  const memBefore = JSON.stringify(k.core.memory.freeList());
  const symBefore = [...k.core.symbols.all()];
  const kernelSymbols = k.core.symbols.size;
  const logStart = k.core.log.cursor;
  const t1 = performance.now();
  // Load order as indices into `paths` (files) or `given` (modules); errno of each failed load by index.
  const order: number[] = [];
  const failed = new Map<number, string>();
  const timings: [number, number][] = [];
  const timed = opts.onLoaded !== undefined;
  // One buffer for every file read here: init_module maps it only for the call and the kernel keeps no view of it.
  const file = new FileReader();
  const load = (index: number, bytes: Uint8Array) => {
    const before = timed ? relocationCount(k) : 0;
    const s = timed ? performance.now() : 0;
    const r = k.sys.init_module(bytes);
    if (r.ret !== 0) failed.set(index, String(r.errno));
    order.push(index);
    if (!timed) return;
    const ms = performance.now() - s;
    const relocations = relocationCount(k) - before;
    // Modules given by the caller are known now; files only once the thread's scan is complete.
    if (files === undefined) opts.onLoaded?.(given[index], ms, relocations);
    else timings.push([ms, relocations]);
  };
  let modules: readonly TreeModuleRef[] = given;
  try {
    if (files === undefined) {
      for (let i = 0; i < given.length; i++) {
        const m = given[i];
        load(i, m.bytes ?? (lazy ? ahead?.read(i) : undefined) ?? file.read(m.path));
        ahead?.done(i);
      }
    } else {
      for (let i = 0; threadOrders && i < files.length; i++) {
        const bytes = ahead?.read(i);
        const p = ahead?.taken(i) ?? -1;
        if (p < 0) break;
        load(p, bytes ?? file.read(files[p]));
        ahead?.done(i);
      }
      const scan = order.length === files.length ? ahead?.scanned() : undefined;
      if (scan !== undefined) {
        modules = files.map((path, p) => ({
          path,
          name: scan.names[p],
          depends: scan.depends[p],
          size: scan.sizes[p],
        }));
      } else {
        // The thread could not order every file: the rest is ordered here (throwing as dependencyOrder does).
        modules = readTreeModules(files);
        const index = new Map(modules.map((m, p) => [m, p]));
        const loaded = new Set(order);
        for (const m of dependencyOrder(modules)) {
          const p = index.get(m) ?? -1;
          if (!loaded.has(p)) load(p, file.read(m.path));
        }
      }
    }
  } finally {
    ahead?.close();
    k.core.memory.useMemorySource(undefined);
    k.core.crypto.useSource(undefined);
  }
  const inOrder = order.map((i) => modules[i]);
  if (opts.onLoaded !== undefined && files !== undefined)
    for (let n = 0; n < inOrder.length; n++) opts.onLoaded(inOrder[n], timings[n][0], timings[n][1]);
  const loadFailures = order.flatMap((i) => (failed.has(i) ? [`${modules[i].name}: ${failed.get(i)}`] : []));
  const t2 = performance.now();
  const problems = k.core.log
    .lines(logStart)
    .map((l) => l.text)
    // Without trusted keys the first unverifiable signature taints the kernel: a problem only when enforcing.
    .filter((l) => (certs.length > 0 ? PROBLEMS_ENFORCED : PROBLEMS).test(l));
  opts.whileLoaded?.(k);
  const proc = (k.read('/proc/modules') ?? '').split('\n');
  const permanent = new Set(proc.filter((l) => l.includes('[permanent],')).map((l) => l.split(' ')[0]));
  const t3 = performance.now();
  const unloadFailures: string[] = [];
  for (let i = inOrder.length - 1; i >= 0; i--) {
    const name = inOrder[i].name;
    const r = k.sys.delete_module(name, permanent.has(name) ? 'O_NONBLOCK|O_TRUNC' : 'O_NONBLOCK');
    if (r.ret !== 0) unloadFailures.push(`${name}: ${r.errno}`);
  }
  const t4 = performance.now();
  const restored =
    k.core.modules.size === 0 &&
    k.core.memory.allocations().length === 0 &&
    JSON.stringify(k.core.memory.freeList()) === memBefore &&
    sameSymbols(k, symBefore);
  return {
    modules: inOrder.length - loadFailures.length,
    bytes: inOrder.reduce((n, m) => n + m.size, 0),
    relocations: relocationCount(k),
    kernelSymbols,
    loadFailures,
    unloadFailures,
    problems,
    permanent: permanent.size,
    restored,
    seconds: { boot: (t1 - t0) / 1000, load: (t2 - t1) / 1000, unload: (t4 - t3) / 1000 },
  };
}
