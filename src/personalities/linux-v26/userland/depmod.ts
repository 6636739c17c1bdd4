/**
 * kmod's `depmod`: finds every module under `<root>/lib/modules/<release>`, resolves each module's undefined
 * symbols against the others' exports (and `vmlinux`'s from `-E Module.symvers` / `-F System.map`), orders
 * the modules topologically, and writes `modules.dep`, `modules.alias`, `modules.softdep`, `modules.symbols`,
 * `modules.devname` and the binary indexes, byte for byte as kmod 30 does (its hash-table iteration order and
 * `modules.order` sorting included).
 * @see tools/depmod.c (kmod 30) do_depmod, depmod_load, depmod_calculate_dependencies, depmod_output
 * @module
 */
import { Buffer } from 'node:buffer';
import type { ErrnoName } from '../../../abi/errno.js';
import type { ToolResult } from '../../personality.js';
import { DepSymbolArena } from './dep-symbol-arena.js';
import { DEPMOD_CONFIG_PATHS, type DepmodCfg, depmodCfgLoad, isHigherPriority } from './depmod-config.js';
import { getoptLong, type LongOption } from './getopt.js';
import { KmodAbort } from './kmod-abort.js';
import { aliasNormalize, pathEndsWithKmodExt, pathToModname } from './kmod-ctx.js';
import { KmodElf } from './kmod-elf.js';
import { type KmodFile, kmodFileMap } from './kmod-file.js';
import { type KmodFs, pathMakeAbsoluteCwd } from './kmod-fs.js';
import { KmodHash } from './kmod-hash.js';
import { IndexWriter } from './kmod-index.js';
import {
  KMOD_VERSION_TEXT,
  type KmodEnv,
  type KmodIo,
  LOG_CRIT,
  LOG_ERR,
  LOG_WARNING,
  runKmodTool,
} from './kmod-tool.js';
import { strerror } from './strerror.js';

const CMDOPTS = 'aAb:C:E:F:euqrvnP:wmVh';
const LONGOPTS: readonly LongOption[] = [
  { name: 'all', hasArg: 'none', val: 'a' },
  { name: 'quick', hasArg: 'none', val: 'A' },
  { name: 'basedir', hasArg: 'required', val: 'b' },
  { name: 'config', hasArg: 'required', val: 'C' },
  { name: 'symvers', hasArg: 'required', val: 'E' },
  { name: 'filesyms', hasArg: 'required', val: 'F' },
  { name: 'errsyms', hasArg: 'none', val: 'e' },
  { name: 'unresolved-error', hasArg: 'none', val: 'u' },
  { name: 'quiet', hasArg: 'none', val: 'q' },
  { name: 'root', hasArg: 'none', val: 'r' },
  { name: 'verbose', hasArg: 'none', val: 'v' },
  { name: 'show', hasArg: 'none', val: 'n' },
  { name: 'dry-run', hasArg: 'none', val: 'n' },
  { name: 'symbol-prefix', hasArg: 'required', val: 'P' },
  { name: 'warn', hasArg: 'none', val: 'w' },
  { name: 'map', hasArg: 'none', val: 'm' },
  { name: 'version', hasArg: 'none', val: 'V' },
  { name: 'help', hasArg: 'none', val: 'h' },
];

function help(prog: string): string {
  return (
    'Usage:\n' +
    `\t${prog} -[aA] [options] [forced_version]\n` +
    '\n' +
    'If no arguments (except options) are given, "depmod -a" is assumed\n' +
    '\n' +
    'depmod will output a dependency list suitable for the modprobe utility.\n' +
    '\n' +
    'Options:\n' +
    '\t-a, --all            Probe all modules\n' +
    "\t-A, --quick          Only does the work if there's a new module\n" +
    '\t-e, --errsyms        Report not supplied symbols\n' +
    '\t-n, --show           Write the dependency file on stdout only\n' +
    '\t-P, --symbol-prefix  Architecture symbol prefix\n' +
    '\t-C, --config=PATH    Read configuration from PATH\n' +
    '\t-v, --verbose        Enable verbose mode\n' +
    '\t-w, --warn           Warn on duplicates\n' +
    '\t-V, --version        show version\n' +
    '\t-h, --help           show this help\n' +
    '\n' +
    'The following options are useful for people managing distributions:\n' +
    '\t-b, --basedir=DIR    Use an image of a module tree.\n' +
    '\t-F, --filesyms=FILE  Use the file instead of the\n' +
    '\t                     current kernel symbols.\n' +
    '\t-E, --symvers=FILE   Use Module.symvers file to check\n' +
    '\t                     symbol versions.\n'
  );
}

/** A JS string as C sees it: its UTF-8 bytes, one character per byte. */
function toBytes(s: string): string {
  return NON_ASCII.test(s) ? Buffer.from(s, 'utf8').toString('latin1') : s;
}

/** A character whose UTF-8 encoding is not itself (text without one is its own byte string). */
const NON_ASCII = /[\u0080-\uffff]/;

