import type { CliCommand } from '../cli-context.js';
import { runDemo } from '../demo.js';

/** `kmodsim demo` (what `npm start` runs): one module loaded and unloaded under every personality. */
export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'load and unload a module under every personality',
  usage: 'kmodsim [--json] demo',
  async run(ctx) {
    const report = runDemo();
    if (ctx.json) ctx.io.out(`${JSON.stringify(report, undefined, 2)}\n`);
    else ctx.io.out(report.text);
    return report.ok ? 0 : 1;
  },
};
