import { formatTrace } from '../../experiments/trace.js';
import type { CliCommand } from '../cli-context.js';
import { emit, parseScenarioArgs, runWithProgress, scenarioOrExit } from './scenario-command.js';

/** `kmodsim trace S`: every syscall each era's tools made for each step, strace style. */
export const traceCommand: CliCommand = {
  name: 'trace',
  summary: "print the syscalls each era's tools made for each step of a scenario",
  usage: 'kmodsim [--json] trace SCENARIO [-o FILE]',
  async run(ctx, argv) {
    const args = parseScenarioArgs('trace', argv);
    const result = runWithProgress(scenarioOrExit(ctx, args.file));
    if (ctx.json) {
      const rows = result.results.map((r) => ({
        step: r.step + 1,
        personality: r.personality,
        action: r.action,
        result: r.result,
        syscalls: r.syscalls,
      }));
      emit(ctx, args.output, `${JSON.stringify(rows, undefined, 2)}\n`);
    } else emit(ctx, args.output, formatTrace(result));
    return 0;
  },
};
