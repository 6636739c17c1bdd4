/**
 * The modules installed on the system, as the administration commands see them: every object file in the
 * search-path directories whose metadata can be read. kcmodule lists and configures modules from here.
 * @module
 */
import { KC_STATES, type KcState, MODMETA_SECTION } from '../../abi/hpux/dlkm.js';
import type { Vfs } from '../../core/vfs.js';
import { ElfFile } from '../../elf/elf-file.js';
import type { KcModuleInfo } from './kc-store.js';
import { type ModMeta, parseModMeta } from './modmeta.js';

/** Default version of a loadable module. Source: DLKM guide p. 30 ("given default version 0.1.0"). */
export const DEFAULT_MODULE_VERSION = '0.1.0';

/** An installed module file. */
export interface InstalledModule {
  /** Module name (the file name). */
  readonly name: string;
  /** Where the file is. */
  readonly path: string;
  /** What its metadata says. */
  readonly info: KcModuleInfo;
}

/**
 * kcmodule's view of a module's metadata. Without `capable`, a loadable module is taken to support every state;
 * without `best`, its best state is `auto` if capable, else `loaded`, else `static` (kcmodule(1M) `best`).
 */
export function infoFromMeta(meta: ModMeta): KcModuleInfo {
  const capable: readonly KcState[] = meta.capable ?? KC_STATES;
  const best: KcState =
    meta.best ??
    (capable.includes('auto')
      ? 'auto'
      : capable.includes('loaded')
        ? 'loaded'
        : capable.includes('static')
          ? 'static'
          : 'unused');
  return {
    desc: meta.desc ?? '',
    version: meta.version ?? DEFAULT_MODULE_VERSION,
    type: meta.type ?? '',
    capable: [...capable],
    best,
    depends: [...meta.depends],
    exports: [...meta.exports],
    ...(meta.timestamp === undefined ? {} : { timestamp: meta.timestamp }),
    required: !capable.includes('unused'),
  };
}

/** Reads the metadata of the object at `path` (host side); undefined when it is not a readable module. */
export function readInstalled(vfs: Vfs, path: string, name: string): InstalledModule | undefined {
  const bytes = vfs.readFile(path);
  if (!bytes.ok) return undefined;
  const elf = ElfFile.parse(bytes.value);
  if (!elf.ok) return undefined;
  const s = elf.value.sectionByName(MODMETA_SECTION);
  if (s === undefined) return undefined;
  const data = elf.value.sectionData(s);
  if (!data.ok) return undefined;
  const meta = parseModMeta(data.value);
  if (!meta.ok) return undefined;
  if (meta.value.name !== undefined && meta.value.name !== name) return undefined;
  return { name, path, info: infoFromMeta(meta.value) };
}

/** The first installed file for module `name` along `dirs`. */
export function findInstalled(vfs: Vfs, dirs: readonly string[], name: string): InstalledModule | undefined {
  if (name === '' || name.includes('/')) return undefined;
  for (const d of dirs) {
    const m = readInstalled(vfs, `${d.endsWith('/') ? d.slice(0, -1) : d}/${name}`, name);
    if (m !== undefined) return m;
  }
  return undefined;
}

/** Every installed module along `dirs` (the first directory holding a name wins), by name. */
export function listInstalled(vfs: Vfs, dirs: readonly string[]): InstalledModule[] {
  const seen = new Map<string, InstalledModule>();
  for (const d of dirs) {
    const names = vfs.readdir(d);
    if (!names.ok) continue;
    for (const name of names.value) {
      if (seen.has(name)) continue;
      const m = readInstalled(vfs, `${d.endsWith('/') ? d.slice(0, -1) : d}/${name}`, name);
      if (m !== undefined) seen.set(name, m);
    }
  }
  return [...seen.values()];
}
