/**
 * The kit catches broken implementations: a wrapper answering EBUSY where the contract says EWOULDBLOCK, one that
 * leaks module memory when a load fails, and a toy loader behind the script protocol with the same leak. Each is
 * caught, shrunk, and written as a scenario `kmodsim run` replays.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTRACT_CASES, runCases } from '../../../src/conformance/cases.js';
import { KmodsimTarget } from '../../../src/conformance/kmodsim-target.js';
import { MODEL_MODULE_SPECS } from '../../../src/conformance/model.js';
import { runRobustness } from '../../../src/conformance/robustness.js';
import { runConformance } from '../../../src/conformance/run-conformance.js';
import { ScriptTarget } from '../../../src/conformance/script-target.js';
import { runModelSuite } from '../../../src/conformance/suite.js';
import { imagesOf } from '../../../src/conformance/suite-images.js';
import type {
  ConformanceOp,
  KernelSettings,
  Observation,
  OpOutcome,
  Target,
} from '../../../src/conformance/target.js';
import { parseScenario } from '../../../src/experiments/parse-scenario.js';
import { runScenario } from '../../../src/experiments/run-scenario.js';
import type { NeutralModuleSpec } from '../../../src/personalities/personality.js';

/** kmodsim's linux-v26, but delete_module answers EBUSY where it should answer EWOULDBLOCK. */
class EbusyTarget implements Target {
  readonly personality = 'linux-v26' as const;
  readonly configurable = true;
  readonly inner = new KmodsimTarget('linux-v26');
  reset(m: readonly NeutralModuleSpec[], c?: KernelSettings): Promise<void> {
    return this.inner.reset(m, c);
  }
  async exec(op: ConformanceOp): Promise<OpOutcome> {
    const r = await this.inner.exec(op);
    return op.op === 'sys' && op.call === 'delete_module' && r === 'EWOULDBLOCK' ? 'EBUSY' : r;
  }
  observe(): Promise<Observation> {
    return this.inner.observe();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

/** kmodsim's linux-v26, but a failed load leaves an allocation behind (a real one, in the module area). */
class LeakyTarget extends EbusyTarget {
  override async exec(op: ConformanceOp): Promise<OpOutcome> {
    const r = await this.inner.exec(op);
    const loading = op.op === 'load' || (op.op === 'sys' && /init_module$/.test(op.call));
    if (loading && r !== 'ok') this.inner.current.core.memory.alloc(4096, 'leaked');
    return r;
  }
}

function replays(text: string) {
  const s = parseScenario(text, '/');
  if (!s.ok) throw new Error(JSON.stringify(s.error));
  return s.value;
}

describe('a broken target', () => {
  it('EBUSY instead of EWOULDBLOCK: the targeted cases name the case and write its scenario', async () => {
    const target = new EbusyTarget();
    const cases = CONTRACT_CASES['linux-v26']?.(imagesOf('linux-v26')) ?? [];
    const report = await runCases(target, cases);
    expect(report.pass).toBe(false);
    expect(report.failures).toContain(
      'delete_module: used by another module: expected EWOULDBLOCK, got EBUSY',
    );
    expect(report.failures).toContain('delete_module: open device: expected EWOULDBLOCK, got EBUSY');
    expect(report.failures).toHaveLength(2);
    // The scenario replays the failing case; kmodsim itself answers as the contract says.
    const scenario = replays(report.replay?.text ?? '');
    const run = runScenario(scenario);
    const last = run.results[run.results.length - 1];
    expect(last.expected).toBe('EWOULDBLOCK');
    expect(last.result).toBe('EWOULDBLOCK');
    expect(run.pass).toBe(true);
  });

  it('a leak on failure: the model suite catches it and shrinks it to the one failing load', async () => {
    const report = await runModelSuite(new LeakyTarget(), { runs: 300, seed: 42 });
    expect(report.pass).toBe(false);
    expect(report.message).toMatch(/allocation owned by leaked/);
    // Shrunk: the last command is a load that fails, and nothing before it is needed but its preconditions.
    const ce = report.counterexample ?? [];
    expect(ce.length).toBeGreaterThan(0);
    expect(ce.length).toBeLessThanOrEqual(2);
    expect(ce[ce.length - 1]).toMatch(/^load /);
    const scenario = replays(report.replay?.text ?? '');
    expect(scenario.steps).toHaveLength(ce.length);
    // Replayed with kmodsim run, every step answers what the contract wants (kmodsim does not leak).
    const run = runScenario(scenario);
    expect(run.pass).toBe(true);
    expect(run.results.at(-1)?.result).not.toBe('ok');
  });

  it('a leak on failure: the robustness property catches it with a replayable hostile call', async () => {
    const report = await runRobustness(new LeakyTarget(), { runs: 300, seed: 7 });
    expect(report.pass).toBe(false);
    expect(report.message).toMatch(/state changed: allocationOwners/);
    const scenario = replays(report.replay?.text ?? '');
    const last = scenario.steps[scenario.steps.length - 1];
    expect(last.action).toBe('sys');
    expect(String(last.target)).toMatch(/init_module$/);
    expect(runScenario(scenario).setup.get('linux-v26')).toEqual([]);
  });

  it('a leaking loader behind the script protocol: caught, shrunk, replayable', async () => {
    const toy = `node ${resolve(import.meta.dirname, 'fixtures/toy-loader.mjs')}`;
    const good = new ScriptTarget('linux-v26', toy);
    try {
      const ok = await runConformance(good, { runs: 150, seed: 3, properties: ['model'] });
      expect(ok.properties[0].message ?? '').toBe('');
      expect(ok.pass).toBe(true);
    } finally {
      await good.close();
    }
    const bad = new ScriptTarget('linux-v26', `${toy} --leak`);
    try {
      const r = await runModelSuite(bad, { runs: 300, seed: 3 });
      expect(r.pass).toBe(false);
      expect(r.message).toMatch(/allocation owned by cf_fail/);
      expect(r.counterexample).toEqual(['load cf_fail']);
      const run = runScenario(replays(r.replay?.text ?? ''));
      expect(run.results.map((x) => `${x.action} ${x.result}`)).toEqual(['load cf_fail ENODEV']);
    } finally {
      await bad.close();
    }
  });

  it('the model modules are what a script target is handed', () => {
    expect(MODEL_MODULE_SPECS.map((s) => s.name)).toEqual(['cf_base', 'cf_user', 'cf_solo', 'cf_fail']);
  });
});
