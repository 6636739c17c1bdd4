/**
 * Builds the project's own test modules (`test/real/src`) with kbuild against the installed Debian kernel headers
 * (`/usr/src/linux-headers-<kver>`), once per source change: the output lives in `.cache/kbuild/<hash>/`, keyed
 * by a hash of the sources, the kernel release, the headers' Module.symvers and the compiler, and is built under a
 * lock so parallel test workers share one build.
 *
 * Two kbuild passes: `src/` (every module modpost can link normally), then `src/unresolved/` with
 * `KBUILD_MODPOST_WARN=1`, `KBUILD_NSDEPS=1` and a Module.symvers holding only the first pass's non-GPL exports:
 * modpost refuses to link a GPL-only symbol into a non-GPL module, or a namespaced symbol into a module that does
 * not import the namespace — exactly the cases the simulated kernel must refuse at load time. (KBUILD_NSDEPS
 * also makes modpost write a `modules.nsdeps` file there; nothing uses it.)
 *
 * Every module comes unstripped (as kbuild leaves it, with DWARF and `.rela.debug_*`) and `strip --strip-debug`ped
 * (the section set Debian ships). None is signed: the headers package has no signing key.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { withCacheLock } from './cache-lock.js';
import { PINNED_KVER } from './debian-corpus.js';

/** Every module `test/real/src` builds. */
export const KBUILD_MODULE_NAMES = [
  'init_module',
  'finit_module',
  'dummy_del_mod',
  'dummy_del_mod_dep',
  'kmodsim_exporter',
  'kmodsim_ns_user',
  'kmodsim_params',
  'kmodsim_enodev',
  'kmodsim_proprietary',
  'kmodsim_ns_noimport',
] as const;

/** Name of one of the project's kbuild-built test modules. */
export type KbuildModuleName = (typeof KBUILD_MODULE_NAMES)[number];

/** One built module. */
export interface KbuildModule {
  /** Module name (`name=` in `.modinfo`, file name without `.ko`). */
  readonly name: KbuildModuleName;
  /** The C source in `test/real/src`. */
  readonly source: string;
  /** The `.ko` as kbuild wrote it (with debug sections). */
  readonly unstripped: string;
  /** A `strip --strip-debug` copy: the section set the distribution ships. */
  readonly stripped: string;
  /** Same file as `stripped`: the default image to load. */
  readonly ko: string;
}

/** The result of a kbuild run over `test/real/src`. */
export interface KbuildResult {
  /** The cache directory of this build (`.cache/kbuild/<hash>`). */
  readonly dir: string;
  /** Kernel release of the headers the modules were built against (their vermagic starts with it). */
  readonly kver: string;
  /** The headers directory (`/usr/src/linux-headers-<kver>`). */
  readonly headersDir: string;
  /** The headers' Module.symvers: vmlinux's and the distribution modules' exports with CRCs. */
  readonly headersSymvers: string;
  /** The Module.symvers kbuild wrote for the test modules (their exports: plain, GPL, namespaced). */
  readonly symvers: string;
  /** Every built module by name. */
  readonly modules: Readonly<Record<KbuildModuleName, KbuildModule>>;
}

const REPO = resolve(import.meta.dirname, '../..');
const SRC = join(REPO, 'test', 'real', 'src');
const CACHE = join(REPO, '.cache', 'kbuild');
/** Bump when the build recipe below changes (it is part of the cache key). */
const RECIPE = 2;

/** The installed kernel headers to build against. */
export interface KernelHeaders {
  /** Kernel release, e.g. `6.1.0-50-amd64`. */
  readonly kver: string;
  /** `/usr/src/linux-headers-<kver>`. */
  readonly dir: string;
}

function usable(dir: string): boolean {
  return existsSync(join(dir, 'Makefile')) && existsSync(join(dir, 'Module.symvers'));
}

/** The kernel release of an already unpacked Debian corpus, so kbuild's CRCs match the corpus' Module.symvers. */
function corpusKverIfUnpacked(): string | undefined {
  const envRoot = process.env.KMODSIM_DEBIAN_ROOT;
  const root = envRoot !== undefined && envRoot !== '' ? envRoot : join(REPO, '.cache', 'debian', 'root');
  const mods = join(root, 'lib', 'modules');
  return existsSync(mods) ? readdirSync(mods).sort()[0] : undefined;
}

/**
 * Finds the installed kernel headers: `KMODSIM_KERNEL_HEADERS` (a directory), else `/usr/src/linux-headers-<kver>`
 * for the corpus' (or the pinned) release, else the newest installed `-amd64` headers. Throws with the install
 * command when there are none.
 */
export function kernelHeaders(): KernelHeaders {
  const env = process.env.KMODSIM_KERNEL_HEADERS;
  if (env !== undefined && env !== '') {
    if (!usable(env)) throw new Error(`KMODSIM_KERNEL_HEADERS=${env} has no Makefile and Module.symvers`);
    const kver = /linux-headers-(.+)$/.exec(resolve(env))?.[1] ?? PINNED_KVER;
    return { kver, dir: env };
  }
  const wanted = [corpusKverIfUnpacked(), PINNED_KVER].filter((k): k is string => k !== undefined);
  for (const kver of wanted) {
    const dir = `/usr/src/linux-headers-${kver}`;
    if (usable(dir)) return { kver, dir };
  }
  const installed = existsSync('/usr/src')
    ? readdirSync('/usr/src')
        .filter((d) => /^linux-headers-.+-amd64$/.test(d) && usable(join('/usr/src', d)))
        .sort()
    : [];
  const last = installed.at(-1);
  if (last !== undefined) return { kver: last.slice('linux-headers-'.length), dir: join('/usr/src', last) };
  throw new Error(
    `kernel headers not found in /usr/src: install them with ` +
      `"apt-get install -y --no-install-recommends linux-headers-${wanted[0]} make gcc binutils kmod" ` +
      '(as root; .ci/run does it), or set KMODSIM_KERNEL_HEADERS',
  );
}

function sourceFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const rel = prefix + e.name;
    if (e.isDirectory()) out.push(...sourceFiles(join(dir, e.name), `${rel}/`));
    else if (/\.(c|h)$|^Kbuild$|^Makefile$/.test(e.name)) out.push(rel);
  }
  return out;
}

function cacheKey(h: KernelHeaders): string {
  const hash = createHash('sha256');
  hash.update(`recipe ${RECIPE}\nkver ${h.kver}\n`);
  const sv = statSync(join(h.dir, 'Module.symvers'));
  hash.update(`symvers ${sv.size} ${sv.mtimeMs}\n`);
  hash.update(`cc ${spawnSync('gcc', ['--version'], { encoding: 'utf8' }).stdout?.split('\n')[0]}\n`);
  for (const f of sourceFiles(SRC)) hash.update(`${f}\n`).update(readFileSync(join(SRC, f)));
  return hash.digest('hex').slice(0, 16);
}

function make(headers: KernelHeaders, dir: string, extra: string[]): void {
  const r = spawnSync('make', ['-C', headers.dir, `M=${dir}`, ...extra, 'modules'], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.error !== undefined || r.status !== 0) {
    throw new Error(
      `kbuild failed in ${dir} (make -C ${headers.dir} M=${dir} ${extra.join(' ')} modules): ` +
        `${r.error?.message ?? `exit ${r.status}`}\n${r.stdout}${r.stderr}\n` +
        'needs: apt-get install -y --no-install-recommends make gcc binutils linux-headers-' +
        headers.kver,
    );
  }
}

function copySources(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const e of readdirSync(from, { withFileTypes: true })) {
    if (e.isFile() && /\.(c|h)$|^Kbuild$|^Makefile$/.test(e.name))
      copyFileSync(join(from, e.name), join(to, e.name));
  }
}

function build(headers: KernelHeaders, dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  const main = join(dir, 'main');
  const unresolved = join(dir, 'unresolved');
  copySources(SRC, main);
  copySources(join(SRC, 'unresolved'), unresolved);
  make(headers, main, []);
  const plain = readFileSync(join(main, 'Module.symvers'), 'utf8')
    .split('\n')
    .filter((l) => /^[^\t]+\t[^\t]+\t[^\t]+\tEXPORT_SYMBOL\t/.test(l));
  const extra = join(unresolved, 'Module.non-gpl-exports');
  writeFileSync(extra, `${plain.join('\n')}\n`);
  make(headers, unresolved, ['KBUILD_MODPOST_WARN=1', 'KBUILD_NSDEPS=1', `KBUILD_EXTRA_SYMBOLS=${extra}`]);
  const stripped = join(dir, 'stripped');
  mkdirSync(stripped);
  for (const name of KBUILD_MODULE_NAMES) {
    const ko = [main, unresolved].map((d) => join(d, `${name}.ko`)).find((p) => existsSync(p));
    if (ko === undefined) throw new Error(`kbuild produced no ${name}.ko (is it listed in an obj-m line?)`);
    const r = spawnSync('strip', ['--strip-debug', '-o', join(stripped, `${name}.ko`), ko], {
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`strip --strip-debug ${ko} failed: ${r.stderr}`);
  }
  writeFileSync(join(dir, 'complete'), `${new Date().toISOString()}\n`);
}

function result(headers: KernelHeaders, dir: string): KbuildResult {
  const modules = {} as Record<KbuildModuleName, KbuildModule>;
  for (const name of KBUILD_MODULE_NAMES) {
    const sub = existsSync(join(dir, 'main', `${name}.ko`)) ? 'main' : 'unresolved';
    const stripped = join(dir, 'stripped', `${name}.ko`);
    modules[name] = {
      name,
      source: join(SRC, ...(sub === 'unresolved' ? ['unresolved'] : []), `${name}.c`),
      unstripped: join(dir, sub, `${name}.ko`),
      stripped,
      ko: stripped,
    };
  }
  return {
    dir,
    kver: headers.kver,
    headersDir: headers.dir,
    headersSymvers: join(headers.dir, 'Module.symvers'),
    symvers: join(dir, 'main', 'Module.symvers'),
    modules,
  };
}

let cached: KbuildResult | undefined;

/**
 * Builds (or finds in the cache) every module of `test/real/src`; about 5 s the first time, instant afterwards.
 * Throws with the install command when kernel headers, make or gcc are missing.
 */
export function kbuildModulesSync(): KbuildResult {
  if (cached !== undefined) return cached;
  const headers = kernelHeaders();
  const dir = join(CACHE, cacheKey(headers));
  if (!existsSync(join(dir, 'complete'))) {
    withCacheLock(`${dir}.lock`, () => {
      if (!existsSync(join(dir, 'complete'))) build(headers, dir);
    });
  }
  cached = result(headers, dir);
  return cached;
}

/** {@inheritDoc kbuildModulesSync} */
export async function kbuildModules(): Promise<KbuildResult> {
  return kbuildModulesSync();
}
