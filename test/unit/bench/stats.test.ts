import { describe, expect, it } from 'vitest';
import { formatRss, formatTable, formatTime, median, summarize, verdict } from '../../../bench/stats.mjs';

describe('bench arithmetic and table', () => {
  it('takes the median of odd and even counts without reordering the input', () => {
    const xs = [5, 1, 3];
    expect(median(xs)).toBe(3);
    expect(xs).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
    expect(summarize([3, 9, 1, 7, 5])).toEqual({ median: 5, min: 1, max: 9, runs: 5 });
  });

  it('passes a budget when the ratio is at most the budget, and has no verdict without one', () => {
    expect(verdict(150, 100, 1.5)).toEqual({ ratio: 1.5, pass: true });
    expect(verdict(151, 100, 1.5).pass).toBe(false);
    expect(verdict(50, 100, undefined)).toEqual({ ratio: 0.5, pass: undefined });
  });

  it('formats times, sizes and an aligned table', () => {
    expect(formatTime(999.4)).toBe('999 ms');
    expect(formatTime(1234)).toBe('1.23 s');
    expect(formatRss(2 * 1024 * 1024)).toBe('2.00 GiB');
    expect(formatRss(70 * 1024)).toBe('70 MiB');
    expect(formatRss(undefined)).toBe('-');
    const t = formatTable([
      ['name', 'time'],
      ['a', '1.00 s'],
      ['longer', '12 ms'],
    ]).split('\n');
    expect(t).toEqual(['name    time', 'a       1.00 s', 'longer   12 ms']);
  });
});
