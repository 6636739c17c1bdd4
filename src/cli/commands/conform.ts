import { writeFileSync } from 'node:fs';
import { KmodsimTarget } from '../../conformance/kmodsim-target.js';
import { ScriptTarget } from '../../conformance/script-target.js';
import { runModelSuite, type SuiteReport } from '../../conformance/suite.js';
import type { Target } from '../../conformance/target.js';
import { isPersonalityId, PERSONALITY_IDS, type PersonalityId } from '../../personalities/personality.js';
import { type CliCommand, UsageError } from '../cli-context.js';

interface ConformArgs {
  all: boolean;
  runs: number;
  seed: number | undefined;
  script: string | undefined;
  out: string | undefined;
}

function parse(argv: readonly string[]): ConformArgs {
  const a: ConformArgs = { all: false, runs: 1000, seed: undefined, script: undefined, out: undefined };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i];
    const num = (): number => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 0) throw new UsageError(`conform: ${x} needs a non-negative integer`);
      return v;
    };
    if (x === '--all') a.all = true;
    else if (x === '--runs') a.runs = num();
    else if (x === '--seed') a.seed = num();
    else if (x === '--target') {
      const t = argv[++i] ?? '';
      if (!t.startsWith('script:')) throw new UsageError("conform: --target takes 'script:COMMAND'");
      a.script = t.slice(7);
    } else if (x === '-o') a.out = argv[++i];
    else throw new UsageError(`conform: unknown argument ${x}`);
  }
  return a;
}

/** `kmodsim conform`: the model-based conformance suite against kmodsim or a script target. */
export const conformCommand: CliCommand = {
  name: 'conform',
  summary: 'property-based conformance suites against a personality or a script target',
  usage:
    'kmodsim [-p ID] [--json] conform [--all] [--runs N] [--seed S] [--target script:CMD] [-o COUNTEREXAMPLE.yaml]',
  async run(ctx, argv) {
    const a = parse(argv);
    const ids: PersonalityId[] = a.all ? [...PERSONALITY_IDS] : [ctx.personality ?? 'linux-v26'];
    if (a.script !== undefined && ids.length > 1)
      throw new UsageError('conform: a script target checks one personality (-p ID)');
    const reports: SuiteReport[] = [];
    for (const id of ids) {
      if (!isPersonalityId(id)) continue;
      const target: Target = a.script === undefined ? new KmodsimTarget(id) : new ScriptTarget(id, a.script);
      const tty = process.stderr.isTTY === true;
      try {
        const report = await runModelSuite(target, {
          runs: a.runs,
          ...(a.seed === undefined ? {} : { seed: a.seed }),
          onRun: tty ? (done, total) => process.stderr.write(`\r${id}: ${done}/${total}`) : undefined,
        });
        if (tty) process.stderr.write('\r\x1b[K');
        reports.push(report);
      } finally {
        await target.close();
      }
    }
    if (ctx.json) ctx.io.out(`${JSON.stringify(reports, undefined, 2)}\n`);
    else {
      for (const r of reports) {
        ctx.io.out(
          `${r.personality}: model suite ${r.pass ? 'PASS' : 'FAIL'} (${r.runs} runs, seed ${r.seed})\n`,
        );
        if (!r.pass) {
          ctx.io.out(
            `  ${r.message}\n  counterexample:\n${(r.counterexample ?? []).map((l) => `    ${l}\n`).join('')}`,
          );
        }
      }
    }
    const failed = reports.find((r) => !r.pass);
    if (failed?.scenario !== undefined && a.out !== undefined) writeFileSync(a.out, failed.scenario);
    else if (failed?.scenario !== undefined && !ctx.json)
      ctx.io.out(`\nreplay with kmodsim run:\n${failed.scenario}`);
    return failed === undefined ? 0 : 1;
  },
};
