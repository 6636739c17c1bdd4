/**
 * The Debian 12 kernel package set (image, headers, kbuild) the real-module tests read: every `.ko` of a
 * distribution kernel, its `Module.symvers` and its `vmlinuz`. Located, in order, from `KMODSIM_DEBIAN_ROOT`
 * (an existing unpacked tree), `.cache/debian/root` in the repository, or fetched there with `apt-get download`
 * and `dpkg-deb -x` by `scripts/fetch-corpus.mjs` (the one implementation of the fetch, also run by `.ci/run`).
 *
 * `sample(n, seed)` picks a deterministic, subsystem-spread subset for tests that cannot afford all ~4,000
 * modules; the per-module facts it needs (size, parameters, dependencies, exports) are read once from the section
 * headers and `.modinfo` of each file and cached in `.cache/debian/index-<kver>-<hash>.json`.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative, resolve } from 'node:path';

/** The kernel ABI the tests pin; `scripts/fetch-corpus.mjs` holds the same value (a test checks they agree). */
export const PINNED_KVER = '6.1.0-50-amd64';

const REPO = resolve(import.meta.dirname, '../..');
const FETCH_SCRIPT = join(REPO, 'scripts', 'fetch-corpus.mjs');
const CACHE = join(REPO, '.cache', 'debian');
/** Modules above this size (amdgpu, i915, nouveau, test_bpf, xfs) only enter large samples. */
const LARGE_MODULE_BYTES = 4 << 20;
/** From this sample size on, the largest module (amdgpu, else i915) is always part of the sample. */
const LARGE_SAMPLE = 400;

/** One package of the set, as apt listed it when it was fetched. */
export interface DebianPackage {
  /** Package name, e.g. `linux-image-6.1.0-50-amd64`. */
  readonly name: string;
  /** Debian version, e.g. `6.1.176-1`. */
  readonly version: string;
  /** The `.deb` file name. */
  readonly file: string;
  /** SHA-256 of the `.deb`, from the archive's index. */
  readonly sha256: string;
}

/** Facts about one corpus module, read from its section headers, `.modinfo` and the package's Module.symvers. */
export interface CorpusModuleInfo {
  /** Absolute path of the `.ko`. */
  readonly path: string;
  /** Path below `lib/modules/<kver>/kernel`, e.g. `drivers/net/mii.ko`. */
  readonly rel: string;
  /** The module name (`name=` in `.modinfo`). */
  readonly name: string;
  /** File size in bytes. */
  readonly size: number;
  /** Number of `parmtype=` entries (declared parameters). */
  readonly params: number;
  /** `depends=` names, as written (they may mix `-` and `_`). */
  readonly depends: readonly string[];
  /** Number of symbols the module exports according to Module.symvers. */
  readonly exports: number;
}

/** A located (or fetched) Debian kernel package set. */
export interface DebianCorpus {
  /** The unpacked root (`boot/`, `lib/modules/<kver>/`, `usr/src/linux-headers-<kver>/`). */
  readonly root: string;
  /** The kernel release, e.g. `6.1.0-50-amd64`. */
  readonly kver: string;
  /** `lib/modules/<kver>` under the root. */
  readonly modulesDir: string;
  /** The headers package's `Module.symvers` (vmlinux and every module's exports). */
  readonly symvers: string;
  /** `boot/vmlinuz-<kver>` (bzImage with an xz payload holding the module-signing certificate). */
  readonly vmlinuz: string;
  /** `usr/src/linux-headers-<kver>` under the root. */
  readonly headersDir: string;
  /** The packages the tree was unpacked from; `undefined` for a tree given by `KMODSIM_DEBIAN_ROOT` without a manifest. */
  readonly packages: readonly DebianPackage[] | undefined;
  /** Every `.ko` under `kernel/`, absolute paths, sorted. */
  allModules(): string[];
  /**
   * `n` modules (all of them when `n` ≥ their number), deterministic for a given `seed` and corpus, spread
   * round-robin across subsystems (first two directories below `kernel/`), with at least ⌊n/8⌋ (≥ 1) modules
   * having parameters, exporting symbols, and depending on other modules each. Modules over 4 MiB are left out
   * below 400; from 400 on, amdgpu (or i915) is always included. Sorted by path.
   */
  sample(n: number, seed?: number): string[];
  /** Facts about one module of the corpus (absolute path), `undefined` for a path outside it. */
  info(path: string): CorpusModuleInfo | undefined;
  /** `paths` plus everything they depend on (transitively), dependencies first: a valid load order. */
  dependencyClosure(paths: readonly string[]): string[];
}

interface FetchedTree {
  root: string;
  kver: string;
  modulesDir: string;
  symvers: string;
  vmlinuz: string;
  headersDir: string;
  packages?: DebianPackage[];
}

