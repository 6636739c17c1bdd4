/**
 * modutils 2.4 `rmmod`: `delete_module(name)` for each name ("module %s is not loaded" on ENOENT, `perror`
 * otherwise), `-a` for `delete_module(NULL)` (autoclean reaping), `-r` for a whole stack (the named modules and
 * the modules only they use, removed in list order when nothing else uses them).
 * @see modutils insmod/rmmod.c (2.4)
 * @module
 */
import type { ErrnoName } from '../../../abi/errno.js';
import type { ToolResult } from '../../personality.js';
import { getoptLong, type LongOption } from './getopt.js';
import { MODUTILS_VERSION } from './insmod.js';
import { getKernelInfo, K_INFO, K_REFS } from './modstat.js';
import type { ModutilsContext } from './modutils-context.js';
import { strerror } from './strerror.js';
import { ToolIO } from './tool-io.js';

const USAGE = `Usage:
rmmod [-arshV] module ...

  -a, --all     Remove all unused modules
  -r, --stacks  Remove stacks, starting at the named module
  -s, --syslog  Use syslog for error messages
  -h, --help    Print this message
  -V, --version Print the release version number
`;

const LONG_OPTS: LongOption[] = [
  { name: 'all', hasArg: 'none', val: 'a' },
  { name: 'stacks', hasArg: 'none', val: 'r' },
  { name: 'syslog', hasArg: 'none', val: 's' },
  { name: 'version', hasArg: 'none', val: 'V' },
  { name: 'help', hasArg: 'none', val: 'h' },
];

const WANT_TO_REMOVE = 1;
const CAN_REMOVE = 2;

/** A run's result and the errno behind a failure. */
export interface RmmodOutcome {
  /** The process result. */
  readonly result: ToolResult;
  /** The first failing `delete_module`'s errno. */
  readonly errno?: ErrnoName;
}

/** Runs `rmmod argv…`. */
export function rmmodDetailed(argv: readonly string[], ctx: ModutilsContext): RmmodOutcome {
  const io = new ToolIO('rmmod');
  const done = (code: number): RmmodOutcome =>
    code === 0 ? { result: io.exit(0) } : { result: io.exit(code), errno: io.cause ?? 'EINVAL' };
  const perror = (prefix: string, errno: ErrnoName) => {
    io.stderr += `${prefix}: ${strerror(errno)}\n`;
    io.because(errno);
  };
  getKernelInfo(ctx, 0);
  const g = getoptLong('rmmod', argv, 'arsVh', LONG_OPTS);
  let recursive = false;
  for (const o of g.options) {
    switch (o.opt) {
      case 'a': {
        const r = ctx.sys.delete_module(null);
        if (r.errno !== undefined) {
          perror('rmmod', r.errno);
          return done(1);
        }
        return done(0);
      }
      case 'r':
        recursive = true;
        break;
      case 's':
        break;
      case 'V':
        io.stderr += `rmmod version ${MODUTILS_VERSION}\n`;
        break;
      case 'h':
        io.stderr += USAGE;
        return done(0);
      default:
        if (o.error !== undefined) io.stderr += o.error;
        io.stderr += USAGE;
        return done(1);
    }
  }
  if (g.operands.length === 0) {
    io.stderr += USAGE;
    return done(1);
  }
  if (!recursive) {
    let ret = 0;
    for (const name of g.operands) {
      const r = ctx.sys.delete_module(name);
      if (r.errno === undefined) continue;
      ret++;
      if (r.errno === 'ENOENT') io.error(`module ${name} is not loaded`, 'ENOENT');
      else perror(name, r.errno);
    }
    return done(ret > 0 ? 1 : 0);
  }
  const info = getKernelInfo(ctx, K_INFO | K_REFS);
  if ('message' in info) {
    io.error(info.message, info.errno);
    return done(1);
  }
  const mods = info.modules;
  let ret = 0;
  for (const name of g.operands) {
    const m = mods.find((x) => x.name === name);
    if (m === undefined) {
      io.error(`module ${name} not loaded`, 'ENOENT');
      ret = 1;
    } else m.status = WANT_TO_REMOVE;
  }
  for (const m of mods) {
    if (m.refs.length > 0 || m.status & WANT_TO_REMOVE) m.status |= CAN_REMOVE;
    for (const r of m.refs) {
      const s = mods[r].status;
      if (s === CAN_REMOVE || s === (WANT_TO_REMOVE | CAN_REMOVE)) continue;
      if (s === WANT_TO_REMOVE && mods[r].refs.length === 0) continue;
      m.status &= ~CAN_REMOVE;
    }
    if (m.status === CAN_REMOVE || m.status === (WANT_TO_REMOVE | CAN_REMOVE)) {
      const r = ctx.sys.delete_module(m.name);
      if (r.errno !== undefined) {
        io.error(`${m.name}: ${strerror(r.errno)}`, r.errno);
        ret = 1;
      }
    } else if (m.status === WANT_TO_REMOVE) {
      io.error(`${m.name} is in use`, 'EBUSY');
      ret = 1;
    }
  }
  return done(ret);
}

/** `rmmod` as a tool. */
export function rmmod(argv: readonly string[], ctx: ModutilsContext): ToolResult {
  return rmmodDetailed(argv, ctx).result;
}
