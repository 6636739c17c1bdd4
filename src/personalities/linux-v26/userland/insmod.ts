/**
 * kmod's `insmod`: `insmod [-f] FILE [args...]`; the arguments are joined with spaces into the parameter string.
 * @see tools/insmod.c (kmod 30) do_insmod, mod_strerror
 * @module
 */
import type { ErrnoName } from '../../../abi/errno.js';
import type { ToolResult } from '../../personality.js';
import { getoptLong, type LongOption } from './getopt.js';
import { KmodCtx } from './kmod-ctx.js';
import { KMOD_INSERT_FORCE_MODVERSION, KMOD_INSERT_FORCE_VERMAGIC, kmodInsertModule } from './kmod-insert.js';
import { KMOD_VERSION_TEXT, type KmodKernelEnv, LOG_ERR, runKmodToolDetailed } from './kmod-tool.js';
import { strerror } from './strerror.js';

const LONGOPTS: readonly LongOption[] = [
  { name: 'version', hasArg: 'none', val: 'V' },
  { name: 'help', hasArg: 'none', val: 'h' },
];

/** `mod_strerror`: insmod's wording for the errnos of a failed load. */
export function modStrerror(errno: ErrnoName): string {
  switch (errno) {
    case 'ENOEXEC':
      return 'Invalid module format';
    case 'ENOENT':
      return 'Unknown symbol in module';
    case 'ESRCH':
      return 'Module has wrong symbol version';
    case 'EINVAL':
      return 'Invalid parameters';
    default:
      return strerror(errno);
  }
}

/** Runs `insmod argv...` (without the program name). */
export function insmod(argv: readonly string[], env: KmodKernelEnv): ToolResult {
  return insmodDetailed(argv, env).result;
}

/** {@link insmod}, with the errno of a failed load (the file's or the kernel's). */
export function insmodDetailed(
  argv: readonly string[],
  env: KmodKernelEnv,
): { readonly result: ToolResult; readonly errno: ErrnoName | undefined } {
  return runKmodToolDetailed('insmod', (io) => {
    let flags = 0;
    const parsed = getoptLong('insmod', argv, 'psfVh', LONGOPTS);
    for (const o of parsed.options) {
      switch (o.opt) {
        case 'p':
        case 's':
          break;
        case 'f':
          flags |= KMOD_INSERT_FORCE_MODVERSION | KMOD_INSERT_FORCE_VERMAGIC;
          break;
        case 'h':
          io.out(
            `Usage:\n\tinsmod [options] filename [args]\nOptions:\n\t-V, --version     show version\n\t-h, --help        show this help\n`,
          );
          return 0;
        case 'V':
          io.out(KMOD_VERSION_TEXT);
          return 0;
        default:
          io.err(o.error ?? '');
          return 1;
      }
    }
    const [filename, ...rest] = parsed.operands;
    if (filename === undefined) {
      io.log(LOG_ERR, 'missing filename.\n');
      return 1;
    }
    if (filename === '-') {
      io.log(LOG_ERR, 'this tool does not support loading from stdin!\n');
      return 1;
    }
    const opts = rest.join(' ');
    const ctx = new KmodCtx({
      fs: env.fs,
      release: env.release,
      decompress: env.decompress,
      configPaths: [],
      log: (prio, file, line, fn, msg) => io.kmodLog(prio, file, line, fn, msg),
    });
    const mod = ctx.newFromPath(filename);
    if (!mod.ok) {
      io.errno = mod.error;
      io.log(LOG_ERR, `could not load module ${filename}: ${strerror(mod.error)}\n`);
      return 1;
    }
    const path = mod.value.getPath() ?? filename;
    const r = kmodInsertModule({
      fs: env.fs,
      kernel: env.kernel,
      path,
      flags,
      args: opts,
      decompress: env.decompress,
    });
    if (!r.ok) {
      io.errno = r.error;
      io.log(LOG_ERR, `could not insert module ${filename}: ${modStrerror(r.error)}\n`);
      return 1;
    }
    return 0;
  });
}
