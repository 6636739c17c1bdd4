/**
 * The engines over the project builder's images: every relocation section of a built `.ko` (x86_64), 2.4 `.o`
 * (i386, kernel engine and insmod 2.4 engine) and HP-UX DLKM object (IA-64 MSB) whose target is allocated
 * applies without error at a random layout, and each absolute field ends up as S + A.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SHF_ALLOC, SHN_ABS, SHN_UNDEF, SHT_NOBITS, SHT_REL, SHT_RELA } from '../../../../src/abi/elf.js';
import { type BuildTarget, buildModule } from '../../../../src/elf/builder/build-target.js';
import { ElfFile } from '../../../../src/elf/elf-file.js';
import { createInsmodI386Relocator, RELOCATORS, type Relocator } from '../../../../src/elf/relocate/index.js';
import { SymbolTable } from '../../../../src/elf/symbols.js';
import { arbModuleSpec } from '../../../support/arb-module-spec.js';

const ABSOLUTE = new Set([
  '62:1', // R_X86_64_64
  '50:38', // R_IA64_DIR64MSB
  '50:70', // R_IA64_FPTR64MSB
]);

function relocateAll(
  image: Uint8Array,
  base: bigint,
  engine?: Relocator,
): { applied: number; checked: number } {
  const f = ElfFile.parse(image);
  if (!f.ok) throw new Error(f.error.message);
  const elf = f.value;
  const st = SymbolTable.read(elf);
  if (!st.ok) throw new Error(st.error.message);
  const syms = st.value;
  const addr = new Map<number, bigint>();
  let at = base;
  for (const s of elf.sections) {
    if ((s.flags & SHF_ALLOC) === 0) continue;
    const a = BigInt(Math.max(1, s.addralign));
    at = ((at + a - 1n) / a) * a;
    addr.set(s.index, at);
    at += BigInt(s.size) + 0x40n;
  }
  const values = new BigUint64Array(syms.count);
  for (let i = 1; i < syms.count; i++) {
    const sh = syms.shndx(i);
    if (sh === SHN_UNDEF) values[i] = base - 0x100000n - BigInt(i) * 0x40n;
    else if (sh === SHN_ABS) values[i] = syms.value(i);
    else values[i] = BigInt.asUintN(64, (addr.get(sh) ?? 0n) + syms.value(i));
  }
  const machine = elf.header.machine;
  const relocator = engine ?? RELOCATORS.get(machine);
  if (relocator === undefined) throw new Error(`no engine for ${machine}`);
  let applied = 0;
  let checked = 0;
  for (const rs of elf.sections) {
    if (rs.type !== SHT_RELA && rs.type !== SHT_REL) continue;
    const t = elf.sections[rs.info];
    if (t === undefined || (t.flags & SHF_ALLOC) === 0) continue;
    const data = t.type === SHT_NOBITS ? new Uint8Array(t.size) : elf.sectionData(t);
    const target = data instanceof Uint8Array ? data : data.ok ? data.value.slice() : new Uint8Array(0);
    const r = relocator.applyRelocations({
      image: elf.bytes,
      relOffset: rs.offset,
      relSize: rs.size,
      isRela: rs.type === SHT_RELA,
      target,
      targetAddress: addr.get(t.index) ?? 0n,
      symbolValues: values,
      moduleName: 'built',
    });
    if (!r.ok) throw new Error(`${t.name}: ${r.error.reason}`);
    const le = elf.littleEndian;
    const rv = new DataView(elf.bytes.buffer, elf.bytes.byteOffset + rs.offset, rs.size);
    const tv = new DataView(target.buffer, target.byteOffset, target.byteLength);
    const es = rs.type === SHT_RELA ? 24 : 8;
    for (let e = 0; e + es <= rs.size; e += es) {
      applied++;
      if (es !== 24) continue;
      const info = rv.getBigUint64(e + 8, le);
      const type = Number(info & 0xffffffffn);
      if (!ABSOLUTE.has(`${machine}:${type}`)) continue;
      const want = BigInt.asUintN(64, values[Number(info >> 32n)] + rv.getBigInt64(e + 16, le));
      expect(tv.getBigUint64(Number(rv.getBigUint64(e, le)), le)).toBe(want);
      checked++;
    }
  }
  return { applied, checked };
}

describe('engines over builder output', () => {
  const cases: [string, BuildTarget, bigint][] = [
    ['x86_64 .ko', { format: 'ko' }, 0xffffffffc0000000n],
    ['i386 2.4 .o', { format: 'i386', options: { era: '2.4' } }, 0xc8800000n],
    ['HP-UX DLKM object', { format: 'dlkm' }, 0xe000000001000000n],
  ];
  it.each(cases)('%s', (_name, target, base) => {
    let applied = 0;
    let checked = 0;
    fc.assert(
      fc.property(arbModuleSpec({ target }), fc.nat({ max: 0xffff }), (spec, page) => {
        const r = relocateAll(buildModule(target, spec), base + BigInt(page) * 0x1000n);
        applied += r.applied;
        checked += r.checked;
      }),
      { numRuns: 40 },
    );
    expect(applied).toBeGreaterThan(0);
    if (target.format !== 'i386') expect(checked).toBeGreaterThan(0);
  });

  it('insmod 2.4 accepts the i386 objects as well', () => {
    const target: BuildTarget = { format: 'i386', options: { era: '2.4' } };
    fc.assert(
      fc.property(arbModuleSpec({ target }), (spec) => {
        relocateAll(
          buildModule(target, spec),
          0xc8800000n,
          createInsmodI386Relocator({ baseAddress: 0xc8800000 }),
        );
      }),
      { numRuns: 40 },
    );
  });
});
