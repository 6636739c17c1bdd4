#!/usr/bin/env node
/**
 * Fetches the Debian 12 kernel package set the real-module tests, `npm run bench` and `npm run test:corpus` use,
 * and unpacks it into `.cache/debian/root` of the repository:
 *
 *   linux-image-<kver>, linux-headers-<kver>, linux-headers-<abi>-common, linux-kbuild-<x.y>
 *
 * `<kver>` is pinned (PINNED_KVER) and falls back to whatever `linux-image-amd64` depends on when the mirror has
 * dropped the pinned ABI (Debian removes superseded ABIs). The packages come from `apt-get download` (apt checks
 * their hashes); a local directory of already downloaded `.deb` files (`KMODSIM_DEBIAN_DEBS`, else
 * `/work/cache/debian` when present) is used first, but only files whose SHA-256 equals the one apt lists.
 * Unpacking goes to a temporary directory renamed into place, under a lock, so concurrent callers (parallel test
 * workers) fetch once and never see a half-unpacked tree.
 *
 * Usage: node scripts/fetch-corpus.mjs [--json] [--kver] [--no-local]
 *   (default)    fetch if needed, print the root directory
 *   --json       fetch if needed, print {root, kver, modulesDir, symvers, vmlinuz, headersDir, packages}
 *   --kver       print the kernel release the corpus uses (or would use), without downloading
 *   --no-local   ignore local .deb directories (always apt-get download)
 * Environment: KMODSIM_DEBIAN_ROOT (an existing unpacked tree; nothing is fetched), KMODSIM_DEBIAN_DEBS (local
 * .deb directory; empty or "none" disables the local source).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** The kernel ABI the tests pin (Debian 12 "bookworm", linux 6.1.176-1). */
export const PINNED_KVER = '6.1.0-50-amd64';

const REPO = resolve(dirname(new URL(import.meta.url).pathname), '..');
const CACHE = join(REPO, '.cache', 'debian');
const ROOT = join(CACHE, 'root');
const DEBS = join(CACHE, 'debs');
const LOCK = join(CACHE, '.fetch.lock');
const MANIFEST = '.kmodsim-corpus.json';
const DEFAULT_LOCAL_DEBS = '/work/cache/debian';

/** @param {string} msg */
function log(msg) {
  process.stderr.write(`fetch-corpus: ${msg}\n`);
}

/** @param {string} cmd @param {string[]} args @param {{cwd?: string}} [opts] */
function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: opts.cwd, maxBuffer: 64 << 20 });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** @param {number} ms */
function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * The tree's layout, or undefined when `root` is not a complete unpacked package set.
 * @param {string} root
 */
export function describeRoot(root) {
  const mods = join(root, 'lib', 'modules');
  if (!existsSync(mods)) return undefined;
  for (const kver of readdirSync(mods).sort()) {
    const vmlinuz = join(root, 'boot', `vmlinuz-${kver}`);
    const headersDir = join(root, 'usr', 'src', `linux-headers-${kver}`);
    const symvers = join(headersDir, 'Module.symvers');
    const modulesDir = join(mods, kver);
    if (existsSync(vmlinuz) && existsSync(symvers) && existsSync(join(modulesDir, 'kernel'))) {
      const manifest = join(root, MANIFEST);
      const packages = existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')).packages : undefined;
      return { root, kver, modulesDir, symvers, vmlinuz, headersDir, packages };
    }
  }
  return undefined;
}

/** apt's record of a package (`name` or `name=version`; the candidate version when none is given). @param {string} pkg */
function aptShow(pkg) {
  const r = run('apt-cache', ['show', '--no-all-versions', pkg]);
  if (r.status !== 0 || !/^Package:/m.test(r.stdout)) return undefined;
  /** @param {string} field */
  const field = (field) => new RegExp(`^${field}: (.*)$`, 'm').exec(r.stdout)?.[1]?.trim();
  const version = field('Version');
  const filename = field('Filename');
  const sha256 = field('SHA256');
  if (version === undefined || filename === undefined || sha256 === undefined) return undefined;
  return {
    name: pkg.split('=')[0],
    version,
    file: basename(filename),
    sha256,
    depends: field('Depends') ?? '',
  };
}

