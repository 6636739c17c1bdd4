/**
 * kmod's `modinfo`: every `.modinfo` entry of a module (file, name or alias) with kmod's alignment, the
 * `parm:` lines merged from `parm`/`parmtype` (newest first, as kmod's list builds them), the signature
 * entries of a signed file, and `-F`, `-p`, `-0`, `-a/-d/-l/-n`, `-m`, `-k`, `-b`.
 * @see tools/modinfo.c (kmod 30) do_modinfo, modinfo_do, modinfo_params_do
 * @module
 */
import type { ErrnoName } from '../../../abi/errno.js';
import { getoptLong, type LongOption } from './getopt.js';
import { KmodCtx, type KmodModule, pathEndsWithKmodExt } from './kmod-ctx.js';
import { kmodFileMap } from './kmod-file.js';
import { type KmodInfoEntry, kmodModuleGetInfo, splitModinfo } from './kmod-module-info.js';
import {
  KMOD_VERSION_TEXT,
  type KmodEnv,
  type KmodIo,
  type KmodToolResult,
  LOG_ERR,
  runKmodTool,
} from './kmod-tool.js';
import { strerror } from './strerror.js';

const CMDOPTS = 'adlpn0mF:k:b:Vh';
const LONGOPTS: readonly LongOption[] = [
  { name: 'author', hasArg: 'none', val: 'a' },
  { name: 'description', hasArg: 'none', val: 'd' },
  { name: 'license', hasArg: 'none', val: 'l' },
  { name: 'parameters', hasArg: 'none', val: 'p' },
  { name: 'filename', hasArg: 'none', val: 'n' },
  { name: 'null', hasArg: 'none', val: '0' },
  { name: 'modname', hasArg: 'none', val: 'm' },
  { name: 'field', hasArg: 'required', val: 'F' },
  { name: 'set-version', hasArg: 'required', val: 'k' },
  { name: 'basedir', hasArg: 'required', val: 'b' },
  { name: 'version', hasArg: 'none', val: 'V' },
  { name: 'help', hasArg: 'none', val: 'h' },
];

function help(prog: string): string {
  return (
    'Usage:\n' +
    `\t${prog} [options] <modulename|filename> [args]\n` +
    'Options:\n' +
    "\t-a, --author                Print only 'author'\n" +
    "\t-d, --description           Print only 'description'\n" +
    "\t-l, --license               Print only 'license'\n" +
    "\t-p, --parameters            Print only 'parm'\n" +
    "\t-n, --filename              Print only 'filename'\n" +
    '\t-0, --null                  Use \\0 instead of \\n\n' +
    '\t-m, --modname               Handle argument as module name instead of alias or filename\n' +
    '\t-F, --field=FIELD           Print only provided FIELD\n' +
    '\t-k, --set-version=VERSION   Use VERSION instead of `uname -r`\n' +
    '\t-b, --basedir=DIR           Use DIR as filesystem root for /lib/modules\n' +
    '\t-V, --version               Show version\n' +
    '\t-h, --help                  Show this help\n'
  );
}

/** `printf("%-*s", width, s)`: a negative width left-justifies to its absolute value, as C does. */
function pad(s: string, width: number): string {
  return s.padEnd(Math.abs(width), ' ');
}

interface Param {
  readonly name: string;
  param?: string;
  type?: string;
}

/**
 * `process_parm`: merges `parm=NAME:DESC` and `parmtype=NAME:TYPE` into one entry per name; new names go to the
 * head of the list (so they print newest first). Returns the "missing ':'" error text for a malformed value.
 */
function processParm(key: string, value: string, params: Param[]): string | undefined {
  const colon = value.indexOf(':');
  if (colon < 0) return `Found invalid "${key}=${value}": missing ':'\n`;
  const name = value.slice(0, colon);
  let it = params.find((p) => p.name === name);
  if (it === undefined) {
    it = { name };
    params.unshift(it);
  }
  if (key === 'parm') it.param = value.slice(colon + 1);
  else it.type = value.slice(colon + 1);
  return undefined;
}

/** Options of one modinfo run. */
interface ModinfoOpts {
  readonly field: string | undefined;
  readonly sep: string;
}

/** `kmod_module_get_info` for a module object: a file, or a built-in's `modules.builtin.modinfo` entries. */
function moduleInfo(
  ctx: KmodCtx,
  mod: KmodModule,
): { ok: true; list: KmodInfoEntry[] } | { ok: false; errno: ErrnoName } {
  if (mod.isBuiltin()) {
    const r = ctx.builtinModinfo(mod.name);
    return r.ok ? { ok: true, list: r.value.map(splitModinfo) } : { ok: false, errno: r.error };
  }
  const path = mod.getPath();
  if (path === undefined) return { ok: false, errno: 'ENOENT' };
  const file = kmodFileMap(ctx.fs, path, ctx.decompress);
  if (!file.ok) return { ok: false, errno: file.error };
  let info: ReturnType<typeof kmodModuleGetInfo>;
  try {
    info = kmodModuleGetInfo(file.value);
  } finally {
    file.value.release();
  }
  return info.ok ? { ok: true, list: info.value } : { ok: false, errno: info.error };
}

