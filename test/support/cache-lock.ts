/**
 * A cross-process lock for the test caches under `.cache/`: parallel vitest workers build or extract a cached
 * artefact once. The lock is a directory (mkdir is atomic) holding the owner's pid; a lock whose owner has exited
 * is taken over.
 * @module
 */
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function isStale(lock: string): boolean {
  try {
    const pid = Number(readFileSync(join(lock, 'owner'), 'utf8'));
    process.kill(pid, 0);
    return false;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return true;
    if (code === 'ENOENT') {
      // The owner file follows the mkdir at once; a lock without one for a minute was abandoned.
      try {
        return Date.now() - statSync(lock).mtimeMs > 60_000;
      } catch {
        return false;
      }
    }
    return false;
  }
}

/**
 * Runs `fn` while holding the lock directory `lock` (created, with its parents, when free; waited for when held).
 * @param lock - path of the lock directory, e.g. `.cache/kbuild/<hash>.lock`
 * @param fn - the work to do under the lock
 * @param timeoutMs - how long to wait for another holder before throwing
 */
export function withCacheLock<T>(lock: string, fn: () => T, timeoutMs = 30 * 60_000): T {
  mkdirSync(dirname(lock), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'owner'), String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (isStale(lock)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for the lock ${lock}`);
      sleepSync(200);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
