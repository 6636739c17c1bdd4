import type { CommandEntry } from './cli-context.js';

/**
 * Built-in subcommands. Personalities add their era's tools (`insmod`, `lsmod`, `kcmodule`…) without an entry
 * here: an unknown command name is looked up among the current personality's tools.
 */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'demo',
    summary: 'load and unload a module under every personality',
    load: async () => (await import('./commands/demo.js')).demoCommand,
  },
  {
    name: 'personalities',
    summary: 'list the personalities and the API each implements',
    load: async () => (await import('./commands/personalities.js')).personalitiesCommand,
  },
  {
    name: 'sys',
    summary: 'call a raw syscall: sys NAME [arg=value ...]',
    load: async () => (await import('./commands/sys.js')).sysCommand,
  },
  {
    name: 'cat',
    summary: 'print a simulated file (/proc/modules, /sys/module/...)',
    load: async () => (await import('./commands/cat.js')).catCommand,
  },
  {
    name: 'dmesg',
    summary: 'print the simulated kernel log',
    load: async () => (await import('./commands/dmesg.js')).dmesgCommand,
  },
  {
    name: 'tools',
    summary: "list the current personality's user-space tools",
    load: async () => (await import('./commands/tools.js')).toolsCommand,
  },
];
