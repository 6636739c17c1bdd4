import { readFileSync } from 'node:fs';
import type { SyscallArg } from '../../core/syscall-table.js';
import { type CliCommand, UsageError } from '../cli-context.js';

/** Parses one `key=value` syscall argument: numbers, `0x` numbers, `@file` bytes, `A|B` flag lists, strings. */
export function parseSyscallArg(text: string): [string, SyscallArg] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`sys: argument '${text}' is not key=value`);
  const key = text.slice(0, eq);
  const v = text.slice(eq + 1);
  if (/^-?\d+$/.test(v) || /^0x[0-9a-f]+$/i.test(v)) {
    const n = BigInt(v);
    return [
      key,
      n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n,
    ];
  }
  if (v.startsWith('@')) {
    try {
      return [key, new Uint8Array(readFileSync(v.slice(1)))];
    } catch {
      throw new UsageError(`sys: cannot read ${v.slice(1)}`);
    }
  }
  if (/^[A-Z_][A-Z0-9_]*(\|[A-Z_][A-Z0-9_]*)+$/.test(v)) return [key, v.split('|')];
  return [key, v];
}

/** `kmodsim sys NAME key=value...`: one raw syscall of the current personality, printed as `ret` and errno. */
export const sysCommand: CliCommand = {
  name: 'sys',
  summary: 'call a raw syscall: sys NAME [arg=value ...]',
  usage:
    'kmodsim [-p ID] [--state FILE] [--json] sys NAME [arg=value ...]   (value: 123, 0x1f, @hostfile, A|B, text)',
  async run(ctx, argv) {
    const [name, ...rest] = argv;
    if (name === undefined) throw new UsageError('sys: missing syscall name');
    const k = await ctx.kernel();
    const entry = k.core.syscalls.entry(/^\d+$/.test(name) ? Number(name) : name);
    if (entry === undefined) {
      const names = k.core.syscalls.entries().map((e) => e.name);
      throw new UsageError(
        `sys: ${k.personality} has no syscall '${name}' (has: ${names.join(', ') || 'none'})`,
      );
    }
    const args = Object.fromEntries(rest.map(parseSyscallArg));
    const r = k.syscall(entry.name, args);
    const ret = typeof r.ret === 'bigint' ? `0x${r.ret.toString(16)}` : r.ret;
    if (ctx.json)
      ctx.io.out(
        `${JSON.stringify({ syscall: entry.name, ret, errno: r.errno, errnoNumber: r.errnoNumber })}\n`,
      );
    else
      ctx.io.out(`${entry.name} = ${ret}${r.errno === undefined ? '' : ` ${r.errno} (${r.errnoNumber})`}\n`);
    return r.errno === undefined ? 0 : 1;
  },
};
