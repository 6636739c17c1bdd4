import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { treeModuleFiles } from '../../experiments/tree-module-files.js';
import { relocatePass, symbolsPass } from '../bench/elf-passes.js';
import { type CliCommand, type CliContext, UsageError } from '../cli-context.js';

const USAGE = [
  'kmodsim [--json] bench load-all -d ROOT -S KVER [--symvers FILE] [--verify --cert FILE] [--kernel-version V]\n    [--per-module FILE]',
  'kmodsim [--json] bench symbols (-d ROOT -S KVER | FILE...)',
  'kmodsim [--json] bench relocate (-d ROOT -S KVER | FILE...)',
].join('\n');

interface BenchArgs {
  root: string | undefined;
  kver: string | undefined;
  symvers: string | undefined;
  certs: string[];
  verify: boolean;
  kernelVersion: string | undefined;
  perModule: string | undefined;
  files: string[];
}

function parseArgs(argv: readonly string[]): BenchArgs {
  const a: BenchArgs = {
    root: undefined,
    kver: undefined,
    symvers: undefined,
    certs: [],
    verify: false,
    kernelVersion: undefined,
    perModule: undefined,
    files: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`bench: option ${arg} needs a value`);
      return v;
    };
    if (arg === '-d' || arg === '--dirname') a.root = value();
    else if (arg === '-S' || arg === '--set-version') a.kver = value();
    else if (arg === '--symvers') a.symvers = value();
    else if (arg === '--cert') a.certs.push(value());
    else if (arg === '--verify') a.verify = true;
    else if (arg === '--kernel-version') a.kernelVersion = value();
    else if (arg === '--per-module') a.perModule = value();
    else if (arg.startsWith('-')) throw new UsageError(`bench: unknown option ${arg}`);
    else a.files.push(arg);
  }
  return a;
}

/** The module directory `ROOT/lib/modules/KVER`, checked. */
function modulesDir(a: BenchArgs): string {
  if (a.root === undefined || a.kver === undefined)
    throw new UsageError('bench: -d ROOT and -S KVER are needed');
  const dir = join(a.root, 'lib', 'modules', a.kver);
  if (!existsSync(dir)) throw new UsageError(`bench: ${dir}: no such directory`);
  return dir;
}

function filesOf(a: BenchArgs): string[] {
  return a.files.length > 0 ? a.files : treeModuleFiles(modulesDir(a));
}

function print(ctx: CliContext, summary: Record<string, unknown>, text: string): void {
  ctx.io.out(ctx.json ? `${JSON.stringify(summary)}\n` : `${text}\n`);
}

const secs = (ms: number): number => Math.round(ms) / 1000;

