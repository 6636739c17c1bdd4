import { describe, expect, it } from 'vitest';
import { Credentials } from '../../../src/core/credentials.js';
import { KernelLog } from '../../../src/core/kernel-log.js';
import { SYSCTL, Sysctl } from '../../../src/core/sysctl.js';

describe('Sysctl', () => {
  it('latches modules_disabled and sig_enforce one way', () => {
    const s = new Sysctl();
    expect(s.set(SYSCTL.modulesDisabled, 0).ok).toBe(true);
    expect(s.set(SYSCTL.modulesDisabled, 2)).toMatchObject({ ok: false, error: { errno: 'EINVAL' } });
    expect(s.set(SYSCTL.modulesDisabled, 1).ok).toBe(true);
    expect(s.set(SYSCTL.modulesDisabled, 0)).toMatchObject({ ok: false, error: { errno: 'EINVAL' } });
    expect(s.get(SYSCTL.modulesDisabled)).toBe(1);
    s.orBits(SYSCTL.tainted, 1 << 12);
    s.orBits(SYSCTL.tainted, 1 << 13);
    expect(s.get(SYSCTL.tainted)).toBe(12288);
    expect(s.set('no.such', 1)).toMatchObject({ ok: false, error: { errno: 'ENOENT' } });
  });
});

describe('Credentials', () => {
  it('drops every capability when root becomes an ordinary user', () => {
    const c = new Credentials();
    expect(c.capable('CAP_SYS_MODULE')).toBe(true);
    c.drop('CAP_SYS_MODULE');
    expect(c.capable('CAP_SYS_MODULE')).toBe(false);
    expect(c.isSuperuser()).toBe(true);
    c.set({ euid: 1000 });
    expect(c.current.capabilities.size).toBe(0);
    expect(c.hasPrivilege('PRIV_DLKM')).toBe(false);
    c.set({ privileges: new Set(['PRIV_DLKM']) });
    expect(c.hasPrivilege('PRIV_DLKM')).toBe(true);
  });
});

describe('KernelLog', () => {
  it('keeps levels and sequence numbers and prints like dmesg', () => {
    const log = new KernelLog();
    const start = log.cursor;
    log.err('a: bad\nsecond line');
    log.info('b');
    expect(log.lines(start).map((l) => [l.level, l.text])).toEqual([
      ['err', 'a: bad'],
      ['err', 'second line'],
      ['info', 'b'],
    ]);
    expect(log.dmesg()).toBe('a: bad\nsecond line\nb\n');
    expect(log.lines(2).map((l) => l.text)).toEqual(['b']);
  });
});
