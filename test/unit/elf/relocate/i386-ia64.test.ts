/**
 * i386 (kernel and modutils 2.4 insmod) and HP-UX IA-64 MSB engines: formulas, refusals, messages.
 */
import { describe, expect, it } from 'vitest';
import {
  createI386KernelRelocator,
  createInsmodI386Relocator,
  I386_KERNEL_RELOCATOR,
  IA64_DLKM_RELOCATOR,
  type InsmodGot,
  type RelocationInput,
} from '../../../../src/elf/relocate/index.js';

function rel(entries: readonly [number, number, number][]): Uint8Array {
  const b = new Uint8Array(entries.length * 8);
  const v = new DataView(b.buffer);
  entries.forEach(([off, type, sym], i) => {
    v.setUint32(i * 8, off, true);
    v.setUint32(i * 8 + 4, (sym << 8) | type, true);
  });
  return b;
}

function input(image: Uint8Array, target: Uint8Array, syms: bigint[], log?: string[]): RelocationInput {
  return {
    image,
    relOffset: 0,
    relSize: image.length,
    isRela: false,
    target,
    targetAddress: 0xc8801000n,
    symbolValues: BigUint64Array.from(syms),
    moduleName: 'm',
    log: log === undefined ? undefined : (l) => log.push(l),
    symbolName: (i) => ['', 'printk', 'foo'][i],
  };
}

function words(...w: number[]): Uint8Array {
  const b = new Uint8Array(w.length * 4);
  const v = new DataView(b.buffer);
  w.forEach((x, i) => {
    v.setUint32(i * 4, x >>> 0, true);
  });
  return b;
}

const u32 = (b: Uint8Array, i: number) => new DataView(b.buffer).getUint32(i * 4, true);

describe('i386 kernel apply_relocate', () => {
  it('R_386_32 adds S, PC32/PLT32 add S - P to the stored addend', () => {
    const t = words(8, -4, -4);
    const r = I386_KERNEL_RELOCATOR.applyRelocations(
      input(
        rel([
          [0, 1, 1],
          [4, 2, 1],
          [8, 4, 1],
        ]),
        t,
        [0n, 0xc0100000n],
      ),
    );
    expect(r.ok).toBe(true);
    expect(u32(t, 0)).toBe(0xc0100008);
    expect(u32(t, 1)).toBe((0xc0100000 - 4 - 0xc8801004) >>> 0);
    expect(u32(t, 2)).toBe((0xc0100000 - 4 - 0xc8801008) >>> 0);
  });

  it('R_386_NONE and every other type are unknown: "Unknown relocation", ENOEXEC', () => {
    for (const type of [0, 9, 10]) {
      const log: string[] = [];
      const r = I386_KERNEL_RELOCATOR.applyRelocations(input(rel([[0, type, 1]]), words(0), [0n, 1n], log));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.errno).toBe('ENOEXEC');
      expect(log).toEqual([`module: m: Unknown relocation: ${type}`]);
    }
  });

  it('an era without R_386_PLT32 refuses it', () => {
    const r = createI386KernelRelocator({ plt32: false }).applyRelocations(
      input(rel([[0, 4, 1]]), words(0), [0n, 1n]),
    );
    expect(r.ok).toBe(false);
  });
});

