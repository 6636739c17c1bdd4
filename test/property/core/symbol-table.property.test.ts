import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type KernelSymbol, SymbolTable } from '../../../src/core/symbol-table.js';

const symArb = (owner: string): fc.Arbitrary<KernelSymbol> =>
  fc
    .record({
      name: fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/),
      value: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
      owner: fc.constant(owner),
      gplOnly: fc.boolean(),
      namespace: fc.option(fc.constantFrom('NS_A', 'NS_B'), { nil: undefined }),
      crc: fc.option(fc.nat({ max: 0xffffffff }), { nil: undefined }),
    })
    .map(
      (s) =>
        Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) as unknown as KernelSymbol,
    );

describe('SymbolTable properties', () => {
  it('addAll is all-or-nothing, lookups find the first exporter, removeOwner restores the previous table', () => {
    fc.assert(
      fc.property(
        fc.array(symArb('vmlinux'), { maxLength: 30 }),
        fc.array(symArb('mod'), { maxLength: 10 }),
        (kernel, mod) => {
          const t = new SymbolTable();
          t.addAll(kernel, true);
          const before = t.snapshot();
          const r = t.addAll(mod);
          const names = new Set(kernel.map((s) => s.name));
          const clash = mod.some(
            (s, i) => names.has(s.name) || mod.findIndex((x) => x.name === s.name) !== i,
          );
          expect(r.ok).toBe(!clash);
          if (!r.ok) {
            expect(r.error.errno).toBe('EEXIST');
            expect(t.snapshot()).toEqual(before);
            return;
          }
          for (const s of mod) expect(t.lookup(s.name)?.owner).toBe('mod');
          expect(t.exportsOf('mod')).toEqual(mod);
          t.removeOwner('mod');
          expect(t.snapshot()).toEqual(before);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('lookup and lookupAll follow registration order as owners sharing names come and go', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.constantFrom('x', 'y', 'z')), { maxLength: 30 }),
        fc.subarray(['a', 'b', 'c']),
        (entries, removed) => {
          const t = new SymbolTable();
          const model: KernelSymbol[] = [];
          for (const [owner, name] of entries) {
            const s: KernelSymbol = { name, value: BigInt(model.length), owner, gplOnly: false };
            t.add(s, true);
            model.push(s);
          }
          for (const o of removed) t.removeOwner(o);
          const live = model.filter((s) => !removed.includes(s.owner));
          for (const name of ['x', 'y', 'z']) {
            const all = live.filter((s) => s.name === name);
            expect(t.lookupAll(name)).toEqual(all);
            expect(t.lookup(name)).toBe(all[0]);
          }
          expect(t.size).toBe(live.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('round-trips through a snapshot, keeping owner order and every field', () => {
    fc.assert(
      fc.property(
        fc.array(symArb('a'), { maxLength: 10 }),
        fc.array(symArb('b'), { maxLength: 10 }),
        (a, b) => {
          const t = new SymbolTable();
          t.addAll(a, true);
          t.declareOwner('empty');
          t.addAll(b, true);
          const copy = new SymbolTable();
          copy.restore(JSON.parse(JSON.stringify(t.snapshot())));
          expect(copy.owners()).toEqual(t.owners());
          // The saved fields come back; the signed reading of the value is derived again from it.
          const saved = ({ signedValue: _, ...s }: KernelSymbol) => s;
          expect([...copy.all()].map(saved)).toEqual([...t.all()].map(saved));
          for (const s of copy.all()) expect(s.signedValue).toBe(Number(BigInt.asIntN(64, s.value)));
        },
      ),
    );
  });
});
