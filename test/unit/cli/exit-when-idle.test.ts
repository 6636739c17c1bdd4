import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { idleEnoughToExit } from '../../../src/cli/exit-when-idle.js';

describe('idleEnoughToExit', () => {
  it('exits early only with nothing but stdio and closing handles open and no output queued', () => {
    expect(idleEnoughToExit([], 0)).toBe(true);
    expect(idleEnoughToExit(['PipeWrap', 'TTYWrap', 'CloseReq', 'MessagePort'], 0)).toBe(true);
    expect(idleEnoughToExit(['PipeWrap'], 1)).toBe(false);
    for (const busy of ['ProcessWrap', 'Timeout', 'FSReqCallback', 'TCPWrap', 'Immediate'])
      expect(idleEnoughToExit(['PipeWrap', busy], 0), busy).toBe(false);
  });

  it('the command still writes all of a long output through a pipe and keeps its exit status', () => {
    const main = fileURLToPath(new URL('../../../dist/cli/main.js', import.meta.url));
    const ok = spawnSync(process.execPath, [main, '--help'], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(ok.stdout.length).toBeGreaterThan(1000);
    expect(ok.stdout.trimEnd().split('\n').length).toBeGreaterThan(20);
    const bad = spawnSync(process.execPath, [main, 'no-such-command'], { encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).not.toBe('');
  });
});
