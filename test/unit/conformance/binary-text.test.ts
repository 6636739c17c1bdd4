import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbBinaryText } from '../../../src/conformance/robustness.js';

describe('arbBinaryText (the robustness names of any Unicode text)', () => {
  const samples = fc.sample(arbBinaryText(12), { numRuns: 3000, seed: 11 });

  it('generates well-formed text of at most 12 code points', () => {
    for (const s of samples) {
      expect(/\p{Cs}/u.test(s)).toBe(false);
      expect([...s].length).toBeLessThanOrEqual(12);
    }
  });

  it('reaches NUL and control characters, the BMP above the surrogates and the astral planes', () => {
    const cps = samples.flatMap((s) => [...s].map((c) => c.codePointAt(0) ?? -1));
    expect(cps.some((c) => c < 0x20)).toBe(true);
    expect(cps.some((c) => c >= 0xe000 && c <= 0xffff)).toBe(true);
    expect(cps.some((c) => c > 0xffff)).toBe(true);
    expect(cps.some((c) => c >= 0xd800 && c <= 0xdfff)).toBe(false);
    expect(samples.some((s) => s === '')).toBe(true);
  });
});
