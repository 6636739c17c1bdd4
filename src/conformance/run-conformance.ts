import { CONTRACT_CASES, casesByRow, runCases } from './cases.js';
import { CoverageRecorder, type CoverageRow, coverageTable } from './coverage.js';
import { ROBUSTNESS, runRobustness } from './robustness.js';
import { type PropertyReport, runModelSuite } from './suite.js';
import { imagesOf } from './suite-images.js';
import type { Target } from './target.js';

/** The properties of a conformance run. */
export const PROPERTIES = ['model', 'robustness', 'cases'] as const;

/** One property name. */
export type PropertyName = (typeof PROPERTIES)[number];

/** Options of {@link runConformance}. */
export interface ConformanceOptions {
  /** Runs of each random property (the model suite, robustness); the targeted cases run once each. */
  readonly runs?: number;
  /** fast-check seed. */
  readonly seed?: number;
  /** Which properties (default all). */
  readonly properties?: readonly PropertyName[];
  /** Progress: the property running, runs done and total. */
  readonly onProgress?: (property: PropertyName, done: number, total: number) => void;
}

/** Everything one personality's conformance run found. */
export interface ConformanceReport {
  /** One report per property, in run order. */
  readonly properties: readonly PropertyReport[];
  /** The documented-errno coverage: what the runs observed. */
  readonly coverage: readonly CoverageRow[];
  /** Rows no probe reached that should have been (they fail the run). */
  readonly missing: readonly CoverageRow[];
  /** Whether every property held and no documented errno is missing (when the cases ran). */
  readonly pass: boolean;
}

/** Whether the kit has suites for a personality (its model expectations, robustness probes and cases). */
export function hasConformanceSuite(personality: Target['personality']): boolean {
  return ROBUSTNESS[personality] !== undefined && CONTRACT_CASES[personality] !== undefined;
}

/**
 * Runs the model suite, the robustness property and the targeted cases against `target`, counting every errno
 * the syscalls answer, and builds the coverage table from what was observed. A documented errno nothing produced
 * fails the run (only when the cases ran: the random properties alone are not expected to reach them all).
 */
export async function runConformance(
  target: Target,
  options: ConformanceOptions = {},
): Promise<ConformanceReport> {
  const which = options.properties ?? PROPERTIES;
  const recorder = new CoverageRecorder();
  const reports: PropertyReport[] = [];
  const common = {
    ...(options.runs === undefined ? {} : { runs: options.runs }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  };
  const progress = (p: PropertyName) => (done: number, total: number) => options.onProgress?.(p, done, total);
  if (which.includes('model'))
    reports.push(await runModelSuite(target, { ...common, onRun: progress('model') }));
  if (which.includes('robustness'))
    reports.push(await runRobustness(target, { ...common, recorder, onRun: progress('robustness') }));
  const list = CONTRACT_CASES[target.personality];
  const cases = list === undefined ? [] : list(imagesOf(target.personality));
  if (which.includes('cases'))
    reports.push(await runCases(target, cases, { recorder, onRun: progress('cases') }));
  const coverage = coverageTable(target.personality, recorder, casesByRow(cases));
  const missing = which.includes('cases') ? coverage.filter((r) => r.status === 'missing') : [];
  return {
    properties: reports,
    coverage,
    missing,
    pass: reports.every((r) => r.pass) && missing.length === 0,
  };
}
