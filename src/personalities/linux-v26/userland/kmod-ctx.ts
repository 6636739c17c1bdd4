/**
 * A libkmod context (`struct kmod_ctx`): the module directory (`/lib/modules/<release>`), the configuration,
 * the pool of module objects, and the lookups through the binary indexes depmod writes.
 * @see libkmod/libkmod.c, libkmod/libkmod-module.c (kmod 30)
 * @module
 */
import type { ErrnoName } from '../../../abi/errno.js';
import { fail, ok, type Result } from '../../../core/result.js';
import { fnmatch } from './fnmatch.js';
import { type KmodConfig, kmodConfigNew } from './kmod-config.js';
import type { KmodDecompressor } from './kmod-file.js';
import { type KmodFs, pathMakeAbsoluteCwd } from './kmod-fs.js';
import { IndexReader } from './kmod-index.js';

/** `modname_normalize`: `-` → `_`, stopping at the first `.`. */
export function modnameNormalize(name: string): string {
  let out = '';
  for (const c of name) {
    if (c === '.') break;
    out += c === '-' ? '_' : c;
  }
  return out;
}

/** `path_to_modname`: the normalised module name of a path's basename; undefined for an empty basename. */
export function pathToModname(path: string): string | undefined {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base === '' ? undefined : modnameNormalize(base);
}

/** Extensions kmod 30 (Debian: +ZSTD +XZ -ZLIB) treats as module files. Source: shared/util.c kmod_exts. */
export const KMOD_EXTS = ['.ko', '.ko.xz', '.ko.zst'] as const;

/** `path_ends_with_kmod_ext`. */
export function pathEndsWithKmodExt(path: string): boolean {
  return KMOD_EXTS.some((e) => path.length > e.length && path.endsWith(e));
}

/** The characters {@link aliasNormalize} acts on. */
const ALIAS_SPECIAL = /[-[\]]/;

/** `alias_normalize`: `-` → `_` outside brackets; undefined for an unmatched bracket (EINVAL). */
export function aliasNormalize(alias: string): string | undefined {
  // Most aliases have nothing to change: no dash, no bracket.
  if (!ALIAS_SPECIAL.test(alias)) return alias;
  let out = '';
  for (let i = 0; i < alias.length; i++) {
    const c = alias[i];
    if (c === '-') out += '_';
    else if (c === ']') return undefined;
    else if (c === '[') {
      const end = alias.indexOf(']', i);
      if (end < 0) return undefined;
      out += alias.slice(i, end + 1);
      i = end;
    } else out += c;
  }
  return out;
}

/** `struct kmod_module`. */
export class KmodModule {
  /** Absolute path, when known (from a path or from `modules.dep`). */
  path: string | undefined;
  /** Whether the `modules.dep` line was parsed (`init.dep`). */
  initDep = false;
  /** Dependencies from `modules.dep`, in the order libkmod keeps them (reversed line order). */
  deps: KmodModule[] = [];
  /** `builtin`: unknown until looked up. */
  builtin: 'unknown' | 'yes' | 'no' = 'unknown';
  /** Install command from the configuration (once looked up, see {@link KmodModule.getInstallCommands}). */
  installCommands: string | undefined;
  /** Whether {@link KmodModule.installCommands} is known. */
  initInstallCommands = false;
  /** Remove command from the configuration. */
  removeCommands: string | undefined;
  /** Whether {@link KmodModule.removeCommands} is known. */
  initRemoveCommands = false;
  private optionsCache: { value: string | undefined } | undefined;
  /** Helper flag of `kmod_module_probe_insert_module`. */
  visited = false;
  /** Set when the user asked for it or it is a dependency (not a softdep only). */
  required = false;
  /** Set when the module is probed as part of a softdep chain or with commands ignored. */
  ignorecmd = false;

  constructor(
    readonly ctx: KmodCtx,
    readonly name: string,
    readonly alias: string | undefined,
  ) {}

  /** `kmod_module_get_path`: the path, looking it up in `modules.dep.bin` once. */
  getPath(): string | undefined {
    if (this.path !== undefined) return this.path;
    if (this.initDep) return undefined;
    const line = this.ctx.searchModdep(this.name);
    if (line === undefined) return undefined;
    this.ctx.parseDepline(this, line);
    return this.path;
  }