/** The inverse of {@link toBytes}, for messages (bytes that are not UTF-8 show as U+FFFD). */
function fromBytes(s: string): string {
  return Buffer.from(s, 'latin1').toString('utf8');
}

/** Contents of a file as a byte string. */
function bytesText(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1');
}

/**
 * `struct mod`. `path` is the file system's path; every other text field is a byte string (see
 * {@link toBytes}): depmod hashes, sorts and writes C bytes.
 */
interface Mod {
  readonly path: string;
  readonly relpath: string | undefined;
  readonly uncrelpath: string | undefined;
  readonly modname: string;
  /** Index of the last `/` in `path` (`mod->baselen`). */
  readonly baselen: number;
  sortIdx: number;
  depSortIdx: number;
  idx: number;
  users: number;
  readonly deps: Mod[];
  readonly depSet: Set<Mod>;
  visited: boolean;
  /** Values of the `.modinfo` `alias` entries, in order (the only keys depmod writes out, with `softdep`). */
  aliases: string[];
  /** Values of the `.modinfo` `softdep` entries, in order. */
  softdeps: string[];
  /** This module's dependency symbols: indices `[depSymFrom, depSymTo)` of {@link Depmod.depSyms}. */
  depSymFrom: number;
  depSymTo: number;
  /** The `modules.dep` line, once computed (the dependencies are final by then). */
  depLine: string | undefined;
}

/** Bytes at the end of a module that {@link Depmod.loadModules} reads in one go. */
const TAIL_PREFETCH = 16384;

const ALIAS_KEY = Uint8Array.from('alias', (c) => c.charCodeAt(0));
const SOFTDEP_KEY = Uint8Array.from('softdep', (c) => c.charCodeAt(0));

/**
 * Where the key ends (its `=`, or the end of the string) when the `.modinfo` string `m[start, end)` has the key
 * `key`; undefined otherwise.
 */
function keyEndOf(m: Uint8Array, start: number, end: number, key: Uint8Array): number | undefined {
  const keyEnd = start + key.length;
  if (keyEnd > end || (keyEnd < end && m[keyEnd] !== 0x3d)) return undefined;
  for (let i = 0; i < key.length; i++) if (m[start + i] !== key[i]) return undefined;
  return keyEnd;
}

/** `struct symbol`. */
interface Sym {
  readonly name: string;
  readonly owner: Mod | undefined;
  readonly crc: bigint;
}

/** The files depmod writes, in its order, with their contents (undefined: not written in `-n` mode). */
export interface DepmodOutputFile {
  /** File name in the module directory. */
  readonly name: string;
  /** Contents. */
  readonly data: Uint8Array | string;
}

class Depmod {
  readonly modules: Mod[] = [];
  readonly byUncrelpath = new KmodHash<Mod>(512);
  readonly byName = new KmodHash<Mod>(512);
  readonly symbols = new KmodHash<Sym>(2048);
  readonly depSyms = new DepSymbolArena();

  constructor(
    readonly cfg: DepmodCfg,
    readonly fs: KmodFs,
    readonly env: KmodEnv,
    readonly io: KmodIo,
  ) {}

  /** `depmod_module_add`. */
  moduleAdd(path: string, modname: string): boolean {
    const dirname = toBytes(this.cfg.dirname);
    const pathB = toBytes(path);
    const lastslash = pathB.lastIndexOf('/');
    const relpath =
      pathB.startsWith(dirname) && pathB[dirname.length] === '/'
        ? pathB.slice(dirname.length + 1)
        : undefined;
    let uncrelpath: string | undefined;
    if (relpath !== undefined) {
      const relLastslash = lastslash - (dirname.length + 1);
      // kmod copies dir + '/' + as many basename chars as the module name has, plus 3 (".ko").
      uncrelpath = relpath.slice(0, relLastslash + 1 + modname.length + 3);
    }
    const mod: Mod = {
      path,
      relpath,
      uncrelpath,
      modname,
      baselen: lastslash,
      sortIdx: this.modules.length + 1,
      depSortIdx: 0x7fffffff,
      idx: 0,
      users: 0,
      deps: [],
      depSet: new Set(),
      visited: false,
      aliases: [],
      softdeps: [],
      depSymFrom: 0,
      depSymTo: 0,
      depLine: undefined,
    };
    if (!this.byName.addUnique(modname, mod)) {
      this.io.log(LOG_ERR, `hash_add_unique ${fromBytes(modname)}: ${strerror('EEXIST')}\n`);
      return false;
    }
    if (uncrelpath !== undefined && !this.byUncrelpath.addUnique(uncrelpath, mod)) {
      this.io.log(LOG_ERR, `hash_add_unique ${fromBytes(uncrelpath)}: ${strerror('EEXIST')}\n`);
      this.byName.del(modname);
      return false;
    }
    return true;
  }

