/**
 * kmod's `rmmod`: for each name (or path), unless `-f`, checks sysfs first (loaded? built in? holders? refcnt?)
 * and then calls `delete_module(name, O_NONBLOCK | (-f ? O_TRUNC : 0))`. kmod 30 lists `w` in its short options
 * but has no case for it, so `-w` fails with "unexpected getopt_long() value" — reproduced as is.
 * @see tools/rmmod.c (kmod 30) do_rmmod, check_module_inuse; libkmod/libkmod-module.c kmod_module_remove_module
 * @module
 */
import type { ErrnoName } from '../../../abi/errno.js';
import { fail, ok, type Result } from '../../../core/result.js';
import type { ToolResult } from '../../personality.js';
import { getoptLong, type LongOption } from './getopt.js';
import { KmodCtx, type KmodModule, modnameNormalize } from './kmod-ctx.js';
import { O_NONBLOCK, O_TRUNC, readHolders, readInitstate, readRefcnt } from './kmod-kernel.js';
import {
  KMOD_VERSION_TEXT,
  type KmodIo,
  type KmodKernelEnv,
  LOG_ERR,
  runKmodToolDetailed,
} from './kmod-tool.js';
import { strerror } from './strerror.js';

const LONGOPTS: readonly LongOption[] = [
  { name: 'force', hasArg: 'none', val: 'f' },
  { name: 'syslog', hasArg: 'none', val: 's' },
  { name: 'verbose', hasArg: 'none', val: 'v' },
  { name: 'version', hasArg: 'none', val: 'V' },
  { name: 'help', hasArg: 'none', val: 'h' },
];

const HELP =
  'Usage:\n' +
  '\trmmod [options] modulename ...\n' +
  'Options:\n' +
  '\t-f, --force       forces a module unload and may crash your\n' +
  '\t                  machine. This requires Forced Module Removal\n' +
  '\t                  option in your kernel. DANGEROUS\n' +
  '\t-s, --syslog      print to syslog, not stderr\n' +
  '\t-v, --verbose     enables more messages\n' +
  '\t-V, --version     show version\n' +
  '\t-h, --help        show this help\n';

/** `KMOD_REMOVE_FORCE`. Source: libkmod/libkmod.h. */
export const KMOD_REMOVE_FORCE = O_TRUNC;
/** `KMOD_REMOVE_NOLOG`. Source: libkmod/libkmod.h. */
export const KMOD_REMOVE_NOLOG = 1;

/**
 * `kmod_module_remove_module`: `delete_module(name, (flags & O_TRUNC) | O_NONBLOCK)`; on failure libkmod logs
 * "could not remove" unless `KMOD_REMOVE_NOLOG`.
 */
export function kmodRemoveModule(
  io: KmodIo,
  env: KmodKernelEnv,
  mod: KmodModule,
  flags: number,
): Result<void, ErrnoName> {
  const r = env.kernel.deleteModule(mod.name, (flags & KMOD_REMOVE_FORCE) | O_NONBLOCK);
  if (!r.ok && !(flags & KMOD_REMOVE_NOLOG)) {
    io.kmodLog(
      LOG_ERR,
      'libkmod-module.c',
      856,
      'kmod_module_remove_module',
      `could not remove '${mod.name}': ${strerror(r.error)}\n`,
    );
  }
  return r;
}

/** `check_module_inuse`: 0 or a negative errno, after printing rmmod's reason. */
function checkModuleInuse(io: KmodIo, env: KmodKernelEnv, mod: KmodModule): Result<void, ErrnoName> {
  if (mod.isBuiltin()) {
    io.log(LOG_ERR, `Module ${mod.name} is builtin.\n`);
    return fail('ENOENT');
  }
  const state = readInitstate(env.fs, mod.name);
  if (!state.ok) {
    io.log(LOG_ERR, `Module ${mod.name} is not currently loaded\n`);
    return fail('ENOENT');
  }
  const holders = readHolders(env.fs, mod.name);
  if (!holders.ok) {
    io.kmodLog(
      LOG_ERR,
      'libkmod-module.c',
      1998,
      'kmod_module_get_holders',
      `could not open '/sys/module/${mod.name}/holders': ${strerror(holders.error)}\n`,
    );
  } else if (holders.value.length > 0) {
    io.log(LOG_ERR, `Module ${mod.name} is in use by:`);
    io.err(`${holders.value.map((h) => ` ${modnameNormalize(h)}`).join('')}\n`);
    return fail('EBUSY');
  }
  const refcnt = readRefcnt(env.fs, mod.name);
  if (refcnt.ok) {
    if (refcnt.value > 0) {
      io.log(LOG_ERR, `Module ${mod.name} is in use\n`);
      return fail('EBUSY');
    }
    return ok(undefined);
  }
  if (refcnt.error === 'ENOENT') io.log(LOG_ERR, 'Module unloading is not supported\n');
  return fail(refcnt.error);
}

/** Runs `rmmod argv...` (without the program name). */
export function rmmod(argv: readonly string[], env: KmodKernelEnv): ToolResult {
  return rmmodDetailed(argv, env).result;
}

/** {@link rmmod}, with the errno of the last failure (rmmod's own check or the kernel's). */
export function rmmodDetailed(
  argv: readonly string[],
  env: KmodKernelEnv,
): { readonly result: ToolResult; readonly errno: ErrnoName | undefined } {
  return runKmodToolDetailed('rmmod', (io) => {
    let flags = 0;
    let verbose = LOG_ERR;
    const parsed = getoptLong('rmmod', argv, 'fsvVwh', LONGOPTS);
    for (const o of parsed.options) {
      switch (o.opt) {
        case 'f':
          flags |= KMOD_REMOVE_FORCE;
          break;
        case 's':
          break;
        case 'v':
          verbose++;
          break;
        case 'h':
          io.out(HELP);
          return 0;
        case 'V':
          io.out(KMOD_VERSION_TEXT);
          return 0;
        case '?':
          io.err(o.error ?? '');
          return 1;
        default:
          io.log(LOG_ERR, `unexpected getopt_long() value '${o.opt}'.\n`);
          return 1;
      }
    }
    if (parsed.operands.length === 0) {
      io.log(LOG_ERR, 'missing module name.\n');
      return 1;
    }
    const ctx = new KmodCtx({
      fs: env.fs,
      release: env.release,
      decompress: env.decompress,
      configPaths: [],
      log: (prio, file, line, fn, msg) => io.kmodLog(prio, file, line, fn, msg),
    });
    io.setupKmodLog(verbose);
    let failures = 0;
    for (const arg of parsed.operands) {
      const viaPath = env.fs.stat(arg.startsWith('/') ? arg : `${env.fs.cwd()}/${arg}`).ok;
      let mod: KmodModule;
      if (viaPath) {
        const m = ctx.newFromPath(arg);
        if (!m.ok) {
          io.log(LOG_ERR, `could not use module ${arg}: ${strerror(m.error)}\n`);
          break;
        }
        mod = m.value;
      } else mod = ctx.newFromName(arg);
      if (!(flags & KMOD_REMOVE_FORCE)) {
        const check = checkModuleInuse(io, env, mod);
        if (!check.ok) {
          io.errno = check.error;
          failures++;
          continue;
        }
      }
      const r = kmodRemoveModule(io, env, mod, flags);
      if (!r.ok) {
        io.errno = r.error;
        io.log(LOG_ERR, `could not remove module ${arg}: ${strerror(r.error)}\n`);
        failures++;
      }
    }
    return failures === 0 ? 0 : 1;
  });
}
