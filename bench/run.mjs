#!/usr/bin/env node
/**
 * `npm run bench`: kmodsim against kmod and binutils on a real distribution kernel (the Debian 12 package set
 * that scripts/fetch-corpus.mjs fetches). Every measurement is a separate process (wall time from spawn to exit,
 * peak RSS from GNU time), kmodsim and the reference tool alternating, one warm-up round discarded, then
 * `--runs N` (default 5) rounds; the table prints medians, min–max, the kmodsim/reference ratio, peak RSS and the
 * verdict against each budget.
 *
 * Usage: node bench/run.mjs [W1 W2 ...] [--runs N] [--json] [--limit N] [--no-plot]
 *   W1 depmod, W2 modinfo, W3 symbols, W4 load-all, W5 load-all-verified, W6 conform, W7 startup,
 *   W8 relocate (parse + relocate every module vs readelf -Ws + readelf -rW); default: all.
 * Runs kmodsim as installed, through bin/kmodsim, on dist/ (npm run bench builds first). Writes
 * .cache/bench/last.json and, unless --no-plot, the scaling plot docs/performance-scaling.svg from W4's per-module
 * data.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { prepareCorpus, REPO } from './corpus.mjs';
import { writeScalingPlot } from './plot.mjs';
import { formatRss, formatTable, formatTime, summarize, verdict } from './stats.mjs';

// The installed command (bin/kmodsim starts dist/cli/main.js with its allocator setting), run by this same node.
const KMODSIM = join(REPO, 'bin', 'kmodsim');
process.env.PATH = `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`;
// Host settings of Node's own start-up are not kmodsim's cost: NODE_EXTRA_CA_CERTS makes every node process parse
// a CA bundle before anything runs (~60 ms for a system bundle) although none of these processes opens a TLS
// connection; NODE_OPTIONS could change anything. Every process of the bench runs without them.
const HOST_NODE_SETTINGS = ['NODE_EXTRA_CA_CERTS', 'NODE_OPTIONS'];
const hostSettingsCleared = HOST_NODE_SETTINGS.filter((name) => process.env[name] !== undefined);
for (const name of HOST_NODE_SETTINGS) delete process.env[name];
const WORK = join(REPO, '.cache', 'bench');

const args = process.argv.slice(2);
const json = args.includes('--json');
const noPlot = args.includes('--no-plot');
const optValue = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1]) : dflt;
};
const runs = optValue('--runs', 5);
const limit = optValue('--limit', 0);
const picked = args.filter((a) => /^W\d$/i.test(a)).map((a) => a.toUpperCase());
const log = (s) => process.stderr.write(`${s}\n`);

/**
 * Runs one process with stdout to /dev/null; returns wall milliseconds and peak RSS (KiB) from GNU time.
 * @param {string} cmd @param {string[]} argv
 */