  /** `depmod_module_del`. */
  moduleDel(mod: Mod): void {
    if (mod.uncrelpath !== undefined) this.byUncrelpath.del(mod.uncrelpath);
    this.byName.del(mod.modname);
  }

  /** `depmod_modules_search_file`. */
  searchFile(path: string, baselen: number, name: string): void {
    if (!pathEndsWithKmodExt(name)) return;
    const modname = pathToModname(toBytes(path));
    if (modname === undefined) {
      this.io.log(LOG_ERR, `could not get modname from path ${path}\n`);
      return;
    }
    const existing = this.byName.find(modname);
    if (existing !== undefined) {
      const newlen = baselen + modname.length;
      const oldlen = existing.baselen + modname.length + 1;
      if (isHigherPriority(this.cfg, existing.path, oldlen, path, newlen)) return;
      this.moduleDel(existing);
    }
    const st = this.fs.stat(path);
    if (!st.ok) {
      this.io.log(LOG_ERR, `could not create module ${path}: ${strerror(st.error)}\n`);
      return;
    }
    this.moduleAdd(path, modname);
  }

  /** `depmod_modules_search_dir`. */
  searchDir(dir: string): void {
    const ents = this.fs.readdir(dir);
    if (!ents.ok) return;
    for (const de of ents.value) {
      const name = de.name;
      if (name === '.' || name === '..' || name === 'build' || name === 'source') continue;
      if (this.cfg.excludes.includes(name)) continue;
      const path = `${dir}/${name}`;
      let isDir: boolean;
      if (de.type === 'file') isDir = false;
      else if (de.type === 'dir') isDir = true;
      else {
        const st = this.fs.stat(path);
        if (!st.ok) {
          this.io.log(LOG_ERR, `fstatat(${dir}, ${name}): ${strerror(st.error)}\n`);
          continue;
        }
        if (st.value.type === 'other') {
          this.io.log(LOG_ERR, `unsupported file type ${path}\n`);
          continue;
        }
        isDir = st.value.type === 'dir';
      }
      if (isDir) this.searchDir(path);
      else this.searchFile(path, dir.length + 1, name);
    }
  }

  /** `depmod_modules_search`: the module directory, then each `external` directory. */
  search(): ErrnoName | undefined {
    const st = this.fs.readdir(this.cfg.dirname);
    if (!st.ok) {
      this.io.log(LOG_ERR, `could not open directory ${this.cfg.dirname}: ${strerror(st.error)}\n`);
      return st.error;
    }
    this.searchDir(this.cfg.dirname);
    for (const ext of this.cfg.externals) this.searchDir(ext);
    return undefined;
  }

  /** `depmod_modules_build_array`: modules in `modules_by_name` iteration order. */
  buildArray(): void {
    for (const [, mod] of this.byName.entries()) {
      mod.idx = this.modules.length;
      this.modules.push(mod);
    }
  }

  /** `depmod_modules_sort`: modules listed in `modules.order` first, in its order. */
  sortByOrderFile(): void {
    const data = this.readAux('modules.order');
    if (data === undefined) return;
    const text = bytesText(data);
    const lines = text.split('\n');
    const last = lines.pop();
    if (last !== undefined && last !== '') {
      this.io.log(
        LOG_ERR,
        `${this.cfg.dirname}/modules.order:${lines.length + 1} corrupted line misses '\\n'\n`,
      );
      return;
    }
    const total = lines.length + 1;
    lines.forEach((line, k) => {
      const mod = this.byUncrelpath.find(line);
      if (mod !== undefined) mod.sortIdx = k + 1 - total;
    });
    this.modules.sort((a, b) => a.sortIdx - b.sortIdx);
    this.modules.forEach((m, i) => {
      m.idx = i;
    });
  }

  /** `depmod_symbol_add`. */
  symbolAdd(name: string, prefixSkipped: boolean, crc: bigint, owner: Mod | undefined): void {
    const n = !prefixSkipped && name[0] === this.cfg.symPrefix ? name.slice(1) : name;
    this.symbols.add(n, { name: n, owner, crc });
  }

  /** `depmod_symbol_find`. */
  symbolFind(name: string): Sym | undefined {
    let n = name;
    if (n[0] === '.') n = n.slice(1);
    if (n[0] === this.cfg.symPrefix) n = n.slice(1);
    return this.symbols.find(n);
  }

  /** `depmod_load_modules`: exports, info and dependency symbols of every module, each file mapped once. */
  loadModules(): void {
    for (const mod of this.modules) {
      const file = kmodFileMap(this.fs, mod.path, this.env.decompress);
      if (!file.ok) {
        if (file.error !== 'ENOENT')
          this.io.log(LOG_ERR, `failed to load symbols from ${mod.path}: ${strerror(file.error)}\n`);
        continue;
      }
      try {
        this.loadModule(mod, file.value);
      } finally {
        file.value.release();
      }
    }
  }

