/**
 * `insmod` for a 1.x / 2.0 kernel: modutils 2.x's old-kernel path (`COMPAT_2_0`) over ELF objects. It reads the
 * kernel's symbols with `get_kernel_syms`, links the object in user space with a `.moduse` word placed first
 * (the `mod_use_count_` the module's `MOD_INC_USE_COUNT` updates), reserves the module with `create_module`,
 * relocates it at that address, builds a `struct symbol_table` (every global the module defines, names as offsets
 * from the table start, one `module_ref` per module whose symbols it used, valued with that module's
 * `struct module` address) and calls `init_module(name, image + 4, (size - 4) | autoclean, &routines, symtab)`.
 * Any failure after `create_module` deletes the half-made module again.
 * @see modutils insmod/insmod.c insmod_main, old_create_mod_use_count, old_init_module (2.x, COMPAT_2_0);
 *   linux-legacy.md §A.10
 * @module
 */

import { SHN_HIRESERVE, STB_LOCAL, STT_OBJECT } from '../../../abi/elf.js';
import type { ErrnoName } from '../../../abi/errno.js';
import { MOD_AUTOCLEAN } from '../../../abi/linux/v1.js';
import { parseBehaviour } from '../../../core/behaviours.js';
import { BEHAVIOUR_SECTION } from '../../../elf/builder/behaviour-spec.js';
import { latin1 } from '../../linux-v24/kernel-memory.js';
import { getoptLong, type LongOption } from '../../linux-v24/userland/getopt.js';
import { versionCode } from '../../linux-v24/userland/insmod.js';
import {
  addKernelSymbols,
  addKsymoopsSymbols,
  hideSpecialSymbols,
  ncvEqual,
  ncvHash,
  printLoadMap,
} from '../../linux-v24/userland/insmod-link.js';
import { locateModule, readUserFile, resolvePath } from '../../linux-v24/userland/module-files.js';
import { processModuleArguments } from '../../linux-v24/userland/module-params.js';
import { type ObjFile, stBind, stInfo, writeU32 } from '../../linux-v24/userland/obj-file.js';
import { objLoad } from '../../linux-v24/userland/obj-load.js';
import {
  allocateCommons,
  archCreateGot,
  checkUndefineds,
  createImage,
  loadSize,
  objRelocate,
} from '../../linux-v24/userland/obj-reloc.js';
import { strerror } from '../../linux-v24/userland/strerror.js';
import { ToolIO } from '../../linux-v24/userland/tool-io.js';
import type { ToolResult } from '../../personality.js';
import { encodeRoutines, encodeSymbolTable } from '../linux-v1-sys.js';
import { oldGetKernelInfo } from './old-kernel-info.js';
import type { V1ToolsContext } from './v1-tools-context.js';

const STRVERSIONLEN = 32;

const USAGE = `Usage:
insmod [-fkmopsvVxXyY] [-o name] [-P prefix] module [[sym=value]...]

  module                Filename of a loadable kernel module (*.o)
  -f, --force           Force loading under wrong kernel version
  -k, --autoclean       Make module autoclean-able
  -m, --map             Generate load map (so crashes can be traced)
  -n, --noload          Don't load, just show
  -o NAME, --name=NAME  Set internal module name to NAME
  -p, --poll            Poll mode; check if the module matches the kernel
  -s, --syslog          Report errors via syslog
  -v, --verbose         Verbose output
  -L, --lock            Prevent simultaneous loads of the same module
  -V, --version         Show version
  -x                    Do not export externs
  -X                    Do export externs (default)
  -y                    Do not add ksymoops symbols
  -Y                    Do add ksymoops symbols (default)
  -r                    Allow root to load modules not owned by root
  -P PREFIX
      --prefix=PREFIX   Prefix for kernel or module symbols
`;