  /** `kmod_module_get_dependencies`. */
  getDependencies(): KmodModule[] {
    if (!this.initDep) {
      const line = this.ctx.searchModdep(this.name);
      if (line !== undefined) this.ctx.parseDepline(this, line);
    }
    return [...this.deps];
  }

  /** `kmod_module_get_install_commands`: the first `install` line whose pattern matches the name. */
  getInstallCommands(): string | undefined {
    if (!this.initInstallCommands) {
      this.installCommands = this.ctx.config.installCommands.find((c) =>
        fnmatch(c.modname, this.name),
      )?.command;
      this.initInstallCommands = true;
    }
    return this.installCommands;
  }

  /** `kmod_module_get_remove_commands`: the first `remove` line whose pattern matches the name. */
  getRemoveCommands(): string | undefined {
    if (!this.initRemoveCommands) {
      this.removeCommands = this.ctx.config.removeCommands.find((c) =>
        fnmatch(c.modname, this.name),
      )?.command;
      this.initRemoveCommands = true;
    }
    return this.removeCommands;
  }

  /** `kmod_module_get_options`: every non-empty `options` line for the name (or alias), joined by spaces. */
  getOptions(): string | undefined {
    if (this.optionsCache === undefined) {
      const parts = this.ctx.config.options
        .filter((o) => o.modname === this.name || (this.alias !== undefined && o.modname === this.alias))
        .map((o) => o.options)
        .filter((o) => o.length >= 1);
      this.optionsCache = { value: parts.length === 0 ? undefined : parts.join(' ') };
    }
    return this.optionsCache.value;
  }

  /** `module_is_blacklisted`. */
  isBlacklisted(): boolean {
    return this.ctx.config.blacklists.includes(this.name);
  }

  /** `kmod_module_is_builtin`. */
  isBuiltin(): boolean {
    if (this.builtin === 'unknown') this.builtin = this.ctx.lookupBuiltinFile(this.name) ? 'yes' : 'no';
    return this.builtin === 'yes';
  }
}

/** What a context needs from its host. */
export interface KmodCtxOptions {
  /** File system. */
  readonly fs: KmodFs;
  /** Module directory; default `/lib/modules/<release>`. */
  readonly dirname?: string;
  /** `uname -r`. */
  readonly release: string;
  /** Decompressor for `.ko.xz` / `.ko.zst`. */
  readonly decompress?: KmodDecompressor;
  /** Configuration paths instead of the default `modprobe.d` directories (`modprobe -C`). */
  readonly configPaths?: readonly string[];
  /** libkmod's logger (`ERR(ctx, ...)`): priority, file, line, function, message. */
  readonly log?: (prio: number, file: string, line: number, fn: string, msg: string) => void;
}

/** `struct kmod_ctx`. */
export class KmodCtx {
  /** `kmod_get_dirname`. */
  readonly dirname: string;
  /** File system calls. */
  readonly fs: KmodFs;
  /** Decompressor for compressed module files. */
  readonly decompress: KmodDecompressor | undefined;
  private readonly pool = new Map<string, KmodModule>();
  /** The configuration (`modprobe.d`, `modules.softdep`, `/proc/cmdline`), read by the constructor. */
  readonly config: KmodConfig;
  private readonly indexCache = new Map<string, IndexReader | undefined>();

  constructor(opts: KmodCtxOptions) {
    this.fs = opts.fs;
    this.dirname = opts.dirname ?? `/lib/modules/${opts.release}`;
    this.decompress = opts.decompress;
    // kmod_new parses the configuration at once, logging bad lines through libkmod's logger.
    this.config = kmodConfigNew(this.fs, this.dirname, opts.configPaths);
    for (const e of this.config.errors) opts.log?.(3, 'libkmod-config.c', e.line, e.fn, e.text);
  }

  /** `kmod_module_new`: the pooled module for `key` (`name` or `name\alias`). */
  private moduleNew(name: string, alias: string | undefined): KmodModule {
    const key = alias === undefined ? name : `${name}\\${alias}`;
    let m = this.pool.get(key);
    if (m === undefined) {
      m = new KmodModule(this, name, alias);
      this.pool.set(key, m);
    }
    return m;
  }

  /** `kmod_module_new_from_name`. */
  newFromName(name: string): KmodModule {
    return this.moduleNew(modnameNormalize(name), undefined);
  }

  /** `kmod_module_new_from_alias`. */
  newFromAlias(alias: string, name: string): KmodModule {
    return this.moduleNew(name, alias);
  }