  /** One module of {@link Depmod.loadModules}, from its (mapped) file. */
  private loadModule(mod: Mod, file: KmodFile): void {
    // The linker puts .symtab, .strtab, .shstrtab and the section headers last, where depmod reads most: one
    // read of the file's tail instead of one per table (a small module is read whole).
    file.fault(file.memory.length - TAIL_PREFETCH, TAIL_PREFETCH);
    const elf = KmodElf.open(file.memory, 'latin1', file.fault);
    if (!elf.ok) {
      this.io.log(LOG_ERR, `failed to load symbols from ${mod.path}: ${strerror(elf.error)}\n`);
      return;
    }
    const syms = elf.value.symbols();
    if (syms.ok) {
      for (const s of syms.value) this.symbolAdd(s.symbol, false, s.crc, mod);
    } else if (syms.error !== 'ENOENT') {
      this.io.log(LOG_ERR, `failed to load symbols from ${mod.path}: ${strerror(syms.error)}\n`);
    }
    const info = elf.value.stringRanges('.modinfo');
    if (info.ok) {
      // Only alias= and softdep= strings are kept, and only their values decoded (a key is the text before the
      // first '=': "alias" alone is the key alias with an empty value).
      const m = elf.value.memory;
      const r = info.value;
      for (let k = 0; k < r.length; k += 2) {
        const start = r[k];
        const end = r[k + 1];
        const keyEnd = keyEndOf(m, start, end, ALIAS_KEY) ?? keyEndOf(m, start, end, SOFTDEP_KEY);
        if (keyEnd === undefined) continue;
        const value = keyEnd < end ? elf.value.text(keyEnd + 1, end) : '';
        if (keyEnd - start === ALIAS_KEY.length) mod.aliases.push(value);
        else mod.softdeps.push(value);
      }
    }
    const arena = this.depSyms;
    const from = arena.count;
    const memory = elf.value.memory;
    const deps = elf.value.visitDependencySymbols((start, end, crc, weak) => {
      arena.add(memory, start, end, crc, weak);
    });
    if (deps.ok) {
      mod.depSymFrom = from;
      mod.depSymTo = arena.count;
    } else arena.truncate(from);
  }

  /** `depmod_load_dependencies`. */
  loadDependencies(): void {
    const arena = this.depSyms;
    for (const mod of this.modules) {
      for (let i = mod.depSymFrom; i < mod.depSymTo; i++) {
        const symbol = arena.name(i);
        const sym = this.symbolFind(symbol);
        const isWeak = arena.isWeak(i);
        if (sym === undefined) {
          if (this.cfg.printUnknown && !isWeak)
            this.io.log(LOG_WARNING, `${mod.path} needs unknown symbol ${fromBytes(symbol)}\n`);
          continue;
        }
        if (this.cfg.checkSymvers && sym.crc !== arena.crc(i) && !isWeak) {
          if (this.cfg.printUnknown)
            this.io.log(LOG_WARNING, `${mod.path} disagrees about version of symbol ${fromBytes(symbol)}\n`);
        }
        const owner = sym.owner;
        if (owner === undefined || mod.depSet.has(owner)) continue;
        mod.deps.push(owner);
        mod.depSet.add(owner);
        owner.users++;
        if (this.io.logPriority > LOG_WARNING)
          this.io.out(`${mod.path} needs "${fromBytes(sym.name)}": ${owner.path}\n`);
      }
    }
  }

  /** `depmod_calculate_dependencies`: topological sort; false after reporting cycles. */
  calculateDependencies(): boolean {
    const n = this.modules.length;
    const users = new Int32Array(n);
    const roots: number[] = [];
    for (let i = 0; i < n; i++) {
      users[i] = this.modules[i].users;
      if (users[i] === 0) roots.push(i);
    }
    let nSorted = 0;
    while (roots.length > 0) {
      const srcIdx = roots.pop() as number;
      const src = this.modules[srcIdx];
      src.depSortIdx = nSorted++;
      for (const dst of src.deps) {
        users[dst.idx]--;
        if (users[dst.idx] === 0) roots.push(dst.idx);
      }
    }
    if (nSorted < n) {
      this.reportCycles(users);
      return false;
    }
    for (const m of this.modules) if (m.deps.length > 1) m.deps.sort((a, b) => a.depSortIdx - b.depSortIdx);
    return true;
  }

