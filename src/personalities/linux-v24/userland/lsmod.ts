/**
 * modutils 2.4 `lsmod`: a header with the taint state (from `/proc/sys/kernel/tainted`, when the kernel has
 * it), then for root one line per module from `query_module` (QM_MODULES, QM_INFO, QM_REFS) —
 * `%-20s%8lu%4ld ` and the state words — or, for anyone else, `/proc/modules` verbatim.
 * @see modutils insmod/lsmod.c (2.4); linux-legacy.md §B.10
 * @module
 */
import {
  MOD_AUTOCLEAN,
  MOD_DELETED,
  MOD_INITIALIZING,
  MOD_RUNNING,
  MOD_USED_ONCE,
  TAINT_FORCED_MODULE,
  TAINT_PROPRIETORY_MODULE,
  TAINT_UNSAFE_SMP,
} from '../../../abi/linux/v24.js';
import type { ToolResult } from '../../personality.js';
import { latin1 } from '../kernel-memory.js';
import { getoptLong, type LongOption } from './getopt.js';
import { MODUTILS_VERSION } from './insmod.js';
import { getKernelInfo, K_INFO, K_REFS } from './modstat.js';
import { readUserFile } from './module-files.js';
import type { ModutilsContext } from './modutils-context.js';
import { strerror } from './strerror.js';
import { ToolIO } from './tool-io.js';

const USAGE = `Usage:
lsmod [-Vh]

 -V, --version    Print the release version
 -h, --help       Print this message
`;

const LONG_OPTS: LongOption[] = [
  { name: 'version', hasArg: 'none', val: 'V' },
  { name: 'help', hasArg: 'none', val: 'h' },
];

/** Runs `lsmod argv…`. */
export function lsmod(argv: readonly string[], ctx: ModutilsContext): ToolResult {
  const io = new ToolIO('lsmod');
  const g = getoptLong('lsmod', argv, 'Vh', LONG_OPTS);
  for (const o of g.options) {
    if (o.opt === 'V') {
      io.stderr += `lsmod version ${MODUTILS_VERSION}\n`;
      return io.exit(0);
    }
    if (o.opt === 'h') {
      io.stderr += USAGE;
      return io.exit(0);
    }
    if (o.error !== undefined) io.stderr += o.error;
    io.stderr += USAGE;
    return io.exit(1);
  }
  const tainted = readUserFile(ctx, '/proc/sys/kernel/tainted');
  let header = 'Module                  Size  Used by    ';
  if (tainted.ok) {
    const t = Number.parseInt(latin1(tainted.value), 10) || 0;
    header +=
      t !== 0
        ? `Tainted: ${t & TAINT_PROPRIETORY_MODULE ? 'P' : 'G'}${t & TAINT_FORCED_MODULE ? 'F' : ' '}${t & TAINT_UNSAFE_SMP ? 'S' : ' '}`
        : 'Not tainted';
  }
  io.stdout += `${header}\n`;
  if (ctx.core.creds.current.uid !== 0) {
    const proc = readUserFile(ctx, '/proc/modules');
    if (!proc.ok) {
      io.stderr += `/proc/modules: ${strerror(proc.error)}\n`;
      return io.exit(1);
    }
    io.stdout += latin1(proc.value);
    return io.exit(0);
  }
  const info = getKernelInfo(ctx, K_INFO | K_REFS);
  if ('message' in info) {
    io.error(info.message);
    return io.exit(1);
  }
  for (const m of info.modules) {
    let line = `${m.name.padEnd(20)}${String(m.size >>> 0).padStart(8)}${String(m.usecount).padStart(4)} `;
    if (m.flags & MOD_DELETED) line += ' (deleted)';
    else if (m.flags & MOD_INITIALIZING) line += ' (initializing)';
    else if (!(m.flags & MOD_RUNNING)) line += ' (uninitialized)';
    else {
      if (m.flags & MOD_AUTOCLEAN) line += ' (autoclean)';
      if (!(m.flags & MOD_USED_ONCE)) line += ' (unused)';
    }
    if (m.refs.length > 0) line += ` [${m.refs.map((r) => info.modules[r].name).join(' ')}]`;
    io.stdout += `${line}\n`;
  }
  return io.exit(0);
}
