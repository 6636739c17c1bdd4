/**
 * `kstrto*` and `kstrtobool` over the characters the kernel sees (one char per byte).
 * @see lib/kstrtox.c _parse_integer_fixup_radix, _parse_integer, kstrtoull, kstrtoll, kstrtobool
 * @module
 */
import type { ErrnoName } from '../../../abi/errno.js';
import { fail, ok, type Result } from '../../../core/result.js';

const U64_MAX = (1n << 64n) - 1n;

function digit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x66) return l - 0x61 + 10;
  return 99;
}

/**
 * `kstrtoull(s, 0)`: optional `+`, radix from the prefix (`0x` hex when a hex digit follows, `0` octal),
 * at least one digit, one optional trailing newline. EINVAL for garbage, ERANGE on overflow.
 * With `strict = false` (2.6.2x–2.6.38 `strict_strtoul`) an overflow is EINVAL too.
 */
export function kstrtoull(s: string, kstrto = true): Result<bigint, ErrnoName> {
  let i = 0;
  if (s[0] === '+') i++;
  let base = 10;
  if (s[i] === '0') {
    if ((s.charCodeAt(i + 1) | 0x20) === 0x78 && digit(s.charCodeAt(i + 2)) < 16) {
      base = 16;
      i += 2;
    } else base = 8;
  }
  let v = 0n;
  const start = i;
  let overflow = false;
  const b = BigInt(base);
  for (; i < s.length; i++) {
    const d = digit(s.charCodeAt(i));
    if (d >= base) break;
    v = v * b + BigInt(d);
    if (v > U64_MAX) overflow = true;
  }
  if (i === start) return fail('EINVAL');
  if (overflow) return fail(kstrto ? 'ERANGE' : 'EINVAL');
  if (s[i] === '\n') i++;
  if (i !== s.length) return fail('EINVAL');
  return ok(v);
}

/** `kstrtoll(s, 0)`: a leading `-` negates (ERANGE beyond `LLONG_MIN`). */
export function kstrtoll(s: string, kstrto = true): Result<bigint, ErrnoName> {
  if (s[0] === '-') {
    const r = kstrtoull(s.slice(1), kstrto);
    if (!r.ok) return r;
    if (r.value > 1n << 63n) return fail(kstrto ? 'ERANGE' : 'EINVAL');
    return ok(-r.value);
  }
  const r = kstrtoull(s, kstrto);
  if (!r.ok) return r;
  if (r.value >= 1n << 63n) return fail(kstrto ? 'ERANGE' : 'EINVAL');
  return r;
}

/** An unsigned parse with a maximum (`kstrtou8`, `kstrtou16`, `kstrtouint`, `kstrtoul`). */
export function kstrtouN(s: string, bits: number, kstrto = true): Result<bigint, ErrnoName> {
  const r = kstrtoull(s, kstrto);
  if (!r.ok) return r;
  if (r.value >= 1n << BigInt(bits)) return fail(kstrto ? 'ERANGE' : 'EINVAL');
  return r;
}

/** A signed parse with a range (`kstrtos16`, `kstrtoint`, `kstrtol`). */
export function kstrtosN(s: string, bits: number, kstrto = true): Result<bigint, ErrnoName> {
  const r = kstrtoll(s, kstrto);
  if (!r.ok) return r;
  const lim = 1n << BigInt(bits - 1);
  if (r.value < -lim || r.value >= lim) return fail(kstrto ? 'ERANGE' : 'EINVAL');
  return r;
}

/** `kstrtobool`: `y Y 1` / `n N 0`, `on` / `off`; anything else (empty too) is EINVAL. */
export function kstrtobool(s: string | undefined): Result<boolean, ErrnoName> {
  if (s === undefined || s.length === 0) return fail('EINVAL');
  switch (s[0]) {
    case 'y':
    case 'Y':
    case '1':
      return ok(true);
    case 'n':
    case 'N':
    case '0':
      return ok(false);
    case 'o':
    case 'O':
      if (s[1] === 'n' || s[1] === 'N') return ok(true);
      if (s[1] === 'f' || s[1] === 'F') return ok(false);
      return fail('EINVAL');
    default:
      return fail('EINVAL');
  }
}
