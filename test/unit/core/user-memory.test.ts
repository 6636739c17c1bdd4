import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserMemory } from '../../../src/core/user-memory.js';

describe('UserMemory', () => {
  it('gives EFAULT for NULL, unmapped and overrunning accesses instead of throwing', () => {
    const m = new UserMemory();
    const p = m.map(new Uint8Array([1, 2, 3, 4]));
    expect(m.read(p, 4)).toEqual({ ok: true, value: new Uint8Array([1, 2, 3, 4]) });
    expect(m.read(p, 5)).toMatchObject({ ok: false, error: { errno: 'EFAULT' } });
    expect(m.read(0, 1)).toMatchObject({ ok: false, error: { errno: 'EFAULT' } });
    expect(m.read(p + 4, 1)).toMatchObject({ ok: false, error: { errno: 'EFAULT' } });
    expect(m.read(p, 2 ** 60)).toMatchObject({ ok: false, error: { errno: 'EFAULT' } });
    expect(m.read(p, -1)).toMatchObject({ ok: false, error: { errno: 'EFAULT' } });
    m.unmap(p);
    expect(m.read(p, 1)).toMatchObject({ ok: false, error: { errno: 'EFAULT' } });
  });

  it('maps a read-only view without copying: reads see the bytes, writes and overruns fault', () => {
    const m = new UserMemory();
    const bytes = new Uint8Array([9, 8, 7]);
    const p = m.mapReadOnlyView(bytes);
    const r = m.read(p, 3);
    expect(r).toEqual({ ok: true, value: new Uint8Array([9, 8, 7]) });
    expect(r.ok && r.value.buffer === bytes.buffer).toBe(true);
    expect(m.write(p, new Uint8Array([1]))).toMatchObject({ ok: false, error: { errno: 'EFAULT' } });
    expect(m.read(p, 4)).toMatchObject({ ok: false, error: { errno: 'EFAULT' } });
    expect(bytes).toEqual(new Uint8Array([9, 8, 7]));
    m.unmap(p);
    expect(m.read(p, 1)).toMatchObject({ ok: false, error: { errno: 'EFAULT' } });
  });

  it('copies strings like strncpy_from_user', () => {
    const m = new UserMemory();
    const p = m.mapString('hello');
    expect(m.strncpyFromUser(p, 64)).toEqual({ ok: true, value: { value: 'hello', truncated: false } });
    expect(m.strncpyFromUser(p, 3)).toEqual({ ok: true, value: { value: 'hel', truncated: true } });
    const unterminated = m.map(new TextEncoder().encode('abc'));
    expect(m.strncpyFromUser(unterminated, 64)).toMatchObject({ ok: false, error: { errno: 'EFAULT' } });
    expect(m.strncpyFromUser(0, 64)).toMatchObject({ ok: false, error: { errno: 'EFAULT' } });
    // Every byte value but NUL comes back as the character of that code, one per byte (no text decoding).
    const all = Uint8Array.from({ length: 255 }, (_, i) => i + 1);
    const raw = m.map(Uint8Array.from([...all, 0]));
    const got = m.strncpyFromUser(raw, 512);
    expect(got.ok && [...got.value.value].map((c) => c.charCodeAt(0))).toEqual([...all]);
  });

  it('never throws on any pointer and length', () => {
    const m = new UserMemory();
    m.map(new Uint8Array(100));
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double()), fc.oneof(fc.integer(), fc.double()), (ptr, len) => {
        const r = m.read(ptr, len);
        if (!r.ok) expect(r.error.errno).toBe('EFAULT');
        const s = m.strncpyFromUser(ptr, 64);
        if (!s.ok) expect(s.error.errno).toBe('EFAULT');
      }),
    );
  });

  it('writes only to writable mappings', () => {
    const m = new UserMemory();
    const ro = m.map(new Uint8Array(8), false);
    const rw = m.alloc(8);
    expect(m.write(ro, new Uint8Array([1]))).toMatchObject({ ok: false, error: { errno: 'EFAULT' } });
    expect(m.write(rw, new Uint8Array([1])).ok).toBe(true);
    const copy = new UserMemory();
    copy.restore(JSON.parse(JSON.stringify(m.snapshot())));
    expect(copy.read(rw, 1)).toEqual({ ok: true, value: new Uint8Array([1]) });
  });
});
