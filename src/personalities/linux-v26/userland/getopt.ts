/**
 * GNU `getopt_long()` as kmod's tools use it: argument permutation (options may follow operands), `--` ends
 * options, unique-prefix long options, and glibc's own error messages on stderr.
 * @see glibc posix/getopt.c (2.36) _getopt_internal_r, process_long_option
 * @module
 */

/** One entry of a `struct option` array. */
export interface LongOption {
  /** Name without the leading `--`. */
  readonly name: string;
  /** `no_argument` / `required_argument` / `optional_argument`. */
  readonly hasArg: 'none' | 'required' | 'optional';
  /** The value returned (usually the short option letter). */
  readonly val: string;
}

/** One parsed option. */
export interface ParsedOption {
  /** The short letter or long option's `val`. */
  readonly opt: string;
  /** `optarg`. */
  readonly arg?: string;
  /** Index in the long option array when given as a long option (kmod's depmod prints `cmdopts[idx].name`). */
  readonly longIndex?: number;
  /** For `?`: the message glibc printed to stderr when it returned this `?`. */
  readonly error?: string;
}

/** What a `getopt_long` loop produces. */
export interface GetoptResult {
  /**
   * Options in command-line order. A `?` entry carries the message glibc printed when returning it: a tool that
   * stops at the first `?` prints only the messages up to there, as the C loop does.
   */
  readonly options: readonly ParsedOption[];
  /** Operands after permutation (`argv[optind..]`). */
  readonly operands: readonly string[];
}

interface ShortSpec {
  readonly arg: 'none' | 'required' | 'optional';
}

function parseShortSpec(optstring: string): Map<string, ShortSpec> {
  const out = new Map<string, ShortSpec>();
  let s = optstring;
  if (s.startsWith('+') || s.startsWith('-')) s = s.slice(1);
  if (s.startsWith(':')) s = s.slice(1);
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === ':') continue;
    if (s[i + 1] === ':') {
      out.set(c, { arg: s[i + 2] === ':' ? 'optional' : 'required' });
    } else {
      out.set(c, { arg: 'none' });
    }
  }
  return out;
}

/**
 * Runs the whole `while ((c = getopt_long(...)) != -1)` loop over `argv` (without the program name) and returns
 * every option and the permuted operands; error messages are prefixed with `prog` (glibc uses `argv[0]`).
 */
export function getoptLong(
  prog: string,
  argv: readonly string[],
  optstring: string,
  longopts: readonly LongOption[],
): GetoptResult {
  const shorts = parseShortSpec(optstring);
  const options: ParsedOption[] = [];
  const operands: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const a = argv[i];
    if (a === '--') {
      operands.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      i = longOption(i);
      continue;
    }
    if (a.length < 2 || !a.startsWith('-')) {
      operands.push(a);
      i++;
      continue;
    }
    // A cluster of short options: -abc, -Fvalue, -F value.
    let j = 1;
    i++;
    while (j < a.length) {
      const c = a[j];
      const spec = shorts.get(c);
      j++;
      if (spec === undefined) {
        options.push({ opt: '?', error: `${prog}: invalid option -- '${c}'\n` });
        continue;
      }
      if (spec.arg === 'none') {
        options.push({ opt: c });
        continue;
      }
      if (j < a.length) {
        options.push({ opt: c, arg: a.slice(j) });
      } else if (spec.arg === 'optional') {
        options.push({ opt: c });
      } else if (i < argv.length) {
        options.push({ opt: c, arg: argv[i] });
        i++;
      } else {
        options.push({ opt: '?', error: `${prog}: option requires an argument -- '${c}'\n` });
      }
      break;
    }
  }
  return { options, operands };

  function longOption(at: number): number {
    const a = argv[at];
    const body = a.slice(2);
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    const inline = eq >= 0 ? body.slice(eq + 1) : undefined;
    let found = longopts.findIndex((o) => o.name === name);
    if (found < 0) {
      const ambiguous = new Set<number>();
      for (let k = 0; k < longopts.length; k++) {
        if (!longopts[k].name.startsWith(name)) continue;
        if (found < 0) {
          found = k;
          continue;
        }
        const p = longopts[found];
        const q = longopts[k];
        if (p.hasArg !== q.hasArg || p.val !== q.val) {
          ambiguous.add(found);
          ambiguous.add(k);
        }
      }
      if (ambiguous.size > 0) {
        const list = [...ambiguous]
          .sort((x, y) => x - y)
          .map((k) => ` '--${longopts[k].name}'`)
          .join('');
        options.push({
          opt: '?',
          error: `${prog}: option '--${body}' is ambiguous; possibilities:${list}\n`,
        });
        return at + 1;
      }
    }
    if (found < 0) {
      options.push({ opt: '?', error: `${prog}: unrecognized option '--${body}'\n` });
      return at + 1;
    }
    const o = longopts[found];
    if (inline !== undefined) {
      if (o.hasArg === 'none') {
        options.push({ opt: '?', error: `${prog}: option '--${o.name}' doesn't allow an argument\n` });
        return at + 1;
      }
      options.push({ opt: o.val, arg: inline, longIndex: found });
      return at + 1;
    }
    if (o.hasArg === 'required') {
      if (at + 1 < argv.length) {
        options.push({ opt: o.val, arg: argv[at + 1], longIndex: found });
        return at + 2;
      }
      options.push({ opt: '?', error: `${prog}: option '--${o.name}' requires an argument\n` });
      return at + 1;
    }
    options.push({ opt: o.val, longIndex: found });
    return at + 1;
  }
}
