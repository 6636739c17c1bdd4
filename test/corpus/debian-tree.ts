/**
 * The Debian 12 kernel package's module tree for the corpus test: `.cache/debian/root` in the repository
 * (downloaded with apt and unpacked with dpkg-deb when missing), or an existing unpacked download named by
 * `KMODSIM_DEBIAN_ROOT`. Also extracts the module-signing certificate from `vmlinuz` (the xz payload holds it
 * in the `.system_certificates` blob).
 * @module
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decompressBzImage, findCertificates, SUBJECT_MARK, toPem } from '../../scripts/signing-cert.mjs';
import { treeModuleFiles } from '../../src/experiments/tree-module-files.js';

/** A located module tree. */
export interface DebianTree {
  /** The unpacked root (`lib/modules/<kver>`, `usr/src/linux-headers-<kver>`, `boot`). */
  readonly root: string;
  /** The kernel release. */
  readonly kver: string;
  /** `lib/modules/<kver>`. */
  readonly modulesDir: string;
  /** `Module.symvers` of the headers package. */
  readonly symvers: string;
  /** `boot/vmlinuz-<kver>`. */
  readonly vmlinuz: string;
}

const CACHE = resolve(import.meta.dirname, '../../.cache/debian');

function fromRoot(root: string): DebianTree | undefined {
  const mods = join(root, 'lib/modules');
  if (!existsSync(mods)) return undefined;
  const kver = readdirSync(mods).find((d) => existsSync(join(root, 'boot', `vmlinuz-${d}`)));
  if (kver === undefined) return undefined;
  const symvers = join(root, 'usr/src', `linux-headers-${kver}`, 'Module.symvers');
  if (!existsSync(symvers)) return undefined;
  return {
    root,
    kver,
    modulesDir: join(mods, kver),
    symvers,
    vmlinuz: join(root, 'boot', `vmlinuz-${kver}`),
  };
}

function download(): DebianTree | undefined {
  const dep = spawnSync('apt-cache', ['depends', 'linux-image-amd64'], { encoding: 'utf8' });
  const image = /linux-image-(\d[^\s]*-amd64)/.exec(dep.stdout ?? '')?.[1];
  if (image === undefined) return undefined;
  const debs = join(CACHE, 'debs');
  mkdirSync(debs, { recursive: true });
  const pkgs = [`linux-image-${image}`, `linux-headers-${image}`];
  if (spawnSync('apt-get', ['download', ...pkgs], { cwd: debs, stdio: 'ignore' }).status !== 0)
    return undefined;
  const root = join(CACHE, 'root');
  for (const f of readdirSync(debs)) {
    if (f.endsWith('.deb')) execFileSync('dpkg-deb', ['-x', join(debs, f), root]);
  }
  return fromRoot(root);
}

/** Finds (or fetches) the module tree; `undefined` when none can be had. */
export function debianTree(): DebianTree | undefined {
  const env = process.env.KMODSIM_DEBIAN_ROOT;
  if (env !== undefined && env !== '') return fromRoot(env);
  return fromRoot(join(CACHE, 'root')) ?? download();
}

/** Every `.ko` under the tree's `kernel/` directory. */
export function moduleFiles(tree: DebianTree): string[] {
  return treeModuleFiles(join(tree.modulesDir, 'kernel'));
}

/**
 * The signing certificate built into the kernel: the xz payload of `vmlinuz` is decompressed with `xz` and
 * scanned for DER certificates whose subject is the build-time key. Returned as PEM; throws with the reason
 * (no decompressor, no payload, not exactly one such certificate), so a failing corpus test says why.
 */
export function signingCertificate(tree: DebianTree): string {
  const certs = findCertificates(decompressBzImage(tree.vmlinuz));
  if (certs.length !== 1) {
    throw new Error(`${tree.vmlinuz}: expected one "${SUBJECT_MARK}" certificate, found ${certs.length}`);
  }
  return toPem(certs[0]);
}