  /** `depmod_report_cycles`. */
  private reportCycles(users: Int32Array): void {
    let roots: Mod[] = [];
    for (let i = 0; i < this.modules.length; i++) if (users[i] > 0) roots.push(this.modules[i]);
    const stackSize = roots.length;
    const loopSet = new Set<string>();
    interface Vertex {
      readonly parent: Vertex | undefined;
      readonly mod: Mod;
    }
    const removeRoot = (m: Mod): void => {
      const k = roots.indexOf(m);
      if (k >= 0) roots = [...roots.slice(0, k), ...roots.slice(k + 1)];
    };
    while (roots.length > 0) {
      const rootMod = roots[0];
      roots = roots.slice(1);
      const root: Vertex = { parent: undefined, mod: rootMod };
      const stack: Vertex[] = [root];
      while (stack.length > 0) {
        const vertex = stack.pop() as Vertex;
        const m = vertex.mod;
        if (m.visited && m === root.mod) {
          const reverse: Vertex[] = [];
          for (let v = vertex.parent; v !== undefined; v = v.parent) {
            reverse.push(v);
            loopSet.add(v.mod.modname);
          }
          let buf = '';
          for (let i = reverse.length - 1; i >= 0; i--) {
            buf += `${fromBytes(reverse[i].mod.modname)} -> `;
            removeRoot(reverse[i].mod);
          }
          buf += fromBytes(vertex.mod.modname);
          this.io.log(LOG_ERR, `Cycle detected: ${buf}\n`);
          continue;
        }
        m.visited = true;
        if (m.deps.length === 0) {
          removeRoot(m);
          continue;
        }
        for (const dep of m.deps) {
          if (stack.length >= stackSize) {
            throw new KmodAbort(
              '../tools/depmod.c',
              1851,
              'depmod_report_cycles_from_root',
              'is < stack_size',
            );
          }
          stack.push({ parent: vertex, mod: dep });
        }
      }
    }
    this.io.log(LOG_ERR, `Found ${loopSet.size} modules in dependency cycles!\n`);
  }

  /** `mod_get_all_sorted_dependencies`: the transitive closure sorted by topological index. */
  allSortedDependencies(mod: Mod): Mod[] {
    const out: Mod[] = [];
    const seen = new Set<Mod>();
    const fill = (m: Mod): void => {
      for (const d of m.deps) {
        if (seen.has(d)) continue;
        seen.add(d);
        out.push(d);
        fill(d);
      }
    };
    fill(mod);
    out.sort((a, b) => a.depSortIdx - b.depSortIdx);
    return out;
  }

  compressedPath(mod: Mod): string {
    return mod.relpath ?? toBytes(mod.path);
  }

  depLine(mod: Mod): string {
    // modules.dep and modules.dep.bin both need every line: computed once.
    if (mod.depLine !== undefined) return mod.depLine;
    let line = `${this.compressedPath(mod)}:`;
    for (const d of this.allSortedDependencies(mod)) line += ` ${this.compressedPath(d)}`;
    mod.depLine = line;
    return line;
  }

  outputDeps(): string {
    let out = '';
    for (const mod of this.modules) out += `${this.depLine(mod)}\n`;
    return out;
  }

  outputDepsBin(): Uint8Array {
    const idx = new IndexWriter();
    for (const mod of this.modules) {
      const line = this.depLine(mod);
      const dup = idx.insert(mod.modname, line, mod.idx);
      if (dup && this.cfg.warnDups) this.io.log(LOG_WARNING, `duplicate module deps:\n${fromBytes(line)}\n`);
    }
    return idx.write();
  }

  outputAliases(): string {
    let out = '# Aliases extracted from modules themselves.\n';
    for (const mod of this.modules) {
      for (const value of mod.aliases) out += `alias ${value} ${mod.modname}\n`;
    }
    return out;
  }

  outputAliasesBin(): Uint8Array {
    const idx = new IndexWriter();
    for (const mod of this.modules) {
      for (const value of mod.aliases) {
        const alias = aliasNormalize(value);
        if (alias === undefined) {
          this.io.log(LOG_WARNING, `Unmatched bracket in ${fromBytes(value)}\n`);
          continue;
        }
        const dup = idx.insert(alias, mod.modname, mod.idx);
        if (dup && this.cfg.warnDups)
          this.io.log(
            LOG_WARNING,
            `duplicate module alias:\n${fromBytes(alias)} ${fromBytes(mod.modname)}\n`,
          );
      }
    }
    return idx.write();
  }

  outputSoftdeps(): string {
    let out = '# Soft dependencies extracted from modules themselves.\n';
    for (const mod of this.modules) {
      for (const value of mod.softdeps) out += `softdep ${mod.modname} ${value}\n`;
    }
    return out;
  }

  outputSymbols(): string {
    let out = '# Aliases for symbols, used by symbol_request().\n';
    for (const [, sym] of this.symbols.entries()) {
      if (sym.owner !== undefined) out += `alias symbol:${sym.name} ${sym.owner.modname}\n`;
    }
    return out;
  }

  outputSymbolsBin(): Uint8Array {
    const idx = new IndexWriter();
    for (const [, sym] of this.symbols.entries()) {
      if (sym.owner === undefined) continue;
      const alias = `symbol:${sym.name}`;
      const dup = idx.insert(alias, sym.owner.modname, sym.owner.idx);
      if (dup && this.cfg.warnDups)
        this.io.log(
          LOG_WARNING,
          `duplicate module syms:\n${fromBytes(alias)} ${fromBytes(sym.owner.modname)}\n`,
        );
    }
    return idx.write();
  }