/** The kernel release to fetch: the pinned one when the mirror has it, else what linux-image-amd64 depends on. */
export function resolveKver() {
  if (aptShow(`linux-image-${PINNED_KVER}`) !== undefined) return PINNED_KVER;
  const r = run('apt-cache', ['depends', 'linux-image-amd64']);
  const kver = /Depends: linux-image-(\d[^\s]*-amd64)/.exec(r.stdout)?.[1];
  if (kver === undefined) {
    throw new Error(
      `apt knows neither linux-image-${PINNED_KVER} nor linux-image-amd64; run "apt-get update" first`,
    );
  }
  log(`linux-image-${PINNED_KVER} is gone from the mirror; using ${kver}`);
  return kver;
}

/** The four packages of one kernel ABI, with apt's version, file name and SHA-256. @param {string} kver */
function packageSet(kver) {
  const image = aptShow(`linux-image-${kver}`);
  const headers = aptShow(`linux-headers-${kver}`);
  if (image === undefined || headers === undefined) {
    throw new Error(`apt has no linux-image-${kver} / linux-headers-${kver}; run "apt-get update" first`);
  }
  const common = /(linux-headers-[^\s,]+-common)\b/.exec(headers.depends)?.[1];
  const kbuild = /(linux-kbuild-[\d.]+)\b/.exec(headers.depends)?.[1];
  if (common === undefined || kbuild === undefined) {
    throw new Error(`cannot find the -common and linux-kbuild packages in: Depends: ${headers.depends}`);
  }
  // Prefer the build of the same source upload as the image (the mirror may also carry newer point releases).
  const rest = [common, kbuild].map((name) => aptShow(`${name}=${image.version}`) ?? aptShow(name));
  if (rest[0] === undefined || rest[1] === undefined) throw new Error(`apt has no ${common} / ${kbuild}`);
  return [image, headers, rest[0], rest[1]];
}

