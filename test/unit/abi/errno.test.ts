import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRNO_NAMES } from '../../../src/abi/errno.js';
import { HPUX_ERRNO } from '../../../src/abi/hpux/errno.js';
import { LINUX_ERRNO } from '../../../src/abi/linux/errno.js';

const HEADERS = ['/usr/include/asm-generic/errno-base.h', '/usr/include/asm-generic/errno.h'];

/** `#define ENAME number` and `#define ENAME EOTHER` lines of the host's uapi headers. */
function hostErrno(): Map<string, number> {
  const out = new Map<string, number>();
  for (const h of HEADERS) {
    for (const m of readFileSync(h, 'latin1').matchAll(/^#define\s+(E[A-Z0-9]+)\s+(\w+)/gm)) {
      const v = /^\d+$/.test(m[2]) ? Number(m[2]) : out.get(m[2]);
      if (v !== undefined) out.set(m[1], v);
    }
  }
  return out;
}

describe('errno tables', () => {
  it.runIf(HEADERS.every(existsSync))('Linux numbers equal the host kernel headers (asm-generic)', () => {
    const host = hostErrno();
    expect(host.size).toBeGreaterThan(100);
    for (const [name, n] of Object.entries(LINUX_ERRNO)) expect([name, host.get(name)]).toEqual([name, n]);
  });

  it('names every errno of the union in at least one family, with distinct HP-UX-only numbers', () => {
    for (const name of ERRNO_NAMES) expect(LINUX_ERRNO[name] ?? HPUX_ERRNO[name]).toBeGreaterThan(0);
    const hpuxOnly = ['ENOREG', 'ERELOC', 'EBADVER'] as const;
    const nums = hpuxOnly.map((n) => HPUX_ERRNO[n]);
    expect(new Set(nums).size).toBe(3);
    for (const n of hpuxOnly) expect(LINUX_ERRNO[n]).toBeUndefined();
    // The classic values both families share.
    for (const n of ['EPERM', 'ENOENT', 'EBUSY', 'EEXIST', 'EINVAL', 'ERANGE'] as const)
      expect(HPUX_ERRNO[n]).toBe(LINUX_ERRNO[n]);
  });
});