  /** A file of the module directory, or the warning `dfdopen` prints. */
  private readAux(name: string): Uint8Array | undefined {
    const data = this.fs.readFile(`${this.cfg.dirname}/${name}`);
    if (data.ok) return data.value;
    this.io.log(LOG_WARNING, `could not open ${name} at ${this.cfg.dirname}: ${strerror(data.error)}\n`);
    return undefined;
  }

  /** `output_builtin_bin`: an index of `modules.builtin`; an empty file when there is none (as kmod leaves it). */
  outputBuiltinBin(): Uint8Array {
    const idx = new IndexWriter();
    const data = this.readAux('modules.builtin');
    if (data === undefined) return new Uint8Array(0);
    const text = bytesText(data);
    for (const raw of splitLinesKeepingNewline(text)) {
      if (!/^[A-Za-z]/.test(raw)) {
        this.io.log(LOG_ERR, `Invalid modules.builtin line: ${fromBytes(raw)}`);
        continue;
      }
      const modname = pathToModname(raw) ?? '';
      idx.insert(modname, '', 0);
    }
    return idx.write();
  }

  /** `output_builtin_alias_bin`: aliases of built-in modules from `modules.builtin.modinfo`. */
  outputBuiltinAliasBin(): Uint8Array {
    const idx = new IndexWriter();
    const data = this.readAux('modules.builtin.modinfo');
    if (data === undefined) return new Uint8Array(0);
    const text = bytesText(data);
    for (const rec of text.split('\0')) {
      const dot = rec.indexOf('.');
      if (dot <= 0) continue;
      const eq = rec.indexOf('=', dot + 1);
      if (eq < 0) continue;
      if (rec.slice(dot + 1, eq) !== 'alias') continue;
      const value = rec.slice(eq + 1);
      if (value === '') continue;
      const alias = aliasNormalize(value);
      if (alias === undefined) {
        this.io.log(LOG_WARNING, `Unmatched bracket in ${fromBytes(value)}\n`);
        continue;
      }
      idx.insert(alias, rec.slice(0, dot), 0);
    }
    return idx.write();
  }

  outputDevname(): string {
    let out = '';
    let empty = true;
    for (const mod of this.modules) {
      let devname: string | undefined;
      let type = '';
      let major = 0;
      let minor = 0;
      for (const value of mod.aliases) {
        if (value.startsWith('devname:')) devname = value.slice('devname:'.length);
        else {
          const c = /^char-major-\s*\+?(\d+)-\s*\+?(\d+)/.exec(value);
          const b = /^block-major-\s*\+?(\d+)-\s*\+?(\d+)/.exec(value);
          const m = c ?? b;
          if (m !== null) {
            type = c !== null ? 'c' : 'b';
            major = Number(m[1]) >>> 0;
            minor = Number(m[2]) >>> 0;
          }
        }
        if (type !== '' && devname !== undefined) break;
      }
      if (devname === undefined) continue;
      if (type !== '') {
        if (empty) {
          out += '# Device nodes to trigger on-demand module loading.\n';
          empty = false;
        }
        out += `${mod.modname} ${devname} ${type}${major}:${minor}\n`;
      } else {
        this.io.log(
          LOG_ERR,
          `Module '${fromBytes(mod.modname)}' has devname (${fromBytes(devname)}) but lacks major and minor information. Ignoring.\n`,
        );
      }
    }
    return out;
  }

  /** `depmod_output`: every file in kmod's order; in `-n` mode only the text ones, concatenated on stdout. */
  output(toStdout: boolean): DepmodOutputFile[] {
    const files: [string, () => Uint8Array | string][] = [
      ['modules.dep', () => this.outputDeps()],
      ['modules.dep.bin', () => this.outputDepsBin()],
      ['modules.alias', () => this.outputAliases()],
      ['modules.alias.bin', () => this.outputAliasesBin()],
      ['modules.softdep', () => this.outputSoftdeps()],
      ['modules.symbols', () => this.outputSymbols()],
      ['modules.symbols.bin', () => this.outputSymbolsBin()],
      ['modules.builtin.bin', () => this.outputBuiltinBin()],
      ['modules.builtin.alias.bin', () => this.outputBuiltinAliasBin()],
      ['modules.devname', () => this.outputDevname()],
    ];
    const out: DepmodOutputFile[] = [];
    for (const [name, make] of files) {
      if (toStdout && name.endsWith('.bin')) continue;
      const data = make();
      out.push({ name, data: typeof data === 'string' ? Buffer.from(data, 'latin1') : data });
    }
    return out;
  }