/** @param {string} file */
function sha256File(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** @param {boolean} noLocal */
function localDebDirs(noLocal) {
  if (noLocal) return [];
  const env = process.env.KMODSIM_DEBIAN_DEBS;
  if (env !== undefined) return env === '' || env === 'none' ? [] : [env];
  return existsSync(DEFAULT_LOCAL_DEBS) ? [DEFAULT_LOCAL_DEBS] : [];
}

/**
 * Puts every package's .deb into DEBS: already there with the right hash, from a local directory (hard link or
 * copy, hash checked), or by apt-get download.
 * @param {ReturnType<typeof packageSet>} pkgs @param {boolean} noLocal
 */
function obtainDebs(pkgs, noLocal) {
  mkdirSync(DEBS, { recursive: true });
  const missing = [];
  for (const p of pkgs) {
    const dest = join(DEBS, p.file);
    if (existsSync(dest) && sha256File(dest) === p.sha256) continue;
    rmSync(dest, { force: true });
    let found = false;
    for (const dir of localDebDirs(noLocal)) {
      const src = join(dir, p.file);
      if (!existsSync(src) || sha256File(src) !== p.sha256) continue;
      try {
        linkSync(src, dest);
      } catch {
        copyFileSync(src, dest);
      }
      log(`${p.file}: from ${dir}`);
      found = true;
      break;
    }
    if (!found) missing.push(p);
  }
  if (missing.length === 0) return;
  const names = missing.map((p) => `${p.name}=${p.version}`);
  log(`apt-get download ${names.join(' ')}`);
  const r = run('apt-get', ['download', '-q', ...names], { cwd: DEBS });
  if (r.status !== 0) throw new Error(`apt-get download failed (${r.status}):\n${r.stdout}${r.stderr}`);
  for (const p of missing) {
    const dest = join(DEBS, p.file);
    if (!existsSync(dest) || sha256File(dest) !== p.sha256) throw new Error(`${p.file}: missing or bad hash`);
  }
}

/** Runs `fn` holding the fetch lock (a directory; a lock whose owner process is gone is taken over). @param {() => any} fn */
function withLock(fn) {
  mkdirSync(CACHE, { recursive: true });
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'owner'), String(process.pid));
      break;
    } catch (e) {
      if (/** @type {NodeJS.ErrnoException} */ (e).code !== 'EEXIST') throw e;
      if (lockIsStale()) {
        rmSync(LOCK, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${LOCK}`);
      sleep(250);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

function lockIsStale() {
  try {
    const pid = Number(readFileSync(join(LOCK, 'owner'), 'utf8'));
    process.kill(pid, 0);
    return false;
  } catch (e) {
    const code = /** @type {NodeJS.ErrnoException} */ (e).code;
    if (code === 'ESRCH') return true;
    if (code === 'ENOENT') {
      // The owner file is written right after mkdir; a lock without one for a minute was abandoned.
      try {
        return Date.now() - statSync(LOCK).mtimeMs > 60_000;
      } catch {
        return false;
      }
    }
    return false;
  }
}

/** Fetches and unpacks the package set when `.cache/debian/root` is not complete. @param {{noLocal?: boolean}} [opts] */
export function fetchCorpus(opts = {}) {
  const env = process.env.KMODSIM_DEBIAN_ROOT;
  if (env !== undefined && env !== '') {
    const d = describeRoot(env);
    if (d === undefined)
      throw new Error(`KMODSIM_DEBIAN_ROOT=${env} is not an unpacked Debian kernel package set`);
    return d;
  }
  const ready = describeRoot(ROOT);
  if (ready !== undefined) return ready;
  return withLock(() => {
    const again = describeRoot(ROOT);
    if (again !== undefined) return again;
    const kver = resolveKver();
    const pkgs = packageSet(kver);
    obtainDebs(pkgs, opts.noLocal === true);
    const tmp = `${ROOT}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    rmSync(ROOT, { recursive: true, force: true }); // an incomplete tree from an older layout
    for (const p of pkgs) {
      log(`dpkg-deb -x ${p.file}`);
      const r = run('dpkg-deb', ['-x', join(DEBS, p.file), tmp]);
      if (r.status !== 0) throw new Error(`dpkg-deb -x ${p.file} failed:\n${r.stderr}`);
    }
    const manifest = {
      kver,
      packages: pkgs.map(({ name, version, file, sha256 }) => ({ name, version, file, sha256 })),
    };
    writeFileSync(join(tmp, MANIFEST), `${JSON.stringify(manifest, undefined, 2)}\n`);
    try {
      renameSync(tmp, ROOT);
    } catch (e) {
      // Someone unpacked a tree meanwhile without this lock (an older helper): keep theirs if it is complete.
      if (describeRoot(ROOT) === undefined) throw e;
      rmSync(tmp, { recursive: true, force: true });
    }
    const d = describeRoot(ROOT);
    if (d === undefined)
      throw new Error(`${ROOT}: the unpacked packages lack modules, vmlinuz or Module.symvers`);
    log(`${ROOT}: kernel ${d.kver}`);
    return d;
  });
}

/** The kernel release of the corpus: the unpacked tree's, else the one a fetch would take. */
export function corpusKver() {
  const env = process.env.KMODSIM_DEBIAN_ROOT;
  const d = describeRoot(env !== undefined && env !== '' ? env : ROOT);
  return d !== undefined ? d.kver : resolveKver();
}

if (
  process.argv[1] !== undefined &&
  resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)
) {
  const args = process.argv.slice(2);
  try {
    if (args.includes('--kver')) {
      process.stdout.write(`${corpusKver()}\n`);
    } else {
      const d = fetchCorpus({ noLocal: args.includes('--no-local') });
      process.stdout.write(args.includes('--json') ? `${JSON.stringify(d)}\n` : `${d.root}\n`);
    }
  } catch (e) {
    log(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}
