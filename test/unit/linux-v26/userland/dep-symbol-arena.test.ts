import { describe, expect, it } from 'vitest';
import { DepSymbolArena } from '../../../../src/personalities/linux-v26/userland/dep-symbol-arena.js';

describe('DepSymbolArena', () => {
  it('keeps names, CRCs and weak flags in order across growth, and truncates a failed module', () => {
    const arena = new DepSymbolArena();
    const src = new Uint8Array(64);
    const expected: [string, bigint, boolean][] = [];
    // Enough symbols and bytes to grow both the index arrays and the byte arena.
    for (let i = 0; i < 40_000; i++) {
      const name = `sym_${i}_${'x'.repeat(i % 37)}\u00e9`;
      const bytes = Buffer.from(name, 'latin1');
      src.set(bytes, 3);
      const crc = BigInt(i) * 0x100000001n;
      arena.add(src, 3, 3 + bytes.length, crc, i % 5 === 0);
      expected.push([name, crc, i % 5 === 0]);
    }
    expect(arena.count).toBe(40_000);
    for (const i of [0, 1, 16_383, 16_384, 39_999]) {
      expect([arena.name(i), arena.crc(i), arena.isWeak(i)]).toEqual(expected[i]);
    }
    arena.truncate(10);
    expect(arena.count).toBe(10);
    src.set(Buffer.from('after', 'latin1'), 0);
    arena.add(src, 0, 5, 7n, false);
    expect([arena.name(10), arena.crc(10), arena.name(9)]).toEqual(['after', 7n, expected[9][0]]);
  });
});
