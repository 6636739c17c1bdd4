import type { CliCommand } from '../cli-context.js';
import { emit, parseScenarioArgs, runWithProgress, scenarioOrExit } from './scenario-command.js';

/** `kmodsim run S`: one line per step and personality; exit 1 on a failed expectation, 2 on a bad scenario. */
export const runCommand: CliCommand = {
  name: 'run',
  summary: 'run a scenario file and check its expectations',
  usage: 'kmodsim [--json] run SCENARIO [-o FILE]',
  async run(ctx, argv) {
    const args = parseScenarioArgs('run', argv);
    const result = runWithProgress(scenarioOrExit(ctx, args.file));
    if (ctx.json) {
      const rows = result.results.map((r) => ({
        step: r.step + 1,
        personality: r.personality,
        action: r.action,
        ret: r.ret ?? r.syscalls.find((c) => c.errno !== undefined)?.ret ?? (r.result === 'ok' ? 0 : null),
        errno: r.result === 'ok' || r.result === 'n/a' ? undefined : r.result,
        expected: r.expected,
        pass: r.pass,
        log: r.log,
      }));
      emit(ctx, args.output, `${JSON.stringify(rows, undefined, 2)}\n`);
    } else {
      const lines = result.results.map((r) => {
        const outcome =
          r.result === 'ok' || r.result === 'n/a' ? r.result : `${r.result} (${r.errnoNumber ?? '?'})`;
        const reason = r.reason === undefined ? '' : ` [${r.reason}]`;
        const verdict = r.pass ? '' : `  MISMATCH: ${r.mismatch}`;
        return `${r.step + 1} ${r.personality} ${r.action} → ${outcome}${reason}${verdict}`;
      });
      const setup = [...result.setup].flatMap(([p, problems]) => problems.map((m) => `${p}: ${m}`));
      lines.unshift(...setup);
      const failed = result.results.filter((r) => !r.pass);
      lines.push(
        failed.length > 0
          ? `${result.name}: ${failed.length} mismatch${failed.length === 1 ? '' : 'es'} (first at step ${failed[0].step + 1}, ${failed[0].personality}: ${failed[0].action})`
          : setup.length > 0
            ? `${result.name}: ${setup.length} setup problem${setup.length === 1 ? '' : 's'}`
            : `${result.name}: all ${result.results.length} expectations hold`,
      );
      emit(ctx, args.output, `${lines.join('\n')}\n`);
    }
    return result.pass ? 0 : 1;
  },
};
