/**
 * modutils 2.4 `insmod`: asks the kernel for its symbols (`query_module`), links the object in user space
 * against them, reserves the module (`create_module`), relocates it at that address, fills in the
 * `struct module` and hands the image to `init_module(name, image)`; any failure after `create_module`
 * deletes the half-made module again.
 * @see modutils insmod/insmod.c insmod_main, init_module (2.4.x); linux-legacy.md §B.11
 * @module
 */
import type { ErrnoName } from '../../../abi/errno.js';
import { parseBehaviour } from '../../../core/behaviours.js';
import { BEHAVIOUR_SECTION } from '../../../elf/builder/behaviour-spec.js';
import type { ToolResult } from '../../personality.js';
import { latin1 } from '../kernel-memory.js';
import { getoptLong, type LongOption } from './getopt.js';
import {
  addKernelSymbols,
  addKsymoopsSymbols,
  createModuleKsymtab,
  createThisModule,
  fillModuleHeader,
  hideSpecialSymbols,
  ncvEqual,
  ncvHash,
  printLoadMap,
} from './insmod-link.js';
import { getKernelInfo, K_SYMBOLS } from './modstat.js';
import { locateModule, readUserFile, resolvePath } from './module-files.js';
import { checkModuleParameters, processModuleArguments } from './module-params.js';
import type { ModutilsContext } from './modutils-context.js';
import type { ObjFile } from './obj-file.js';
import { objLoad } from './obj-load.js';
import {
  allocateCommons,
  archCreateGot,
  checkUndefineds,
  createImage,
  gplLicense,
  loadSize,
  modinfoValue,
  objRelocate,
} from './obj-reloc.js';
import { strerror } from './strerror.js';
import { ToolIO } from './tool-io.js';

/** The modutils release the simulated tools are. */
export const MODUTILS_VERSION = '2.4.27';

const TAINT_FILENAME = '/proc/sys/kernel/tainted';
const TAINT_URL = 'http://www.tux.org/lkml/#export-tainted';
const STRVERSIONLEN = 32;

const USAGE = `Usage:
insmod [-fhkLmnpqrsSvVxXyY] [-e persist_name] [-o module_name] [-O blob_name] [-P prefix] module [ symbol=value ... ]

  module                Name of a loadable kernel module ('.o' can be omitted)
  -f, --force           Force loading under wrong kernel version
  -h, --help            Print this message
  -k, --autoclean       Make module autoclean-able
  -L, --lock            Prevent simultaneous loads of the same module
  -m, --map             Generate load map (so crashes can be traced)
  -n, --noload          Don't load, just show
  -p, --probe           Probe mode; check if the module matches the kernel
  -q, --quiet           Don't print unresolved symbols
  -r, --root            Allow root to load modules not owned by root
  -s, --syslog          Report errors via syslog
  -S, --kallsyms        Force kallsyms on module
  -v, --verbose         Verbose output
  -V, --version         Show version
  -x, --noexport        Do not export externs
  -X, --export          Do export externs (default)
  -y, --noksymoops      Do not add ksymoops symbols
  -Y, --ksymoops        Do add ksymoops symbols (default)
  -e persist_name
      --persist=persist_name Filename to hold any persistent data from the module
  -o NAME, --name=NAME  Set internal module name to NAME
  -O NAME, --blob=NAME  Save the object as a binary blob in NAME
  -P PREFIX
      --prefix=PREFIX   Prefix for kernel or module symbols
`;

