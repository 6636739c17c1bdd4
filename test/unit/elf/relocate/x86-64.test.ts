/**
 * x86_64 engine: formulas, the checks and their order in each era form, and the kernel's messages.
 */
import { describe, expect, it } from 'vitest';
import {
  applyRelocateAddX86_64,
  RELOCATORS,
  X86_64_MAINLINE,
  type X86_64RelocOptions,
  x86_64RelocOptionsFor,
} from '../../../../src/elf/relocate/index.js';

interface Rela {
  off: number;
  type: number;
  sym: number;
  addend: bigint;
}

function rela(entries: readonly Rela[], pad = 16): Uint8Array {
  const b = new Uint8Array(pad + entries.length * 24);
  const v = new DataView(b.buffer);
  entries.forEach((e, i) => {
    const o = pad + i * 24;
    v.setBigUint64(o, BigInt(e.off), true);
    v.setUint32(o + 8, e.type, true);
    v.setUint32(o + 12, e.sym, true);
    v.setBigInt64(o + 16, e.addend, true);
  });
  return b;
}

const BASE = 0xffffffffc0001000n;

function run(
  entries: readonly Rela[],
  syms: readonly bigint[],
  opts: X86_64RelocOptions,
  size = 32,
  fill = 0,
) {
  const image = rela(entries);
  const target = new Uint8Array(size).fill(fill);
  const log: string[] = [];
  const r = applyRelocateAddX86_64(
    {
      image,
      relOffset: 16,
      relSize: entries.length * 24 + 7, // a partial trailing entry is ignored, as sh_size / sizeof(*rel)
      isRela: true,
      target,
      targetAddress: BASE,
      symbolValues: BigUint64Array.from(syms),
      moduleName: 'm',
      log: (l) => log.push(l),
    },
    opts,
  );
  const v = new DataView(target.buffer);
  return { r, target, v, log };
}

const ALL_FORMS: readonly X86_64RelocOptions[] = [
  X86_64_MAINLINE,
  { form: 'skip-guard', plt32: true, pc64: true },
  { form: 'unguarded', plt32: true, pc64: true },
];

describe('x86_64 formulas', () => {
  it.each(ALL_FORMS)('64, 32S, PC32, PLT32, PC64 and NONE as S + A (- P) ($form)', (opts) => {
    const S = 0xffffffff81234560n;
    const { r, v } = run(
      [
        { off: 0, type: 1, sym: 1, addend: 8n },
        { off: 8, type: 11, sym: 1, addend: -0x10n },
        { off: 12, type: 2, sym: 1, addend: -4n },
        { off: 16, type: 4, sym: 1, addend: -4n },
        { off: 24, type: 24, sym: 1, addend: 0x20n },
        { off: 0, type: 0, sym: 99, addend: 0n },
      ],
      [0n, S],
      opts,
    );
    expect(r.ok).toBe(true);
    expect(v.getBigUint64(0, true)).toBe(S + 8n);
    expect(BigInt(v.getInt32(8, true))).toBe(BigInt.asIntN(64, S - 0x10n));
    expect(BigInt(v.getInt32(12, true))).toBe(BigInt.asIntN(64, S - 4n - (BASE + 12n)));
    expect(BigInt(v.getInt32(16, true))).toBe(BigInt.asIntN(64, S - 4n - (BASE + 16n)));
    expect(v.getBigUint64(24, true)).toBe(BigInt.asUintN(64, S + 0x20n - (BASE + 24n)));
  });

  it('carries across the 32-bit halves', () => {
    const { r, v } = run(
      [{ off: 0, type: 1, sym: 1, addend: 1n }],
      [0n, 0x00000001ffffffffn],
      X86_64_MAINLINE,
    );
    expect(r.ok).toBe(true);
    expect(v.getBigUint64(0, true)).toBe(0x0000000200000000n);
  });

  it('R_X86_64_32 accepts a zero-extended value and rejects a kernel address', () => {
    expect(run([{ off: 0, type: 10, sym: 1, addend: 0n }], [0n, 0xfffffff0n], X86_64_MAINLINE).r.ok).toBe(
      true,
    );
    const bad = run([{ off: 4, type: 10, sym: 1, addend: 0n }], [0n, 0xffffffffa0000000n], X86_64_MAINLINE);
    expect(bad.r.ok).toBe(false);
    expect(bad.log).toEqual([
      'module: overflow in relocation type 10 val ffffffffa0000000',
      "module: `m' likely not compiled with -mcmodel=kernel",
    ]);
    expect(bad.target.every((b) => b === 0)).toBe(true);
  });
});

