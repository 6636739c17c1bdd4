/**
 * modutils 2.4 `ksyms`: the symbols the loaded modules export (`%08lx  %-32s  [module]`), with `-m` a line per
 * module (address and size in KiB), with `-a` the kernel's own symbols too, `-h` without the header.
 * @see modutils insmod/ksyms.c (2.4)
 * @module
 */
import type { ToolResult } from '../../personality.js';
import { hex8 } from '../kernel-memory.js';
import { getoptLong, type LongOption } from './getopt.js';
import { MODUTILS_VERSION } from './insmod.js';
import { getKernelInfo, K_INFO, K_SYMBOLS } from './modstat.js';
import type { ModutilsContext } from './modutils-context.js';
import { ToolIO } from './tool-io.js';

const USAGE = `Usage:
ksyms [-ahm?V]

 -a, --all      Display all symbols
 -h, --noheader Suppress the column header
 -m, --info     Display module information
 -H, --help     Print this message
 -V, --version  Print the release version
`;

const LONG_OPTS: LongOption[] = [
  { name: 'all', hasArg: 'none', val: 'a' },
  { name: 'info', hasArg: 'none', val: 'm' },
  { name: 'noheader', hasArg: 'none', val: 'h' },
  { name: 'version', hasArg: 'none', val: 'V' },
  { name: 'help', hasArg: 'none', val: 'H' },
];

/** Runs `ksyms argv…`. */
export function ksyms(argv: readonly string[], ctx: ModutilsContext): ToolResult {
  const io = new ToolIO('ksyms');
  let all = false;
  let modInfo = false;
  let header = true;
  for (const o of getoptLong('ksyms', argv, 'amhVH', LONG_OPTS).options) {
    if (o.opt === 'a') all = true;
    else if (o.opt === 'm') modInfo = true;
    else if (o.opt === 'h') header = false;
    else if (o.opt === 'V') io.stderr += `ksyms version ${MODUTILS_VERSION}\n`;
    else if (o.opt === 'H') {
      io.stderr += USAGE;
      return io.exit(0);
    } else {
      if (o.error !== undefined) io.stderr += o.error;
      io.stderr += USAGE;
      return io.exit(1);
    }
  }
  const info = getKernelInfo(ctx, K_SYMBOLS | K_INFO);
  if ('message' in info) {
    io.error(info.message);
    return io.exit(1);
  }
  if (header) io.stdout += `${'Address'.padEnd(8)}  ${'Symbol'.padEnd(32)}  Defined by\n`;
  for (const m of info.modules) {
    if (modInfo) {
      const first = `${hex8(m.addr)}  (${Math.floor(m.size / 1024) + (m.size % 1024 !== 0 ? 1 : 0)}k)`;
      io.stdout += `${first}${' '.repeat(Math.max(0, 8 + 2 + 32 + 2 - first.length))}[${m.name}]\n`;
    }
    for (const s of m.syms) io.stdout += `${hex8(s.value)}  ${s.name.padEnd(32)}  [${m.name}]\n`;
  }
  if (all) for (const s of info.ksyms) io.stdout += `${hex8(s.value)}  ${s.name.padEnd(32)}\n`;
  return io.exit(0);
}
