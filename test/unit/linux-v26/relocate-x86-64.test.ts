import { describe, expect, it } from 'vitest';
import { R_X86_64_32S, R_X86_64_64, R_X86_64_PC32 } from '../../../src/abi/elf.js';
import {
  applyRelocateAdd,
  type PlacedSection,
} from '../../../src/personalities/linux-v26/relocate-x86-64.js';

const OPTS = { pc32OverflowCheck: false, plt32: true, pc64: true };
/** A module-area address (top 2 GiB), as the loader's numbers hold them. */
const ADDR = -0x3fff000;

/** One RELA entry per [offset, type, symbol, addend]. */
function rela(entries: readonly [number, number, number, number][]): DataView {
  const v = new DataView(new ArrayBuffer(entries.length * 24));
  entries.forEach(([off, type, sym, addend], i) => {
    v.setBigUint64(i * 24, BigInt(off), true);
    v.setUint32(i * 24 + 8, type, true);
    v.setUint32(i * 24 + 12, sym, true);
    v.setBigInt64(i * 24 + 16, BigInt(addend), true);
  });
  return v;
}

function target(size: number, fill: (b: Uint8Array) => void = () => {}): PlacedSection {
  const bytes = new Uint8Array(size + 16);
  fill(bytes);
  return { bytes, view: new DataView(bytes.buffer), offset: 8, size, addr: ADDR };
}

describe('linux-v26 applyRelocateAdd', () => {
  it('writes S + A (64 and 32S) and S + A - P (PC32) little-endian into zeroed fields', () => {
    const t = target(24);
    const values = new Float64Array([0, ADDR + 0x100]);
    const image = rela([
      [0, R_X86_64_64, 1, 8],
      [8, R_X86_64_32S, 1, 0],
      [16, R_X86_64_PC32, 1, -4],
    ]);
    const counter = { count: 0 };
    const r = applyRelocateAdd('m', image, 0, image.byteLength, values, t, OPTS, counter);
    expect(r.ok).toBe(true);
    expect(counter.count).toBe(3);
    expect(t.view.getBigInt64(8, true)).toBe(BigInt(ADDR + 0x108));
    expect(t.view.getInt32(16, true)).toBe(ADDR + 0x100);
    expect(t.view.getInt32(24, true)).toBe(0x100 - 4 - 16);
  });

  it('refuses a field that is not zero, in either half of a 64-bit one, and writes nothing there', () => {
    for (const [type, nonzeroAt] of [
      [R_X86_64_PC32, 3],
      [R_X86_64_64, 0],
      [R_X86_64_64, 7],
    ] as const) {
      const t = target(8, (b) => {
        b[8 + nonzeroAt] = 0x5a;
      });
      const before = t.bytes.slice();
      const image = rela([[0, type, 1, 0]]);
      const r = applyRelocateAdd('m', image, 0, 24, new Float64Array([0, ADDR]), t, OPTS, { count: 0 });
      expect(r.ok, `type ${type} byte ${nonzeroAt}`).toBe(false);
      if (!r.ok) {
        expect(r.error.errno).toBe('ENOEXEC');
        expect(r.error.reason).toContain(`existing value is nonzero for type ${type}`);
      }
      expect(t.bytes).toEqual(before);
    }
    // A 32-bit field checks its own four bytes only: a nonzero byte right after it is not its business.
    const t = target(8, (b) => {
      b[8 + 4] = 1;
    });
    const r = applyRelocateAdd(
      'm',
      rela([[0, R_X86_64_PC32, 1, 0]]),
      0,
      24,
      new Float64Array([0, ADDR]),
      t,
      OPTS,
      {
        count: 0,
      },
    );
    expect(r.ok).toBe(true);
  });
});
