import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatCoverage } from '../../conformance/coverage.js';
import { KmodsimTarget } from '../../conformance/kmodsim-target.js';
import {
  type ConformanceReport,
  hasConformanceSuite,
  PROPERTIES,
  type PropertyName,
  runConformance,
} from '../../conformance/run-conformance.js';
import { ScriptTarget } from '../../conformance/script-target.js';
import type { Target } from '../../conformance/target.js';
import { isPersonalityId, PERSONALITY_IDS, type PersonalityId } from '../../personalities/personality.js';
import { type CliCommand, type CliContext, UsageError } from '../cli-context.js';
import type { ProgressStream } from './scenario-command.js';

interface ConformArgs {
  personality: PersonalityId | undefined;
  all: boolean;
  runs: number;
  seed: number | undefined;
  script: string | undefined;
  out: string;
  coverage: boolean;
  properties: PropertyName[];
}

function parse(argv: readonly string[]): ConformArgs {
  const a: ConformArgs = {
    personality: undefined,
    all: false,
    runs: 1000,
    seed: undefined,
    script: undefined,
    out: 'conform-counterexamples',
    coverage: false,
    properties: [...PROPERTIES],
  };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`conform: ${x} needs a value`);
      return v;
    };
    const num = (): number => {
      const v = Number(value());
      if (!Number.isInteger(v) || v < 0) throw new UsageError(`conform: ${x} needs a non-negative integer`);
      return v;
    };
    if (x === '--all') a.all = true;
    else if (x === '-p' || x === '--personality') {
      const id = value();
      if (!isPersonalityId(id)) throw new UsageError(`conform: unknown personality ${id}`);
      a.personality = id;
    } else if (x === '--runs') a.runs = num();
    else if (x === '--seed') a.seed = num();
    else if (x === '--coverage') a.coverage = true;
    else if (x === '--only') {
      const list = value().split(',');
      const bad = list.find((p) => !(PROPERTIES as readonly string[]).includes(p));
      if (bad !== undefined) throw new UsageError(`conform: --only takes ${PROPERTIES.join(', ')}`);
      a.properties = list as PropertyName[];
    } else if (x === '--target') {
      const t = value();
      if (!t.startsWith('script:') || t.length === 7)
        throw new UsageError("conform: --target takes 'script:COMMAND'");
      a.script = t.slice(7);
    } else if (x === '-o' || x === '--output') a.out = value();
    else throw new UsageError(`conform: unknown argument ${x}`);
  }
  return a;
}

/** A progress bar for one personality's properties on `stream`, drawn only on a terminal. */
function progressBar(
  stream: ProgressStream,
  id: PersonalityId,
): ((p: PropertyName, done: number, total: number) => void) | undefined {
  if (stream.isTTY !== true) return undefined;
  return (p, done, total) => {
    const width = 30;
    const filled = Math.round((Math.min(done, total) / Math.max(total, 1)) * width);
    stream.write(`\r\x1b[K${id} ${p} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
  };
}

/** Writes each failing property's replay (scenario and sidecar files) under `dir`; returns the scenario paths. */
function writeReplays(dir: string, report: ConformanceReport, id: PersonalityId): string[] {
  const paths: string[] = [];
  for (const p of report.properties) {
    if (p.pass || p.replay === undefined) continue;
    mkdirSync(dir, { recursive: true });
    for (const f of p.replay.files) writeFileSync(join(dir, f.name), f.bytes);
    const path = join(dir, `${id}-${p.property}.yaml`);
    writeFileSync(path, p.replay.text);
    paths.push(path);
  }
  return paths;
}

/** Runs the suites for each personality; the injectable `stream` is where the progress bar goes. */
export async function runConform(
  ctx: CliContext,
  argv: readonly string[],
  stream: ProgressStream = process.stderr,
): Promise<number> {
  const a = parse(argv);
  const wanted = a.personality ?? ctx.personality;
  const ids: PersonalityId[] = a.all ? PERSONALITY_IDS.filter(hasConformanceSuite) : [wanted ?? 'linux-v26'];
  if (a.script !== undefined && ids.length > 1)
    throw new UsageError('conform: a script target checks one personality (-p ID)');
  for (const id of ids)
    if (!hasConformanceSuite(id)) throw new UsageError(`conform: no conformance suite for ${id} yet`);
  let failed = false;
  const json: unknown[] = [];
  for (const id of ids) {
    const target: Target = a.script === undefined ? new KmodsimTarget(id) : new ScriptTarget(id, a.script);
    const onProgress = progressBar(stream, id);
    let report: ConformanceReport;
    try {
      report = await runConformance(target, {
        runs: a.runs,
        properties: a.properties,
        ...(a.seed === undefined ? {} : { seed: a.seed }),
        ...(onProgress === undefined ? {} : { onProgress }),
      });
    } finally {
      if (onProgress !== undefined) stream.write('\r\x1b[K');
      await target.close();
    }
    const written = writeReplays(a.out, report, id);
    failed ||= !report.pass;
    if (ctx.json) {
      json.push({
        personality: id,
        pass: report.pass,
        properties: report.properties.map(({ replay: _replay, ...rest }) => rest),
        coverage: report.coverage,
        missing: report.missing.map((r) => `${r.call} ${r.errno}`),
        replays: written,
      });
      continue;
    }
    for (const p of report.properties) {
      const seed = p.property === 'cases' ? '' : `, seed ${p.seed}`;
      ctx.io.out(`${id}: ${p.property.padEnd(10)} ${p.pass ? 'PASS' : 'FAIL'} (${p.runs} runs${seed})\n`);
      if (!p.pass) {
        ctx.io.out(`  ${p.message ?? ''}\n`);
        if (p.counterexample !== undefined && p.counterexample.length > 0)
          ctx.io.out(
            `  counterexample (shrunk):\n${p.counterexample.map((l) => `    ${l.slice(0, 160)}\n`).join('')}`,
          );
      }
    }
    if (report.missing.length > 0)
      ctx.io.out(
        `${id}: documented errnos no probe produced: ${report.missing.map((r) => `${r.call} ${r.errno}`).join(', ')}\n`,
      );
    if (a.coverage) ctx.io.out(formatCoverage(id, report.coverage));
    for (const path of written) ctx.io.out(`${id}: replay with: kmodsim run ${path}\n`);
  }
  if (ctx.json) ctx.io.out(`${JSON.stringify(json, undefined, 2)}\n`);
  return failed ? 1 : 0;
}

/** `kmodsim conform`: the conformance suites against kmodsim or a script target. */
export const conformCommand: CliCommand = {
  name: 'conform',
  summary: 'property-based conformance suites against a personality or a script target',
  usage:
    'kmodsim conform [-p ID | --all] [--runs N] [--seed S] [--only model,robustness,cases] [--coverage]\n' +
    '                [--target script:COMMAND] [-o DIR]',
  run: (ctx, argv) => runConform(ctx, argv),
};
