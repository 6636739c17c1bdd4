import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run-cli.js';

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t) }, () => '9.9.9');
  return { code, out, err };
}

describe('kmodsim CLI frame', () => {
  it('prints help and version', async () => {
    const h = await cli('--help');
    expect(h.code).toBe(0);
    expect(h.out).toContain('Usage: kmodsim');
    expect(h.out).toContain('linux-v1, linux-v24, linux-v26, hpux-dlkm');
    expect(await cli('--version')).toMatchObject({ code: 0, out: 'kmodsim 9.9.9\n' });
    expect((await cli()).code).toBe(2);
  });

  it('reports user errors on one line, non-zero, without a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kmodsim-cli-'));
    mkdirSync(join(dir, 'lib', 'modules', '1'), { recursive: true });
    for (const argv of [
      ['-p', 'bogus', 'lsmod'],
      ['--frob'],
      ['-p'],
      ['no-such-command'],
      ['sys'],
      ['bench', 'load-all', '-d', dir, '-S', '1', '--verify', '--cert', join(dir, 'missing.pem')],
      ['bench', 'load-all', '-d', join(dir, 'none'), '-S', '1'],
    ]) {
      const r = await cli(...argv);
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(/^kmodsim: /);
      expect(r.err).not.toContain('    at ');
    }
  });

  it('lists the personalities as text and JSON', async () => {
    const t = await cli('personalities');
    expect(t.out.split('\n').filter(Boolean)).toHaveLength(4);
    const j = JSON.parse((await cli('--json', 'personalities')).out) as { id: string }[];
    expect(j.map((r) => r.id)).toEqual(['linux-v1', 'linux-v24', 'linux-v26', 'hpux-dlkm']);
  });

  it('saves and restores the kernel with --state', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kmodsim-cli-'));
    mkdirSync(join(dir, 'lib', 'modules', '1'), { recursive: true });
    const state = join(dir, 'k.json');
    expect((await cli('-p', 'linux-v24', '--state', state, 'dmesg')).code).toBe(0);
    const saved = JSON.parse(readFileSync(state, 'utf8')) as { personality: string };
    expect(saved.personality).toBe('linux-v24');
    const again = await cli('--state', state, '--json', 'dmesg');
    expect(again.code).toBe(0);
    const wrong = await cli('-p', 'hpux-dlkm', '--state', state, 'dmesg');
    expect(wrong).toMatchObject({ code: 2 });
    expect(wrong.err).toContain('holds a linux-v24 kernel');
    writeFileSync(state, '{not json');
    expect((await cli('--state', state, 'dmesg')).code).toBe(2);
  });
});

describe('kernel configuration from the command line', () => {
  it('-c sets keys of a new kernel (versions stay text, JSON values parse, dotted keys nest)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kmodsim-cli-'));
    mkdirSync(join(dir, 'lib', 'modules', '1'), { recursive: true });
    const state = join(dir, 'k.json');
    const r = await cli(
      '-p',
      'linux-v26',
      '-c',
      'kernelVersion=4.4',
      '-c',
      'credentials.euid=1000',
      '--state',
      state,
      'lsmod',
    );
    expect(r.code).toBe(0);
    const saved = JSON.parse(readFileSync(state, 'utf8')) as { config: Record<string, unknown> };
    expect(saved.config).toEqual({ kernelVersion: '4.4', credentials: { euid: 1000 } });
    // An unprivileged caller of the configured kernel is refused by the kernel itself.
    const d = await cli('--state', state, 'sys', 'delete_module', 'name=x', 'flags=0');
    expect(d.out).toContain('EPERM');
  });

  it('--config-file reads YAML, and -c overrides it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kmodsim-cli-'));
    mkdirSync(join(dir, 'lib', 'modules', '1'), { recursive: true });
    const file = join(dir, 'kernel.yaml');
    writeFileSync(file, 'kernelVersion: "5.10"\nmodulesDisabled: true\n');
    const state = join(dir, 'k.json');
    expect(
      (await cli('--config-file', file, '-c', 'kernelVersion=6.1', '--state', state, 'lsmod')).code,
    ).toBe(0);
    const saved = JSON.parse(readFileSync(state, 'utf8')) as { config: Record<string, unknown> };
    expect(saved.config).toEqual({ kernelVersion: '6.1', modulesDisabled: true });
  });

  it('refuses a configuration the personality rejects, and -c on an existing state file, in one line', async () => {
    const bad = await cli('-c', 'kernelVersion=banana', 'lsmod');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^kmodsim: kernel configuration: .*banana/);
    const dir = mkdtempSync(join(tmpdir(), 'kmodsim-cli-'));
    mkdirSync(join(dir, 'lib', 'modules', '1'), { recursive: true });
    const state = join(dir, 'k.json');
    expect((await cli('--state', state, 'lsmod')).code).toBe(0);
    const again = await cli('--state', state, '-c', 'kernelVersion=5.4', 'lsmod');
    expect(again.code).toBe(2);
    expect(again.err).toContain('keeps the configuration it was created with');
    expect((await cli('-c', 'novalue', 'lsmod')).code).toBe(2);
  });
});
