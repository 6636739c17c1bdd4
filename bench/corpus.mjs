/**
 * The benchmark's data: the Debian kernel package set (scripts/fetch-corpus.mjs), a scratch root whose module
 * directory links the package's `kernel/` tree (so both depmods write there, never into the cache), the list of
 * module files, and the module-signing certificate extracted from vmlinuz.
 */
import { copyFileSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { treeModuleFiles } from '../dist/experiments/tree-module-files.js';
import { fetchCorpus } from '../scripts/fetch-corpus.mjs';
import { signingCertificatePem } from '../scripts/signing-cert.mjs';

export const REPO = resolve(import.meta.dirname, '..');
const WORK = join(REPO, '.cache', 'bench');

/** Every `.ko` under `dir`, sorted (the library's walk; `npm run bench` builds dist/ first). */
export { treeModuleFiles as koFiles } from '../dist/experiments/tree-module-files.js';


/**
 * Fetches (or finds) the corpus and prepares the bench root. Returns paths and the module list.
 * @param {{limit?: number}} [opts]
 */
export function prepareCorpus(opts = {}) {
  const tree = fetchCorpus();
  const root = join(WORK, 'root');
  const dir = join(root, 'lib', 'modules', tree.kver);
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'kernel'))) symlinkSync(join(tree.modulesDir, 'kernel'), join(dir, 'kernel'));
  for (const f of ['modules.order', 'modules.builtin', 'modules.builtin.modinfo']) {
    if (!existsSync(join(dir, f))) copyFileSync(join(tree.modulesDir, f), join(dir, f));
  }
  const certPath = join(WORK, `signing-cert-${tree.kver}.pem`);
  if (!existsSync(certPath)) {
    const pem = signingCertificatePem(tree.vmlinuz);
    if (pem === undefined) throw new Error(`no signing certificate found in ${tree.vmlinuz}`);
    writeFileSync(certPath, pem);
  }
  let files = treeModuleFiles(join(tree.modulesDir, 'kernel'));
  if (opts.limit !== undefined && opts.limit > 0) files = files.slice(0, opts.limit);
  const listPath = join(WORK, 'modules.list');
  writeFileSync(listPath, `${files.join('\n')}\n`);
  return { tree, root, modulesDir: dir, kver: tree.kver, symvers: tree.symvers, certPath, files, listPath };
}