  /**
   * `kmod_module_new_from_path`: stat's errno, ENOENT for an empty basename, EEXIST when the pool already has
   * this name with another path.
   */
  newFromPath(path: string): Result<KmodModule, ErrnoName> {
    const abspath = pathMakeAbsoluteCwd(this.fs, path);
    const st = this.fs.stat(abspath);
    if (!st.ok) return st;
    const name = pathToModname(path);
    if (name === undefined) return fail('ENOENT');
    const existing = this.pool.get(name);
    if (existing !== undefined) {
      if (existing.path === undefined) existing.path = abspath;
      else if (existing.path !== abspath) return fail('EEXIST');
      existing.builtin = 'no';
      return ok(existing);
    }
    const m = this.moduleNew(name, undefined);
    m.path = abspath;
    m.builtin = 'no';
    return ok(m);
  }

  /** The index `<dirname>/<file>.bin`, read once. */
  private index(file: string): IndexReader | undefined {
    if (!this.indexCache.has(file)) {
      const data = this.fs.readFile(`${this.dirname}/${file}.bin`);
      // A copy: the file system may hand out a reused buffer, and the index is kept.
      this.indexCache.set(file, data.ok ? IndexReader.open(data.value.slice()) : undefined);
    }
    return this.indexCache.get(file);
  }

  /** `kmod_search_moddep`: the `modules.dep` line of a module name. */
  searchModdep(name: string): string | undefined {
    return this.index('modules.dep')?.search(name);
  }

  /** `lookup_builtin_file`. */
  lookupBuiltinFile(name: string): boolean {
    return this.index('modules.builtin')?.search(name) !== undefined;
  }

  /** `kmod_module_parse_depline`: sets the path (relative paths are under dirname) and the dependencies. */
  parseDepline(mod: KmodModule, line: string): void {
    if (mod.initDep) return;
    mod.initDep = true;
    const colon = line.indexOf(':');
    if (colon < 0) return;
    const join = (p: string): string => (p.startsWith('/') ? p : `${this.dirname}/${p}`);
    if (mod.path === undefined) mod.path = join(line.slice(0, colon));
    const deps: KmodModule[] = [];
    for (const p of line
      .slice(colon + 1)
      .split(/[ \t]+/)
      .filter((x) => x !== '')) {
      const dep = this.newFromPath(join(p));
      if (!dep.ok) {
        mod.initDep = false;
        return;
      }
      deps.unshift(dep.value);
    }
    mod.deps = deps;
  }

  /** `kmod_lookup_alias_from_alias_bin`: ENOSYS when the index is missing. */
  private lookupAliasBin(file: string, name: string): Result<KmodModule[], ErrnoName> {
    const idx = this.index(file);
    if (idx === undefined) return fail('ENOSYS');
    return ok(idx.searchWild(name).map((v) => this.newFromAlias(name, v.value)));
  }

  /** `kmod_lookup_alias_from_config`. */
  private lookupFromConfig(name: string): KmodModule[] {
    return this.config.aliases
      .filter((a) => fnmatch(a.name, name))
      .map((a) => this.newFromAlias(a.name, a.modname));
  }

  /** `kmod_lookup_alias_from_moddep_file`. */
  private lookupFromModdep(name: string): KmodModule[] {
    if (name.includes(':')) return [];
    const line = this.searchModdep(name);
    if (line === undefined) return [];
    const m = this.newFromName(name);
    this.parseDepline(m, line);
    return [m];
  }

  /** `kmod_lookup_alias_from_commands`: the first install (else remove) command for this name. */
  private lookupFromCommands(name: string): KmodModule[] {
    const inst = this.config.installCommands.find((c) => c.modname === name);
    if (inst !== undefined) {
      const m = this.newFromName(inst.modname);
      m.installCommands = inst.command;
      m.initInstallCommands = true;
      return [m];
    }
    const rem = this.config.removeCommands.find((c) => c.modname === name);
    if (rem !== undefined) {
      const m = this.newFromName(rem.modname);
      m.removeCommands = rem.command;
      m.initRemoveCommands = true;
      return [m];
    }
    return [];
  }

  /** Clears the probe helper flags of every pooled module (`kmod_set_modules_visited/required(false)`). */
  resetProbeFlags(): void {
    for (const m of this.pool.values()) {
      m.visited = false;
      m.required = false;
    }
  }

