import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DASH_UNDERSCORE_NAMES, ModuleRegistry } from '../../../src/core/module-registry.js';

const NAMES = ['a', 'b', 'c', 'd'] as const;
type Op =
  | { kind: 'add' | 'remove' | 'hold' | 'put' | 'removeUses'; name: string }
  | { kind: 'use'; user: string; used: string };

const name = fc.constantFrom(...NAMES);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constantFrom('add', 'remove', 'hold', 'put', 'removeUses' as const), name }),
  fc.record({ kind: fc.constant('use' as const), user: name, used: name }),
);

describe('ModuleRegistry properties', () => {
  it('use counts never go negative and a module with users is never removed (model check)', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 80 }), (ops) => {
        const reg = new ModuleRegistry();
        const model = new Map<string, { refs: number; uses: Set<string> }>();
        const holders = (n: string) => [...model].filter(([, m]) => m.uses.has(n)).map(([k]) => k);
        for (const op of ops) {
          if (op.kind === 'add') {
            expect(reg.add(op.name).ok).toBe(!model.has(op.name));
            if (!model.has(op.name)) model.set(op.name, { refs: 0, uses: new Set() });
          } else if (op.kind === 'hold') {
            const r = reg.hold(op.name);
            expect(r.ok).toBe(model.has(op.name));
            const m = model.get(op.name);
            if (m) m.refs++;
          } else if (op.kind === 'put') {
            const m = model.get(op.name);
            const r = reg.put(op.name);
            expect(r.ok).toBe(m !== undefined && m.refs > 0);
            if (m && m.refs > 0) m.refs--;
          } else if (op.kind === 'use') {
            const r = reg.addUse(op.user, op.used);
            expect(r.ok).toBe(model.has(op.user) && model.has(op.used));
            if (model.has(op.used)) model.get(op.user)?.uses.add(op.used);
          } else if (op.kind === 'removeUses') {
            reg.removeUsesOf(op.name);
            model.get(op.name)?.uses.clear();
          } else {
            const m = model.get(op.name);
            const r = reg.remove(op.name);
            const allowed = m !== undefined && m.refs === 0 && holders(op.name).length === 0;
            expect(r.ok).toBe(allowed);
            if (!r.ok && m) expect(r.error.errno).toBe('EBUSY');
            if (allowed) model.delete(op.name);
          }
          for (const [n, m] of model) {
            expect(reg.get(n)?.refcount).toBe(m.refs);
            expect(reg.get(n)!.refcount).toBeGreaterThanOrEqual(0);
            expect(new Set(reg.uses(n))).toEqual(m.uses);
            for (const d of NAMES) expect(reg.alreadyUses(n, d)).toBe(m.uses.has(d));
            expect(new Set(reg.usedBy(n))).toEqual(new Set(holders(n)));
          }
          expect(reg.size).toBe(model.size);
        }
        const copy = new ModuleRegistry();
        copy.restore(JSON.parse(JSON.stringify(reg.snapshot())));
        expect(copy.snapshot()).toEqual(reg.snapshot());
      }),
      { numRuns: 300 },
    );
  });

  it('normalises names as the era does', () => {
    const reg = new ModuleRegistry();
    reg.setNameNormaliser(DASH_UNDERSCORE_NAMES);
    expect(reg.add('snd-hda').ok).toBe(true);
    expect(reg.has('snd_hda')).toBe(true);
    expect(reg.add('snd_hda')).toMatchObject({ ok: false, error: { errno: 'EEXIST' } });
    expect(reg.list().map((r) => r.name)).toEqual(['snd-hda']);
    expect(reg.add('usb-core').ok).toBe(true);
    expect(reg.addUse('snd_hda', 'usb_core').ok).toBe(true);
    expect(reg.alreadyUses('snd-hda', 'usb-core')).toBe(true);
    expect(reg.alreadyUses('usb_core', 'snd_hda')).toBe(false);
  });
});
