import { describe, expect, it } from 'vitest';
import { Credentials } from '../../../src/core/credentials.js';
import { Vfs } from '../../../src/core/vfs.js';

function fill(v: Vfs, dir: string): void {
  v.mkdirp(`${dir}/holders`);
  v.registerGeneratedIn(dir, [
    { name: 'refcnt', generate: () => '1\n' },
    { name: 'uevent', generate: () => '', mode: 0o200 },
  ]);
  v.registerGeneratedIn(`${dir}/sections`, [{ name: '.text', generate: () => '0x10\n', mode: 0o400 }]);
}

describe('Vfs lazy directories', () => {
  it('are filled on the first look inside, and then answer exactly as a directory filled at once', () => {
    const eager = new Vfs(new Credentials());
    const lazy = new Vfs(new Credentials());
    fill(eager, '/sys/module/m');
    let calls = 0;
    lazy.registerLazyDir('/sys/module/m', () => {
      calls++;
      fill(lazy, '/sys/module/m');
    });
    // The directory itself is there; its contents are not made yet.
    expect(lazy.stat('/sys/module/m').ok).toBe(true);
    expect(lazy.isPopulated('/sys/module/m')).toBe(false);
    expect(lazy.isPopulated('/sys/module')).toBe(true);
    expect(lazy.exists('/sys/module/m')).toBe(true);
    expect(lazy.exists('/sys/module/other')).toBe(false);
    expect(lazy.exists('sys/module/m')).toBe(false);
    expect(calls).toBe(0);
    expect(lazy.readdir('/sys/module/m')).toEqual(eager.readdir('/sys/module/m'));
    expect(calls).toBe(1);
    expect(lazy.isPopulated('/sys/module/m')).toBe(true);
    expect(lazy.exists('/sys/module/m/sections/.text')).toBe(true);
    expect(lazy.exists('/sys/module/m/refcnt/x')).toBe(false);
    const text = lazy.readFile('/sys/module/m/sections/.text');
    expect(text.ok && new TextDecoder().decode(text.value)).toBe('0x10\n');
    expect(lazy.snapshot()).toEqual(eager.snapshot());
    expect(calls).toBe(1);
  });

  it('are filled by a walk through them, a write below them, a snapshot, an unlink; removal needs no filling', () => {
    const probes: ((v: Vfs) => unknown)[] = [
      (v) => v.stat('/d/holders'),
      (v) => v.exists('/d/holders'),
      (v) => v.registerGenerated('/d/holders/user', () => ''),
      (v) => v.snapshot(),
      (v) => v.unlink('/d'),
    ];
    for (const probe of probes) {
      const v = new Vfs(new Credentials());
      let calls = 0;
      v.registerLazyDir('/d', () => {
        calls++;
        fill(v, '/d');
      });
      probe(v);
      expect(calls).toBe(1);
    }
    const v = new Vfs(new Credentials());
    let calls = 0;
    v.registerLazyDir('/d', () => {
      calls++;
    });
    expect(v.unlink('/d')).toEqual({ ok: true, value: undefined });
    expect(calls).toBe(1);
    v.registerLazyDir('/e', () => {
      calls++;
    });
    expect(v.removeTree('/e').ok).toBe(true);
    expect(calls).toBe(1);
    expect(v.stat('/e').ok).toBe(false);
  });

  it('refuses to unlink a lazy directory with contents (ENOTEMPTY), as a filled one', () => {
    const v = new Vfs(new Credentials());
    v.registerLazyDir('/d', () => fill(v, '/d'));
    const r = v.unlink('/d');
    expect(r.ok ? 'ok' : r.error.errno).toBe('ENOTEMPTY');
  });

  it('refuses a bad path as mkdirp does, creating nothing and never calling populate', () => {
    const v = new Vfs(new Credentials());
    v.writeFile('/f', 'x');
    const before = v.snapshot();
    let calls = 0;
    const populate = () => {
      calls++;
    };
    const errno = (r: { ok: boolean; error?: { errno: string } }) => (r.ok ? 'ok' : r.error?.errno);
    expect(errno(v.registerLazyDir('relative/d', populate))).toBe('ENOENT');
    expect(errno(v.registerLazyDir('/f/d', populate))).toBe('ENOTDIR');
    expect(errno(v.registerLazyDir(`/${'n'.repeat(300)}`, populate))).toBe('ENAMETOOLONG');
    expect(v.snapshot()).toEqual(before);
    expect(calls).toBe(0);
  });
});
