/**
 * The other tools of the era, on the old interface: `rmmod` (`delete_module` per name, `-a` for
 * `delete_module(NULL)`), `lsmod` (modutils 2.1's `old_lsmod`: a header, then `/proc/modules` verbatim) and
 * `ksyms` (the `get_kernel_syms` table: module symbols with their module, `-a` the kernel's too).
 * @see modutils insmod/rmmod.c, lsmod.c old_lsmod (2.1), ksyms.c; linux-legacy.md §A.9, §A.10
 * @module
 */
import type { ErrnoName } from '../../../abi/errno.js';
import { hex8, latin1 } from '../../linux-v24/kernel-memory.js';
import { getoptLong } from '../../linux-v24/userland/getopt.js';
import { readUserFile } from '../../linux-v24/userland/module-files.js';
import { strerror } from '../../linux-v24/userland/strerror.js';
import { ToolIO } from '../../linux-v24/userland/tool-io.js';
import type { ToolResult } from '../../personality.js';
import { OLD_MODUTILS_VERSION } from './insmod.js';
import { oldGetKernelInfo } from './old-kernel-info.js';
import type { V1ToolsContext } from './v1-tools-context.js';

/** A run's result and the errno of its first failing call. */
export interface V1ToolOutcome {
  /** The process result. */
  readonly result: ToolResult;
  /** Why it failed. */
  readonly errno?: ErrnoName;
}

const RMMOD_USAGE = `Usage:
rmmod [-a] [-s] module ...
`;

/** Runs `rmmod argv…`. */
export function rmmodV1Detailed(argv: readonly string[], ctx: V1ToolsContext): V1ToolOutcome {
  const io = new ToolIO('rmmod');
  const done = (code: number): V1ToolOutcome =>
    code === 0 ? { result: io.exit(0) } : { result: io.exit(code), errno: io.cause ?? 'EINVAL' };
  const g = getoptLong('rmmod', argv, 'asV', []);
  for (const o of g.options) {
    if (o.opt === 'a') {
      const r = ctx.sys.delete_module(null);
      if (r.errno === undefined) return done(0);
      io.stderr += `rmmod: ${strerror(r.errno)}\n`;
      io.because(r.errno);
      return done(1);
    }
    if (o.opt === 'V') io.stderr += `rmmod version ${OLD_MODUTILS_VERSION}\n`;
    else if (o.opt !== 's') {
      if (o.error !== undefined) io.stderr += o.error;
      io.stderr += RMMOD_USAGE;
      return done(1);
    }
  }
  if (g.operands.length === 0) {
    io.stderr += RMMOD_USAGE;
    return done(1);
  }
  let failed = 0;
  for (const name of g.operands) {
    const r = ctx.sys.delete_module(name);
    if (r.errno === undefined) continue;
    failed++;
    if (r.errno === 'ENOENT') io.error(`module ${name} is not loaded`, 'ENOENT');
    else {
      io.stderr += `${name}: ${strerror(r.errno)}\n`;
      io.because(r.errno);
    }
  }
  return done(failed > 0 ? 1 : 0);
}

/** `lsmod`: `Module         Pages    Used by`, then `/proc/modules` as the kernel wrote it. */
export function lsmodV1(ctx: V1ToolsContext): ToolResult {
  const io = new ToolIO('lsmod');
  const r = readUserFile(ctx, '/proc/modules');
  if (!r.ok) {
    io.error(`/proc/modules: ${strerror(r.error)}`, r.error);
    return io.exit(1);
  }
  io.stdout = `Module         Pages    Used by\n${latin1(r.value)}`;
  return io.exit(0);
}

/** `ksyms [-a] [-h]`: `%08lx  %-32s  [module]` per module symbol; `-a` adds the resident ones. */
export function ksymsV1(argv: readonly string[], ctx: V1ToolsContext): ToolResult {
  const io = new ToolIO('ksyms');
  let all = false;
  let header = true;
  for (const o of getoptLong('ksyms', argv, 'ah', []).options) {
    if (o.opt === 'a') all = true;
    else if (o.opt === 'h') header = false;
    else {
      io.stderr += 'Usage:\nksyms [-ah]\n';
      return io.exit(1);
    }
  }
  const info = oldGetKernelInfo(ctx);
  if ('message' in info) {
    io.error(info.message, info.errno);
    return io.exit(1);
  }
  if (header) io.stdout += `${'Address'.padEnd(8)}  ${'Symbol'.padEnd(32)}  Defined by\n`;
  for (const m of info.modules)
    for (const s of m.syms) io.stdout += `${hex8(s.value)}  ${s.name.padEnd(32)}  [${m.name}]\n`;
  if (all) for (const s of info.ksyms) io.stdout += `${hex8(s.value)}  ${s.name.padEnd(32)}\n`;
  return io.exit(0);
}
