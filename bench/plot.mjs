/**
 * The scaling plot of docs/performance.md, from W4's per-module data (`kmodsim bench load-all --per-module`):
 * left, cumulative load time against modules loaded (in load order); right, each module's load time against its
 * relocation count (log–log), with the least-squares line ms = a + b × relocations. Plain SVG, no dependencies.
 */
import { readFileSync, writeFileSync } from 'node:fs';

/** Least squares y = a + b x. @param {number[]} xs @param {number[]} ys */
export function linearFit(xs, ys) {
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  const b = sxx === 0 ? 0 : sxy / sxx;
  return { a: my - b * mx, b };
}

const W = 460;
const H = 320;
const M = { l: 58, r: 14, t: 34, b: 44 };

/** @param {number} v */
const fmt = (v) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toPrecision(2));

function panel(x0, title, xLabel, yLabel, xTicks, yTicks, sx, sy, body) {
  const px = (v) => x0 + M.l + sx(v) * (W - M.l - M.r);
  const py = (v) => M.t + (1 - sy(v)) * (H - M.t - M.b);
  const parts = [
    `<text x="${x0 + W / 2}" y="18" text-anchor="middle" font-weight="bold">${title}</text>`,
    `<rect x="${x0 + M.l}" y="${M.t}" width="${W - M.l - M.r}" height="${H - M.t - M.b}" fill="none" stroke="#999"/>`,
  ];
  for (const t of xTicks) {
    parts.push(
      `<line x1="${px(t)}" y1="${H - M.b}" x2="${px(t)}" y2="${H - M.b + 4}" stroke="#999"/>`,
      `<text x="${px(t)}" y="${H - M.b + 16}" text-anchor="middle">${fmt(t)}</text>`,
    );
  }
  for (const t of yTicks) {
    parts.push(
      `<line x1="${x0 + M.l - 4}" y1="${py(t)}" x2="${x0 + M.l}" y2="${py(t)}" stroke="#999"/>`,
      `<text x="${x0 + M.l - 6}" y="${py(t) + 4}" text-anchor="end">${fmt(t)}</text>`,
    );
  }
  parts.push(
    `<text x="${x0 + M.l + (W - M.l - M.r) / 2}" y="${H - 8}" text-anchor="middle">${xLabel}</text>`,
    `<text transform="translate(${x0 + 14},${M.t + (H - M.t - M.b) / 2}) rotate(-90)" text-anchor="middle">${yLabel}</text>`,
  );
  parts.push(body(px, py));
  return parts.join('\n');
}

const linear = (max) => (v) => v / max;
const log10 = (lo, hi) => (v) => (Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
const ticks = (max, n = 5) => Array.from({ length: n + 1 }, (_, i) => (max * i) / n);
const decades = (lo, hi) => {
  const out = [];
  for (let e = Math.floor(Math.log10(lo)); 10 ** e <= hi; e++) if (10 ** e >= lo) out.push(10 ** e);
  return out;
};

/**
 * Writes the SVG; returns its path. The fit is also returned through `writeScalingPlot.lastFit`.
 * @param {string} perModulePath @param {string} svgPath
 */
export function writeScalingPlot(perModulePath, svgPath) {
  const { rows } = JSON.parse(readFileSync(perModulePath, 'utf8'));
  const relocs = rows.map((r) => r[2]);
  const ms = rows.map((r) => r[3]);
  const cum = [];
  let acc = 0;
  for (const m of ms) cum.push((acc += m) / 1000);
  const fit = linearFit(relocs, ms);
  writeScalingPlot.lastFit = { ...fit, modules: rows.length, totalSeconds: acc / 1000 };

  const n = rows.length;
  const cumMax = cum[n - 1] || 1;
  const left = panel(
    0,
    'Cumulative load time (W4, load order)',
    'modules loaded',
    'seconds',
    ticks(n),
    ticks(cumMax),
    linear(n),
    linear(cumMax),
    (px, py) => {
      const step = Math.max(1, Math.floor(n / 400));
      const pts = [];
      for (let i = 0; i < n; i += step) pts.push(`${px(i + 1).toFixed(1)},${py(cum[i]).toFixed(1)}`);
      pts.push(`${px(n).toFixed(1)},${py(cumMax).toFixed(1)}`);
      return `<polyline points="${pts.join(' ')}" fill="none" stroke="#1f77b4" stroke-width="1.5"/>`;
    },
  );
  const rLo = 1;
  const rHi = Math.max(10, ...relocs);
  const mLo = Math.max(0.001, Math.min(...ms.filter((m) => m > 0)));
  const mHi = Math.max(...ms);
  const right = panel(
    W,
    'Per-module load time vs relocations',
    'relocations in the module (log)',
    'ms (log)',
    decades(rLo, rHi),
    decades(mLo, mHi),
    log10(rLo, rHi),
    log10(mLo, mHi),
    (px, py) => {
      const dots = rows
        .map((r) => `<circle cx="${px(Math.max(1, r[2])).toFixed(1)}" cy="${py(Math.max(mLo, r[3])).toFixed(1)}" r="1.3"/>`)
        .join('');
      const line = [];
      for (let k = 0; k <= 40; k++) {
        const x = 10 ** (Math.log10(rLo) + (k / 40) * (Math.log10(rHi) - Math.log10(rLo)));
        const y = fit.a + fit.b * x;
        if (y > mLo && y < mHi * 1.5) line.push(`${px(x).toFixed(1)},${py(y).toFixed(1)}`);
      }
      return `<g fill="#1f77b4" fill-opacity="0.45">${dots}</g><polyline points="${line.join(' ')}" fill="none" stroke="#d62728" stroke-width="1.5"/><text x="${W + M.l + 8}" y="${M.t + 16}" fill="#d62728">ms ≈ ${fit.a.toFixed(3)} + ${(fit.b * 1000).toFixed(3)} µs × relocations</text>`;
    },
  );
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W}" height="${H}" font-family="sans-serif" font-size="11">\n<rect width="100%" height="100%" fill="white"/>\n${left}\n${right}\n</svg>\n`;
  writeFileSync(svgPath, svg);
  return svgPath;
}
