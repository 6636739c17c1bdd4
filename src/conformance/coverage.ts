import type { ErrnoName } from '../abi/errno.js';
import type { PersonalityId } from '../personalities/personality.js';
import { documentedCalls } from './documented-errnos.js';
import type { OpOutcome } from './target.js';

/** Counts which errno each syscall answered while the suites ran, and which probes saw it. */
export class CoverageRecorder {
  private readonly seen = new Map<string, Map<string, number>>();
  private readonly skippedProbes = new Set<string>();

  /** Records that `call` answered `outcome` under `probe` (a case name, `robustness`). */
  record(call: string, outcome: OpOutcome, probe: string): void {
    if (outcome === 'ok') return;
    const key = `${call} ${outcome}`;
    const probes = this.seen.get(key) ?? new Map<string, number>();
    probes.set(probe, (probes.get(probe) ?? 0) + 1);
    this.seen.set(key, probes);
  }

  /** Records that `probe` did not run (it needs a kernel configuration the target cannot take). */
  skip(probe: string): void {
    this.skippedProbes.add(probe);
  }

  /** The probes that saw `call` answer `errno`, with how often. */
  probes(call: string, errno: ErrnoName): ReadonlyMap<string, number> {
    return this.seen.get(`${call} ${errno}`) ?? new Map();
  }

  /** Probes that were skipped. */
  get skipped(): ReadonlySet<string> {
    return this.skippedProbes;
  }
}

/** One row of the coverage table: a documented errno of a call, and what produced it. */
export interface CoverageRow {
  /** The syscall. */
  readonly call: string;
  /** The documented errno. */
  readonly errno: ErrnoName;
  /** When the documentation says it is returned. */
  readonly when: string;
  /** `covered`: some probe saw it; `unreachable`: no probe can (see `note`); `skipped`: its probes did not run; `missing`. */
  readonly status: 'covered' | 'unreachable' | 'skipped' | 'missing';
  /** The probes that saw it, most frequent first. */
  readonly probes: readonly string[];
  /** Why it is unreachable, or which probes were skipped. */
  readonly note?: string;
}

/**
 * The coverage table of `personality`: one row per documented errno of each documented call, with the probes
 * that actually observed it. `expectedBy` names the targeted cases meant to produce each `call errno`, so a row
 * whose only cases were skipped reads `skipped` rather than `missing`.
 */
export function coverageTable(
  personality: PersonalityId,
  recorder: CoverageRecorder,
  expectedBy: ReadonlyMap<string, readonly string[]> = new Map(),
): CoverageRow[] {
  const rows: CoverageRow[] = [];
  for (const [call, doc] of Object.entries(documentedCalls(personality))) {
    for (const d of doc.errors) {
      const seen = [...recorder.probes(call, d.errno).entries()].sort((a, b) => b[1] - a[1]).map(([p]) => p);
      const cases = expectedBy.get(`${call} ${d.errno}`) ?? [];
      const skipped = cases.filter((c) => recorder.skipped.has(c));
      const base = { call, errno: d.errno, when: d.when, probes: seen };
      if (seen.length > 0) rows.push({ ...base, status: 'covered' });
      else if (d.unreachable !== undefined)
        rows.push({ ...base, status: 'unreachable', note: d.unreachable });
      else if (skipped.length > 0 && skipped.length === cases.length)
        rows.push({ ...base, status: 'skipped', note: `needs a configurable target: ${skipped.join(', ')}` });
      else rows.push({ ...base, status: 'missing' });
    }
  }
  return rows;
}

/** The table as text: `call  errno  status  probes`, one line per row. */
export function formatCoverage(personality: PersonalityId, rows: readonly CoverageRow[]): string {
  const lines = [`${personality}: documented errnos`];
  const w1 = Math.max(...rows.map((r) => r.call.length), 4);
  const w2 = Math.max(...rows.map((r) => r.errno.length), 5);
  for (const r of rows) {
    const what =
      r.status === 'covered'
        ? r.probes.slice(0, 4).join(', ') + (r.probes.length > 4 ? `, +${r.probes.length - 4}` : '')
        : (r.note ?? r.when);
    lines.push(`  ${r.call.padEnd(w1)}  ${r.errno.padEnd(w2)}  ${r.status.padEnd(11)}  ${what}`);
  }
  const missing = rows.filter((r) => r.status === 'missing').length;
  const covered = rows.filter((r) => r.status === 'covered').length;
  lines.push(`  ${covered}/${rows.length} covered, ${missing} missing`);
  return `${lines.join('\n')}\n`;
}
