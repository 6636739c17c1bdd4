import { compare, formatComparison } from '../../experiments/compare.js';
import { htmlReport } from '../../experiments/html-report.js';
import { type CliCommand, UsageError } from '../cli-context.js';
import { emit, parseScenarioArgs, runWithProgress, scenarioOrExit } from './scenario-command.js';

/** `kmodsim compare S`: the side-by-side table (text, md, json, html). */
export const compareCommand: CliCommand = {
  name: 'compare',
  summary: 'run a scenario under each personality and print the side-by-side table',
  usage: 'kmodsim [--json] compare SCENARIO [--format text|md|json|html] [-o FILE]',
  async run(ctx, argv) {
    const args = parseScenarioArgs('compare', argv);
    const format = args.format ?? (ctx.json ? 'json' : 'text');
    if (!['text', 'md', 'json', 'html'].includes(format))
      throw new UsageError(`compare: unknown format '${format}'`);
    const result = runWithProgress(scenarioOrExit(ctx, args.file));
    const cmp = compare(result);
    emit(
      ctx,
      args.output,
      format === 'html' ? htmlReport(cmp, result) : formatComparison(cmp, format as 'text' | 'md' | 'json'),
    );
    return result.pass ? 0 : 1;
  },
};
