/**
 * Loading a whole module tree: every `.ko` of a distribution kernel read with its `.modinfo` name and
 * dependencies, put in dependency order, loaded into one linux-v26 kernel and unloaded again in reverse order.
 * The corpus test checks this run; `kmodsim bench load-all` times it.
 * @module
 */
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ElfFile } from '../elf/elf-file.js';
import { readModinfo } from '../elf/modinfo.js';
import { readModuleSignature } from '../elf/module-signature.js';
import { createKernel, type Kernel } from '../kernel.js';

/** One module file of a tree. */
export interface TreeModule {
  /** Host path of the file. */
  readonly path: string;
  /** `.modinfo` `name=`. */
  readonly name: string;
  /** `.modinfo` `depends=`, names normalised with {@link moduleKey}. */
  readonly depends: readonly string[];
  /** The whole file. */
  readonly bytes: Uint8Array;
}

/** Module names compare with `-` and `_` equal, as kmod does. */
export const moduleKey = (name: string): string => name.replaceAll('-', '_');

/** Every `.ko` under `dir` (recursively), sorted by path. */
export function treeModuleFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ko')) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/** Reads a module file and its `.modinfo` name and dependencies; throws on a file that is no module. */
export function readTreeModule(path: string): TreeModule {
  const b = readFileSync(path);
  return treeModule(path, new Uint8Array(b.buffer, b.byteOffset, b.length));
}

/**
 * {@link readTreeModule} for many files at once: every file is read into one buffer (one allocation instead of
 * one per file, which keeps the collector out of a 400 MB read).
 */
export function readTreeModules(paths: readonly string[]): TreeModule[] {
  const sizes = paths.map((p) => statSync(p).size);
  const all = new Uint8Array(sizes.reduce((n, s) => n + s, 0));
  let at = 0;
  return paths.map((path, i) => {
    const fd = openSync(path, 'r');
    let got = 0;
    try {
      while (got < sizes[i]) {
        const n = readSync(fd, all, at + got, sizes[i] - got, got);
        if (n === 0) break;
        got += n;
      }
    } finally {
      closeSync(fd);
    }
    const bytes = all.subarray(at, at + got);
    at += sizes[i];
    return treeModule(path, bytes);
  });
}

function treeModule(path: string, bytes: Uint8Array): TreeModule {
  const sig = readModuleSignature(bytes);
  const payload = sig.ok && sig.value !== undefined ? bytes.subarray(0, sig.value.payloadLength) : bytes;
  const elf = ElfFile.parse(payload);
  if (!elf.ok) throw new Error(`${path}: ${elf.error.message}`);
  const mi = readModinfo(elf.value);
  if (!mi.ok) throw new Error(`${path}: no modinfo`);
  const name = mi.value.get('name') ?? '';
  const dep = mi.value.get('depends') ?? '';
  return { path, name, depends: dep === '' ? [] : dep.split(',').map(moduleKey), bytes };
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
  /** The modules, in load order (see {@link dependencyOrder}). */
  readonly modules: readonly TreeModule[];
  /** Kernel release (`uname -r`), which sets the vermagic the kernel expects. */
  readonly release: string;
  /** Path of a `Module.symvers` whose `vmlinux` entries become the kernel's exports. */
  readonly symvers?: string;
  /** Trusted X.509 certificates (PEM or DER file paths or PEM text); with them signatures are enforced. */
  readonly trustedCerts?: readonly string[];
  /** linux-v26 era (default `6.1`). */
  readonly kernelVersion?: string;
  /** Called after each `init_module` with the module, its milliseconds and the relocations it applied. */
  readonly onLoaded?: (m: TreeModule, ms: number, relocations: number) => void;
  /** Called with the kernel after every module is loaded, before unloading (checks, listings). */
  readonly whileLoaded?: (k: Kernel<'linux-v26'>) => void;
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
 * Loads every module into a fresh linux-v26 kernel (init_module, all checks: signatures when certificates are
 * given, vermagic, modversions, symbol resolution, relocation, parameters), then removes them in reverse order
 * (`[permanent]` ones with O_TRUNC and CONFIG_MODULE_FORCE_UNLOAD, as `rmmod -f`).
 */
export function loadAll(opts: LoadAllOptions): LoadAllResult {
  const t0 = performance.now();
  const certs = opts.trustedCerts ?? [];
  const k = createKernel({
    personality: 'linux-v26',
    config: {
      kernelVersion: opts.kernelVersion ?? '6.1',
      release: opts.release,
      ...(opts.symvers === undefined ? {} : { symvers: opts.symvers }),
      ...(certs.length > 0 ? { trustedCerts: [...certs], sigEnforce: true } : {}),
      forceUnload: true,
    },
  });
  const memBefore = JSON.stringify(k.core.memory.freeList());
  const symBefore = JSON.stringify(k.core.symbols.snapshot());
  const kernelSymbols = k.core.symbols.size;
  const logStart = k.core.log.cursor;
  const t1 = performance.now();
  const loadFailures: string[] = [];
  const onLoaded = opts.onLoaded;
  for (const m of opts.modules) {
    const before = onLoaded === undefined ? 0 : relocationCount(k);
    const s = onLoaded === undefined ? 0 : performance.now();
    const r = k.sys.init_module(m.bytes);
    if (r.ret !== 0) loadFailures.push(`${m.name}: ${r.errno}`);
    if (onLoaded !== undefined) onLoaded(m, performance.now() - s, relocationCount(k) - before);
  }
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
  for (let i = opts.modules.length - 1; i >= 0; i--) {
    const name = opts.modules[i].name;
    const r = k.sys.delete_module(name, permanent.has(name) ? 'O_NONBLOCK|O_TRUNC' : 'O_NONBLOCK');
    if (r.ret !== 0) unloadFailures.push(`${name}: ${r.errno}`);
  }
  const t4 = performance.now();
  const restored =
    k.core.modules.size === 0 &&
    k.core.memory.allocations().length === 0 &&
    JSON.stringify(k.core.memory.freeList()) === memBefore &&
    JSON.stringify(k.core.symbols.snapshot()) === symBefore;
  return {
    modules: opts.modules.length - loadFailures.length,
    bytes: opts.modules.reduce((n, m) => n + m.bytes.length, 0),
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