  /** `depmod_load_symvers`: the `vmlinux` entries of a `Module.symvers`. */
  loadSymvers(filename: string): ErrnoName | undefined {
    const data = this.fs.readFile(filename);
    if (!data.ok) return data.error;
    const text = bytesText(data.value);
    let linenum = 0;
    for (const line of text.split('\n')) {
      linenum++;
      const tok = line.split(/[ \t]+/).filter((x) => x !== '');
      if (tok.length < 3) continue;
      const [ver, sym, where] = tok;
      if (where !== 'vmlinux') continue;
      const m = /^\s*(?:0[xX])?([0-9a-fA-F]+)$/.exec(ver);
      if (m === null) {
        this.io.log(LOG_ERR, `${filename}:${linenum} Invalid symbol version ${fromBytes(ver)}: Success\n`);
        continue;
      }
      this.symbolAdd(sym, false, BigInt(`0x${m[1]}`), undefined);
    }
    this.addFakeSyms();
    return undefined;
  }

  /** `depmod_load_system_map`: the `__ksymtab_*` entries of a `System.map`. */
  loadSystemMap(filename: string): ErrnoName | undefined {
    const data = this.fs.readFile(filename);
    if (!data.ok) return data.error;
    const text = bytesText(data.value);
    let linenum = 0;
    for (const raw of splitLinesKeepingNewline(text)) {
      linenum++;
      const s1 = raw.indexOf(' ');
      const s2 = s1 < 0 ? -1 : raw.indexOf(' ', s1 + 1);
      if (s2 < 0) {
        this.io.log(LOG_ERR, `${filename}:${linenum}: invalid line: ${fromBytes(raw)}`);
        continue;
      }
      let p = raw.slice(s2 + 1);
      if (p[0] === this.cfg.symPrefix) p = p.slice(1);
      if (!p.startsWith('__ksymtab_')) continue;
      const nl = p.indexOf('\n');
      if (nl >= 0) p = p.slice(0, nl);
      this.symbolAdd(p.slice('__ksymtab_'.length), true, 0n, undefined);
    }
    this.addFakeSyms();
    return undefined;
  }

  /** `depmod_add_fake_syms`. */
  private addFakeSyms(): void {
    this.symbolAdd('__this_module', true, 0n, undefined);
    this.symbolAdd('_GLOBAL_OFFSET_TABLE_', true, 0n, undefined);
    if (this.symbolFind('TOC.') === undefined) this.symbolAdd('TOC.', true, 0n, undefined);
  }
}

function splitLinesKeepingNewline(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl + 1;
    out.push(text.slice(start, end));
    start = end;
  }
  return out;
}

/** `is_version_number`: `sscanf(version, "%u.%u")` matches two numbers. */
function isVersionNumber(v: string): boolean {
  return /^\s*[+-]?\d+\.\s*[+-]?\d+/.test(v);
}

/** Result of {@link depmodRun}: what the tool printed, its status, and the files it wrote. */
export interface DepmodRunResult extends ToolResult {
  /** Files written into the module directory (empty in `-n` mode or on failure). */
  readonly files: readonly DepmodOutputFile[];
  /** The module directory. */
  readonly dirname?: string;
}

/**
 * Runs `depmod argv...` in `env` and writes its files into the module directory through `env.fs`. Also returns
 * the files, so the host fast path and tests can inspect them.
 */
