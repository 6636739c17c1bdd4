import { formatComparison } from '../../experiments/compare.js';
import { type CliCommand, UsageError } from '../cli-context.js';
import { defaultDemoReportPath, runDemo } from '../demo.js';

/** `kmodsim demo` (what `npm start` runs): the curated comparison of all four personalities. */
export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'compare all four personalities on the classic module experiments (table + HTML report)',
  usage: `kmodsim [--json] demo [-o REPORT.html]   (default report: ${defaultDemoReportPath()})`,
  async run(ctx, argv) {
    let output: string | undefined;
    for (let i = 0; i < argv.length; i++) {
      if (argv[i] === '-o' || argv[i] === '--output') output = argv[++i];
      else throw new UsageError(`demo: unknown argument ${argv[i]}`);
    }
    if (argv.length > 0 && output === undefined) throw new UsageError('demo: -o needs a file');
    const report = runDemo(output);
    if (ctx.json) ctx.io.out(formatComparison(report.comparison, 'json'));
    else ctx.io.out(report.text);
    return report.ok ? 0 : 1;
  },
};