function fetchTree(): FetchedTree {
  const r = spawnSync(process.execPath, [FETCH_SCRIPT, '--json'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 << 20,
  });
  if (r.status !== 0) {
    throw new Error(
      `the Debian kernel package set is unavailable (node scripts/fetch-corpus.mjs exited ${r.status}); ` +
        'on Debian run "apt-get update" (as root) and retry, or set KMODSIM_DEBIAN_ROOT to an unpacked tree',
    );
  }
  return JSON.parse(r.stdout) as FetchedTree;
}

/** Reads `name=`, `depends=` and the `parmtype=` count from an ELF64 `.ko`'s `.modinfo`, via its section headers. */
function readModinfo(path: string): { name?: string; depends: string[]; params: number } {
  const fd = openSync(path, 'r');
  try {
    const read = (pos: number, len: number): Buffer => {
      const b = Buffer.alloc(len);
      readSync(fd, b, 0, len, pos);
      return b;
    };
    const eh = read(0, 64);
    if (eh.readUInt32BE(0) !== 0x7f454c46 || eh[4] !== 2 || eh[5] !== 1) return { depends: [], params: 0 };
    const shoff = Number(eh.readBigUInt64LE(0x28));
    const shentsize = eh.readUInt16LE(0x3a);
    const shnum = eh.readUInt16LE(0x3c);
    const shstrndx = eh.readUInt16LE(0x3e);
    const sh = read(shoff, shentsize * shnum);
    const sec = (i: number) => ({
      name: sh.readUInt32LE(i * shentsize),
      offset: Number(sh.readBigUInt64LE(i * shentsize + 0x18)),
      size: Number(sh.readBigUInt64LE(i * shentsize + 0x20)),
    });
    const strs = sec(shstrndx);
    const names = read(strs.offset, strs.size);
    for (let i = 0; i < shnum; i++) {
      const s = sec(i);
      const end = names.indexOf(0, s.name);
      if (names.toString('latin1', s.name, end) !== '.modinfo') continue;
      const out: { name?: string; depends: string[]; params: number } = { depends: [], params: 0 };
      for (const kv of read(s.offset, s.size).toString('latin1').split('\0')) {
        if (kv.startsWith('name=')) out.name = kv.slice(5);
        else if (kv.startsWith('depends='))
          out.depends = kv
            .slice(8)
            .split(',')
            .filter((d) => d !== '');
        else if (kv.startsWith('parmtype=')) out.params++;
      }
      return out;
    }
    return { depends: [], params: 0 };
  } finally {
    closeSync(fd);
  }
}

function walkKo(dir: string, out: string[]): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walkKo(p, out);
    else if (e.name.endsWith('.ko')) out.push(p);
  }
  return out;
}

/** Export counts per module path (`drivers/net/mii`) from Module.symvers. */
function exportCounts(symvers: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of readFileSync(symvers, 'utf8').split('\n')) {
    const mod = line.split('\t')[2];
    if (mod !== undefined && mod !== 'vmlinux') counts.set(mod, (counts.get(mod) ?? 0) + 1);
  }
  return counts;
}

type IndexRow = Omit<CorpusModuleInfo, 'path'>;

