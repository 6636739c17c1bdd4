/**
 * The HTML comparison report in a real browser (headless Chromium through playwright-core): it renders without
 * console errors, its table holds the comparison's cells, and each personality's section has its module list,
 * memory map and dependency graph.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/cli/demo.js';
import { cellText } from '../../src/experiments/compare.js';

const CHROMIUM = '/usr/bin/chromium';

describe.skipIf(!existsSync(CHROMIUM))('HTML report in headless Chromium', () => {
  let browser: BrowserContext;
  const dir = mkdtempSync(join(tmpdir(), 'kmodsim-html-'));

  beforeAll(async () => {
    // a fresh profile directory each run (playwright passes it as --user-data-dir)
    browser = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders the demo report: table cells, highlights, module lists and SVGs, no console errors', async () => {
    const report = runDemo(join(dir, 'demo.html'));
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`file://${report.htmlPath}`);

    const cmp = report.comparison;
    const header = await page.$$eval('#comparison thead th', (ths) => ths.map((t) => t.textContent));
    expect(header).toEqual(['#', 'step', ...cmp.personalities]);
    const cells = await page.$$eval('#comparison tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
    );
    expect(cells).toEqual(cmp.rows.map((r) => [String(r.step + 1), r.action, ...r.cells.map(cellText)]));

    // Cells the reference fixes: a second load is EEXIST on Linux 2.6+ but returns the loaded id on HP-UX,
    // and the raw 2.6+ delete_module of a module others use is EWOULDBLOCK.
    const cell = (step: number, p: string) =>
      page.$eval(`#comparison tr[data-step="${step}"] td[data-personality="${p}"]`, (td) => ({
        text: td.textContent,
        classes: td.className,
      }));
    expect(await cell(3, 'linux-v26')).toMatchObject({ text: 'EEXIST' });
    expect(await cell(3, 'hpux-dlkm')).toMatchObject({ text: 'ok' });
    expect((await cell(3, 'hpux-dlkm')).classes).toContain('odd');
    expect(await cell(6, 'linux-v26')).toMatchObject({ text: 'EWOULDBLOCK' });
    expect(await page.$eval('#comparison tr[data-step="3"]', (tr) => tr.className)).toBe('differs');

    for (const p of ['linux-v24', 'linux-v26', 'hpux-dlkm']) {
      const modules = await page.$$eval(`#p-${p} ul.modules li`, (lis) =>
        lis.map((li) => li.getAttribute('data-module')),
      );
      expect(modules.sort()).toEqual(['base', 'user']);
      const bars = await page.$$eval(`#p-${p} svg.memmap rect`, (r) => r.length);
      expect(bars).toBeGreaterThanOrEqual(2);
      const graph = await page.$eval(`#p-${p} svg.deps`, (svg) => ({
        nodes: [...svg.querySelectorAll('text')].map((t) => t.textContent).sort(),
        edges: svg.querySelectorAll('line').length,
        width: svg.getBoundingClientRect().width,
      }));
      expect(graph.nodes).toEqual(['base', 'user']);
      expect(graph.edges).toBe(1);
      expect(graph.width).toBeGreaterThan(0);
    }
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
