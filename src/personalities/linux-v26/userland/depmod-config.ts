/**
 * depmod's configuration (`depmod.d`): `search`, `override`, `external`, `exclude`, and the priority rule that
 * decides which of two files with the same module name wins.
 * @see tools/depmod.c (kmod 30) cfg_load, cfg_file_parse, depmod_module_is_higher_priority
 * @module
 */
import type { KmodFs } from './kmod-fs.js';
import { strerror } from './strerror.js';

/** `default_cfg_paths` of kmod 30 (SYSCONFDIR=/etc). */
export const DEPMOD_CONFIG_PATHS = [
  '/etc/depmod.d',
  '/run/depmod.d',
  '/usr/local/lib/depmod.d',
  '/lib/depmod.d',
];

/** A `search` entry. */
export type DepmodSearch =
  | { readonly type: 'path'; readonly path: string }
  | { readonly type: 'built-in' }
  | { readonly type: 'external' };

/** `struct cfg`. */
export interface DepmodCfg {
  /** Kernel release. */
  readonly kversion: string;
  /** `<root>/lib/modules/<kversion>`. */
  readonly dirname: string;
  /** `-P`: a symbol prefix character to strip (`'\0'` for none). */
  symPrefix: string;
  /** `-E`: compare CRCs. */
  checkSymvers: boolean;
  /** `-e`: report unresolved symbols. */
  printUnknown: boolean;
  /** `-w`: warn on duplicates. */
  warnDups: boolean;
  /** `override` entries as `subdir/modname` (newest first, as kmod prepends). */
  overrides: string[];
  /** `search` entries (newest first, as kmod 30 prepends them). */
  searches: DepmodSearch[];
  /** `external` directories (newest first). */
  externals: string[];
  /** `exclude` directory names. */
  excludes: string[];
}

/** A message depmod logs while reading its configuration. */
export interface DepmodCfgMessage {
  /** syslog priority. */
  readonly prio: number;
  /** Text (with its newline). */
  readonly text: string;
}

/** `cfg_kernel_matches`: `*`, or an extended regular expression searched in the release. */
function kernelMatches(kversion: string, pattern: string): boolean {
  if (pattern === '*') return true;
  try {
    return new RegExp(pattern).test(kversion);
  } catch {
    return false;
  }
}

/** `cfg_load`: reads the `.conf` files of `paths` in name order (the first of a name wins). */
export function depmodCfgLoad(
  fs: KmodFs,
  cfg: DepmodCfg,
  paths: readonly string[],
  log: (m: DepmodCfgMessage) => void,
): void {
  const files: { name: string; path: string }[] = [];
  const insert = (name: string, path: string): void => {
    let k = 0;
    while (k < files.length && name > files[k].name) k++;
    if (k < files.length && files[k].name === name) return;
    files.splice(k, 0, { name, path });
  };
  for (const dir of paths) {
    const st = fs.stat(dir);
    if (!st.ok) continue;
    if (st.value.type !== 'dir') {
      insert(dir.slice(dir.lastIndexOf('/') + 1), dir);
      continue;
    }
    const ents = fs.readdir(dir);
    if (!ents.ok) continue;
    for (const e of ents.value) {
      if (e.name.startsWith('.')) continue;
      if (e.name.length < 6 || !e.name.endsWith('.conf')) {
        log({ prio: 6, text: `All cfg files need .conf: ${dir}/${e.name}\n` });
        continue;
      }
      const sub = fs.stat(`${dir}/${e.name}`);
      if (sub.ok && sub.value.type === 'dir') {
        log({ prio: 3, text: `Directories inside directories are not supported: ${dir}/${e.name}\n` });
        continue;
      }
      insert(e.name, `${dir}/${e.name}`);
    }
  }
  for (const f of files) {
    const data = fs.readFile(f.path);
    if (!data.ok) {
      log({ prio: 3, text: `file parse ${f.path}: ${strerror(data.error)}\n` });
      continue;
    }
    parseCfgFile(cfg, f.path, new TextDecoder().decode(data.value), log);
  }
  if (cfg.searches.length === 0) cfg.searches.unshift({ type: 'path', path: 'updates' });
}

