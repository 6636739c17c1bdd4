/**
 * The quick pass `npm test` makes per personality: the model suite and the robustness property (together about
 * a thousand random runs) and every targeted case, with the documented-errno coverage measured from what the
 * syscalls answered.
 */
import { expect } from 'vitest';
import { formatCoverage } from '../../../src/conformance/coverage.js';
import { KmodsimTarget } from '../../../src/conformance/kmodsim-target.js';
import { runConformance } from '../../../src/conformance/run-conformance.js';
import type { PersonalityId } from '../../../src/personalities/personality.js';

/** Random runs per property: FUZZ_RUNS when set (npm run conform:long), else the quick pass. */
export const QUICK_RUNS = Number(process.env.FUZZ_RUNS ?? 450);

/** Runs every property against kmodsim's `personality` and expects all to hold and no errno missing. */
export async function quickPass(personality: PersonalityId): Promise<void> {
  const report = await runConformance(new KmodsimTarget(personality), { runs: QUICK_RUNS });
  for (const p of report.properties) {
    expect(
      p.message ?? '',
      `${personality} ${p.property} (seed ${p.seed}): ${(p.counterexample ?? []).join(' / ')}`,
    ).toBe('');
    expect(p.pass).toBe(true);
  }
  expect(report.properties.map((p) => p.property)).toEqual(['model', 'robustness', 'cases']);
  expect(
    report.missing.map((r) => `${r.call} ${r.errno}`),
    formatCoverage(personality, report.coverage),
  ).toEqual([]);
  // Every documented errno a probe can reach was seen by at least one probe.
  const covered = report.coverage.filter((r) => r.status === 'covered');
  expect(covered.length).toBeGreaterThan(0);
  for (const r of covered) expect(r.probes.length).toBeGreaterThan(0);
  expect(report.pass).toBe(true);
}
