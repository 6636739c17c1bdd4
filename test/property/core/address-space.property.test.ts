import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddressSpace } from '../../../src/core/address-space.js';

const GEOMETRY = { base: 0xffffffffc0000000n, size: 64 * 4096, pageSize: 4096, guardPages: 1 };

type Op = { kind: 'alloc'; size: number; align: number } | { kind: 'free'; pick: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('alloc' as const),
    size: fc.integer({ min: 1, max: 20_000 }),
    align: fc.constantFrom(0, 16, 4096, 8192, 65536),
  }),
  fc.record({ kind: fc.constant('free' as const), pick: fc.nat() }),
);

describe('AddressSpace properties', () => {
  it('never overlaps, honours alignment and page granularity, and ENOMEM leaves the state unchanged', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
        const as = new AddressSpace();
        as.configure(GEOMETRY);
        for (const op of ops) {
          const before = as.freeList();
          if (op.kind === 'alloc') {
            const r = as.alloc(op.size, 'm', op.align);
            if (r.ok) {
              expect(r.value.address % BigInt(Math.max(4096, op.align))).toBe(0n);
              expect(r.value.bytes.length).toBe(op.size);
              expect(r.value.bytes.every((b) => b === 0)).toBe(true);
            } else {
              expect(r.error.errno).toBe('ENOMEM');
              expect(as.freeList()).toEqual(before);
            }
          } else {
            const live = as.allocations();
            if (live.length > 0) expect(as.free(live[op.pick % live.length].address).ok).toBe(true);
          }
          const live = as.allocations();
          for (let i = 1; i < live.length; i++) {
            const prevEnd = live[i - 1].address + BigInt(Math.ceil(live[i - 1].size / 4096) * 4096);
            expect(live[i].address >= prevEnd + 4096n).toBe(true); // guard page between neighbours
          }
          const holes = as.freeList().reduce((n, h) => n + h.length, 0);
          expect(holes + as.reservedBytes).toBe(GEOMETRY.size);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('alloc followed by free restores the exact prior state, whatever came before', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 30_000 }), { maxLength: 20 }),
        fc.integer({ min: 1, max: 30_000 }),
        (sizes, size) => {
          const as = new AddressSpace();
          as.configure(GEOMETRY);
          for (const s of sizes) as.alloc(s, 'pre');
          const before = as.freeList();
          const r = as.alloc(size, 'x');
          if (r.ok) expect(as.free(r.value.address).ok).toBe(true);
          expect(as.freeList()).toEqual(before);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('bounds reads and writes to one allocation (EFAULT otherwise) and round-trips through a snapshot', () => {
    const as = new AddressSpace();
    as.configure(GEOMETRY);
    const a = as.alloc(100, 'm');
    if (!a.ok) throw new Error('alloc failed');
    expect(as.write(a.value.address + 96n, new Uint8Array([1, 2, 3, 4])).ok).toBe(true);
    expect(as.write(a.value.address + 97n, new Uint8Array([1, 2, 3, 4]))).toMatchObject({
      ok: false,
      error: { errno: 'EFAULT' },
    });
    expect(as.read(a.value.address - 1n, 1)).toMatchObject({ ok: false, error: { errno: 'EFAULT' } });
    expect(as.free(a.value.address + 1n)).toMatchObject({ ok: false, error: { errno: 'EINVAL' } });
    const copy = new AddressSpace();
    copy.restore(JSON.parse(JSON.stringify(as.snapshot())));
    expect(copy.snapshot()).toEqual(as.snapshot());
    expect(copy.read(a.value.address + 96n, 4)).toEqual({ ok: true, value: new Uint8Array([1, 2, 3, 4]) });
  });

  it('refuses sizes that cannot fit with ENOMEM', () => {
    const as = new AddressSpace();
    as.configure(GEOMETRY);
    expect(as.alloc(GEOMETRY.size + 1, 'big')).toMatchObject({ ok: false, error: { errno: 'ENOMEM' } });
    expect(as.alloc(0, 'zero')).toMatchObject({ ok: false, error: { errno: 'ENOMEM' } });
  });
});
