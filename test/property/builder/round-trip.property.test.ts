/**
 * parse(build(spec)): every spec the builder accepts, built for each format, reads back as the canonical spec
 * of that format (plus measured sizes no smaller than requested), and building what was read gives the same
 * bytes again. Building is deterministic.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BuildTarget, buildModule } from '../../../src/elf/builder/build-target.js';
import { canonicalModuleSpec } from '../../../src/elf/builder/canonical-module-spec.js';
import { readModuleSpec } from '../../../src/elf/builder/read-module-spec.js';
import { arbModuleSpec } from '../../support/arb-module-spec.js';

/** Offset of the first differing byte, or -1 (vitest's element-wise typed-array comparison is slow). */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  if (Buffer.from(a).equals(Buffer.from(b))) return -1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}

const RUNS = Number(process.env.BUILDER_RUNS ?? 300);

const TARGETS: readonly BuildTarget[] = [
  { format: 'ko' },
  { format: 'ko', options: { modversions: false, retpoline: false, debugSections: true } },
  { format: 'i386', options: { era: '2.4', modversions: true } },
  { format: 'i386', options: { era: '2.4' } },
  { format: 'i386', options: { era: '2.0', modversions: true } },
  { format: 'i386', options: { era: '1.x' } },
  { format: 'dlkm' },
];

describe.each(TARGETS.map((t) => [JSON.stringify(t), t] as const))('builder round trip %s', (_, target) => {
  it('readModuleSpec(build(spec)) is the canonical spec, and rebuilding gives the same bytes', () => {
    fc.assert(
      fc.property(arbModuleSpec({ target }), (spec) => {
        const bytes = buildModule(target, spec);
        expect(firstDifference(buildModule(target, spec), bytes)).toBe(-1);
        const read = readModuleSpec(bytes);
        if (!read.ok) throw new Error(read.error);
        const { sizes, ...rest } = read.value.spec;
        expect(rest).toEqual(canonicalModuleSpec(spec, target));
        expect(sizes?.text).toBeGreaterThanOrEqual(spec.sizes?.text ?? 0);
        expect(sizes?.data).toBeGreaterThanOrEqual(spec.sizes?.data ?? 0);
        expect(sizes?.bss).toBeGreaterThanOrEqual(spec.sizes?.bss ?? 0);
        expect(read.value.target.format).toBe(target.format);
        if (target.format === 'i386' && read.value.target.format === 'i386') {
          expect(read.value.target.options.modversions).toBe(target.options.modversions === true);
          // 2.0 and 1.x objects share one format; the reader names the era after the release.
          if (target.options.era === '2.4') expect(read.value.target.options.era).toBe('2.4');
          else expect(read.value.target.options.era).not.toBe('2.4');
        }
        expect(firstDifference(buildModule(read.value.target, read.value.spec), bytes)).toBe(-1);
      }),
      { numRuns: RUNS },
    );
  });
});