const LONG_OPTS: LongOption[] = [
  { name: 'force', hasArg: 'none', val: 'f' },
  { name: 'help', hasArg: 'none', val: 'h' },
  { name: 'autoclean', hasArg: 'none', val: 'k' },
  { name: 'lock', hasArg: 'none', val: 'L' },
  { name: 'map', hasArg: 'none', val: 'm' },
  { name: 'noload', hasArg: 'none', val: 'n' },
  { name: 'probe', hasArg: 'none', val: 'p' },
  { name: 'poll', hasArg: 'none', val: 'p' },
  { name: 'quiet', hasArg: 'none', val: 'q' },
  { name: 'root', hasArg: 'none', val: 'r' },
  { name: 'syslog', hasArg: 'none', val: 's' },
  { name: 'kallsyms', hasArg: 'none', val: 'S' },
  { name: 'verbose', hasArg: 'none', val: 'v' },
  { name: 'version', hasArg: 'none', val: 'V' },
  { name: 'noexport', hasArg: 'none', val: 'x' },
  { name: 'export', hasArg: 'none', val: 'X' },
  { name: 'noksymoops', hasArg: 'none', val: 'y' },
  { name: 'ksymoops', hasArg: 'none', val: 'Y' },
  { name: 'persist', hasArg: 'required', val: 'e' },
  { name: 'name', hasArg: 'required', val: 'o' },
  { name: 'blob', hasArg: 'required', val: 'O' },
  { name: 'prefix', hasArg: 'required', val: 'P' },
];

/** A run's result and the errno behind a failure (the neutral actions report it). */
export interface InsmodOutcome {
  /** The process result. */
  readonly result: ToolResult;
  /** Why it failed. */
  readonly errno?: ErrnoName;
}

/** `get_kernel_version` / `get_module_version`: `a<<16 | b<<8 | c`, or -1. */
export function versionCode(text: string): number {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(text);
  if (m === null) return -1;
  return (Number(m[1]) << 16) | (Number(m[2]) << 8) | Number(m[3]);
}

/** The module's `kernel_version` (`.modinfo`, else the `kernel_version`/`__module_kernel_version` symbol). */
function moduleVersion(f: ObjFile): { text: string; hasModinfo: boolean } | undefined {
  const v = modinfoValue(f, 'kernel_version');
  if (v !== undefined) return { text: v, hasModinfo: true };
  const sym = f.findSymbol('kernel_version') ?? f.findSymbol('__module_kernel_version');
  const c = sym === undefined ? undefined : f.sections[sym.secidx]?.contents;
  if (sym === undefined || c === undefined || sym.value >= c.length) return undefined;
  const end = c.indexOf(0, sym.value);
  return { text: latin1(c.subarray(sym.value, end < 0 ? c.length : end)), hasModinfo: false };
}

/** `set_ncv_prefix(NULL)`: from a well-known versioned kernel symbol, else `smp_` on an SMP kernel. */
function ncvPrefix(ksyms: readonly { name: string }[]): string {
  for (const s of ksyms)
    for (const w of ['get_module_symbol_R', 'inter_module_get_R']) {
      if (s.name.length < w.length + 8 || !s.name.startsWith(w)) continue;
      const pl = s.name.length - w.length - 8;
      if (/^[0-9a-f]{8}$/i.test(s.name.slice(-8)) && pl < 256) return s.name.slice(w.length, w.length + pl);
    }
  return '';
}

/** `check_tainted_module`: the warning and the `/proc/sys/kernel/tainted` update. */
function checkTaintedModule(
  ctx: ModutilsContext,
  f: ObjFile,
  io: ToolIO,
  noload: boolean,
  force: boolean,
  warn: () => void,
) {
  let first = true;
  const open = ctx.core.vfs.open(TAINT_FILENAME, { read: true, write: true });
  const fd = open.ok ? open.value : -1;
  const kernelHasTainted = open.ok || open.error.errno === 'EACCES';
  const setTainted = (has: boolean, taint: number, text1: string, text2: string) => {
    if (fd < 0 && !has) return;
    io.lprintf(`Warning: loading ${f.filename} will taint the kernel: ${text1}${text2}`);
    warn();
    if (first) {
      io.lprintf(`  See ${TAINT_URL} for information about tainted modules`);
      first = false;
    }
    if (fd >= 0 && !noload) ctx.core.sysctl.orBits('kernel.tainted', taint);
  };
  const lic = gplLicense(f);
  if (lic.kind === 1) setTainted(kernelHasTainted, 1, 'no license', '');
  else if (lic.kind === 2) setTainted(true, 1, 'non-GPL license - ', lic.license ?? '');
  if (force) setTainted(true, 2, 'forced load', '');
  if (fd >= 0) ctx.core.vfs.close(fd);
}

