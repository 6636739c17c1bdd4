/**
 * kmod's `lsmod`: `/proc/modules` names with their size (`coresize`), reference count and holders from sysfs.
 * @see tools/lsmod.c (kmod 30) do_lsmod
 * @module
 */

import { LINUX_ERRNO } from '../../../abi/linux/errno.js';
import type { ToolResult } from '../../personality.js';
import { modnameNormalize } from './kmod-ctx.js';
import { readHolders, readLoaded, readRefcnt, readSize } from './kmod-kernel.js';
import type { KmodEnv } from './kmod-tool.js';
import { LOG_ERR, runKmodTool } from './kmod-tool.js';
import { strerror } from './strerror.js';

/** Runs `lsmod argv...` (without the program name: any argument is a usage error). */
export function lsmod(argv: readonly string[], env: KmodEnv): ToolResult {
  return runKmodTool('lsmod', (io) => {
    if (argv.length !== 0) {
      io.err('Usage: lsmod\n');
      return 1;
    }
    const loaded = readLoaded(env.fs);
    if (!loaded.ok) {
      io.kmodLog(
        LOG_ERR,
        'libkmod-module.c',
        1725,
        'kmod_module_new_from_loaded',
        `could not open /proc/modules: ${strerror(loaded.error)}\n`,
      );
      io.err(`Error: could not get list of modules: ${strerror(loaded.error)}\n`);
      return 1;
    }
    io.out('Module                  Size  Used by\n');
    for (const raw of loaded.value) {
      const name = modnameNormalize(raw);
      const refcnt = readRefcnt(env.fs, name);
      const useCount = refcnt.ok ? refcnt.value : -(LINUX_ERRNO[refcnt.error] ?? 0);
      const size = readSize(env.fs, name);
      const sizeValue = size.ok ? size.value : -(LINUX_ERRNO[size.error] ?? 0);
      let line = `${name.padEnd(19)} ${String(sizeValue).padStart(8)}  ${useCount}`;
      const holders = readHolders(env.fs, name);
      if (!holders.ok) {
        io.kmodLog(
          LOG_ERR,
          'libkmod-module.c',
          1998,
          'kmod_module_get_holders',
          `could not open '/sys/module/${name}/holders': ${strerror(holders.error)}\n`,
        );
      } else if (holders.value.length > 0) {
        line += ` ${holders.value.map(modnameNormalize).join(',')}`;
      }
      io.out(`${line}\n`);
    }
    return 0;
  });
}
