/**
 * Damaged builder images: for every format, images mutated by the arbitraries of test/support/arb-mutations
 * never make the readers (src/elf module image, inspection, readModuleSpec) throw, and a mutation that names
 * an existing field really changes the image.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildModule } from '../../../src/elf/builder/build-target.js';
import { readModuleSpec } from '../../../src/elf/builder/read-module-spec.js';
import { inspectElf } from '../../../src/elf/inspect.js';
import { parseModuleImage } from '../../../src/elf/module-image.js';
import { describeImage } from '../../../src/elf/mutate/image-layout.js';
import { applyMutation, mutationTarget } from '../../../src/elf/mutate/image-mutation.js';
import { arbMutatedImage, arbMutation } from '../../support/arb-mutations.js';

const RUNS = Number(process.env.BUILDER_FUZZ_RUNS ?? 400);

const SPEC = {
  name: 'fz',
  imports: ['a', { name: 'b', kind: 'data' as const }],
  exports: ['e', { name: 'g', gpl: true }],
  params: [
    { name: 'p', type: 'int' as const, default: 1, description: 'x' },
    { name: 's', type: 'charp' as const, default: 'y' },
    { name: 'arr', type: 'short' as const, array: 3, default: [1, 2] },
  ],
  behaviour: { init: [{ return: 0 as const }] },
};
const BASES = [
  ['ko', buildModule({ format: 'ko' }, SPEC)],
  ['i386 2.4', buildModule({ format: 'i386', options: { era: '2.4', modversions: true } }, SPEC)],
  ['dlkm', buildModule({ format: 'dlkm' }, SPEC)],
] as const;

describe.each(BASES)('mutated %s images', (_, base) => {
  it('never make the readers throw', () => {
    fc.assert(
      fc.property(arbMutatedImage(base), ({ image }) => {
        const m = parseModuleImage(image);
        if (m.ok) {
          m.value.symbols();
          m.value.modinfo();
          m.value.versions();
          m.value.thisModule();
          m.value.ksymtab();
          m.value.params();
          m.value.name();
        }
        inspectElf(image);
        expect(typeof readModuleSpec(image).ok).toBe('boolean');
      }),
      { numRuns: RUNS },
    );
  });

  it('change the field they aim at', () => {
    const layout = describeImage(base);
    if (layout === undefined) throw new Error('unreadable base');
    fc.assert(
      fc.property(arbMutation(base), (m) => {
        const out = applyMutation(base, m, layout);
        if (m.kind === 'truncate') expect(out.length).toBe(m.length);
        else if (m.kind === 'flip') expect(out[m.offset]).not.toBe(base[m.offset]);
        else {
          const loc = mutationTarget(layout, m);
          // Only the targeted bytes may differ (none when the image has no such field).
          const changed: number[] = [];
          for (let i = 0; i < out.length; i++) if (out[i] !== base[i]) changed.push(i);
          const inField = (i: number) => loc !== undefined && i >= loc.offset && i < loc.offset + loc.width;
          expect(changed.filter((i) => !inField(i))).toEqual([]);
          expect(out.length).toBe(base.length);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