function measure(cmd, argv) {
  const timeFile = join(WORK, 'time.out');
  return new Promise((done, fail) => {
    const t0 = performance.now();
    const p = spawn('/usr/bin/time', ['-f', '%M %x', '-o', timeFile, cmd, ...argv], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    p.stderr.on('data', (d) => {
      if (stderr.length < 4000) stderr += d;
    });
    p.on('error', fail);
    p.on('close', () => {
      const ms = performance.now() - t0;
      const [rss, status] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
      if (status !== 0) fail(new Error(`${cmd} ${argv.slice(0, 6).join(' ')}… exited ${status}:\n${stderr}`));
      else done({ ms, rss });
    });
  });
}

const sh = (script) => ['sh', ['-c', script]];
const node = (...argv) => [KMODSIM, argv];

/**
 * One workload: `sides` are the commands timed each round (the first is kmodsim, the second the reference the
 * ratio and the budget use, the rest floors reported beside them).
 * @typedef {{id: string, name: string, what: string, sides: {label: string, cmd: [string, string[]]}[],
 *   budget?: number, rssBudgetKiB?: number, refFrom?: string}} Workload
 */

/** @param {ReturnType<typeof prepareCorpus>} c @returns {Workload[]} */
function workloads(c) {
  const list = c.listPath;
  const loadArgs = ['bench', 'load-all', '-d', c.tree.root, '-S', c.kver, '--symvers', c.symvers];
  const depmod = { label: 'kmod depmod -a', cmd: ['depmod', ['-b', c.root, '-a', c.kver]] };
  return [
    {
      id: 'W1',
      name: 'depmod',
      what: 'depmod -b ROOT -a KVER over the whole tree',
      sides: [{ label: 'kmodsim depmod -a', cmd: node('depmod', '-b', c.root, '-a', c.kver) }, depmod],
      budget: 1.0,
    },
    {
      id: 'W2',
      name: 'modinfo',
      what: 'modinfo of every module: one kmodsim process vs kmod modinfo batched by xargs',
      sides: [
        { label: 'kmodsim modinfo FILE...', cmd: node('modinfo', ...c.files) },
        { label: 'xargs modinfo', cmd: sh(`xargs modinfo < '${list}'`) },
      ],
      budget: 1.5,
    },
    {
      id: 'W3',
      name: 'symbols',
      what: "every module's symbol table (name, value, size, binding, section) vs readelf -Ws batched",
      sides: [
        { label: 'kmodsim bench symbols', cmd: node('bench', 'symbols', ...c.files) },
        { label: 'xargs readelf -Ws', cmd: sh(`xargs readelf -Ws < '${list}'`) },
      ],
      budget: 1.0,
    },
    {
      id: 'W4',
      name: 'load-all',
      what: 'linux-v26 kernel from Module.symvers loads every module in dependency order, then unloads all',
      sides: [
        {
          label: 'kmodsim bench load-all',
          cmd: node(...loadArgs, '--per-module', join(WORK, 'per-module.json')),
        },
        depmod,
        { label: 'I/O floor: xargs cat', cmd: sh(`xargs cat < '${list}'`) },
      ],
      budget: 1.5,
    },
    {
      id: 'W5',
      name: 'load-all-verified',
      what: 'W4 with signature enforcement and the certificate from vmlinuz',
      sides: [
        { label: 'kmodsim bench load-all --verify', cmd: node(...loadArgs, '--verify', '--cert', c.certPath) },
        depmod,
        { label: 'hash floor: openssl dgst -sha256', cmd: sh(`xargs openssl dgst -sha256 < '${list}'`) },
      ],
      budget: 2.5,
      rssBudgetKiB: 2 * 1024 * 1024,
    },
    {
      id: 'W7',
      name: 'startup',
      what: 'cold start: kmodsim --help and kmodsim lsmod vs node -e 0',
      sides: [
        { label: 'kmodsim lsmod', cmd: node('lsmod') },
        { label: 'node -e 0', cmd: [process.execPath, ['-e', '0']] },
        { label: 'kmodsim --help', cmd: node('--help') },
      ],
      budget: 3.0,
      budgetAlso: 2,
    },
    {
      id: 'W8',
      name: 'relocate',
      what: 'parse + relocate every module (ELF toolkit) vs readelf -Ws and readelf -rW batched',
      sides: [
        { label: 'kmodsim bench relocate', cmd: node('bench', 'relocate', ...c.files) },
        {
          label: 'readelf -Ws + readelf -rW',
          cmd: sh(`xargs readelf -Ws < '${list}' > /dev/null; xargs readelf -rW < '${list}'`),
        },
      ],
    },
  ];
}

/** Runs a workload: one warm-up round, then `runs` rounds, the sides alternating within each round. */
async function runWorkload(w) {
  const samples = w.sides.map(() => ({ ms: [], rss: [] }));
  for (let round = 0; round <= runs; round++) {
    for (let s = 0; s < w.sides.length; s++) {
      const [cmd, argv] = w.sides[s].cmd;
      const r = await measure(cmd, argv);
      if (round === 0) continue;
      samples[s].ms.push(r.ms);
      samples[s].rss.push(r.rss);
    }
  }
  const sides = w.sides.map((side, i) => ({
    label: side.label,
    ...summarize(samples[i].ms),
    peakRssKiB: Math.max(...samples[i].rss),
    samplesMs: samples[i].ms.map((x) => Math.round(x)),
  }));
  const checks = [];
  const ref = sides[1];
  const main = verdict(sides[0].median, ref.median, w.budget);
  checks.push({ what: `${sides[0].label} / ${ref.label}`, ratio: main.ratio, budget: w.budget, pass: main.pass });
  if (w.budgetAlso !== undefined) {
    const also = verdict(sides[w.budgetAlso].median, ref.median, w.budget);
    checks.push({
      what: `${sides[w.budgetAlso].label} / ${ref.label}`,
      ratio: also.ratio,
      budget: w.budget,
      pass: also.pass,
    });
  } else {
    for (let i = 2; i < sides.length; i++) {
      checks.push({ what: `${sides[0].label} / ${sides[i].label}`, ratio: sides[0].median / sides[i].median });
    }
  }
  if (w.rssBudgetKiB !== undefined) {
    checks.push({
      what: `peak RSS of ${sides[0].label}`,
      rssKiB: sides[0].peakRssKiB,
      budgetKiB: w.rssBudgetKiB,
      pass: sides[0].peakRssKiB <= w.rssBudgetKiB,
    });
  }
  return { id: w.id, name: w.name, what: w.what, sides, checks };
}

/** W6: model-based conformance runs per second, per personality (reported, no budget). */
function runConform() {
  const n = 200;
  const out = [];
  for (const p of ['linux-v1', 'linux-v24', 'linux-v26', 'hpux-dlkm']) {
    const t0 = performance.now();
    const r = spawnSync(KMODSIM, ['-p', p, '--json', 'conform', '--runs', String(n)], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    const ms = performance.now() - t0;
    let report;
    try {
      const parsed = JSON.parse(r.stdout);
      report = Array.isArray(parsed) ? parsed[0] : parsed;
    } catch {
      report = undefined;
    }
    // The suite reports per property (model, robustness, cases); older reports had one `runs` field.
    const model = Array.isArray(report?.properties)
      ? report.properties.find((x) => x.property === 'model')
      : report;
    const done = typeof model?.runs === 'number' ? model.runs : 0;
    out.push({
      personality: p,
      runs: done,
      pass: report?.pass === true,
      seconds: ms / 1000,
      runsPerSecond: report?.pass === true && done > 0 ? done / (ms / 1000) : undefined,
      message:
        report?.pass === true && done > 0
          ? undefined
          : (report?.message ?? (r.stderr.trim().split('\n')[0] || 'no model runs reported')),
    });
  }
  return { id: 'W6', name: 'conform', what: `kmodsim -p ID conform --runs ${n}: model runs over the whole process's time (robustness and cases included)`, personalities: out };
}

function checkDepmodOutput(c) {
  // kmodsim's depmod must write the same modules.dep as kmod's (the bench times equal work).
  const dep = join(c.modulesDir, 'modules.dep');
  const theirs = readFileSync(dep);
  rmSync(dep);
  const r = spawnSync(KMODSIM, ['depmod', '-b', c.root, '-a', c.kver], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`kmodsim depmod failed: ${r.stderr}`);
  if (!readFileSync(dep).equals(theirs)) throw new Error('kmodsim depmod wrote a modules.dep unlike kmod');
}

async function main() {
  mkdirSync(WORK, { recursive: true });
  log('bench: preparing the corpus (scripts/fetch-corpus.mjs)');
  const c = prepareCorpus({ limit });
  const ref = spawnSync('depmod', ['-b', c.root, '-a', c.kver], { encoding: 'utf8' });
  if (ref.status !== 0) throw new Error(`depmod -b ${c.root} -a ${c.kver} failed: ${ref.stderr}`);
  checkDepmodOutput(c);
  const all = workloads(c);
  const chosen = picked.length === 0 ? [...all.map((w) => w.id), 'W6'].sort() : picked;
  const machine = {
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadAverageAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
    clearedEnvironment: hostSettingsCleared,
  };
  log(
    `bench: ${c.files.length} modules of ${c.kver}, ${runs} runs after a warm-up; ${machine.cpus} CPUs, load ${machine.loadAverageAtStart.join(' ')}`,
  );
  const results = [];
  for (const id of chosen) {
    if (id === 'W6') {
      log('bench: W6 conform');
      results.push(runConform());
      continue;
    }
    const w = all.find((x) => x.id === id);
    if (w === undefined) throw new Error(`unknown workload ${id}`);
    log(`bench: ${w.id} ${w.name}`);
    results.push(await runWorkload(w));
  }
  machine.loadAverageAtEnd = loadavg().map((x) => Math.round(x * 100) / 100);
  const report = { date: new Date().toISOString(), kver: c.kver, modules: c.files.length, runs, machine, results };
  writeFileSync(join(WORK, 'last.json'), `${JSON.stringify(report, undefined, 2)}\n`);
  if (!noPlot && results.some((r) => r.id === 'W4')) {
    const svg = writeScalingPlot(join(WORK, 'per-module.json'), join(REPO, 'docs', 'performance-scaling.svg'));
    log(`bench: wrote ${svg}`);
  }
  if (json) process.stdout.write(`${JSON.stringify(report, undefined, 2)}\n`);
  else process.stdout.write(`${formatReport(report)}\n`);
  const failed = results.flatMap((r) => r.checks ?? []).some((ch) => ch.pass === false);
  process.exitCode = failed ? 1 : 0;
}

/** The text report: one table of every side, then the budget checks. */
export function formatReport(report) {
  const rows = [['workload', 'command', 'median', 'min–max', 'peak RSS']];
  for (const r of report.results) {
    if (r.id === 'W6') {
      for (const p of r.personalities) {
        rows.push([
          `${r.id} ${r.name}`,
          `conform -p ${p.personality}`,
          p.runsPerSecond === undefined ? 'FAIL' : `${p.runsPerSecond.toFixed(0)} runs/s`,
          p.runsPerSecond === undefined ? (p.message ?? '').slice(0, 40) : `${p.runs} runs`,
          '',
        ]);
      }
      continue;
    }
    r.sides.forEach((s, i) => {
      rows.push([
        i === 0 ? `${r.id} ${r.name}` : '',
        s.label,
        formatTime(s.median),
        `${formatTime(s.min)}–${formatTime(s.max)}`,
        formatRss(s.peakRssKiB),
      ]);
    });
  }
  const checks = [['workload', 'check', 'ratio', 'budget', 'verdict']];
  for (const r of report.results) {
    for (const ch of r.checks ?? []) {
      const isRss = ch.rssKiB !== undefined;
      checks.push([
        `${r.id} ${r.name}`,
        ch.what,
        isRss ? formatRss(ch.rssKiB) : `${ch.ratio.toFixed(2)}×`,
        isRss ? `≤ ${formatRss(ch.budgetKiB)}` : ch.budget === undefined ? '' : `≤ ${ch.budget.toFixed(1)}×`,
        ch.pass === undefined ? '' : ch.pass ? 'PASS' : 'FAIL',
      ]);
    }
  }
  const m = report.machine;
  return [
    `kmodsim bench: ${report.modules} modules of ${report.kver}; medians of ${report.runs} runs after a warm-up`,
    `machine: ${m.cpus} × ${m.cpu}, ${m.memoryGiB} GiB, node ${m.node}, load average ${m.loadAverageAtStart.join(' ')} → ${m.loadAverageAtEnd.join(' ')}`,
    ...(m.clearedEnvironment?.length > 0 ? [`environment: ${m.clearedEnvironment.join(', ')} unset for every process`] : []),
    '',
    formatTable(rows),
    '',
    formatTable(checks),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e) => {
    log(`bench: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 2;
  });
}
