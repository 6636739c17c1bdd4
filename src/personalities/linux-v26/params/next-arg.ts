/**
 * The kernel command-line tokenizer used for module parameters.
 * @see lib/cmdline.c next_arg, kernel/params.c parse_args
 * @module
 */

/** One `name[=value]` token. */
export interface ParamToken {
  /** The parameter name (quotes removed as `next_arg` removes them). */
  readonly param: string;
  /** The value, or `undefined` when there was no `=` (at index ≥ 1). */
  readonly val: string | undefined;
}

/** `isspace()` of the kernel's ctype table (NBSP included). */
export function kisspace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0;
}

/** `skip_spaces`. */
export function skipSpaces(s: string, i: number): number {
  while (i < s.length && kisspace(s.charCodeAt(i))) i++;
  return i;
}

/**
 * `next_arg(args)` from position `pos` (which must not be a space): the token and the position of the next one
 * (trailing spaces chewed).
 */
export function nextArg(args: string, pos: number): { token: ParamToken; next: number } {
  let start = pos;
  let inQuote = false;
  let quoted = false;
  if (args[start] === '"') {
    start++;
    inQuote = true;
    quoted = true;
  }
  let i = 0;
  let equals = 0;
  for (; start + i < args.length; i++) {
    const ch = args[start + i];
    if (kisspace(ch.charCodeAt(0)) && !inQuote) break;
    if (equals === 0 && ch === '=') equals = i;
    if (ch === '"') inQuote = !inQuote;
  }
  // The token occupies [start, start + i); quotes are cut by writing NULs, as next_arg does.
  let tokenEnd = start + i;
  let param: string;
  let val: string | undefined;
  if (equals === 0) {
    val = undefined;
    if (quoted && i > 0 && args[start + i - 1] === '"') tokenEnd = start + i - 1;
    param = args.slice(start, tokenEnd);
  } else {
    param = args.slice(start, start + equals);
    let vs = start + equals + 1;
    let ve = tokenEnd;
    if (args[vs] === '"') {
      vs++;
      if (args[start + i - 1] === '"') ve = start + i - 1;
    }
    if (quoted && i > 0 && args[start + i - 1] === '"') ve = Math.min(ve, start + i - 1);
    val = ve > vs ? args.slice(vs, ve) : '';
  }
  let next = start + i;
  if (next < args.length) next++;
  return { token: { param, val }, next: skipSpaces(args, next) };
}

/** `parameqn`: names compare with `-` and `_` equal. */
export function parameq(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if ((x === 0x2d || x === 0x5f) && (y === 0x2d || y === 0x5f)) continue;
    return false;
  }
  return true;
}
