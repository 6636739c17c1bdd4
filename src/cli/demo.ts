import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Comparison, compare, formatComparison } from '../experiments/compare.js';
import { htmlReport } from '../experiments/html-report.js';
import { parseScenario } from '../experiments/parse-scenario.js';
import { runScenario } from '../experiments/run-scenario.js';

/**
 * The curated comparison `npm start` runs: the classic module experiments under all four personalities, each
 * expectation taken from the reference behaviour of the real systems.
 */
export const DEMO_SCENARIO = `name: kmodsim demo
description: The same module experiments under Linux 1.x, 2.4, 2.6+ and HP-UX DLKM, side by side.
personalities: [linux-v1, linux-v24, linux-v26, hpux-dlkm]
modules:
  base: { exports: [base_fn] }
  user: { imports: [base_fn], dependencies: [base] }
  bad: { behaviour: { init: ENODEV } }
  pm: { params: { count: int } }
steps:
  - load: user
    expect: { default: ENOENT, hpux-dlkm: EINVAL }
  - load: base
    expect: ok
  - load: base
    expect: { default: EEXIST, hpux-dlkm: ok }
  - load: user
    expect: ok
  - unload: base
    expect: EBUSY
  - sys: delete_module
    args: { name: base, flags: [O_NONBLOCK] }
    on: [linux-v26]
    expect: EWOULDBLOCK
  - load: bad
    expect: { default: ENODEV, linux-v1: EBUSY }
  - load: pm
    params: "count=abc"
    expect: EINVAL
  - cred: { uid: 1000, caps: [], privileges: [] }
  - unload: user
    expect: EPERM
  - cred: { uid: 0, caps: all, privileges: [PRIV_DLKM] }
  - unload: user
    expect: ok
  - load: user
    expect: ok
  - list: {}
    expect: { content: user }
`;

/** The demo's outcome. */
export interface DemoReport {
  /** Whether every expectation held. */
  readonly ok: boolean;
  /** The side-by-side comparison. */
  readonly comparison: Comparison;
  /** The table as text, and where the HTML report went. */
  readonly text: string;
  /** Absolute path of the HTML report. */
  readonly htmlPath: string;
}

/** Where the demo writes its HTML report unless told otherwise. */
export function defaultDemoReportPath(): string {
  return join(tmpdir(), 'kmodsim-demo.html');
}

/** Runs the demo scenario under every personality, renders the table and writes the HTML report. */
export function runDemo(htmlPath: string = defaultDemoReportPath()): DemoReport {
  const parsed = parseScenario(DEMO_SCENARIO, process.cwd());
  if (!parsed.ok) throw new Error(`demo scenario: ${parsed.error.map((i) => i.message).join('; ')}`);
  const result = runScenario(parsed.value);
  const comparison = compare(result);
  const path = resolve(htmlPath);
  writeFileSync(path, htmlReport(comparison, result));
  const text = `${formatComparison(comparison, 'text')}\nHTML report (module lists, memory maps, dependency graphs): ${path}\n`;
  return { ok: result.pass, comparison, text, htmlPath: path };
}