/** `modinfo_do`: prints one module; returns a negative errno on failure. */
function modinfoDo(io: KmodIo, ctx: KmodCtx, mod: KmodModule, o: ModinfoOpts): number {
  const { field, sep } = o;
  let filename = mod.getPath();
  const isBuiltin = filename === undefined;
  if (isBuiltin) {
    if (field === undefined) io.out(`${pad('name:', -16)}${mod.name}${sep}`);
    else if (field === 'name') io.out(`${mod.name}${sep}`);
    filename = '(builtin)';
  }
  if (field === 'filename') {
    io.out(`${filename}${sep}`);
    return 0;
  }
  if (field === undefined) io.out(`${pad('filename:', -16)}${filename}${sep}`);

  const info = moduleInfo(ctx, mod);
  if (!info.ok) {
    if (isBuiltin && info.errno === 'ENOENT') return 0;
    io.log(LOG_ERR, `could not get modinfo from '${mod.name}': ${strerror(info.errno)}\n`);
    return -1;
  }
  const params: Param[] = [];
  if (field === 'parm') {
    for (const { key, value } of info.list) {
      if (key !== 'parm' && key !== 'parmtype') continue;
      const e = processParm(key, value, params);
      if (e !== undefined) io.log(LOG_ERR, e);
    }
    for (const p of params) {
      if (p.param === undefined) io.out(`${p.name}: (${p.type ?? ''})${sep}`);
      else if (p.type !== undefined) io.out(`${p.name}:${p.param} (${p.type})${sep}`);
      else io.out(`${p.name}:${p.param}${sep}`);
    }
    return 0;
  }
  for (const { key, value, keyLength } of info.list) {
    if (field !== undefined) {
      if (field === key) io.out(`${value}${sep}`);
      continue;
    }
    if (key === 'parm' || key === 'parmtype') {
      const e = processParm(key, value, params);
      if (e !== undefined) io.log(LOG_ERR, e);
      continue;
    }
    if (sep === '\0') {
      io.out(`${key}=${value}${sep}`);
      continue;
    }
    io.out(`${key}:${pad('', 15 - keyLength)}${value}${sep}`);
  }
  if (field !== undefined) return 0;
  for (const p of params) {
    if (p.param === undefined) io.out(`${pad('parm:', -16)}${p.name}:${p.type ?? ''}${sep}`);
    else if (p.type !== undefined) io.out(`${pad('parm:', -16)}${p.name}:${p.param} (${p.type})${sep}`);
    else io.out(`${pad('parm:', -16)}${p.name}:${p.param}${sep}`);
  }
  return 0;
}

/** `is_module_filename`: a regular file whose name ends with a module extension. */
function isModuleFilename(ctx: KmodCtx, name: string): boolean {
  const st = ctx.fs.stat(name.startsWith('/') ? name : `${ctx.fs.cwd()}/${name}`);
  return st.ok && st.value.type === 'file' && pathEndsWithKmodExt(name);
}

/**
 * Runs `modinfo argv...` (argv without the program name) in `env`.
 * @param ctxFactory builds the libkmod context (tests and the host fast path share one).
 */
export function modinfo(
  argv: readonly string[],
  env: KmodEnv,
  ctxFactory?: (dirname: string | undefined, io: KmodIo) => KmodCtx,
): KmodToolResult {
  return runKmodTool('modinfo', (io) => {
    let field: string | undefined;
    let sep = '\n';
    let argIsModname = false;
    let kversion: string | undefined;
    let root: string | undefined;
    const parsed = getoptLong('modinfo', argv, CMDOPTS, LONGOPTS);
    for (const o of parsed.options) {
      switch (o.opt) {
        case 'a':
          field = 'author';
          break;
        case 'd':
          field = 'description';
          break;
        case 'l':
          field = 'license';
          break;
        case 'p':
          field = 'parm';
          break;
        case 'n':
          field = 'filename';
          break;
        case '0':
          sep = '\0';
          break;
        case 'm':
          argIsModname = true;
          break;
        case 'F':
          field = o.arg;
          break;
        case 'k':
          kversion = o.arg;
          break;
        case 'b':
          root = o.arg;
          break;
        case 'h':
          io.out(help('modinfo'));
          return 0;
        case 'V':
          io.out(KMOD_VERSION_TEXT);
          return 0;
        default:
          io.err(o.error ?? '');
          return 1;
      }
    }
    if (parsed.operands.length === 0) {
      io.log(LOG_ERR, 'missing module or filename.\n');
      return 1;
    }
    let dirname: string | undefined;
    if (root !== undefined || kversion !== undefined) {
      dirname = `${root ?? ''}/lib/modules/${kversion ?? env.release}`;
    }
    // kmod_new(dirname, &null_config): no modprobe.d files, only modules.softdep and /proc/cmdline.
    const ctx =
      ctxFactory?.(dirname, io) ??
      new KmodCtx({
        fs: env.fs,
        release: env.release,
        dirname,
        decompress: env.decompress,
        configPaths: [],
        log: (prio, file, line, fn, msg) => io.kmodLog(prio, file, line, fn, msg),
      });
    const opts = { field, sep };
    let failed = false;
    for (const name of parsed.operands) {
      let r: number;
      if (argIsModname) {
        const mod = ctx.newFromNameLookup(name);
        if (mod === undefined) {
          io.log(LOG_ERR, `Module name ${name} not found.\n`);
          r = -1;
        } else r = modinfoDo(io, ctx, mod, opts);
      } else if (isModuleFilename(ctx, name)) {
        const mod = ctx.newFromPath(name);
        if (!mod.ok) {
          io.log(LOG_ERR, `Module file ${name} not found.\n`);
          r = -1;
        } else r = modinfoDo(io, ctx, mod.value, opts);
      } else {
        const list = ctx.newFromLookup(name);
        if (!list.ok) {
          io.log(LOG_ERR, `Module alias ${name} not found.\n`);
          r = -1;
        } else if (list.value.length === 0) {
          io.log(LOG_ERR, `Module ${name} not found.\n`);
          r = -1;
        } else {
          r = 0;
          for (const mod of list.value) {
            const one = modinfoDo(io, ctx, mod, opts);
            if (one < 0) r = one;
          }
        }
      }
      if (r < 0) failed = true;
    }
    return failed ? 1 : 0;
  });
}