async function loadAllCommand(ctx: CliContext, a: BenchArgs): Promise<number> {
  const { startLoadAhead } = await import('../../experiments/load-ahead.js');
  const dir = modulesDir(a);
  const kver = a.kver ?? '';
  if (a.verify && a.certs.length === 0) throw new UsageError('bench load-all: --verify needs --cert FILE');
  for (const file of [
    dir,
    ...(a.symvers === undefined ? [] : [a.symvers]),
    ...a.certs.filter((c) => !c.includes('-----BEGIN')),
  ])
    if (!existsSync(file)) throw new UsageError(`bench load-all: ${file}: no such file or directory`);
  const defaultSymvers = join(a.root ?? '', 'usr', 'src', `linux-headers-${kver}`, 'Module.symvers');
  const symvers = a.symvers ?? (existsSync(defaultSymvers) ? defaultSymvers : undefined);
  const t0 = performance.now();
  // The read-ahead thread starts its isolate and prepares its memory on the second CPU while this one loads the
  // kernel's code (imported here: the ELF-only workloads do not need it), reads the tree and boots the kernel.
  const readAhead = startLoadAhead(a.verify ? a.certs : []);
  const { loadAll } = await import('../../experiments/load-all.js');
  const tFiles = performance.now();
  const files = treeModuleFiles(dir);
  const t1 = performance.now();
  const perModule: [string, number, number, number][] = [];
  const r = loadAll({
    ...(a.perModule === undefined
      ? {}
      : {
          onLoaded: (m, ms, relocs) => perModule.push([m.name, m.size, relocs, Math.round(ms * 1000) / 1000]),
        }),
    files,
    readAhead,
    release: kver,
    ...(symvers === undefined ? {} : { symvers }),
    ...(a.verify ? { trustedCerts: a.certs } : {}),
    ...(a.kernelVersion === undefined ? {} : { kernelVersion: a.kernelVersion }),
  });
  const total = performance.now() - t0;
  if (a.perModule !== undefined) {
    writeFileSync(
      a.perModule,
      `${JSON.stringify({ columns: ['name', 'bytes', 'relocations', 'ms'], rows: perModule })}\n`,
    );
  }
  const summary = {
    modules: r.modules,
    bytes: r.bytes,
    relocations: r.relocations,
    kernelSymbols: r.kernelSymbols,
    verified: a.verify,
    loadFailures: r.loadFailures.length,
    unloadFailures: r.unloadFailures.length,
    problems: r.problems.length,
    permanent: r.permanent,
    restored: r.restored,
    seconds: {
      read: secs(t1 - tFiles),
      boot: secs(r.seconds.boot * 1000),
      load: secs(r.seconds.load * 1000),
      unload: secs(r.seconds.unload * 1000),
      total: secs(total),
    },
  };
  const lines = [
    `load-all: ${r.modules} modules (${(r.bytes / 2 ** 20).toFixed(0)} MiB) loaded and unloaded, ${r.relocations} relocations, kernel exports ${r.kernelSymbols}${a.verify ? ', signatures enforced' : ''}`,
    `  find files ${secs(t1 - tFiles).toFixed(2)} s (ordered while loading), boot ${r.seconds.boot.toFixed(2)} s, load ${r.seconds.load.toFixed(2)} s (${(r.modules / r.seconds.load).toFixed(0)} modules/s, ${(r.relocations / r.seconds.load / 1e6).toFixed(2)} M relocations/s), unload ${r.seconds.unload.toFixed(2)} s, total ${secs(total).toFixed(2)} s`,
    ...r.loadFailures.slice(0, 10).map((f) => `  load failed: ${f}`),
    ...r.unloadFailures.slice(0, 10).map((f) => `  unload failed: ${f}`),
    ...r.problems.slice(0, 10).map((p) => `  log: ${p}`),
    ...(r.restored ? [] : ['  the module area or the symbol table did not return to its initial state']),
  ];
  print(ctx, summary, lines.join('\n'));
  const clean =
    r.loadFailures.length === 0 && r.unloadFailures.length === 0 && r.problems.length === 0 && r.restored;
  return clean ? 0 : 1;
}

/**
 * `kmodsim bench …`: the kmodsim side of each benchmark workload as a plain command (`npm run bench` times
 * them against kmod and binutils).
 */
export const benchCommand: CliCommand = {
  name: 'bench',
  summary: 'benchmark workloads over a module tree (load-all, symbols, relocate)',
  usage: USAGE,
  async run(ctx, argv) {
    const [sub, ...rest] = argv;
    const a = parseArgs(rest);
    if (sub === 'load-all') return loadAllCommand(ctx, a);
    if (sub === 'symbols') {
      const t0 = performance.now();
      const r = symbolsPass(filesOf(a));
      const s = secs(performance.now() - t0);
      print(
        ctx,
        { ...r, failures: r.failures.length, seconds: s },
        `symbols: ${r.modules} modules, ${r.symbols} symbols (${r.undefinedSymbols} undefined, ${r.definedGlobals} defined global), ${s.toFixed(2)} s${r.failures.map((f) => `\n  failed: ${f}`).join('')}`,
      );
      return r.failures.length === 0 ? 0 : 1;
    }
    if (sub === 'relocate') {
      const t0 = performance.now();
      const r = relocatePass(filesOf(a));
      const s = secs(performance.now() - t0);
      print(
        ctx,
        { ...r, failures: r.failures.length, seconds: s },
        `relocate: ${r.modules} modules parsed and relocated, ${r.relocations} relocations, ${s.toFixed(2)} s${r.failures.map((f) => `\n  failed: ${f}`).join('')}`,
      );
      return r.failures.length === 0 ? 0 : 1;
    }
    throw new UsageError(`bench: unknown workload '${sub ?? ''}'\nUsage: ${USAGE}`);
  },
};