function buildIndex(tree: FetchedTree, files: string[]): IndexRow[] {
  const kernelDir = join(tree.modulesDir, 'kernel');
  const key = createHash('sha256')
    .update(`${tree.root}\n${tree.kver}\n${files.length}`)
    .digest('hex')
    .slice(0, 12);
  const cacheFile = join(CACHE, `index-${tree.kver}-${key}.json`);
  if (existsSync(cacheFile)) return JSON.parse(readFileSync(cacheFile, 'utf8')) as IndexRow[];
  const exports = exportCounts(tree.symvers);
  const rows = files.map((path): IndexRow => {
    const rel = relative(kernelDir, path);
    const mi = readModinfo(path);
    return {
      rel,
      name: mi.name ?? normalizeName(rel.slice(rel.lastIndexOf('/') + 1, -3)),
      size: statSync(path).size,
      params: mi.params,
      depends: mi.depends,
      exports: exports.get(`kernel/${rel.slice(0, -3)}`) ?? exports.get(rel.slice(0, -3)) ?? 0,
    };
  });
  mkdirSync(CACHE, { recursive: true });
  const tmp = `${cacheFile}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(rows));
  renameSync(tmp, cacheFile);
  return rows;
}

/** kmod's rule: `-` and `_` are the same in module names. */
function normalizeName(name: string): string {
  return name.replaceAll('-', '_');
}

/** mulberry32: a tiny deterministic PRNG (the same sequence on every platform). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(xs: T[], rnd: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

function subsystem(rel: string): string {
  const dirs = rel.split('/').slice(0, -1);
  return dirs.slice(0, 2).join('/') || '.';
}

/** The rows in round-robin order over their subsystems, each subsystem and the subsystem order shuffled. */
function roundRobin(rows: CorpusModuleInfo[], rnd: () => number): CorpusModuleInfo[] {
  const groups = new Map<string, CorpusModuleInfo[]>();
  for (const r of rows) {
    const k = subsystem(r.rel);
    const g = groups.get(k);
    if (g === undefined) groups.set(k, [r]);
    else g.push(r);
  }
  const order = shuffle(
    [...groups.keys()].sort().map((k) => shuffle(groups.get(k)!, rnd)),
    rnd,
  );
  const out: CorpusModuleInfo[] = [];
  for (let i = 0; out.length < rows.length; i++) {
    for (const g of order) if (i < g.length) out.push(g[i]);
  }
  return out;
}

function makeCorpus(tree: FetchedTree): DebianCorpus {
  let files: string[] | undefined;
  let rows: CorpusModuleInfo[] | undefined;
  let byPath: Map<string, CorpusModuleInfo> | undefined;
  let byName: Map<string, CorpusModuleInfo> | undefined;
  const allModules = (): string[] => {
    files ??= walkKo(join(tree.modulesDir, 'kernel'), []).sort();
    return [...files];
  };
  const index = (): CorpusModuleInfo[] => {
    if (rows === undefined) {
      const all = allModules();
      const built = buildIndex(tree, all);
      rows = built.map((r, i) => ({ ...r, path: all[i] }));
      byPath = new Map(rows.map((r) => [r.path, r]));
      byName = new Map(rows.map((r) => [normalizeName(r.name), r]));
    }
    return rows;
  };
  return {
    root: tree.root,
    kver: tree.kver,
    modulesDir: tree.modulesDir,
    symvers: tree.symvers,
    vmlinuz: tree.vmlinuz,
    headersDir: tree.headersDir,
    packages: tree.packages,
    allModules,
    info(path) {
      index();
      return byPath!.get(resolve(path));
    },
    sample(n, seed = 1) {
      const all = index();
      if (!Number.isInteger(n) || n < 0)
        throw new RangeError(`sample size must be a natural number, got ${n}`);
      if (n >= all.length) return all.map((r) => r.path);
      const rnd = mulberry32(seed);
      const large = n >= LARGE_SAMPLE;
      const pool = large ? all : all.filter((r) => r.size <= LARGE_MODULE_BYTES);
      const chosen = new Set<CorpusModuleInfo>();
      if (large && n > 0) {
        const big = byName!.get('amdgpu') ?? byName!.get('i915');
        if (big !== undefined) chosen.add(big);
      }
      const quota = Math.max(1, Math.floor(n / 8));
      const kinds: ((r: CorpusModuleInfo) => boolean)[] = [
        (r) => r.params > 0,
        (r) => r.exports > 0,
        (r) => r.depends.length > 0,
      ];
      for (const kind of kinds) {
        let have = [...chosen].filter(kind).length;
        for (const r of roundRobin(pool.filter(kind), rnd)) {
          if (have >= quota || chosen.size >= n) break;
          if (!chosen.has(r)) {
            chosen.add(r);
            have++;
          }
        }
      }
      for (const r of roundRobin([...pool], rnd)) {
        if (chosen.size >= n) break;
        chosen.add(r);
      }
      return [...chosen].map((r) => r.path).sort();
    },
    dependencyClosure(paths) {
      index();
      const out: string[] = [];
      const seen = new Set<string>();
      const visit = (r: CorpusModuleInfo, stack: Set<string>): void => {
        if (seen.has(r.path) || stack.has(r.path)) return;
        stack.add(r.path);
        for (const d of r.depends) {
          const dep = byName!.get(normalizeName(d));
          if (dep === undefined) throw new Error(`${r.rel}: dependency ${d} is not in the corpus`);
          visit(dep, stack);
        }
        stack.delete(r.path);
        seen.add(r.path);
        out.push(r.path);
      };
      for (const p of paths) {
        const r = byPath!.get(resolve(p));
        if (r === undefined) throw new Error(`${p} is not a module of the corpus`);
        visit(r, new Set());
      }
      return out;
    },
  };
}

let cached: DebianCorpus | undefined;

/**
 * Locates the Debian kernel package set, fetching and unpacking it into `.cache/debian/root` when needed
 * (about 85 MB through apt; one fetch even when parallel workers ask at once). Throws, with the fix, when apt
 * cannot provide it.
 */
export function debianCorpusSync(): DebianCorpus {
  cached ??= makeCorpus(fetchTree());
  return cached;
}

/** {@inheritDoc debianCorpusSync} */
export async function debianCorpus(): Promise<DebianCorpus> {
  return debianCorpusSync();
}
