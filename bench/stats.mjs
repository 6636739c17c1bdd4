/**
 * The arithmetic and the table of `npm run bench`: medians, ranges, ratios, budgets, and the text table.
 */

/** Median of a non-empty list (the mean of the two middle values for an even count). @param {number[]} xs */
export function median(xs) {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** @param {number[]} xs @returns {{median: number, min: number, max: number, runs: number}} */
export function summarize(xs) {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), runs: xs.length };
}

/**
 * kmodsim's median over the reference's median, and the verdict against a budget (PASS when ratio ≤ budget).
 * @param {number} ours @param {number} ref @param {number | undefined} budget
 */
export function verdict(ours, ref, budget) {
  const ratio = ours / ref;
  return { ratio, pass: budget === undefined ? undefined : ratio <= budget };
}

/** Seconds with two decimals, or milliseconds under one second. @param {number} ms */
export function formatTime(ms) {
  if (!Number.isFinite(ms)) return '-';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

/** @param {number | undefined} kib */
export function formatRss(kib) {
  if (kib === undefined || !Number.isFinite(kib)) return '-';
  return kib >= 1024 * 1024 ? `${(kib / 1024 / 1024).toFixed(2)} GiB` : `${(kib / 1024).toFixed(0)} MiB`;
}

/**
 * A text table: the first row is the header, columns padded to their widest cell, numeric-looking cells
 * right-aligned.
 * @param {string[][]} rows
 */
export function formatTable(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const numeric = /^[-\d.,×x ]+(s|ms|MiB|GiB|×)?$/;
  return rows
    .map((r, i) =>
      r
        .map((cell, c) => {
          const v = cell ?? '';
          return i > 0 && numeric.test(v) ? v.padStart(widths[c]) : v.padEnd(widths[c]);
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
