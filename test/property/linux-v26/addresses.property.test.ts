/**
 * The loader computes with kernel addresses as signed numbers (x86-64's module area and kernel text sit in the
 * top 2 GiB, where a double is exact) and keeps them as unsigned 64-bit bigints: the two conversions must be each
 * other's inverse and agree with the two's-complement reading.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { addrToNumber, numberToAddr } from '../../../src/personalities/linux-v26/loaded-module.js';

const TWO_63 = 1n << 63n;
const TWO_64 = 1n << 64n;

describe('kernel addresses as numbers', () => {
  test.prop([fc.bigInt({ min: 0n, max: TWO_64 - 1n })])(
    'addrToNumber reads an address as signed 64-bit',
    (a) => {
      const signed = a >= TWO_63 ? a - TWO_64 : a;
      expect(addrToNumber(a)).toBe(Number(signed));
    },
  );

  test.prop([
    fc.oneof(
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
      // `-Math.abs(0)` is -0, which is not an address (and `toBe` tells it from 0).
      fc.maxSafeInteger().map((n) => (n === 0 ? 0 : -Math.abs(n))),
      fc.maxSafeInteger().map((n) => Math.abs(n)),
    ),
  ])('numberToAddr and addrToNumber undo each other on safe integers', (n) => {
    const a = numberToAddr(n);
    expect(a >= 0n && a < TWO_64).toBe(true);
    expect(a).toBe(n < 0 ? BigInt(n) + TWO_64 : BigInt(n));
    expect(addrToNumber(a)).toBe(n);
  });
});