  /**
   * `kmod_module_get_softdeps`: the first `softdep` line whose pattern matches, its names looked up (a failed
   * lookup is reported through `onError` and skipped, as libkmod does).
   */
  getSoftdeps(
    mod: KmodModule,
    onError: (depname: string) => void,
  ): { pre: KmodModule[]; post: KmodModule[] } {
    const sd = this.config.softdeps.find((d) => fnmatch(d.name, mod.name));
    if (sd === undefined) return { pre: [], post: [] };
    const lookup = (names: readonly string[]): KmodModule[] => {
      const out: KmodModule[] = [];
      for (const n of names) {
        const r = this.newFromLookup(n);
        if (!r.ok) onError(n);
        else out.push(...r.value);
      }
      return out;
    };
    return { pre: lookup(sd.pre), post: lookup(sd.post) };
  }

  /** The alias or symbol index for `modprobe -c`, dumped as libkmod's `index_mm_dump` prints it. */
  dumpIndex(file: 'modules.alias' | 'modules.symbols'): string {
    return this.index(file)?.dump('alias ') ?? '';
  }

  /** `kmod_lookup_alias_from_builtin_file`. */
  private lookupFromBuiltin(name: string): KmodModule[] {
    if (!this.lookupBuiltinFile(name)) return [];
    const m = this.newFromName(name);
    m.builtin = 'yes';
    return [m];
  }

  /**
   * `kmod_module_new_from_lookup`: config aliases, module names (`modules.dep.bin`), `symbol:` aliases, install
   * and remove commands, module aliases, built-in modules, built-in aliases; the first source with a match wins.
   * EINVAL for an alias with an unmatched bracket.
   */
  newFromLookup(given: string): Result<KmodModule[], ErrnoName> {
    const alias = aliasNormalize(given);
    if (alias === undefined) return fail('EINVAL');
    const steps: (() => Result<KmodModule[], ErrnoName>)[] = [
      () => ok(this.lookupFromConfig(alias)),
      () => ok(this.lookupFromModdep(alias)),
      () => (alias.startsWith('symbol:') ? this.lookupAliasBin('modules.symbols', alias) : ok([])),
      () => ok(this.lookupFromCommands(alias)),
      () => this.lookupAliasBin('modules.alias', alias),
      () => ok(this.lookupFromBuiltin(alias)),
      () => {
        const r = this.lookupAliasBin('modules.builtin.alias', alias);
        if (r.ok) for (const m of r.value) m.builtin = 'yes';
        return r;
      },
    ];
    for (const step of steps) {
      const r = step();
      if (!r.ok && r.error !== 'ENOSYS') return r;
      if (r.ok && r.value.length > 0) return r;
    }
    return ok([]);
  }

  /** `kmod_module_new_from_name_lookup`: by module name only (`modules.dep.bin`, then built-ins). */
  newFromNameLookup(modname: string): KmodModule | undefined {
    const name = modnameNormalize(modname);
    const found = this.lookupFromModdep(name);
    if (found.length > 0) return found[0];
    const builtin = this.lookupFromBuiltin(name);
    if (builtin.length > 0) return builtin[0];
    const r = this.lookupAliasBin('modules.builtin.alias', name);
    if (r.ok && r.value.length > 0) {
      for (const m of r.value) m.builtin = 'yes';
      return r.value[0];
    }
    return undefined;
  }

  /**
   * `kmod_builtin_get_modinfo`: the `key=value` strings of a built-in module from `modules.builtin.modinfo`
   * (`<name>.<key>=<value>\0` records grouped by module). ENOENT without the file, ENOSYS when the module is
   * not in it.
   */
  builtinModinfo(modname: string): Result<string[], ErrnoName> {
    const data = this.fs.readFile(`${this.dirname}/modules.builtin.modinfo`);
    if (!data.ok) return data;
    const text = new TextDecoder().decode(data.value);
    const strings = text.split('\0');
    if (strings.length > 0 && strings[strings.length - 1] === '') strings.pop();
    let i = 0;
    while (i < strings.length) {
      const dot = strings[i].indexOf('.');
      if (dot < 0) break;
      const group = strings[i].slice(0, dot);
      const out: string[] = [];
      while (i < strings.length) {
        const d = strings[i].indexOf('.');
        if (d < 0 || strings[i].slice(0, d) !== group) break;
        out.push(strings[i].slice(d + 1));
        i++;
      }
      if (group === modname) return ok(out);
    }
    return fail('ENOSYS');
  }
}