export function depmodRun(argv: readonly string[], env: KmodEnv): DepmodRunResult {
  let files: DepmodOutputFile[] = [];
  let dirname: string | undefined;
  const result = runKmodTool('depmod', (io) => {
    let all = false;
    let maybeAll = false;
    let toStdout = false;
    let root: string | undefined;
    const configPaths: string[] = [];
    let systemMap: string | undefined;
    let moduleSymvers: string | undefined;
    let verbose = LOG_WARNING;
    const cfgFlags = { symPrefix: '\0', checkSymvers: false, printUnknown: false, warnDups: false };
    const parsed = getoptLong('depmod', argv, CMDOPTS, LONGOPTS);
    for (const o of parsed.options) {
      switch (o.opt) {
        case 'a':
          all = true;
          break;
        case 'A':
          maybeAll = true;
          break;
        case 'b':
          root = pathMakeAbsoluteCwd(env.fs, o.arg ?? '');
          break;
        case 'C':
          configPaths.push(o.arg ?? '');
          break;
        case 'E':
          moduleSymvers = o.arg;
          cfgFlags.checkSymvers = true;
          break;
        case 'F':
          systemMap = o.arg;
          break;
        case 'e':
          cfgFlags.printUnknown = true;
          break;
        case 'v':
          verbose++;
          break;
        case 'n':
          toStdout = true;
          break;
        case 'P':
          if ((o.arg ?? '').length !== 1) {
            io.log(LOG_CRIT, '-P only takes a single char\n');
            return 1;
          }
          cfgFlags.symPrefix = o.arg ?? '\0';
          break;
        case 'w':
          cfgFlags.warnDups = true;
          break;
        case 'u':
        case 'q':
        case 'r':
        case 'm':
          if (o.longIndex !== undefined && o.longIndex > 0)
            io.log(LOG_WARNING, `Ignored deprecated option --${LONGOPTS[o.longIndex].name}\n`);
          else io.log(LOG_WARNING, `Ignored deprecated option -${o.opt}\n`);
          break;
        case 'h':
          io.out(help('depmod'));
          return 0;
        case 'V':
          io.out(KMOD_VERSION_TEXT);
          return 0;
        default:
          io.err(o.error ?? '');
          return 1;
      }
    }
    let operands = parsed.operands;
    let kversion: string;
    if (operands.length > 0) {
      if (!isVersionNumber(operands[0])) {
        io.log(LOG_ERR, `Bad version passed ${operands[0]}\n`);
        return 1;
      }
      kversion = operands[0];
      operands = operands.slice(1);
    } else {
      kversion = env.release;
    }
    dirname = `${root ?? ''}/lib/modules/${kversion}`;
    if (operands.length === 0) all = true;
    const cfg: DepmodCfg = {
      kversion,
      dirname,
      ...cfgFlags,
      overrides: [],
      searches: [],
      externals: [],
      excludes: [],
    };
    if (maybeAll) {
      if (toStdout) return 0;
      if (depfileUpToDate(env.fs, dirname)) return 0;
      all = true;
    }
    io.setupKmodLog(verbose);
    const d = new Depmod(cfg, env.fs, env, io);
    if (moduleSymvers !== undefined) {
      const e = d.loadSymvers(moduleSymvers);
      if (e !== undefined) {
        io.log(LOG_CRIT, `could not load ${moduleSymvers}: ${strerror(e)}\n`);
        return 1;
      }
    } else if (systemMap !== undefined) {
      const e = d.loadSystemMap(systemMap);
      if (e !== undefined) {
        io.log(LOG_CRIT, `could not load ${systemMap}: ${strerror(e)}\n`);
        return 1;
      }
    } else if (cfg.printUnknown) {
      io.log(LOG_WARNING, '-e needs -E or -F\n');
      cfg.printUnknown = false;
    }
    if (all) {
      depmodCfgLoad(env.fs, cfg, configPaths.length > 0 ? configPaths : DEPMOD_CONFIG_PATHS, (m) =>
        io.log(m.prio, m.text),
      );
      const e = d.search();
      if (e !== undefined) {
        io.log(LOG_CRIT, `could not search modules: ${strerror(e)}\n`);
        return 1;
      }
    } else {
      for (const path of operands) {
        if (!path.startsWith('/')) {
          io.log(LOG_CRIT, `${path}: not absolute path.\n`);
          return 1;
        }
        const st = env.fs.stat(path);
        const modname = pathToModname(toBytes(path));
        if (!st.ok || modname === undefined) {
          io.log(LOG_CRIT, `could not create module ${path}: ${strerror(st.ok ? 'ENOENT' : st.error)}\n`);
          return 1;
        }
        if (!d.moduleAdd(path, modname)) {
          io.log(LOG_CRIT, `could not add module ${path}: ${strerror('EEXIST')}\n`);
          return 1;
        }
      }
    }
    d.buildArray();
    d.sortByOrderFile();
    d.loadModules();
    d.loadDependencies();
    if (!d.calculateDependencies()) return 1;
    const out = d.output(toStdout);
    if (toStdout) {
      for (const f of out) io.out(typeof f.data === 'string' ? f.data : Buffer.from(f.data).toString('utf8'));
      return 0;
    }
    let failed = false;
    for (const f of out) {
      const w = env.fs.writeFile(`${dirname}/${f.name}`, f.data);
      if (!w.ok) {
        io.log(LOG_ERR, `openat(${dirname}, ${f.name}, 301, 644): ${strerror(w.error)}\n`);
        failed = true;
      }
    }
    files = out;
    return failed ? 1 : 0;
  });
  return { ...result, files, ...(dirname === undefined ? {} : { dirname }) };
}

/** `depfile_up_to_date`: `modules.dep` exists and no module file is newer. */
function depfileUpToDate(fs: KmodFs, dirname: string): boolean {
  const dep = fs.stat(`${dirname}/modules.dep`);
  if (!dep.ok) return false;
  const mtime = dep.value.mtimeMs;
  // A file system without mtimes (the simulated VFS) cannot show the index is current: rebuild.
  if (mtime === 0) return false;
  const walk = (dir: string): boolean => {
    const ents = fs.readdir(dir);
    if (!ents.ok) return true;
    for (const e of ents.value) {
      if (e.name === 'build' || e.name === 'source') continue;
      const p = `${dir}/${e.name}`;
      const st = fs.stat(p);
      if (!st.ok) continue;
      if (st.value.type === 'dir') {
        if (!walk(p)) return false;
      } else if (st.value.type === 'file' && pathEndsWithKmodExt(e.name)) {
        if (Math.floor(st.value.mtimeMs / 1000) > Math.floor(mtime / 1000)) return false;
      }
    }
    return true;
  };
  return walk(dirname);
}

/** Runs `depmod` as a tool (the files it writes go through `env.fs`). */
export function depmod(argv: readonly string[], env: KmodEnv): ToolResult {
  const { exitCode, stdout, stderr } = depmodRun(argv, env);
  return { exitCode, stdout, stderr };
}
