import { writeFileSync } from 'node:fs';
import { formatIssues, loadScenario } from '../../experiments/load-scenario.js';
import { runScenario, type ScenarioResult, type StepResult } from '../../experiments/run-scenario.js';
import type { Scenario } from '../../experiments/scenario.js';
import { type CliContext, UsageError } from '../cli-context.js';

/** Options shared by `run`, `compare` and `trace`: the scenario file and an optional `-o FILE`. */
export interface ScenarioArgs {
  /** Scenario file. */
  readonly file: string;
  /** `-o FILE`. */
  readonly output: string | undefined;
  /** `--format F`. */
  readonly format: string | undefined;
}

/** Parses `S [-o FILE] [--format F]`. */
export function parseScenarioArgs(command: string, argv: readonly string[]): ScenarioArgs {
  let file: string | undefined;
  let output: string | undefined;
  let format: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-o' || a === '--output') output = argv[++i];
    else if (a === '--format' || a === '-f') format = argv[++i];
    else if (a.startsWith('--format=')) format = a.slice(9);
    else if (a.startsWith('-')) throw new UsageError(`${command}: unknown option ${a}`);
    else if (file === undefined) file = a;
    else throw new UsageError(`${command}: one scenario file at a time`);
  }
  if (file === undefined) throw new UsageError(`${command}: missing scenario file`);
  return { file, output, format };
}

/** Loads a scenario or throws a UsageError (exit 2) listing every issue with its line and path. */
export function scenarioOrExit(ctx: CliContext, file: string): Scenario {
  const s = loadScenario(file);
  if (s.ok) return s.value;
  ctx.io.err(formatIssues(file, s.error));
  throw new UsageError(
    `${file}: invalid scenario (${s.error.length} problem${s.error.length === 1 ? '' : 's'})`,
  );
}

/** Where a progress bar goes: a stream that may be a terminal. */
export interface ProgressStream {
  /** True on a terminal. */
  readonly isTTY?: boolean;
  /** Writes text. */
  write(text: string): unknown;
}

/**
 * Runs a scenario, drawing a progress bar on `stream` (stderr) when it is a terminal and nothing when it is
 * piped. The bar is erased when the run ends, so the results that follow start on a clean line.
 */
export function runWithProgress(scenario: Scenario, stream: ProgressStream = process.stderr): ScenarioResult {
  const onResult =
    stream.isTTY === true
      ? (_r: StepResult, done: number, total: number) => {
          const width = 30;
          const filled = Math.round((done / total) * width);
          stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
          if (done === total) stream.write('\r\x1b[K');
        }
      : undefined;
  return runScenario(scenario, onResult === undefined ? {} : { onResult });
}

/** Writes to `-o FILE` or stdout. */
export function emit(ctx: CliContext, output: string | undefined, text: string): void {
  if (output === undefined) ctx.io.out(text);
  else writeFileSync(output, text);
}
