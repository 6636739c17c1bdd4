import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliContext } from '../../../src/cli/cli-context.js';
import { runWithProgress } from '../../../src/cli/commands/scenario-command.js';
import { runShell } from '../../../src/cli/commands/shell.js';
import { parseScenario } from '../../../src/experiments/parse-scenario.js';
import { stage } from '../../../src/experiments/run-scenario.js';
import type { Scenario } from '../../../src/experiments/scenario.js';
import { createKernel } from '../../../src/kernel.js';

function scenario(text: string): Scenario {
  const r = parseScenario(text, '/');
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

const BASE = scenario(
  'name: s\npersonalities: [linux-v26]\nmodules:\n  base: { exports: [base_fn] }\nsteps:\n  - list: {}\n',
);

function context(): { ctx: CliContext; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const ctx: CliContext = {
    personality: 'linux-v26',
    json: false,
    statePath: undefined,
    io: { out: (t) => (out += t), err: (t) => (err += t) },
    kernel: async () => createKernel({ personality: 'linux-v26' }),
  };
  return { ctx, out: () => out, err: () => err };
}

describe('kmodsim shell', () => {
  it('runs piped lines as scenario steps on one kernel, without prompts', async () => {
    const k = createKernel({ personality: 'linux-v26' });
    stage(BASE, k);
    const { ctx, out } = context();
    const input = Readable.from(
      [
        'load base',
        'load base',
        'sys open {file: /tmp, mode: r, as: d}',
        'sys close {fd: d}',
        '!lsmod',
        'unload base',
        'exit',
        'load base',
      ].map((l) => `${l}\n`),
    );
    await runShell(ctx, k, BASE, { input, output: new PassThrough(), terminal: false });
    const text = out();
    expect(text).not.toContain('linux-v26> ');
    const verdicts = text.split('\n').filter((l) => /^(ok|E[A-Z]+)( \(\d+\))?$/.test(l));
    expect(verdicts).toEqual(['ok', 'EEXIST (17)', 'ok', 'ok', 'ok']);
    expect(text).toContain('finit_module(');
    expect(text).toMatch(/^base\s+\d+\s+0/m);
    // nothing after `exit` ran: base stays unloaded
    expect(k.core.modules.has('base')).toBe(false);
  });

  it('recalls the previous line with the up arrow on a terminal', async () => {
    const k = createKernel({ personality: 'linux-v26' });
    stage(BASE, k);
    const { ctx, out } = context();
    const input = new PassThrough();
    const output = new PassThrough();
    let screen = '';
    output.on('data', (d: Buffer) => (screen += d.toString()));
    const done = runShell(ctx, k, BASE, { input, output, terminal: true });
    // the up arrow recalls `load base`: readline records each line in the history as it reads it
    input.write('load base\r\x1b[A\rexit\r');
    await done;
    expect(screen).toContain('linux-v26> ');
    const verdicts = out()
      .split('\n')
      .filter((l) => /^(ok|E[A-Z]+)( \(\d+\))?$/.test(l));
    expect(verdicts).toEqual(['ok', 'EEXIST (17)']);
  });
});

describe('progress bar', () => {
  const s = scenario(
    'name: p\npersonalities: [linux-v24, linux-v26]\nmodules:\n  base: {}\nsteps:\n  - load: base\n  - unload: base\n',
  );

  it('draws on a terminal and erases itself at the end', () => {
    let text = '';
    const r = runWithProgress(s, { isTTY: true, write: (t: string) => (text += t) });
    expect(r.results).toHaveLength(4);
    expect(text).toContain('] 1/4');
    expect(text).toContain(`\r[${'#'.repeat(30)}] 4/4`);
    expect(text.endsWith('\r\x1b[K')).toBe(true);
  });

  it('stays silent when piped', () => {
    let text = '';
    runWithProgress(s, { isTTY: false, write: (t: string) => (text += t) });
    expect(text).toBe('');
  });
});
