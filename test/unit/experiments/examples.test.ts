import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run-cli.js';

const EXAMPLES = resolve(import.meta.dirname, '../../../examples');
const files = readdirSync(EXAMPLES).filter((f) => /\.(ya?ml|json)$/.test(f));

async function kmodsim(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t) }, () => 'test');
  return { code, out, err };
}

interface Row {
  step: number;
  personality: string;
  action: string;
  pass: boolean;
  expected?: string;
}

describe('examples/ under kmodsim run', () => {
  it('holds a dozen scenarios', () => {
    expect(files.length).toBeGreaterThanOrEqual(12);
  });

  it.each(files)('%s: every expectation holds', async (file) => {
    const path = join(EXAMPLES, file);
    const text = await kmodsim('run', path);
    expect(text.err).toBe('');
    const json = await kmodsim('--json', 'run', path);
    const rows = JSON.parse(json.out) as Row[];
    expect(rows.length).toBeGreaterThan(0);
    // every example states what it expects somewhere
    expect(rows.some((r) => r.expected !== undefined)).toBe(true);
    expect(rows.filter((r) => !r.pass)).toEqual([]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/all \d+ expectations hold\n$/);
  });
});

describe('kmodsim run exit codes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kmodsim-run-'));

  it('exits 1 on a wrong expectation and names the step', async () => {
    const path = join(dir, 'wrong.yaml');
    writeFileSync(
      path,
      [
        'name: wrong',
        'personalities: [linux-v24, linux-v26]',
        'modules:',
        '  base: { exports: [base_fn] }',
        'steps:',
        '  - load: base',
        '    expect: ok',
        '  - load: base',
        '    expect: ok',
      ].join('\n'),
    );
    const r = await kmodsim('run', path);
    expect(r.code).toBe(1);
    expect(r.out).toContain('2 linux-v24 load base → EEXIST (17)');
    expect(r.out).toContain('MISMATCH: expected ok, got EEXIST');
    expect(r.out).toMatch(/2 mismatches \(first at step 2, linux-v24: load base\)/);
  });

  it('exits 2 on a malformed scenario with the path and line of each bad field', async () => {
    const path = join(dir, 'malformed.yaml');
    writeFileSync(
      path,
      [
        'name: malformed',
        'steps:',
        '  - load: base',
        '  - unload: base',
        '    expect: { linux-v26: EBOGUS }',
      ].join('\n'),
    );
    const r = await kmodsim('run', path);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${path}:5: steps[1].expect.linux-v26: expected 'ok', 'n/a' or an errno name`);
    expect(r.out).toBe('');
  });
});
