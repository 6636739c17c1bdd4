import type { CliCommand } from '../cli-context.js';

/** `kmodsim dmesg`: the simulated kernel log. */
export const dmesgCommand: CliCommand = {
  name: 'dmesg',
  summary: 'print the simulated kernel log',
  usage: 'kmodsim [-p ID] [--state FILE] [--json] dmesg',
  async run(ctx) {
    const k = await ctx.kernel();
    if (ctx.json) ctx.io.out(`${JSON.stringify(k.core.log.lines(), undefined, 2)}\n`);
    else ctx.io.out(k.dmesg());
    return 0;
  },
};
