import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Kernel } from '../kernel.js';
import { isPersonalityId, PERSONALITY_IDS, type PersonalityId } from '../personalities/personality.js';
import { type CliContext, type CliIo, UsageError } from './cli-context.js';
import { COMMANDS } from './commands.js';
import { runHostTool } from './host-tools.js';
import { applyConfigAssignment, type ConfigObject, readConfigFile } from './kernel-options.js';

/** The default personality when neither `-p` nor a state file names one. */
export const DEFAULT_PERSONALITY: PersonalityId = 'linux-v26';

interface GlobalOptions {
  personality: PersonalityId | undefined;
  statePath: string | undefined;
  config: ConfigObject;
  configFile: string | undefined;
  json: boolean;
  help: boolean;
  version: boolean;
  rest: string[];
}

/** Parses the global options that come before the subcommand. */
export function parseGlobalOptions(argv: readonly string[]): GlobalOptions {
  const o: GlobalOptions = {
    personality: undefined,
    statePath: undefined,
    config: {},
    configFile: undefined,
    json: false,
    help: false,
    version: false,
    rest: [],
  };
  let i = 0;
  const value = (flag: string): string => {
    const v = argv[++i];
    if (v === undefined) throw new UsageError(`option ${flag} needs a value`);
    return v;
  };
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-p' || a === '--personality') o.personality = checkPersonality(value(a));
    else if (a.startsWith('--personality=')) o.personality = checkPersonality(a.slice(14));
    else if (a === '--state') o.statePath = value(a);
    else if (a.startsWith('--state=')) o.statePath = a.slice(8);
    else if (a === '-c' || a === '--config') applyConfigAssignment(o.config, value(a));
    else if (a.startsWith('--config=')) applyConfigAssignment(o.config, a.slice(9));
    else if (a === '--config-file') o.configFile = value(a);
    else if (a.startsWith('--config-file=')) o.configFile = a.slice(14);
    else if (a === '--json') o.json = true;
    else if (a === '-h' || a === '--help') o.help = true;
    else if (a === '-V' || a === '--version') o.version = true;
    else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a} (see kmodsim --help)`);
    else break;
  }
  o.rest = argv.slice(i);
  return o;
}

function checkPersonality(id: string): PersonalityId {
  if (!isPersonalityId(id))
    throw new UsageError(`unknown personality '${id}' (one of: ${PERSONALITY_IDS.join(', ')})`);
  return id;
}

/** The text of `kmodsim --help`. */
export function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: kmodsim [-p PERSONALITY] [-c KEY=VALUE]... [--config-file FILE] [--state FILE] [--json] COMMAND [ARGS...]',
    '',
    'Simulates how kernels load, link, track and unload modules.',
    '',
    'Options:',
    `  -p, --personality ID   one of ${PERSONALITY_IDS.join(', ')} (default ${DEFAULT_PERSONALITY})`,
    '  -c, --config KEY=VALUE set a kernel configuration key of a new kernel (kernelVersion=6.1, symvers=FILE,',
    "                         sigEnforce=true, credentials.euid=1000...; the keys of a scenario's kernel: block)",
    '      --config-file FILE the kernel configuration as a JSON or YAML mapping (-c keys override it)',
    '      --state FILE       restore the simulated kernel from FILE and save it back after the command',
    '      --json             machine-readable output where the command supports it',
    '  -h, --help             this help',
    '  -V, --version          print the version',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Any other COMMAND runs the personality's own tool of that name (insmod, rmmod, lsmod, modinfo, modprobe,",
    'depmod, ksyms, kcmodule, kmadmin...): `kmodsim tools` lists them.',
    '',
  ].join('\n');
}

/**
 * Runs one `kmodsim` invocation. Returns the exit status; user errors print one line on stderr (no stack trace).
 */
export async function runCli(argv: readonly string[], io: CliIo, version: () => string): Promise<number> {
  try {
    const g = parseGlobalOptions(argv);
    if (g.version) {
      io.out(`kmodsim ${version()}\n`);
      return 0;
    }
    const [name, ...args] = g.rest;
    if (g.help || name === undefined || name === 'help') {
      if (name === 'help' && args[0] !== undefined) return await showCommandHelp(args[0], io);
      io.out(helpText());
      return name === undefined && !g.help ? 2 : 0;
    }
    const entry = COMMANDS.find((c) => c.name === name);
    if (entry === undefined && onHostKernel(g)) {
      const code = await runHostTool(name, args, io);
      if (code !== undefined) return code;
    }
    const ctx = makeContext(g, io);
    const code =
      entry !== undefined ? await (await entry.load()).run(ctx, args) : await runTool(ctx, name, args);
    await saveState(ctx);
    return code;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`kmodsim: ${e.message}\n`);
      return e.exitCode;
    }
    if (e instanceof TypeError && e.message.startsWith('state:')) {
      io.err(`kmodsim: ${e.message}\n`);
      return 2;
    }
    io.err(`kmodsim: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    if (process.env.KMODSIM_DEBUG) io.err(`${e instanceof Error ? e.stack : ''}\n`);
    return 70;
  }
}