describe('modutils 2.4 insmod arch_apply_relocation (i386)', () => {
  it('applies NONE, 32, PC32, GLOB_DAT, JMP_SLOT, RELATIVE and the GOT forms', () => {
    const gotBytes = new Uint8Array(8);
    const got: InsmodGot = {
      address: 0xc8900000,
      contents: gotBytes,
      slotOf: (i) => (i === 2 ? 4 : undefined),
      filled: new Set(),
    };
    const t = words(1, 2, 3, 4, 5, 6, 7, 8, 9);
    const entries: [number, number, number][] = [
      [0, 0, 0],
      [0, 1, 1], // 32
      [4, 2, 1], // PC32
      [8, 6, 2], // GLOB_DAT
      [12, 7, 2], // JMP_SLOT
      [16, 8, 0], // RELATIVE
      [20, 10, 0], // GOTPC
      [24, 9, 2], // GOTOFF
      [28, 3, 2], // GOT32
      [32, 3, 2], // GOT32 again: slot filled once
    ];
    const r = createInsmodI386Relocator({ baseAddress: 0xc8800000, got }).applyRelocations(
      input(rel(entries), t, [0n, 0xc0100000n, 0xc8805000n]),
    );
    expect(r.ok).toBe(true);
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => u32(t, i))).toEqual([
      0xc0100001,
      (2 + 0xc0100000 - 0xc8801004) >>> 0,
      0xc8805000,
      0xc8805000,
      5 + 0xc8800000,
      (6 + 0xc8900000 - 0xc8801014) >>> 0,
      (7 + 0xc8805000 - 0xc8900000) >>> 0,
      8 + 4,
      9 + 4,
    ]);
    expect(new DataView(gotBytes.buffer).getUint32(4, true)).toBe(0xc8805000);
  });

  it('reports every unhandled entry with its symbol, applies the rest, then fails', () => {
    const log: string[] = [];
    const t = words(0, 0, 0);
    const r = createInsmodI386Relocator({ baseAddress: 0 }).applyRelocations(
      input(
        rel([
          [0, 20, 1],
          [4, 1, 2],
          [8, 14, 0],
        ]),
        t,
        [0n, 1n, 0x77n],
        log,
      ),
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect([r.error.entry, r.error.type]).toEqual([0, 20]);
    expect(log).toEqual(['Unhandled relocation of type 20 for printk', 'Unhandled relocation of type 14']);
    expect(u32(t, 1)).toBe(0x77);
  });
});

describe('HP-UX DLKM IA-64 MSB', () => {
  function rela(entries: readonly [number, number, number, bigint][]): Uint8Array {
    const b = new Uint8Array(entries.length * 24);
    const v = new DataView(b.buffer);
    entries.forEach(([off, type, sym, add], i) => {
      v.setBigUint64(i * 24, BigInt(off), false);
      v.setUint32(i * 24 + 8, sym, false);
      v.setUint32(i * 24 + 12, type, false);
      v.setBigInt64(i * 24 + 16, add, false);
    });
    return b;
  }
  const base = 0xe000000001000000n;
  const go = (image: Uint8Array, target: Uint8Array, log?: string[]) =>
    IA64_DLKM_RELOCATOR.applyRelocations({
      image,
      relOffset: 0,
      relSize: image.length,
      isRela: true,
      target,
      targetAddress: base,
      symbolValues: BigUint64Array.from([0n, 0xe000000000400000n, 0x1000n]),
      moduleName: 'dlkm',
      log: log === undefined ? undefined : (l) => log.push(l),
      symbolName: (i) => ['', 'kfunc', 'small'][i],
    });

  it('writes DIR64MSB, FPTR64MSB, PCREL64MSB and DIR32MSB big-endian', () => {
    const t = new Uint8Array(32);
    const r = go(
      rela([
        [0, 0x26, 1, 8n],
        [8, 0x46, 1, 0n],
        [16, 0x4e, 1, 0n],
        [24, 0x24, 2, 4n],
      ]),
      t,
    );
    expect(r.ok).toBe(true);
    const v = new DataView(t.buffer);
    expect(v.getBigUint64(0, false)).toBe(0xe000000000400008n);
    expect(v.getBigUint64(8, false)).toBe(0xe000000000400000n);
    expect(v.getBigUint64(16, false)).toBe(BigInt.asUintN(64, 0xe000000000400000n - (base + 16n)));
    expect(v.getUint32(24, false)).toBe(0x1004);
  });

  it('refuses other types and DIR32 overflow with ERELOC', () => {
    const log: string[] = [];
    const r = go(rela([[0, 0x49, 1, 0n]]), new Uint8Array(8), log);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.errno).toBe('ERELOC');
    expect(log).toEqual(['dlkm: relocation 0 against kfunc: unsupported relocation type 0x49']);
    expect(go(rela([[0, 0x24, 1, 0n]]), new Uint8Array(8)).ok).toBe(false);
  });
});
