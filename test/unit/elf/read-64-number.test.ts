/**
 * readU64Number / readI64Number: a 64-bit field as a JS number, in either byte order — the nearest number to the
 * field's value (what Number(BigInt) gives), and a small integer whenever the value is one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readI64Number, readU64Number } from '../../../src/elf/elf-file.js';

function view(bits: bigint, littleEndian: boolean): DataView {
  const v = new DataView(new ArrayBuffer(12));
  v.setBigUint64(2, BigInt.asUintN(64, bits), littleEndian);
  return v;
}

const EDGES = [
  0n,
  1n,
  0x7fffffffn,
  0x80000000n,
  0xffffffffn,
  0x100000000n,
  2n ** 53n - 1n,
  2n ** 53n + 1n,
  2n ** 63n - 1n,
  2n ** 64n - 1n,
  -1n,
  -4n,
  -(2n ** 30n),
  -(2n ** 31n),
  -(2n ** 31n) - 1n,
  -(2n ** 32n),
  -(2n ** 53n) - 1n,
  -(2n ** 63n),
  0xffffffffc0000000n,
];

describe('readU64Number / readI64Number', () => {
  it('give the nearest number to the field, unsigned and signed, in both byte orders', () => {
    const check = (bits: bigint) => {
      for (const le of [true, false]) {
        const v = view(bits, le);
        expect(readU64Number(v, 2, le)).toBe(Number(BigInt.asUintN(64, bits)));
        expect(readI64Number(v, 2, le)).toBe(Number(BigInt.asIntN(64, bits)));
      }
    };
    for (const bits of EDGES) check(bits);
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }), (bits) => check(bits)),
      { numRuns: 2000 },
    );
  });

  it('never answer -0', () => {
    for (const bits of [0n, 2n ** 63n]) {
      expect(Object.is(readU64Number(view(bits, true), 2, true), -0)).toBe(false);
      expect(Object.is(readI64Number(view(bits, true), 2, true), -0)).toBe(false);
    }
  });
});