const LONG_OPTS: LongOption[] = [
  { name: 'force', hasArg: 'none', val: 'f' },
  { name: 'autoclean', hasArg: 'none', val: 'k' },
  { name: 'map', hasArg: 'none', val: 'm' },
  { name: 'noload', hasArg: 'none', val: 'n' },
  { name: 'name', hasArg: 'required', val: 'o' },
  { name: 'poll', hasArg: 'none', val: 'p' },
  { name: 'syslog', hasArg: 'none', val: 's' },
  { name: 'verbose', hasArg: 'none', val: 'v' },
  { name: 'version', hasArg: 'none', val: 'V' },
  { name: 'lock', hasArg: 'none', val: 'L' },
  { name: 'prefix', hasArg: 'required', val: 'P' },
  { name: 'noexport', hasArg: 'none', val: 'x' },
  { name: 'export', hasArg: 'none', val: 'X' },
  { name: 'quiet', hasArg: 'none', val: 'q' },
  { name: 'noksymoops', hasArg: 'none', val: 'y' },
  { name: 'ksymoops', hasArg: 'none', val: 'Y' },
  { name: 'root', hasArg: 'none', val: 'r' },
];

/** The modutils release the 1.x-era tools are (the last with the old-kernel paths). */
export const OLD_MODUTILS_VERSION = '2.3.10';

/** A run's result and the errno behind a failure (the neutral actions report it). */
export interface V1InsmodOutcome {
  /** The process result. */
  readonly result: ToolResult;
  /** Why it failed. */
  readonly errno?: ErrnoName;
}

/** The `kernel_version` string the object was compiled for (its `kernel_version` symbol). */
function moduleVersion(f: ObjFile): string | undefined {
  const sym = f.findSymbol('kernel_version') ?? f.findSymbol('__module_kernel_version');
  const c = sym === undefined ? undefined : f.sections[sym.secidx]?.contents;
  if (sym === undefined || c === undefined || sym.value >= c.length) return undefined;
  const end = c.indexOf(0, sym.value);
  return latin1(c.subarray(sym.value, end < 0 ? c.length : end));
}

/** `old_create_mod_use_count`: a `sizeof(long)` `.moduse` section first, holding the local `mod_use_count_`. */
function oldCreateModUseCount(f: ObjFile): void {
  const sec = f.createAllocedSectionFirst('.moduse', 4, 4);
  f.addSymbol('mod_use_count_', -1, stInfo(STB_LOCAL, STT_OBJECT), sec.idx, 0, 4);
}

/** `old_init_module`'s symbol table: every global the module defines (hash-bucket order), then the refs. */
function oldSymbolTable(f: ObjFile, modules: { addr: number; status: number }[], exportAll: boolean) {
  const symbols: { addr: number; name: string }[] = [];
  if (exportAll)
    for (const sym of f.symbols())
      if (stBind(sym.info) !== STB_LOCAL && sym.secidx <= SHN_HIRESERVE)
        symbols.push({ addr: f.finalValue(sym), name: sym.name });
  const refs = modules.filter((m) => m.status !== 0).map((m) => m.addr);
  return encodeSymbolTable({ symbols, refs });
}

/** `sscanf(val, "%x" | "%o" | "%d")` as modules-1.1 picks the format: the longest valid prefix, 0 for none. */
function scanInt(val: string): number {
  const m = val.startsWith('0x')
    ? /^0x([0-9a-f]*)/i.exec(val)
    : val.startsWith('0')
      ? /^([0-7]*)/.exec(val)
      : /^(\d*)/.exec(val);
  const digits = m?.[1] ?? '';
  if (digits === '') return 0;
  return Number.parseInt(digits, val.startsWith('0x') ? 16 : val.startsWith('0') ? 8 : 10) | 0;
}

/**
 * modules-1.1 `insmod`'s parameters: `sym=value` with a value starting with a digit (decimal, `0x` hex, leading-0
 * octal) stored as an `int` at the module's symbol `sym`; anything else is fatal.
 * @see modules-1.1 insmod.c main (the "Change values according to the parameters" block); linux-legacy.md §A.10
 */
