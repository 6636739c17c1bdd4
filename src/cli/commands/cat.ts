import type { CliCommand } from '../cli-context.js';
import { UsageError } from '../cli-context.js';

/** `kmodsim cat PATH...`: prints simulated files such as `/proc/modules`. */
export const catCommand: CliCommand = {
  name: 'cat',
  summary: 'print a simulated file (/proc/modules, /sys/module/...)',
  usage: 'kmodsim [-p ID] [--state FILE] cat PATH...',
  async run(ctx, argv) {
    if (argv.length === 0) throw new UsageError('cat: missing PATH');
    const k = await ctx.kernel();
    let status = 0;
    for (const path of argv) {
      const text = k.read(path);
      if (text === undefined) {
        ctx.io.err(`cat: ${path}: No such file or directory\n`);
        status = 1;
      } else ctx.io.out(text);
    }
    return status;
  },
};
