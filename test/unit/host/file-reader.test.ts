import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileReader } from '../../../src/host/file-reader.js';

describe('FileReader', () => {
  it('reads whole files, small and larger than its first buffer, into shared memory like the read-ahead ring', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kmodsim-reader-'));
    const small = Buffer.from('small file');
    const large = Buffer.alloc((1 << 20) + 4097, 7);
    large[large.length - 1] = 9;
    writeFileSync(join(dir, 'small'), small);
    writeFileSync(join(dir, 'large'), large);
    const r = new FileReader();
    for (const [name, want] of [
      ['small', small],
      ['large', large],
      ['small', small],
    ] as const) {
      const got = r.read(join(dir, name));
      expect(Buffer.from(got).equals(want), name).toBe(true);
      expect(got.buffer, name).toBeInstanceOf(SharedArrayBuffer);
    }
    expect(r.tryRead(join(dir, 'missing'))).toBeUndefined();
    expect(() => r.read(join(dir, 'missing'))).toThrow();
  });
});
