import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runPipeline, step } from '../../../src/core/pipeline.js';
import { err, OK_VOID } from '../../../src/core/result.js';

describe('runPipeline', () => {
  it('unwinds every acquisition newest first on failure, and names the failing step', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 8 }), (failAt, count) => {
        const held: number[] = [];
        const steps = Array.from({ length: count }, (_, i) =>
          step<number[]>(`s${i}`, (ctx, undo) => {
            if (i === failAt) return err('ENOEXEC', `step ${i} failed`);
            ctx.push(i);
            undo.push(`u${i}`, () => ctx.splice(ctx.lastIndexOf(i), 1));
            return OK_VOID;
          }),
        );
        const trace = { steps: [] as string[], undone: [] as string[] };
        const r = runPipeline(held, steps, trace);
        if (failAt < count) {
          expect(r).toMatchObject({ ok: false, error: { errno: 'ENOEXEC', step: `s${failAt}` } });
          expect(held).toEqual([]);
          expect(trace.undone).toEqual(Array.from({ length: failAt }, (_, i) => `u${failAt - 1 - i}`));
          expect(trace.steps.at(-1)).toBe(`s${failAt}`);
        } else {
          expect(r.ok).toBe(true);
          expect(held).toEqual(Array.from({ length: count }, (_, i) => i));
        }
      }),
    );
  });
});