describe('x86_64 checks by era', () => {
  it('mainline: a nonzero field is refused before writing, with S + A - P in the message', () => {
    const { r, log, target } = run(
      [{ off: 8, type: 2, sym: 1, addend: 0n }],
      [0n, BASE + 0x100n],
      X86_64_MAINLINE,
      16,
      1,
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.errno).toBe('ENOEXEC');
    expect(log).toEqual([
      'module: x86/modules: Invalid relocation target, existing value is nonzero for type 2, loc ffffffffc0001008, val f8',
    ]);
    expect(target.every((b) => b === 1)).toBe(true);
  });

  it('mainline: overflow is reported before the nonzero guard and PC32 is not range-checked', () => {
    const both = run([{ off: 0, type: 11, sym: 1, addend: 0n }], [0n, 0x100000000n], X86_64_MAINLINE, 8, 1);
    expect(both.log[0]).toBe('module: overflow in relocation type 11 val 100000000');
    const far = run([{ off: 0, type: 2, sym: 1, addend: 0n }], [0n, 0x80001000n], X86_64_MAINLINE);
    expect(far.r.ok).toBe(true);
  });

  it('4.15 – 6.2: the guard message is "Skipping…" with S + A; PC32 is not range-checked', () => {
    const opts = x86_64RelocOptionsFor(6, 1);
    expect(opts).toEqual({ form: 'skip-guard', plt32: true, pc64: true });
    expect(x86_64RelocOptionsFor(6, 2).form).toBe('skip-guard');
    const nz = run([{ off: 0, type: 2, sym: 1, addend: 0n }], [0n, BASE + 0x100n], opts, 8, 1);
    expect(nz.log).toEqual([
      'module: x86/modules: Skipping invalid relocation target, existing value is nonzero for type 2, loc ffffffffc0001000, val ffffffffc0001100',
    ]);
    expect(run([{ off: 0, type: 2, sym: 1, addend: 0n }], [0n, 0x80001000n], opts).r.ok).toBe(true);
    // 32S overflow: the truncated value is stored before the comparison.
    const far = run([{ off: 0, type: 11, sym: 1, addend: 0n }], [0n, 0x80001000n], opts);
    expect(far.log[0]).toBe('module: overflow in relocation type 11 val 80001000');
    expect(far.v.getUint32(0, true)).toBe(0x80001000);
  });

  it('the #if 0 PC32 overflow check, when enabled, stores and then refuses', () => {
    const opts = { ...x86_64RelocOptionsFor(6, 1), pc32OverflowCheck: true };
    const far = run([{ off: 0, type: 2, sym: 1, addend: 0n }], [0n, 0x80001000n], opts);
    expect(far.r.ok).toBe(false);
    expect(far.log[0]).toBe(
      `module: overflow in relocation type 2 val ${(0x80001000n - BASE + (1n << 64n)).toString(16)}`,
    );
    expect(far.v.getUint32(0, true)).toBe(Number(BigInt.asUintN(32, 0x80001000n - BASE)));
  });

  it('before 4.15: no guard (a nonzero field is overwritten), PC32 unchecked, no PLT32 or PC64', () => {
    const opts = x86_64RelocOptionsFor(3, 10);
    expect(opts).toEqual({ form: 'unguarded', plt32: false, pc64: false });
    const nz = run([{ off: 0, type: 1, sym: 1, addend: 0n }], [0n, 0x1234n], opts, 8, 0xff);
    expect(nz.r.ok).toBe(true);
    expect(nz.v.getBigUint64(0, true)).toBe(0x1234n);
    expect(run([{ off: 0, type: 2, sym: 1, addend: 0n }], [0n, 0x80001000n], opts).r.ok).toBe(true);
    for (const t of [4, 24]) {
      const u = run([{ off: 0, type: t, sym: 1, addend: 0n }], [0n, 0n], opts);
      expect(u.log).toEqual([`module m: Unknown rela relocation: ${t}`]);
    }
  });

  it('before 4.15 the overflow lines carry no pr_fmt prefix', () => {
    const r = run([{ off: 0, type: 11, sym: 1, addend: 0n }], [0n, 0x80000000n], x86_64RelocOptionsFor(2, 6));
    expect(r.log).toEqual([
      'overflow in relocation type 11 val 80000000',
      "`m' likely not compiled with -mcmodel=kernel",
    ]);
  });

  it('4.16 adds PLT32, 4.20 PC64; 6.3 is the mainline form', () => {
    expect(x86_64RelocOptionsFor(4, 16).plt32).toBe(true);
    expect(x86_64RelocOptionsFor(4, 19).pc64).toBe(false);
    expect(x86_64RelocOptionsFor(6, 3).form).toBe('mainline');
  });
});

describe('x86_64 refusals', () => {
  it('an unknown type stops at that entry, after applying the ones before it', () => {
    const { r, log, v } = run(
      [
        { off: 0, type: 1, sym: 1, addend: 0n },
        { off: 8, type: 9, sym: 1, addend: 0n },
        { off: 16, type: 1, sym: 1, addend: 0n },
      ],
      [0n, 0x42n],
      X86_64_MAINLINE,
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect([r.error.entry, r.error.type]).toEqual([1, 9]);
    expect(log).toEqual(['module: m: Unknown rela relocation: 9']);
    expect(v.getBigUint64(0, true)).toBe(0x42n);
    expect(v.getBigUint64(16, true)).toBe(0n);
  });

  it('fields outside the section, symbols outside the table and sections outside the image are ENOEXEC', () => {
    expect(run([{ off: 28, type: 1, sym: 1, addend: 0n }], [0n, 1n], X86_64_MAINLINE).r.ok).toBe(false);
    expect(run([{ off: 0, type: 1, sym: 5, addend: 0n }], [0n, 1n], X86_64_MAINLINE).r.ok).toBe(false);
    const image = rela([{ off: 0, type: 1, sym: 1, addend: 0n }]);
    const r = applyRelocateAddX86_64(
      {
        image,
        relOffset: 16,
        relSize: 48,
        isRela: true,
        target: new Uint8Array(8),
        targetAddress: BASE,
        symbolValues: new BigUint64Array(2),
        moduleName: 'm',
      },
      X86_64_MAINLINE,
    );
    expect(r.ok).toBe(false);
  });

  it('REL sections are refused on x86_64, and the map selects this engine for EM_X86_64', () => {
    const r = RELOCATORS.get(62)?.applyRelocations({
      image: new Uint8Array(16),
      relOffset: 0,
      relSize: 16,
      isRela: false,
      target: new Uint8Array(8),
      targetAddress: BASE,
      symbolValues: new BigUint64Array(1),
      moduleName: 'm',
    });
    expect(r?.ok).toBe(false);
    if (r !== undefined && !r.ok) expect(r.error.reason).toBe('module m: REL relocation unsupported');
  });
});
