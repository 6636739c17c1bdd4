import type { PersonalityId } from '../personalities/personality.js';
import type { ScenarioResult, StepResult } from './run-scenario.js';

/** One row of the side-by-side table: a step and its result under each personality. */
export interface CompareRow {
  /** Step index. */
  readonly step: number;
  /** Action label. */
  readonly action: string;
  /** Cells in personality order. */
  readonly cells: readonly StepResult[];
  /** True when the personalities that ran the step disagree. */
  readonly differs: boolean;
}

/** The side-by-side view of a scenario run. */
export interface Comparison {
  /** Scenario name. */
  readonly name: string;
  /** Column order. */
  readonly personalities: readonly PersonalityId[];
  /** Rows in step order. */
  readonly rows: readonly CompareRow[];
  /** Whether every expectation held. */
  readonly pass: boolean;
}

/** Output formats of {@link formatComparison}. */
export type CompareFormat = 'text' | 'md' | 'json';

/** Arranges a run as rows = steps, columns = personalities, marking rows where the personalities differ. */
export function compare(result: ScenarioResult): Comparison {
  const rows: CompareRow[] = [];
  const width = result.personalities.length;
  for (let i = 0; i < result.results.length; i += width) {
    const cells = result.results.slice(i, i + width);
    const ran = new Set(cells.filter((c) => c.result !== 'n/a').map((c) => c.result));
    rows.push({ step: cells[0].step, action: cells[0].action, cells, differs: ran.size > 1 });
  }
  return { name: result.name, personalities: result.personalities, rows, pass: result.pass };
}

/** The text of one cell: the outcome, then what was wanted when an expectation failed. */
export function cellText(c: StepResult): string {
  if (c.pass) return c.result;
  return c.expected !== undefined && c.expected !== c.result
    ? `${c.result} (want ${c.expected})`
    : `${c.result} (${c.mismatch})`;
}

/** Renders a comparison as a plain-text table, a Markdown table or JSON. */
export function formatComparison(cmp: Comparison, format: CompareFormat): string {
  if (format === 'json') {
    return `${JSON.stringify(
      {
        name: cmp.name,
        personalities: cmp.personalities,
        pass: cmp.pass,
        rows: cmp.rows.map((r) => ({
          step: r.step,
          action: r.action,
          differs: r.differs,
          cells: Object.fromEntries(r.cells.map((c) => [c.personality, { result: c.result, pass: c.pass }])),
        })),
      },
      undefined,
      2,
    )}\n`;
  }
  const header = ['#', 'step', ...cmp.personalities];
  const body = cmp.rows.map((r) => [
    String(r.step + 1),
    `${r.differs ? '* ' : ''}${r.action}`,
    ...r.cells.map(cellText),
  ]);
  if (format === 'md') {
    const line = (cols: string[]) => `| ${cols.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
    return `${[`### ${cmp.name}`, '', line(header), line(header.map(() => '---')), ...body.map(line)].join('\n')}\n`;
  }
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const fmt = (cols: string[]) =>
    cols
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return `${[
    `${cmp.name}${cmp.pass ? '' : '  (expectations failed)'}`,
    fmt(header),
    fmt(widths.map((w) => '-'.repeat(w))),
    ...body.map(fmt),
    '',
    '* personalities differ on this step',
  ].join('\n')}\n`;
}
