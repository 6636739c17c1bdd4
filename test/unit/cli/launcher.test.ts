/**
 * `bin/kmodsim`, the installed command: it runs `dist/cli/main.js` with the arguments as given, from wherever it is
 * linked, asks glibc for huge pages without overriding a user's own setting, and sizes V8's thread pool to the
 * machine. A stand-in `node` first in PATH prints what it was started with, a stand-in `getconf` answers
 * `FAKE_CPUS`; the last case runs the real build.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const LAUNCHER = resolve('bin/kmodsim');
const dir = mkdtempSync(join(tmpdir(), 'kmodsim-launcher-'));
const fake = join(dir, 'fake');
const linked = join(dir, 'node_modules', '.bin');

function run(env: Record<string, string | undefined>, ...argv: string[]) {
  const r = spawnSync(join(linked, 'kmodsim'), argv, {
    encoding: 'utf8',
    env: { ...process.env, ...env, PATH: `${fake}${delimiter}${process.env.PATH ?? ''}` },
  });
  expect(r.status).toBe(0);
  const lines = r.stdout.trim().split('\n');
  const args = lines.slice(1).map((a) => a.slice(1, -1));
  const pool = args[0].startsWith('--v8-pool-size=') ? args.shift() : undefined;
  return { tunables: lines[0], pool, argv: args };
}

describe('bin/kmodsim', () => {
  spawnSync('mkdir', ['-p', fake, linked]);
  writeFileSync(
    join(fake, 'node'),
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell script's parameter expansion
    '#!/bin/sh\necho "${GLIBC_TUNABLES-(unset)}"\nfor a in "$@"; do echo "[$a]"; done\n',
  );
  chmodSync(join(fake, 'node'), 0o755);
  writeFileSync(
    join(fake, 'getconf'),
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell script's parameter expansion
    '#!/bin/sh\n[ -n "${FAKE_CPUS-}" ] || exit 1\necho "$FAKE_CPUS"\n',
  );
  chmodSync(join(fake, 'getconf'), 0o755);
  // Relative, as npm links a package's command.
  symlinkSync(relative(linked, LAUNCHER), join(linked, 'kmodsim'));

  it('runs the CLI next to the real file (not the link) with the arguments unchanged', () => {
    const r = run({ GLIBC_TUNABLES: undefined }, 'bench', 'load-all', 'a b', '');
    expect(resolve(r.argv[0])).toBe(resolve(dirname(LAUNCHER), '..', 'dist', 'cli', 'main.js'));
    expect(r.argv.slice(1)).toEqual(['bench', 'load-all', 'a b', '']);
  });

  it('adds glibc.malloc.hugetlb=1 to the tunables, keeping the others and a hugetlb setting of the user', () => {
    const env = (value: string | undefined) => run({ GLIBC_TUNABLES: value }).tunables;
    expect(env(undefined)).toBe('glibc.malloc.hugetlb=1');
    expect(env('')).toBe('glibc.malloc.hugetlb=1');
    expect(env('glibc.malloc.check=0')).toBe('glibc.malloc.check=0:glibc.malloc.hugetlb=1');
    expect(env('glibc.malloc.hugetlb=0')).toBe('glibc.malloc.hugetlb=0');
    expect(env('glibc.malloc.check=0:glibc.malloc.hugetlb=2')).toBe(
      'glibc.malloc.check=0:glibc.malloc.hugetlb=2',
    );
  });

  it("sizes V8's thread pool to one per CPU beyond two (1 to 4), unless NODE_OPTIONS sets it or the count is unknown", () => {
    const pool = (cpus: string | undefined, nodeOptions?: string) =>
      run({ FAKE_CPUS: cpus, NODE_OPTIONS: nodeOptions }).pool;
    expect(['1', '2', '3', '4', '5', '6', '64'].map((n) => pool(n))).toEqual([
      '--v8-pool-size=1',
      '--v8-pool-size=1',
      '--v8-pool-size=1',
      '--v8-pool-size=2',
      '--v8-pool-size=3',
      '--v8-pool-size=4',
      '--v8-pool-size=4',
    ]);
    expect(pool(undefined)).toBeUndefined();
    expect(pool('two')).toBeUndefined();
    expect(pool('2', '--v8-pool-size=3')).toBeUndefined();
    expect(pool('2', '--max-old-space-size=512 --v8-pool-size 2')).toBeUndefined();
    expect(pool('2', '--max-old-space-size=512')).toBe('--v8-pool-size=1');
  });

  it('starts the built CLI', () => {
    const r = spawnSync(LAUNCHER, ['--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: kmodsim');
  });
});