/** Runs `insmod argv…`. */
export function insmodDetailed(argv: readonly string[], ctx: ModutilsContext): InsmodOutcome {
  const io = new ToolIO('insmod');
  const done = (code: number): InsmodOutcome => {
    if (io.syslog !== undefined) ctx.core.log.info(io.syslog.map((l) => `insmod: ${l}`).join('\n'));
    return code === 0 ? { result: io.exit(0) } : { result: io.exit(code), errno: io.cause ?? 'EINVAL' };
  };
  const usage = (): InsmodOutcome => {
    io.stderr += USAGE;
    return done(1);
  };
  const g = getoptLong('insmod', argv, 'fhkLmnpqrsSvVxXyYe:o:O:P:R:', LONG_OPTS);
  let force = false;
  let autoclean = false;
  let noload = false;
  let probe = false;
  let quiet = false;
  let verbose = false;
  let exportAll = true;
  let ksymoops = true;
  let forceKallsyms = false;
  let loadMap = false;
  let mName: string | undefined;
  let blob: string | undefined;
  let prefix: string | undefined;
  for (const o of g.options) {
    switch (o.opt) {
      case 'f':
        force = true;
        break;
      case 'k':
        autoclean = true;
        break;
      case 'n':
        noload = true;
        break;
      case 'p':
        probe = true;
        break;
      case 'q':
        quiet = true;
        break;
      case 's':
        io.syslog = [];
        break;
      case 'S':
        forceKallsyms = true;
        break;
      case 'm':
        loadMap = true;
        break;
      case 'v':
        verbose = true;
        break;
      case 'V':
        io.stderr += `insmod version ${MODUTILS_VERSION}\n`;
        break;
      case 'x':
        exportAll = false;
        break;
      case 'X':
        exportAll = true;
        break;
      case 'y':
        ksymoops = false;
        break;
      case 'Y':
        ksymoops = true;
        break;
      case 'o':
        mName = o.arg;
        break;
      case 'O':
        blob = o.arg;
        break;
      case 'P':
        prefix ??= o.arg;
        break;
      case 'L':
      case 'r':
      case 'e':
      case 'R':
        break;
      default:
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
    else if (len > 5 && base.endsWith('.o.gz')) len -= 5;
    mName = base.slice(0, len);
  }
  const located = locateModule(ctx, filename, verbose, io);
  if (located === undefined) return done(1);
  filename = located;

  const file = readUserFile(ctx, filename);
  if (!file.ok) {
    io.error(`${filename}: ${strerror(file.error)}`, file.error);
    return done(1);
  }
  const info = getKernelInfo(ctx, K_SYMBOLS);
  if ('message' in info) {
    io.error(info.message, info.errno);
    return done(1);
  }
  if (!noload && info.modules.some((m) => m.name === mName)) {
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
  const mv = moduleVersion(f);
  if (mv === undefined || versionCode(mv.text) === -1) {
    io.error("couldn't find the kernel version the module was compiled for", 'ENOEXEC');
    return done(1);
  }
  const kCrcs = info.ksyms.find((s) => s.name === 'Using_Versions')?.value ?? 0;
  const mCrcs = mv.hasModinfo
    ? Number.parseInt(modinfoValue(f, 'using_checksums') ?? '0', 10) || 0
    : f.findSymbol('Using_Versions') !== undefined
      ? 1
      : 0;
  const mStr = mv.text.slice(0, STRVERSIONLEN);
  if ((mCrcs === 0 || kCrcs === 0) && kStr !== mStr) {
    const text = `kernel-module version mismatch\n\t${filename} was compiled for kernel version ${mStr}\n\twhile this kernel is version ${kStr}`;
    if (force) {
      io.lprintf(`Warning: ${text}`);
    } else {
      if (!quiet) io.error(`${text}.`);
      io.because('ENOEXEC');
      return done(1);
    }
  }
  let warnings = force && (mCrcs === 0 || kCrcs === 0) && kStr !== mStr ? 1 : 0;
  const warn = () => {
    warnings++;
  };
  if (mCrcs !== kCrcs) {
    const p = prefix ?? ncvPrefix(info.ksyms);
    f.setSymbolCompare(ncvEqual(p), ncvHash(p));
  }
  const gpl = gplLicense(f).kind === 0;
  const { used, gplOnlySeen } = addKernelSymbols(f, info.modules, info.ksyms, gpl);
  createThisModule(f, mName);
  const got = archCreateGot(f);
  if (!checkUndefineds(f, quiet, (line) => io.error(line, 'ENOENT'))) {
    io.because('ENOENT');
    if (!gpl && !quiet)
      io.error(
        gplOnlySeen
          ? '\nHint: You are trying to load a module without a GPL compatible license\n      and it has unresolved symbols.  The module may be trying to access\n      GPLONLY symbols but the problem is more likely to be a coding or\n      user error.  Contact the module supplier for assistance, only they\n      can help you.\n'
          : '\nHint: You are trying to load a module without a GPL compatible license\n      and it has unresolved symbols.  Contact the module supplier for\n      assistance, only they can help you.\n',
      );
    return done(1);
  }
  allocateCommons(f);
  checkModuleParameters(f, io, warn);
  checkTaintedModule(ctx, f, io, noload, force, warn);
  if (args.length > 0 && !processModuleArguments(f, io, args, mv.hasModinfo)) {
    io.because('EINVAL');
    return done(1);
  }
  hideSpecialSymbols(f);
  if (ksymoops)
    addKsymoopsSymbols(f, mName, {
      path: resolvePath(filename),
      mtime: 0,
      version: versionCode(mv.text),
      exportAll,
    });
  createModuleKsymtab(f, info.modules, used, exportAll);
  if (f.findSection('__archdata') === undefined) f.createAllocedSection('__archdata', 16, 0, 0);
  if (forceKallsyms) {
    io.error('-S: kallsyms sections are not simulated', 'EINVAL');
    return done(1);
  }
  if (io.errors > 0) return done(1);
  if (probe) return done(0);

  const mSize = loadSize(f);
  let mAddr = 0x12340000;
  if (!noload) {
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
  const deleteOnError = () => {
    if (!noload) ctx.sys.delete_module(mName);
  };
  if (!objRelocate(f, mAddr, got, (line) => io.error(line, 'ENOEXEC'))) {
    deleteOnError();
    return done(1);
  }
  fillModuleHeader(f, mSize, autoclean, used);
  const image = createImage(f, mSize);
  if (loadMap) printLoadMap(f, (line) => io.lprintf(line));
  if (blob !== undefined) {
    const w = ctx.core.vfs.writeFile(resolvePath(blob), image, { mode: 0o644 });
    if (!w.ok) io.error(`open ${blob} failed ${strerror(w.error.errno)}`, w.error.errno);
  }
  if (io.errors === 0 && !noload) {
    const r = ctx.sys.init_module(mName, image);
    if (r.errno !== undefined) {
      io.error(`init_module: ${strerror(r.errno)}`, r.errno);
      io.lprintf(
        'Hint: insmod errors can be caused by incorrect module parameters, including invalid IO or IRQ parameters.\n      You may find more information in syslog or the output from dmesg',
      );
    }
  }
  if (io.errors > 0) {
    deleteOnError();
    return done(1);
  }
  if (warnings > 0 && !noload) io.lprintf(`Module ${mName} loaded, with warnings`);
  return done(0);
}

/** `insmod` as a tool. */
export function insmod(argv: readonly string[], ctx: ModutilsContext): ToolResult {
  return insmodDetailed(argv, ctx).result;
}
