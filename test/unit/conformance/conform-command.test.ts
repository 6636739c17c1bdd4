/** `kmodsim conform`: summary per property, coverage table, progress bar on a terminal, replays on failure. */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliContext } from '../../../src/cli/cli-context.js';
import { runConform } from '../../../src/cli/commands/conform.js';
import { runCli } from '../../../src/cli/run-cli.js';
import { loadScenario } from '../../../src/experiments/load-scenario.js';
import { runScenario } from '../../../src/experiments/run-scenario.js';
import { createKernel } from '../../../src/kernel.js';

function context(): { ctx: CliContext; out: () => string } {
  let out = '';
  const ctx: CliContext = {
    personality: undefined,
    json: false,
    statePath: undefined,
    io: { out: (t) => (out += t), err: () => undefined },
    kernel: async () => createKernel({ personality: 'linux-v26' }),
  };
  return { ctx, out: () => out };
}

describe('kmodsim conform', () => {
  it('prints a summary per property and the coverage table, with a progress bar on a terminal', async () => {
    const { ctx, out } = context();
    let bar = '';
    const dir = mkdtempSync(join(tmpdir(), 'kmodsim-conform-'));
    const code = await runConform(
      ctx,
      ['-p', 'hpux-dlkm', '--runs', '30', '--seed', '5', '--coverage', '-o', dir],
      {
        isTTY: true,
        write: (t) => (bar += t),
      },
    );
    expect(code).toBe(0);
    expect(out()).toMatch(/^hpux-dlkm: model {6}PASS \(30 runs, seed 5\)$/m);
    expect(out()).toMatch(/^hpux-dlkm: robustness PASS \(30 runs, seed 5\)$/m);
    expect(out()).toMatch(/^hpux-dlkm: cases {6}PASS \(\d+ runs\)$/m);
    expect(out()).toMatch(/^ {2}modload +EBADVER +covered +.*wrong wrapper revision/m);
    expect(out()).toMatch(/\d+\/\d+ covered, 0 missing/);
    expect(bar).toContain('hpux-dlkm robustness [');
    expect(bar.endsWith('\r\x1b[K')).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('writes a failing target’s counterexample where -o says, and kmodsim run replays it', async () => {
    const { ctx, out } = context();
    const dir = mkdtempSync(join(tmpdir(), 'kmodsim-conform-'));
    const toy = `node ${resolve(import.meta.dirname, 'fixtures/toy-loader.mjs')} --leak`;
    const code = await runConform(
      ctx,
      [
        '-p',
        'linux-v26',
        '--only',
        'model',
        '--runs',
        '200',
        '--seed',
        '1',
        '--target',
        `script:${toy}`,
        '-o',
        dir,
      ],
      { isTTY: false, write: () => undefined },
    );
    expect(code).toBe(1);
    expect(out()).toContain('linux-v26: model      FAIL');
    expect(out()).toContain('    load cf_fail');
    const file = join(dir, 'linux-v26-model.yaml');
    expect(existsSync(file)).toBe(true);
    expect(out()).toContain(`replay with: kmodsim run ${file}`);
    const s = loadScenario(file);
    expect(s.ok).toBe(true);
    if (s.ok) expect(runScenario(s.value).results.map((r) => r.result)).toEqual(['ENODEV']);
    const run = await runCli(['run', file], { out: () => undefined, err: () => undefined }, () => '0');
    expect(run).toBe(0);
  });

  it('refuses what it cannot do, as usage errors', async () => {
    for (const argv of [
      ['--runs', 'x'],
      ['--target', 'ssh:x'],
      ['--only', 'frob'],
      ['-p', 'nope'],
      ['--all', '--target', 'script:x'],
    ]) {
      const { ctx } = context();
      await expect(runConform(ctx, argv, { write: () => undefined })).rejects.toThrow(/conform:/);
    }
  });
});