function parseCfgFile(
  cfg: DepmodCfg,
  filename: string,
  text: string,
  log: (m: DepmodCfgMessage) => void,
): void {
  const lines = text.replace(/\\\n/g, '').split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  lines.forEach((line, k) => {
    const linenum = k + 1;
    if (line === '' || line.startsWith('#')) return;
    const w = line.split(/[\t ]+/).filter((x) => x !== '');
    const cmd = w[0];
    if (cmd === undefined) return;
    const bad = (): void =>
      log({ prio: 3, text: `${filename}:${linenum}: ignoring bad line starting with '${cmd}'\n` });
    if (cmd === 'search') {
      for (const sp of w.slice(1)) {
        cfg.searches.unshift(
          sp === 'built-in' || sp === 'external' ? { type: sp } : { type: 'path', path: sp },
        );
      }
    } else if (cmd === 'override') {
      const [, modname, version, subdir] = w;
      if (modname === undefined || version === undefined || subdir === undefined) {
        bad();
        return;
      }
      if (!kernelMatches(cfg.kversion, version)) {
        log({ prio: 6, text: `${filename}:${linenum}: override kernel did not match ${version}\n` });
        return;
      }
      cfg.overrides.unshift(`${subdir}/${modname}`);
    } else if (cmd === 'external') {
      const [, version, dir] = w;
      if (version === undefined || dir === undefined) {
        bad();
        return;
      }
      if (!kernelMatches(cfg.kversion, version)) {
        log({ prio: 6, text: `${filename}:${linenum}: external directory did not match ${version}\n` });
        return;
      }
      cfg.externals.unshift(dir);
    } else if (cmd === 'exclude') {
      for (const sp of w.slice(1)) cfg.excludes.unshift(sp);
    } else if (cmd === 'include' || cmd === 'make_map_files') {
      log({ prio: 6, text: `${filename}:${linenum}: command ${cmd} not implemented yet\n` });
    } else bad();
  });
}

/** `depmod_is_path_starts_with`. */
function pathStartsWith(path: string, pathlen: number, prefix: string): boolean {
  if (pathlen <= prefix.length) return false;
  if (path[prefix.length] !== '/') return false;
  return path.startsWith(prefix);
}

/**
 * `depmod_module_is_higher_priority`: whether the module already found at `oldpath` wins over `newpath`.
 * `oldlen`/`newlen` are kmod's lengths (directory + module name + 1), which cut the extension off.
 */
export function isHigherPriority(
  cfg: DepmodCfg,
  oldpath: string,
  oldlen: number,
  newpath: string,
  newlen: number,
): boolean {
  const dl = cfg.dirname.length;
  let relnew: string | undefined;
  let relnewlen = 0;
  let relold: string | undefined;
  let reloldlen = 0;
  if (newpath.startsWith(cfg.dirname)) {
    relnew = newpath.slice(dl + 1);
    relnewlen = newlen - (dl + 1);
  }
  if (oldpath.startsWith(cfg.dirname)) {
    relold = oldpath.slice(dl + 1);
    reloldlen = oldlen - (dl + 1);
  }
  for (const ov of cfg.overrides) {
    if (relnew !== undefined && relnewlen === ov.length && relnew.startsWith(ov)) return false;
    if (relold !== undefined && reloldlen === ov.length && relold.startsWith(ov)) return true;
  }
  let bprio = -1;
  let oldprio = -1;
  let newprio = -1;
  let i = 0;
  for (const se of cfg.searches) {
    if (se.type === 'built-in') bprio = i;
    else if (se.type === 'external') {
      for (const ext of cfg.externals) {
        if (pathStartsWith(newpath, newlen, ext)) newprio = i;
        if (pathStartsWith(oldpath, oldlen, ext)) oldprio = i;
        i++;
      }
    } else {
      const sp = se.path;
      if (
        relnew !== undefined &&
        relnewlen > sp.length &&
        relnew[sp.length] === '/' &&
        relnew.startsWith(sp)
      ) {
        newprio = i;
      } else if (
        relold !== undefined &&
        reloldlen > sp.length &&
        relold[sp.length] === '/' &&
        relold.startsWith(sp)
      ) {
        oldprio = i;
      }
    }
    i++;
  }
  if (newprio < 0) newprio = bprio;
  if (oldprio < 0) oldprio = bprio;
  return newprio <= oldprio;
}
