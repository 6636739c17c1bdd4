/**
 * `apply_relocate_add` against a model in exact 64-bit arithmetic: every supported type with any addend (the full
 * signed 64-bit range), any symbol value in the top 2 GiB, entries at any byte alignment of the image (the word
 * view and the copied words must read alike).
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  R_X86_64_32,
  R_X86_64_32S,
  R_X86_64_64,
  R_X86_64_NONE,
  R_X86_64_PC32,
  R_X86_64_PC64,
  R_X86_64_PLT32,
} from '../../../src/abi/elf.js';
import {
  applyRelocateAdd,
  type PlacedSection,
} from '../../../src/personalities/linux-v26/relocate-x86-64.js';

const OPTS = { pc32OverflowCheck: true, plt32: true, pc64: true };
const TYPES = [
  R_X86_64_NONE,
  R_X86_64_64,
  R_X86_64_32,
  R_X86_64_32S,
  R_X86_64_PC32,
  R_X86_64_PLT32,
  R_X86_64_PC64,
];
const PC = new Set([R_X86_64_PC32, R_X86_64_PLT32, R_X86_64_PC64]);
/** Where the target section sits (module area, top 2 GiB). */
const ADDR = -0x3fff000;
/** Each entry patches its own 8-byte slot. */
const SLOT = 8;

interface Entry {
  readonly type: number;
  readonly addend: bigint;
}

/** The bytes the model writes, or the failure it expects (`overflow`). */
function model(entries: readonly Entry[], values: readonly number[]): Uint8Array | 'overflow' {
  const out = new DataView(new ArrayBuffer(entries.length * SLOT));
  for (const [i, e] of entries.entries()) {
    if (e.type === R_X86_64_NONE) continue;
    let val = BigInt(values[i]) + e.addend;
    if (PC.has(e.type)) val -= BigInt(ADDR + i * SLOT);
    if (e.type === R_X86_64_64 || e.type === R_X86_64_PC64) {
      out.setBigUint64(i * SLOT, BigInt.asUintN(64, val), true);
      continue;
    }
    const fits =
      e.type === R_X86_64_32 ? val >= 0n && val < 1n << 32n : val >= -(1n << 31n) && val < 1n << 31n;
    if (!fits) return 'overflow';
    out.setUint32(i * SLOT, Number(BigInt.asUintN(32, val)), true);
  }
  return new Uint8Array(out.buffer);
}

const entry = fc.record({
  type: fc.constantFrom(...TYPES),
  addend: fc.oneof(
    fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
    fc.bigInt({ min: -(1n << 32n), max: 1n << 32n }),
  ),
});

describe('linux-v26 applyRelocateAdd against exact arithmetic', () => {
  test.prop([
    fc.array(entry, { minLength: 1, maxLength: 12 }),
    fc.integer({ min: 0, max: 7 }),
    fc.array(fc.integer({ min: -0x80000000, max: -1 }), { minLength: 12, maxLength: 12 }),
  ])('writes what 64-bit arithmetic gives, at any alignment of the entries', (entries, shift, symAddrs) => {
    // Symbol i + 1 belongs to entry i; symbol 0 is the null symbol.
    const values = new Float64Array([0, ...symAddrs]);
    const image = new DataView(new ArrayBuffer(shift + entries.length * 24));
    entries.forEach((e, i) => {
      const at = shift + i * 24;
      image.setBigUint64(at, BigInt(i * SLOT), true);
      image.setUint32(at + 8, e.type, true);
      image.setUint32(at + 12, i + 1, true);
      image.setBigUint64(at + 16, BigInt.asUintN(64, e.addend), true);
    });
    const bytes = new Uint8Array(entries.length * SLOT);
    const target: PlacedSection = {
      bytes,
      view: new DataView(bytes.buffer),
      offset: 0,
      size: bytes.length,
      addr: ADDR,
    };
    const counter = { count: 0 };
    const r = applyRelocateAdd('m', image, shift, entries.length * 24, values, target, OPTS, counter);
    const want = model(entries, symAddrs);
    // The overflow verdict is exact for every addend (one beyond 2^53 is far outside 32 bits either way); the
    // bytes are compared for the entries whose addend a double holds exactly.
    expect(r.ok).toBe(want !== 'overflow');
    if (!r.ok) expect(r.error.reason).toContain('overflow in relocation');
    if (want === 'overflow') return;
    expect(counter.count).toBe(entries.length);
    entries.forEach((e, i) => {
      if (e.addend < -(1n << 53n) || e.addend > 1n << 53n) return;
      expect(bytes.subarray(i * SLOT, (i + 1) * SLOT), `entry ${i}`).toEqual(
        want.subarray(i * SLOT, (i + 1) * SLOT),
      );
    });
  });

  test.prop([fc.integer({ min: 1, max: 48 })])(
    'refuses a section reaching past the image instead of reading beyond it',
    (missing) => {
      const image = new DataView(new ArrayBuffer(48));
      const bytes = new Uint8Array(8);
      const target: PlacedSection = {
        bytes,
        view: new DataView(bytes.buffer),
        offset: 0,
        size: 8,
        addr: ADDR,
      };
      const r = applyRelocateAdd('m', image, missing, 48, new Float64Array(2), target, OPTS, { count: 0 });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.errno).toBe('ENOEXEC');
    },
  );
});
