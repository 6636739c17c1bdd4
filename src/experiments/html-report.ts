import type { Kernel } from '../kernel.js';
import { type Comparison, cellText } from './compare.js';
import type { ScenarioResult } from './run-scenario.js';

function esc(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

/** SVG of the module area: one bar per allocation, positioned and scaled by address. */
export function memoryMapSvg(k: Kernel): string {
  const allocs = k.core.memory.allocations();
  const W = 600;
  const H = 40;
  if (allocs.length === 0)
    return `<svg class="memmap" width="${W}" height="${H}" role="img" aria-label="empty module area"><text x="4" y="24">module area empty</text></svg>`;
  const lo = allocs[0].address;
  const last = allocs[allocs.length - 1];
  const span = Number(last.address - lo) + last.size || 1;
  const bars = allocs.map((a, i) => {
    const x = (Number(a.address - lo) / span) * W;
    const w = Math.max(2, (a.size / span) * W);
    return `<rect x="${x.toFixed(1)}" y="8" width="${w.toFixed(1)}" height="24" fill="hsl(${(i * 67) % 360},60%,60%)"><title>${esc(a.owner)} 0x${a.address.toString(16)} +${a.size}</title></rect>`;
  });
  return `<svg class="memmap" width="${W}" height="${H}" role="img" aria-label="module area">${bars.join('')}</svg>`;
}

/** SVG of the dependency graph: modules in layers by dependency depth, arrows from user to used module. */
export function dependencySvg(k: Kernel, id = k.personality): string {
  const mods = k.core.modules.list();
  const depth = new Map<string, number>();
  const depthOf = (name: string, seen: Set<string>): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    if (seen.has(name)) return 0;
    seen.add(name);
    const d = Math.max(-1, ...k.core.modules.uses(name).map((u) => depthOf(u, seen))) + 1;
    depth.set(name, d);
    return d;
  };
  for (const m of mods) depthOf(m.name, new Set());
  const layers = new Map<number, string[]>();
  for (const m of mods) {
    const d = depth.get(m.name) ?? 0;
    layers.set(d, [...(layers.get(d) ?? []), m.name]);
  }
  const pos = new Map<string, [number, number]>();
  for (const [d, names] of layers) {
    for (const [i, n] of names.entries()) pos.set(n, [20 + i * 130, 20 + d * 60]);
  }
  const height = 60 * Math.max(1, layers.size) + 20;
  const edges = mods.flatMap((m) =>
    k.core.modules.uses(m.name).map((u) => {
      const [x1, y1] = pos.get(m.name) ?? [0, 0];
      const [x2, y2] = pos.get(u) ?? [0, 0];
      return `<line x1="${x1 + 55}" y1="${y1}" x2="${x2 + 55}" y2="${y2 + 24}" stroke="#555" marker-end="url(#arrow-${id})"/>`;
    }),
  );
  const nodes = mods.map((m) => {
    const [x, y] = pos.get(m.name) ?? [0, 0];
    return `<g><rect x="${x}" y="${y}" width="110" height="24" rx="4" fill="#eef" stroke="#88a"/><text x="${x + 55}" y="${y + 16}" text-anchor="middle" font-size="11">${esc(m.name)}</text></g>`;
  });
  return `<svg class="deps" width="${Math.max(200, 130 * Math.max(1, ...[...layers.values()].map((l) => l.length)) + 20)}" height="${height}" role="img" aria-label="dependency graph of ${esc(id)}"><defs><marker id="arrow-${id}" markerWidth="8" markerHeight="8" refX="6" refY="3" orient="auto"><path d="M0,0 L0,6 L6,3 z" fill="#555"/></marker></defs>${edges.join('')}${nodes.join('')}</svg>`;
}

/** The outcome most personalities that ran a step agree on (cells that differ from it are highlighted). */
function majority(cells: readonly { readonly result: string }[]): string | undefined {
  const counts = new Map<string, number>();
  for (const c of cells) if (c.result !== 'n/a') counts.set(c.result, (counts.get(c.result) ?? 0) + 1);
  let best: string | undefined;
  for (const [r, n] of counts) if (best === undefined || n > (counts.get(best) ?? 0)) best = r;
  return best;
}

/**
 * The HTML report of a comparison: the table (rows where the personalities differ in bold, cells that differ
 * from the row's majority marked, failed expectations outlined), then per personality its final module list, a
 * memory map of its module area and its dependency graph, both SVG.
 */
export function htmlReport(cmp: Comparison, result: ScenarioResult): string {
  const head = cmp.personalities.map((p) => `<th scope="col">${esc(p)}</th>`).join('');
  const rows = cmp.rows
    .map((r) => {
      const common = r.differs ? majority(r.cells) : undefined;
      const cells = r.cells
        .map((c) => {
          const classes = [
            c.pass ? 'pass' : 'fail',
            c.result === 'ok' ? 'ok' : c.result === 'n/a' ? 'na' : 'err',
            ...(common !== undefined && c.result !== 'n/a' && c.result !== common ? ['odd'] : []),
          ];
          return `<td class="${classes.join(' ')}" data-personality="${esc(c.personality)}" title="${esc(c.log.join('\n'))}">${esc(cellText(c))}</td>`;
        })
        .join('');
      return `<tr class="${r.differs ? 'differs' : 'same'}" data-step="${r.step + 1}"><td>${r.step + 1}</td><td>${esc(r.action)}</td>${cells}</tr>`;
    })
    .join('\n');
  const sections = cmp.personalities
    .map((p) => {
      const k = result.kernels.get(p);
      if (k === undefined) return '';
      const list = k.core.modules
        .list()
        .map(
          (m) =>
            `<li data-module="${esc(m.name)}">${esc(m.name)} <small>${esc(m.state)}, ${m.size} bytes, refs ${m.refcount}</small></li>`,
        )
        .join('');
      const setup = result.setup.get(p) ?? [];
      return `<section id="p-${esc(p)}" class="personality"><h2>${esc(p)}</h2>${
        setup.length > 0 ? `<p class="setup">${setup.map(esc).join('<br>')}</p>` : ''
      }<h3>Modules</h3><ul class="modules">${list || '<li class="none">(none)</li>'}</ul><h3>Module area</h3>${memoryMapSvg(k)}<h3>Dependencies</h3>${dependencySvg(k)}</section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(cmp.name)} — kmodsim comparison</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}
tr.differs td:nth-child(2){font-weight:bold}td.ok{background:#e8f7e8}td.err{background:#fdf0e0}td.na{color:#999}
td.odd{background:#ffd54f;font-weight:bold}td.fail{outline:2px solid #c00}p.setup{color:#c00}
section{display:inline-block;vertical-align:top;margin:1em 2em 0 0}
</style></head><body>
<h1>${esc(cmp.name)}</h1>
<p id="verdict">${cmp.pass ? 'All expectations held.' : 'Some expectations failed (red outline).'} Bold steps: the personalities differ; yellow cells: the outcome differs from most personalities'.</p>
<table id="comparison"><thead><tr><th scope="col">#</th><th scope="col">step</th>${head}</tr></thead><tbody>
${rows}
</tbody></table>
${sections}
</body></html>
`;
}
