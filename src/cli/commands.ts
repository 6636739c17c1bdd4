import type { CliCommand, CommandEntry } from './cli-context.js';

function entry(name: string, summary: string, load: () => Promise<CliCommand>): CommandEntry {
  return { name, summary, load };
}

/**
 * Built-in subcommands, loaded lazily so `--help` stays fast. Personalities add their era's tools (`insmod`,
 * `lsmod`, `kcmodule`…) without an entry here: an unknown command name is looked up among the current
 * personality's tools.
 */
export const COMMANDS: readonly CommandEntry[] = [
  entry(
    'demo',
    'the same experiment under every personality, side by side (what npm start runs)',
    async () => (await import('./commands/demo.js')).demoCommand,
  ),
  entry(
    'run',
    'run a scenario file and check its expectations',
    async () => (await import('./commands/run.js')).runCommand,
  ),
  entry(
    'compare',
    'run a scenario under each personality, side by side (text, md, json, html)',
    async () => (await import('./commands/compare.js')).compareCommand,
  ),
  entry(
    'trace',
    "print the syscalls each era's tools made for each step of a scenario",
    async () => (await import('./commands/trace.js')).traceCommand,
  ),
  entry(
    'shell',
    'interactive prompt for scenario actions on one kernel',
    async () => (await import('./commands/shell.js')).shellCommand,
  ),
  entry(
    'conform',
    'property-based conformance suites against a personality or a script target',
    async () => (await import('./commands/conform.js')).conformCommand,
  ),
  entry(
    'elf',
    'inspect ELF module objects: sections, symbols, relocations, .modinfo, signature',
    async () => (await import('./commands/elf.js')).elfCommand,
  ),
  entry(
    'personalities',
    'list the personalities and the API each implements',
    async () => (await import('./commands/personalities.js')).personalitiesCommand,
  ),
  entry(
    'sys',
    'call a raw syscall: sys NAME [arg=value ...]',
    async () => (await import('./commands/sys.js')).sysCommand,
  ),
  entry(
    'cat',
    'print a simulated file (/proc/modules, /sys/module/...)',
    async () => (await import('./commands/cat.js')).catCommand,
  ),
  entry(
    'dmesg',
    'print the simulated kernel log',
    async () => (await import('./commands/dmesg.js')).dmesgCommand,
  ),
  entry(
    'bench',
    'benchmark workloads over a real module tree: load-all, symbols, relocate (npm run bench times them)',
    async () => (await import('./commands/bench.js')).benchCommand,
  ),
  entry(
    'tools',
    "list the current personality's user-space tools",
    async () => (await import('./commands/tools.js')).toolsCommand,
  ),
];
