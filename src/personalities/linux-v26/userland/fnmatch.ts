/**
 * glibc `fnmatch(pattern, string, 0)`, which kmod uses for module aliases (`pci:v00008086d*sv*`): `*`, `?`,
 * bracket expressions with `!`/`^`, ranges and `[:class:]`, and backslash escapes. With flags 0, `/` and a
 * leading `.` are ordinary characters.
 * @see glibc posix/fnmatch_loop.c
 * @module
 */

const CLASSES: Readonly<Record<string, (c: number) => boolean>> = {
  alnum: (c) => isAlpha(c) || isDigit(c),
  alpha: (c) => isAlpha(c),
  blank: (c) => c === 0x20 || c === 0x09,
  cntrl: (c) => c < 0x20 || c === 0x7f,
  digit: (c) => isDigit(c),
  graph: (c) => c > 0x20 && c < 0x7f,
  lower: (c) => c >= 0x61 && c <= 0x7a,
  print: (c) => c >= 0x20 && c < 0x7f,
  punct: (c) => c > 0x20 && c < 0x7f && !isAlpha(c) && !isDigit(c),
  space: (c) => c === 0x20 || (c >= 0x09 && c <= 0x0d),
  upper: (c) => c >= 0x41 && c <= 0x5a,
  xdigit: (c) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66),
};

function isAlpha(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/**
 * Matches one bracket expression starting at `p` (just after `[`) against `c`. Returns the index after the
 * closing `]` and whether it matched, or undefined when there is no closing `]` (then `[` is literal).
 */
function bracket(pat: string, p: number, c: number): { next: number; matched: boolean } | undefined {
  let i = p;
  let negate = false;
  if (pat[i] === '!' || pat[i] === '^') {
    negate = true;
    i++;
  }
  let matched = false;
  let first = true;
  while (i < pat.length) {
    let ch = pat[i];
    if (ch === ']' && !first) return { next: i + 1, matched: matched !== negate };
    first = false;
    if (ch === '[' && pat[i + 1] === ':') {
      const end = pat.indexOf(':]', i + 2);
      if (end >= 0) {
        const test = CLASSES[pat.slice(i + 2, end)];
        if (test === undefined) return undefined;
        if (test(c)) matched = true;
        i = end + 2;
        continue;
      }
    }
    if (ch === '\\' && i + 1 < pat.length) {
      i++;
      ch = pat[i];
    }
    const lo = ch.charCodeAt(0);
    i++;
    if (pat[i] === '-' && i + 1 < pat.length && pat[i + 1] !== ']') {
      let hiCh = pat[i + 1];
      i += 2;
      if (hiCh === '\\' && i < pat.length) {
        hiCh = pat[i];
        i++;
      }
      const hi = hiCh.charCodeAt(0);
      if (c >= lo && c <= hi) matched = true;
      continue;
    }
    if (c === lo) matched = true;
  }
  return undefined;
}

/** `fnmatch(pattern, string, 0) == 0`. */
export function fnmatch(pattern: string, str: string): boolean {
  return matchAt(pattern, 0, str, 0);
}

function matchAt(pat: string, p0: number, str: string, s0: number): boolean {
  let p = p0;
  let s = s0;
  while (p < pat.length) {
    const ch = pat[p];
    if (ch === '*') {
      while (pat[p] === '*') p++;
      if (p === pat.length) return true;
      for (let k = s; k <= str.length; k++) if (matchAt(pat, p, str, k)) return true;
      return false;
    }
    if (s >= str.length) return false;
    if (ch === '?') {
      p++;
      s++;
      continue;
    }
    if (ch === '[') {
      const b = bracket(pat, p + 1, str.charCodeAt(s));
      if (b !== undefined) {
        if (!b.matched) return false;
        p = b.next;
        s++;
        continue;
      }
      if (str[s] !== '[') return false;
      p++;
      s++;
      continue;
    }
    if (ch === '\\' && p + 1 < pat.length) {
      if (str[s] !== pat[p + 1]) return false;
      p += 2;
      s++;
      continue;
    }
    if (str[s] !== ch) return false;
    p++;
    s++;
  }
  return s === str.length;
}
