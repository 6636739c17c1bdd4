import { describe, expect, it } from 'vitest';
import { fnv1a, sameBytes } from '../../../src/elf/fnv1a.js';

describe('fnv1a', () => {
  it('gives the published 32-bit FNV-1a values, over any byte range', () => {
    const bytes = (s: string) => new TextEncoder().encode(s);
    expect(fnv1a(bytes(''), 0, 0)).toBe(0x811c9dc5);
    expect(fnv1a(bytes('a'), 0, 1)).toBe(0xe40c292c);
    expect(fnv1a(bytes('foobar'), 0, 6)).toBe(0xbf9cf968);
    expect(fnv1a(bytes('xxfoobaryy'), 2, 8)).toBe(0xbf9cf968);
  });

  it('sameBytes compares lengths and contents', () => {
    const m = new TextEncoder().encode('abcabdab');
    expect(sameBytes(m, 0, 2, 3, 5)).toBe(true);
    expect(sameBytes(m, 0, 3, 3, 6)).toBe(false);
    expect(sameBytes(m, 0, 2, 6, 8)).toBe(true);
    expect(sameBytes(m, 0, 2, 6, 7)).toBe(false);
  });
});
