/**
 * `parse_args` for a module's parameters, with `unknown_module_param_cb`.
 * @see kernel/params.c parse_args, parse_one; kernel/module/main.c unknown_module_param_cb
 * @module
 */
import type { ErrnoName } from '../../../abi/errno.js';
import { KERNEL_PARAM_FL_HWPARAM, KERNEL_PARAM_FL_UNSAFE } from '../../../abi/linux/v26.js';
import type { ParamDef } from '../loaded-module.js';
import { kstrtobool } from './kstrtox.js';
import { nextArg, parameq, skipSpaces } from './next-arg.js';
import { type ParamMemory, paramSet, paramTakesNoArg } from './param-ops.js';

/** What `parse_args` needs besides the parameters. */
export interface ParseArgsEnv {
  /** Where the values go. */
  readonly mem: ParamMemory;
  /** Unknown names fail with ENOENT (≤ 3.11) instead of a warning. */
  readonly unknownIsError: boolean;
  /** Keep going after an error and return the last one (5.x+), or stop at the first. */
  readonly continueAfterError: boolean;
  /** Lockdown forbids hardware parameters. */
  readonly lockedDown: boolean;
  /** `pr_warn`. */
  warn(text: string): void;
  /** `pr_notice`, for unsafe parameters (the caller taints `U`). */
  unsafe(name: string): void;
}

/** The outcome: the error (last or first, by era) and the text after a bare `--`. */
export interface ParseArgsResult {
  /** The errno that fails the load, if any. */
  readonly error: ErrnoName | undefined;
  /** Text after `--`, when present. */
  readonly afterDashes: string | undefined;
}

function parseOne(
  doing: string,
  param: string,
  val: string | undefined,
  params: readonly ParamDef[],
  env: ParseArgsEnv,
): ErrnoName | 0 {
  for (const p of params) {
    if (!parameq(param, p.name)) continue;
    if (val === undefined && !paramTakesNoArg(p.array === undefined ? p.type : 'array')) return 'EINVAL';
    if ((p.flags & KERNEL_PARAM_FL_HWPARAM) !== 0 && env.lockedDown) return 'EPERM';
    if ((p.flags & KERNEL_PARAM_FL_UNSAFE) !== 0) env.unsafe(p.name);
    const r = paramSet(p, val, env.mem);
    return r.ok ? 0 : r.error;
  }
  if (env.unknownIsError) return 'ENOENT';
  if (param === 'async_probe') {
    kstrtobool(val);
    return 0;
  }
  if (param !== 'dyndbg') env.warn(`${doing}: unknown parameter '${param}' ignored`);
  return 0;
}

/** `parse_args(doing, args, params, …, unknown_module_param_cb)`. */
export function parseArgs(
  doing: string,
  args: string,
  params: readonly ParamDef[],
  env: ParseArgsEnv,
): ParseArgsResult {
  let error: ErrnoName | undefined;
  let pos = skipSpaces(args, 0);
  while (pos < args.length) {
    const { token, next } = nextArg(args, pos);
    pos = next;
    const { param, val } = token;
    if (val === undefined && param === '--') return { error, afterDashes: args.slice(pos) };
    const ret = parseOne(doing, param, val, params, env);
    if (ret === 0) continue;
    if (ret === 'ENOENT') env.mem.err(`${doing}: Unknown parameter \`${param}'`);
    else if (ret === 'ENOSPC') env.mem.err(`${doing}: \`${val ?? ''}' too large for parameter \`${param}'`);
    else env.mem.err(`${doing}: \`${val ?? ''}' invalid for parameter \`${param}'`);
    if (!env.continueAfterError) return { error: ret, afterDashes: undefined };
    error = ret;
  }
  return { error, afterDashes: undefined };
}
