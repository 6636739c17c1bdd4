import type { CliCommand } from '../cli-context.js';

/** `kmodsim tools`: the current personality's user-space tools. */
export const toolsCommand: CliCommand = {
  name: 'tools',
  summary: "list the current personality's user-space tools",
  usage: 'kmodsim [-p ID] tools',
  async run(ctx) {
    const k = await ctx.kernel();
    ctx.io.out(
      ctx.json ? `${JSON.stringify(k.tools)}\n` : `${k.tools.join('\n')}${k.tools.length ? '\n' : ''}`,
    );
    return 0;
  },
};
