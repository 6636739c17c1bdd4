import { describe, expect, it } from 'vitest';
import { Credentials } from '../../../src/core/credentials.js';
import { Vfs } from '../../../src/core/vfs.js';

function setup() {
  const creds = new Credentials();
  const vfs = new Vfs(creds);
  return { creds, vfs };
}

describe('Vfs', () => {
  it('walks paths with search permission, as the caller', () => {
    const { creds, vfs } = setup();
    vfs.writeFile('/lib/modules/m.ko', new Uint8Array([1, 2, 3]));
    vfs.mkdirp('/secret');
    vfs.chmod('/secret', 0o700);
    vfs.writeFile('/secret/x.ko', 'x');
    expect(vfs.stat('/secret/x.ko').ok).toBe(true);
    creds.set({ uid: 1000, euid: 1000 });
    expect(vfs.stat('/secret/x.ko')).toMatchObject({ ok: false, error: { errno: 'EACCES' } });
    expect(vfs.stat('/lib/modules/m.ko')).toMatchObject({ ok: true, value: { size: 3, type: 'file' } });
    expect(vfs.stat('/lib/nope')).toMatchObject({ ok: false, error: { errno: 'ENOENT' } });
    expect(vfs.stat('/lib/modules/m.ko/x')).toMatchObject({ ok: false, error: { errno: 'ENOTDIR' } });
  });

  it('enforces PATH_MAX and NAME_MAX with ENAMETOOLONG', () => {
    const { vfs } = setup();
    expect(vfs.stat(`/${'a'.repeat(256)}`)).toMatchObject({ ok: false, error: { errno: 'ENAMETOOLONG' } });
    expect(vfs.stat(`/${'a/'.repeat(2048)}`)).toMatchObject({ ok: false, error: { errno: 'ENAMETOOLONG' } });
    vfs.setLimits({ pathMax: 1024, nameMax: 255 });
    expect(vfs.stat(`/${'a/'.repeat(600)}`)).toMatchObject({ ok: false, error: { errno: 'ENAMETOOLONG' } });
  });

  it('keeps an fd table with writer counts (ETXTBSY source) and EBADF for closed fds', () => {
    const { vfs } = setup();
    vfs.writeFile('/m.ko', 'abc');
    const r = vfs.open('/m.ko', { read: true, write: false });
    const w = vfs.open('/m.ko', { read: false, write: true });
    if (!r.ok || !w.ok) throw new Error('open failed');
    expect(r.value).toBe(3);
    expect(w.value).toBe(4);
    expect(vfs.writers(r.value)).toBe(1);
    expect(vfs.readFd(w.value)).toMatchObject({ ok: false, error: { errno: 'EBADF' } });
    expect(new TextDecoder().decode((vfs.readFd(r.value) as { value: Uint8Array }).value)).toBe('abc');
    expect(vfs.close(w.value).ok).toBe(true);
    expect(vfs.writers(r.value)).toBe(0);
    expect(vfs.close(w.value)).toMatchObject({ ok: false, error: { errno: 'EBADF' } });
    expect(vfs.fstat(99)).toMatchObject({ ok: false, error: { errno: 'EBADF' } });
    expect(vfs.open('/', { read: false, write: true })).toMatchObject({
      ok: false,
      error: { errno: 'EISDIR' },
    });
  });

  it('checks read permission on open for ordinary users', () => {
    const { creds, vfs } = setup();
    vfs.writeFile('/root.ko', 'x', { mode: 0o600 });
    creds.set({ uid: 1000, euid: 1000 });
    expect(vfs.open('/root.ko', { read: true, write: false })).toMatchObject({
      ok: false,
      error: { errno: 'EACCES' },
    });
  });

  it('computes generated files at each read and survives a snapshot round trip', () => {
    const { vfs } = setup();
    let n = 0;
    vfs.registerGenerated('/proc/counter', () => `${++n}\n`);
    expect(new TextDecoder().decode((vfs.readFile('/proc/counter') as { value: Uint8Array }).value)).toBe(
      '1\n',
    );
    vfs.writeFile('/data/f', 'keep', { mode: 0o640, uid: 5 });
    vfs.mknod('/dev/x', 'chr');
    const copy = setup().vfs;
    copy.restore(JSON.parse(JSON.stringify(vfs.snapshot())));
    expect(copy.stat('/data/f')).toMatchObject({ ok: true, value: { mode: 0o640, uid: 5, size: 4 } });
    expect(copy.stat('/dev/x')).toMatchObject({ ok: true, value: { type: 'chr' } });
  });
});
