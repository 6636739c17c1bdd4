import type { SyscallRecord } from '../core/syscall-table.js';
import type { ScenarioResult } from './run-scenario.js';

/** One syscall as strace prints it: `name(arg=value, ...) = ret ERRNO`, with the pipeline steps it ran. */
export function formatSyscall(s: SyscallRecord): string {
  const args = Object.entries(s.args)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? JSON.stringify(v) : String(v)}`)
    .join(', ');
  const pipeline =
    s.pipeline === undefined || s.pipeline.length === 0 ? '' : `\n      steps: ${s.pipeline.join(' → ')}`;
  return `${s.name}(${args}) = ${s.ret}${s.errno === undefined ? '' : ` ${s.errno}`}${pipeline}`;
}

/** The strace-like listing of a run: per personality, per step, every syscall the era's tools made. */
export function formatTrace(result: ScenarioResult): string {
  const out: string[] = [`trace of ${result.name}`];
  for (const p of result.personalities) {
    out.push('', `== ${p}`);
    for (const r of result.results.filter((x) => x.personality === p)) {
      out.push(`  [${r.step + 1}] ${r.action} → ${r.result}`);
      for (const s of r.syscalls) out.push(`    ${formatSyscall(s)}`);
    }
  }
  return `${out.join('\n')}\n`;
}
