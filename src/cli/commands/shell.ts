import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { formatIssues } from '../../experiments/load-scenario.js';
import { parseScenario } from '../../experiments/parse-scenario.js';
import { runStep, stage } from '../../experiments/run-scenario.js';
import type { Scenario } from '../../experiments/scenario.js';
import { newSysState, type SysState } from '../../experiments/sys-args.js';
import { formatSyscall } from '../../experiments/trace.js';
import type { Kernel } from '../../kernel.js';
import { type CliCommand, type CliContext, UsageError } from '../cli-context.js';
import { scenarioOrExit } from './scenario-command.js';

const HELP = `actions (one per line, YAML values allowed after the action):
  load NAME|PATH [params]   unload NAME   use NAME   unuse NAME   list   read PATH
  cred {uid: 1000, caps: []}   sysctl {kernel.modules_disabled: 1}   sys NAME {arg: value, ...}
  !TOOL ARGS...             run one of the era's tools (e.g. !lsmod)
  dmesg   help   exit
`;

/** Turns one shell line into a one-step scenario text (the same format as scenario files). */
export function shellLineToStep(line: string): string | undefined {
  const m = /^(\w+)\s*(.*)$/.exec(line.trim());
  if (m === null) return undefined;
  const [, action, rest] = m;
  switch (action) {
    case 'load': {
      const [target, ...params] = rest.split(/\s+/);
      return `- load: ${JSON.stringify(target)}${params.length > 0 ? `\n  params: ${JSON.stringify(params.join(' '))}` : ''}`;
    }
    case 'sys': {
      const sp = rest.indexOf(' ');
      const name = sp < 0 ? rest : rest.slice(0, sp);
      return `- sys: ${JSON.stringify(name)}${sp < 0 ? '' : `\n  args: ${rest.slice(sp + 1)}`}`;
    }
    case 'list':
      return '- list: {}';
    case 'cred':
    case 'sysctl':
      return `- ${action}: ${rest}`;
    default:
      return `- ${action}: ${JSON.stringify(rest)}`;
  }
}

function evaluate(ctx: CliContext, k: Kernel, scenario: Scenario, sys: SysState, line: string): void {
  const text = line.trim();
  if (text === '' || text.startsWith('#')) return;
  if (text === 'help' || text === 'dmesg') {
    ctx.io.out(text === 'help' ? HELP : k.dmesg());
    return;
  }
  if (text.startsWith('!')) {
    const [tool, ...argv] = text.slice(1).split(/\s+/);
    const r = k.run(tool, argv);
    ctx.io.out(r.stdout);
    ctx.io.err(r.stderr);
    return;
  }
  const step = shellLineToStep(text);
  const parsed =
    step === undefined
      ? undefined
      : parseScenario(
          `name: shell\npersonalities: [${k.personality}]\nsteps:\n${step.replace(/^/gm, '  ')}`,
          scenario.baseDir,
        );
  if (parsed === undefined || !parsed.ok) {
    ctx.io.err(parsed === undefined ? `? ${text}\n` : formatIssues('shell', parsed.error));
    return;
  }
  const r = runStep({ ...scenario, steps: parsed.value.steps }, k, parsed.value.steps[0], [], sys);
  for (const s of r.syscalls) ctx.io.out(`  ${formatSyscall(s)}\n`);
  if (r.output !== undefined) ctx.io.out(r.output.endsWith('\n') ? r.output : `${r.output}\n`);
  ctx.io.out(`${r.result}${r.errnoNumber === undefined ? '' : ` (${r.errnoNumber})`}\n`);
}

/** Where the shell reads lines and draws its prompt. */
export interface ShellStreams {
  /** Lines typed (stdin). */
  readonly input: Readable;
  /** Where the prompt and line editing go (stdout). */
  readonly output: Writable;
  /** Line editing and history (arrow keys): on for a terminal, off for piped input. */
  readonly terminal: boolean;
}

/**
 * The read–evaluate loop of `kmodsim shell` on one kernel: each line is one scenario step (or `!tool`,
 * `dmesg`, `help`), up to `exit` or the end of the input. On a terminal, the up and down arrows walk the
 * session's history.
 */
export async function runShell(
  ctx: CliContext,
  k: Kernel,
  scenario: Scenario,
  streams: ShellStreams,
): Promise<void> {
  const rl = createInterface({
    input: streams.input,
    output: streams.output,
    terminal: streams.terminal,
    prompt: `${k.personality}> `,
    historySize: 500,
  });
  // Piped input gets no prompt, so the output is only the answers.
  const prompt = () => {
    if (streams.terminal) rl.prompt();
  };
  if (streams.terminal) ctx.io.out(`kmodsim shell (${k.personality}); 'help' lists actions\n`);
  const sys = newSysState();
  prompt();
  for await (const line of rl) {
    if (line.trim() === 'exit' || line.trim() === 'quit') break;
    evaluate(ctx, k, scenario, sys, line);
    prompt();
  }
  rl.close();
}

/** `kmodsim shell`: an interactive prompt for the same actions as scenario steps, with history. */
export const shellCommand: CliCommand = {
  name: 'shell',
  summary: 'interactive prompt for scenario actions on one kernel',
  usage:
    "kmodsim -p ID [--state FILE] shell [SCENARIO]   (the scenario's modules and files are staged first)",
  async run(ctx, argv) {
    if (argv.length > 1) throw new UsageError('shell: at most one scenario file');
    const k = await ctx.kernel();
    const scenario: Scenario =
      argv[0] === undefined
        ? {
            name: 'shell',
            personalities: [k.personality],
            kernel: {},
            modules: {},
            files: {},
            steps: [],
            baseDir: process.cwd(),
          }
        : scenarioOrExit(ctx, argv[0]);
    for (const problem of stage(scenario, k)) ctx.io.err(`${problem}\n`);
    await runShell(ctx, k, scenario, {
      input: process.stdin,
      output: process.stdout,
      terminal: process.stdin.isTTY === true,
    });
    return 0;
  },
};
