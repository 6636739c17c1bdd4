/**
 * A reduced modutils 2.4 `modprobe`, enough for the kernel's `request_module` (kmod runs
 * `modprobe -s -k -- name`) and for scripts: a module already loaded is a success, otherwise the first `<name>.o`
 * on the module path is handed to `insmod` (`-k` passed on, parameters appended); `-r` removes with `rmmod`.
 * It reads no `modules.dep`/`modules.conf`, so dependencies are not loaded first (docs/personalities/linux-v24.md).
 * @see modutils insmod/modprobe.c (2.4); kernel/kmod.c request_module (2.4: argv `-s -k -- name`)
 * @module
 */
import type { ToolResult } from '../../personality.js';
import { getoptLong, type LongOption } from './getopt.js';
import { insmodDetailed, MODUTILS_VERSION } from './insmod.js';
import { getKernelInfo } from './modstat.js';
import { searchModulePath } from './module-files.js';
import type { ModutilsContext } from './modutils-context.js';
import { rmmodDetailed } from './rmmod.js';
import { ToolIO } from './tool-io.js';

const LONG_OPTS: LongOption[] = [
  { name: 'autoclean', hasArg: 'none', val: 'k' },
  { name: 'syslog', hasArg: 'none', val: 's' },
  { name: 'quiet', hasArg: 'none', val: 'q' },
  { name: 'verbose', hasArg: 'none', val: 'v' },
  { name: 'remove', hasArg: 'none', val: 'r' },
  { name: 'version', hasArg: 'none', val: 'V' },
];

/** Runs `modprobe argv…`. */
export function modprobe(argv: readonly string[], ctx: ModutilsContext): ToolResult {
  const io = new ToolIO('modprobe');
  let autoclean = false;
  let remove = false;
  let quiet = false;
  for (const o of getoptLong('modprobe', argv, 'ksqvrV', LONG_OPTS).options) {
    if (o.opt === 'k') autoclean = true;
    else if (o.opt === 'r') remove = true;
    else if (o.opt === 'q') quiet = true;
    else if (o.opt === 'V') io.stderr += `modprobe version ${MODUTILS_VERSION}\n`;
    else if (o.opt === '?') {
      io.stderr += o.error ?? '';
      return io.exit(1);
    }
  }
  const operands = getoptLong('modprobe', argv, 'ksqvrV', LONG_OPTS).operands;
  if (operands.length === 0) {
    io.stderr += 'Usage: modprobe [-k] [-s] [-q] [-v] [-r] module [symbol=value ...]\n';
    return io.exit(1);
  }
  const [name, ...params] = operands;
  if (remove) return rmmodDetailed([name], ctx).result;
  const info = getKernelInfo(ctx, 0);
  if (!('message' in info) && info.modules.some((m) => m.name === name)) return io.exit(0);
  const path = searchModulePath(ctx, name);
  if (path === undefined) {
    if (!quiet) io.error(`Can't locate module ${name}`);
    return io.exit(1);
  }
  const r = insmodDetailed([...(autoclean ? ['-k'] : []), path, ...params], ctx).result;
  return { exitCode: r.exitCode, stdout: io.stdout + r.stdout, stderr: io.stderr + r.stderr };
}