function ins1Parameters(f: ObjFile, io: ToolIO, args: readonly string[]): boolean {
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq < 0) continue;
    const param = arg.slice(0, eq);
    const val = arg.slice(eq + 1);
    if (!(val[0] >= '0' && val[0] <= '9')) {
      io.stderr += `Symbol '${param}' has an illegal value: ${val}\n`;
      io.because('EINVAL');
      return false;
    }
    const sym = f.findSymbol(param);
    const sec = sym === undefined || sym.secidx === 0 ? undefined : f.sections[sym.secidx];
    if (sym === undefined || sec === undefined || sym.value + 4 > sec.size) {
      io.stderr += `Symbol '${param}' not found\n`;
      io.because('EINVAL');
      return false;
    }
    sec.contents ??= new Uint8Array(sec.size); // a .bss variable: its zeroes now travel in the image
    writeU32(sec, sym.value, scanInt(val));
  }
  return true;
}

/** Runs `insmod argv…`. */
export function insmodV1Detailed(argv: readonly string[], ctx: V1ToolsContext): V1InsmodOutcome {
  const io = new ToolIO('insmod');
  const done = (code: number): V1InsmodOutcome => {
    if (io.syslog !== undefined) ctx.core.log.info(io.syslog.map((l) => `insmod: ${l}`).join('\n'));
    return code === 0 ? { result: io.exit(0) } : { result: io.exit(code), errno: io.cause ?? 'EINVAL' };
  };
  const usage = (): V1InsmodOutcome => {
    io.stderr += USAGE;
    return done(1);
  };
  const g = getoptLong('insmod', argv, 'fkmno:pqsvVxXLP:yYr', LONG_OPTS);
  const opt = { force: false, autoclean: false, map: false, noload: false, poll: false, quiet: false };
  let verbose = false;
  let exportAll = true;
  let ksymoops = true;
  let mName: string | undefined;
  let prefix: string | undefined;
  for (const o of g.options) {
    if (o.opt === 'f') opt.force = true;
    else if (o.opt === 'k') opt.autoclean = true;
    else if (o.opt === 'm') opt.map = true;
    else if (o.opt === 'n') opt.noload = true;
    else if (o.opt === 'o') mName = o.arg;
    else if (o.opt === 'p') opt.poll = true;
    else if (o.opt === 'q') opt.quiet = true;
    else if (o.opt === 's') io.syslog = [];
    else if (o.opt === 'v') verbose = true;
    else if (o.opt === 'V') io.stderr += `insmod version ${OLD_MODUTILS_VERSION}\n`;
    else if (o.opt === 'x') exportAll = false;
    else if (o.opt === 'X') exportAll = true;
    else if (o.opt === 'y') ksymoops = false;
    else if (o.opt === 'Y') ksymoops = true;
    else if (o.opt === 'P') prefix ??= o.arg;
    else if (o.opt !== 'L' && o.opt !== 'r') {
      if (o.error !== undefined) io.stderr += o.error;
      return usage();
    }
  }
  if (g.operands.length === 0) return usage();
  let filename = g.operands[0];
  const args = g.operands.slice(1);
  if (mName === undefined) {
    const base = filename.slice(filename.lastIndexOf('/') + 1);
    let len = base.length;
    if (len > 2 && base.endsWith('.o')) len -= 2;
    else if (len > 4 && base.endsWith('.mod')) len -= 4;
    mName = base.slice(0, len);
  }
  const located = locateModule(ctx, filename, verbose, io);
  if (located === undefined) return done(1);
  filename = located;
  const file = readUserFile(ctx, filename);
  if (!file.ok) {
    io.errorFile = filename;
    io.error(`${filename}: ${strerror(file.error)}`, file.error);
    return done(1);
  }
  const info = oldGetKernelInfo(ctx);
  if ('message' in info) {
    io.error(info.message, info.errno);
    return done(1);
  }
  if (info.modules.some((m) => m.name === mName)) {
    io.error(`a module named ${mName} already exists`, 'EEXIST');
    return done(1);
  }
  io.errorFile = filename;
  const loaded = objLoad(file.value, filename);
  if (!loaded.ok) {
    io.error(loaded.error, 'ENOEXEC');
    return done(1);
  }
  const f = loaded.value;
  for (const e of f.errors.splice(0)) io.error(e, 'ENOEXEC');

  const kStr = ctx.release.slice(0, STRVERSIONLEN);
  const mText = moduleVersion(f);
  if (mText === undefined || versionCode(mText) === -1) {
    io.error("couldn't find the kernel version the module was compiled for", 'ENOEXEC');
    return done(1);
  }
  const mStr = mText.slice(0, STRVERSIONLEN);
  const kCrcs = info.ksyms.find((s) => s.name === 'Using_Versions')?.value ?? 0;
  const mCrcs = f.findSymbol('Using_Versions') !== undefined ? 1 : 0;
  if ((mCrcs === 0 || kCrcs === 0) && kStr !== mStr) {
    const text = `kernel-module version mismatch\n\t${filename} was compiled for kernel version ${mStr}\n\twhile this kernel is version ${kStr}`;
    if (opt.force) io.lprintf(`Warning: ${text}`);
    else {
      if (!opt.quiet) io.error(`${text}.`);
      io.because('ENOEXEC');
      return done(1);
    }
  }
  if (mCrcs !== kCrcs) f.setSymbolCompare(ncvEqual(prefix ?? ''), ncvHash(prefix ?? ''));
  addKernelSymbols(f, info.modules, info.ksyms, true);
  oldCreateModUseCount(f);
  if (!checkUndefineds(f, opt.quiet, (line) => io.error(line, 'ENOENT'))) {
    io.because('ENOENT');
    return done(1);
  }
  allocateCommons(f);
  const paramsOk =
    ctx.paramStyle === 'modutils' ? processModuleArguments(f, io, args, false) : ins1Parameters(f, io, args);
  if (args.length > 0 && !paramsOk) {
    io.because('EINVAL');
    return done(1);
  }
  const got = archCreateGot(f);
  hideSpecialSymbols(f);
  if (ksymoops)
    addKsymoopsSymbols(f, mName, {
      path: resolvePath(filename),
      mtime: 0,
      version: versionCode(mText),
      exportAll,
    });
  if (io.errors > 0) return done(1);
  if (opt.poll) return done(0);

  const mSize = loadSize(f);
  let mAddr = 0x12340000;
  if (!opt.noload) {
    const r = ctx.sys.create_module(mName, mSize);
    if (r.errno !== undefined) {
      if (r.errno === 'EEXIST') return done(0); // dolock: another insmod won the race
      if (r.errno === 'ENOMEM') io.error(`can't allocate kernel memory for module; needed ${mSize} bytes`);
      else io.error(`create_module: ${strerror(r.errno)}`);
      io.because(r.errno);
      return done(1);
    }
    mAddr = Number(r.ret) >>> 0;
    const section = f.findSection(BEHAVIOUR_SECTION);
    if (section?.contents !== undefined) {
      const b = parseBehaviour(latin1(section.contents));
      if (b.ok) ctx.core.behaviours.declare(mName, b.value);
    }
  }
  const name = mName;
  const deleteOnError = () => {
    if (!opt.noload) ctx.sys.delete_module(name);
  };
  if (!objRelocate(f, mAddr, got, (line) => io.error(line, 'ENOEXEC'))) {
    deleteOnError();
    return done(1);
  }
  if (!opt.noload) {
    const symtab = oldSymbolTable(f, info.modules, exportAll);
    const routines = encodeRoutines(
      f.finalValue(f.findSymbol('init_module')),
      f.finalValue(f.findSymbol('cleanup_module')),
    );
    const image = createImage(f, mSize);
    const codesize = ((mSize - 4) | (opt.autoclean ? MOD_AUTOCLEAN : 0)) >>> 0;
    const r = ctx.sys.init_module(mName, image.subarray(4), codesize, routines, symtab);
    if (r.errno !== undefined) io.error(`init_module: ${strerror(r.errno)}`, r.errno);
  }
  if (io.errors > 0) {
    deleteOnError();
    return done(1);
  }
  if (opt.map) printLoadMap(f, (line) => io.lprintf(line));
  return done(0);
}

/** `insmod` as a tool. */
export function insmodV1(argv: readonly string[], ctx: V1ToolsContext): ToolResult {
  return insmodV1Detailed(argv, ctx).result;
}