/** A new default (linux-v26) kernel with no state file or configuration: host-file tools may skip the VFS. */
function onHostKernel(g: GlobalOptions): boolean {
  return (
    (g.personality ?? DEFAULT_PERSONALITY) === 'linux-v26' &&
    g.statePath === undefined &&
    g.configFile === undefined &&
    Object.keys(g.config).length === 0
  );
}

async function showCommandHelp(name: string, io: CliIo): Promise<number> {
  const entry = COMMANDS.find((c) => c.name === name);
  if (entry === undefined)
    throw new UsageError(`no built-in command '${name}' (tools print their own usage)`);
  const cmd = await entry.load();
  io.out(`${cmd.usage}\n\n${cmd.summary}\n`);
  return 0;
}

interface StatefulContext extends CliContext {
  loaded: Kernel | undefined;
}

function makeContext(g: GlobalOptions, io: CliIo): StatefulContext {
  const ctx: StatefulContext = {
    personality: g.personality,
    json: g.json,
    statePath: g.statePath,
    io,
    loaded: undefined,
    async kernel() {
      if (ctx.loaded !== undefined) return ctx.loaded;
      // Only the kernel's own personality is imported: the eager registry behind createKernel loads all four.
      const [{ assembleKernel, reassembleKernel, readKernelState }, { loadPersonality }] = await Promise.all([
        import('../personalities/assemble-kernel.js'),
        import('../personalities/personality-loaders.js'),
      ]);
      const configured = g.configFile !== undefined || Object.keys(g.config).length > 0;
      if (g.statePath !== undefined && existsSync(g.statePath)) {
        if (configured)
          throw new UsageError(
            `${g.statePath} holds a kernel already; it keeps the configuration it was created with`,
          );
        let state: unknown;
        try {
          state = JSON.parse(readFileSync(g.statePath, 'utf8'));
        } catch {
          throw new UsageError(`${g.statePath}: not a kmodsim state file (invalid JSON)`);
        }
        const saved = readKernelState(state as Parameters<typeof readKernelState>[0]);
        const k = reassembleKernel(await loadPersonality(saved.personality), saved);
        if (g.personality !== undefined && g.personality !== k.personality) {
          throw new UsageError(`${g.statePath} holds a ${k.personality} kernel, not ${g.personality}`);
        }
        ctx.loaded = k;
      } else {
        const config = {
          ...(g.configFile === undefined ? {} : await readConfigFile(g.configFile)),
          ...g.config,
        };
        const personality = g.personality ?? DEFAULT_PERSONALITY;
        const def = await loadPersonality(personality);
        try {
          ctx.loaded = assembleKernel(def, { personality, config });
        } catch (e) {
          // A configuration the personality rejects (bad version, unreadable symvers or certificate file).
          throw new UsageError(`kernel configuration: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      return ctx.loaded;
    },
  };
  return ctx;
}

async function saveState(ctx: StatefulContext): Promise<void> {
  if (ctx.statePath === undefined || ctx.loaded === undefined) return;
  writeFileSync(ctx.statePath, `${JSON.stringify(ctx.loaded.snapshot())}\n`);
}

/** Runs a personality tool; host files named in argv are copied into the simulated VFS at the same path. */
async function runTool(ctx: CliContext, name: string, args: readonly string[]): Promise<number> {
  const k = await ctx.kernel();
  if (!k.tools.includes(name)) {
    throw new UsageError(
      `unknown command '${name}' (not built in, and ${k.personality} has no such tool; see kmodsim --help)`,
    );
  }
  const argv = args.map((a) => importHostFile(k, a));
  const r = k.run(name, argv);
  ctx.io.out(r.stdout);
  ctx.io.err(r.stderr);
  return r.exitCode;
}

function importHostFile(k: Kernel, arg: string): string {
  if (arg.startsWith('-') || arg.includes('=')) return arg;
  const path = isAbsolute(arg) ? arg : resolve(arg);
  if (!existsSync(path)) return arg;
  try {
    const bytes = readFileSync(path);
    k.vfs.writeFile(path, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return path;
  } catch {
    return arg;
  }
}
