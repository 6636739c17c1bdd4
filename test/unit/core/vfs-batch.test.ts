import { describe, expect, it } from 'vitest';
import { Credentials } from '../../../src/core/credentials.js';
import { Vfs } from '../../../src/core/vfs.js';

const text = (r: { ok: boolean; value?: Uint8Array }) =>
  r.ok && r.value !== undefined ? new TextDecoder().decode(r.value) : undefined;

describe('Vfs batch operations', () => {
  it('registerGeneratedIn gives the same files, modes and inode order as one registerGenerated per file', () => {
    const one = new Vfs(new Credentials());
    const many = new Vfs(new Credentials());
    let n = 0;
    const files = [
      { name: 'a', generate: () => `a${n}\n` },
      { name: 'b', generate: () => 'b\n', mode: 0o200 },
      { name: 'x/y', generate: () => 'nested\n' },
      { name: '..', generate: () => 'up\n' },
    ];
    for (const f of files) one.registerGenerated(`/sys/m/${f.name}`, f.generate, f.mode);
    many.registerGeneratedIn('/sys/m', files);
    for (const p of ['/sys/m', '/sys/m/a', '/sys/m/b', '/sys/m/x/y', '/sys/..']) {
      expect(many.stat(p)).toEqual(one.stat(p));
    }
    expect(many.readdir('/sys/m')).toEqual(one.readdir('/sys/m'));
    n = 7;
    expect(text(many.readFile('/sys/m/a'))).toBe('a7\n');
    expect(many.snapshot()).toEqual(one.snapshot());
  });

  it('registerGeneratedIn refuses a name taken by a directory, like registerGenerated', () => {
    const vfs = new Vfs(new Credentials());
    vfs.mkdirp('/sys/m/d');
    const r = vfs.registerGeneratedIn('/sys/m', [{ name: 'd', generate: () => '' }]);
    expect(r).toMatchObject({ ok: false, error: { errno: 'EEXIST' } });
    expect(vfs.registerGenerated('/sys/m/d', () => '')).toMatchObject({
      ok: false,
      error: { errno: 'EEXIST' },
    });
  });

  it('removeTree removes a directory and everything under it, and nothing else', () => {
    const vfs = new Vfs(new Credentials());
    vfs.writeFile('/sys/m/a/f', 'x');
    vfs.registerGenerated('/sys/m/a/g/h', () => 'y');
    vfs.writeFile('/sys/keep', 'k');
    const before = new Vfs(new Credentials());
    before.writeFile('/sys/m/a/f', 'x');
    before.registerGenerated('/sys/m/a/g/h', () => 'y');
    before.writeFile('/sys/keep', 'k');
    expect(vfs.removeTree('/sys/m/a').ok).toBe(true);
    expect(vfs.stat('/sys/m/a')).toMatchObject({ ok: false, error: { errno: 'ENOENT' } });
    expect(vfs.readdir('/sys/m')).toMatchObject({ ok: true, value: [] });
    expect(text(vfs.readFile('/sys/keep'))).toBe('k');
    expect(vfs.removeTree('/sys/m/a')).toMatchObject({ ok: false, error: { errno: 'ENOENT' } });
    expect(vfs.removeTree('/sys/keep').ok).toBe(true);
    expect(vfs.readdir('/sys')).toMatchObject({ ok: true, value: ['m'] });
  });
});
