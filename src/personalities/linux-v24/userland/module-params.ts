/**
 * insmod's `name=value` parameters: `check_module_parameters` (warnings for odd `parm_` descriptors) and
 * `process_module_arguments`, which writes each value into the module's variable in the object before it is
 * relocated — integers of the `parm_` letter's width (`b`, `h`, `i`, `l`, parsed like `strtoul(…, 0)`),
 * comma-separated arrays within the `[min-max]` count, `s` strings patched as pointers into `.kstrtab`, `c<n>`
 * strings copied in place. Without `.modinfo`, any symbol takes an int (digits) or a string.
 * @see modutils insmod/insmod.c process_module_arguments, check_module_parameter(s) (2.4)
 * @module
 */
import { SHN_HIRESERVE } from '../../../abi/elf.js';
import { type ObjFile, type ObjSection, writeU32 } from './obj-file.js';
import { modinfoEntries, modinfoValue } from './obj-reloc.js';
import type { ToolIO } from './tool-io.js';

/** `strtoul(s, &end, 0)`: the value (wrapped to 32 bits) and how many characters were used (0: none). */
export function strtoul(s: string, from: number): { value: number; end: number } {
  let i = from;
  while (i < s.length && /\s/.test(s[i])) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') {
    neg = s[i] === '-';
    i++;
  }
  let base = 10;
  if (s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && /[0-9a-f]/i.test(s[i + 2] ?? '')) {
    base = 16;
    i += 2;
  } else if (s[i] === '0') base = 8;
  const start = i;
  let v = 0n;
  for (; i < s.length; i++) {
    const d = Number.parseInt(s[i], 36);
    if (Number.isNaN(d) || d >= base) break;
    v = v * BigInt(base) + BigInt(d);
    if (v > 0xffffffffn) v = 0xffffffffn; // ULONG_MAX on overflow
  }
  if (i === start) return { value: 0, end: from };
  const value = Number(BigInt.asUintN(32, neg ? -v : v));
  return { value, end: i };
}

function writeWidth(sec: ObjSection, offset: number, width: number, value: number): void {
  const c = sec.contents;
  if (c === undefined || offset + width > c.length) return;
  for (let b = 0; b < width; b++) c[offset + b] = (value >>> (8 * b)) & 0xff;
}

/** `check_module_parameter`: 0 when fine, 1 after a warning. */
function checkParameter(f: ObjFile, io: ToolIO, key: string, value: string, warn: () => void): number {
  if (f.findSymbol(key) === undefined) {
    io.lprintf(`Warning: ${io.errorFile} symbol for parameter ${key} not found`);
    warn();
    return 1;
  }
  let p = 0;
  let min: number;
  let max: number;
  if (/\d/.test(value[0] ?? '')) {
    const a = strtoul(value, 0);
    min = a.value;
    p = a.end;
    if (value[p] === '-') {
      const b = strtoul(value, p + 1);
      max = b.value;
      p = b.end;
    } else max = min;
  } else min = max = 1;
  if (max < min) {
    io.lprintf(`Warning: ${io.errorFile} parameter ${key} has max < min!`);
    warn();
    return 1;
  }
  const c = value[p] ?? '';
  switch (c) {
    case 'c':
      if (!/\d/.test(value[p + 1] ?? '')) {
        io.lprintf(`${io.errorFile} parameter ${key} has no size after 'c'!`);
        warn();
        return 1;
      }
      while (/\d/.test(value[p + 1] ?? '')) p++;
      break;
    case 'b':
    case 'h':
    case 'i':
    case 'l':
    case 's':
      break;
    case '':
      io.lprintf(`${io.errorFile} parameter ${key} has no format character!`);
      warn();
      return 1;
    default:
      io.lprintf(`${io.errorFile} parameter ${key} has unknown format character '${c}'`);
      warn();
      return 1;
  }
  const modifier = value[p + 1] ?? '';
  if (modifier === 'p') {
    if (c === 's') {
      io.error(`parameter ${key} is invalid persistent string`);
      return 1;
    }
  } else if (modifier !== '') {
    io.lprintf(`${io.errorFile} parameter ${key} has unknown format modifier '${modifier}'`);
    warn();
    return 1;
  }
  return 0;
}

/** `check_module_parameters`: every `parm_<name>=` descriptor of `.modinfo`. */
export function checkModuleParameters(f: ObjFile, io: ToolIO, warn: () => void): void {
  for (const e of modinfoEntries(f)) {
    const eq = e.indexOf('=');
    if (eq >= 0) {
      const name = e.slice(0, eq);
      if (
        name.length >= 5 &&
        name.startsWith('parm_') &&
        !(name.length > 10 && name.startsWith('parm_desc_'))
      ) {
        if (checkParameter(f, io, name.slice(5), e.slice(eq + 1), warn) !== 0) return;
      }
    } else if (e.length >= 5 && e.startsWith('parm_')) {
      io.error(`parameter ${e} found with no value`);
      return;
    }
  }
}

/** Parses a C-quoted string starting after its opening quote; `undefined` when unterminated. */
function quoted(input: string, from: number): { text: string; end: number } | undefined {
  let out = '';
  let i = from;
  for (; input[i] !== '"'; i++) {
    if (i >= input.length) return undefined;
    if (input[i] !== '\\') {
      out += input[i];
      continue;
    }
    i++;
    const e = input[i] ?? '';
    const simple: Record<string, string> = {
      a: '\x07',
      b: '\b',
      e: '\x1b',
      f: '\f',
      n: '\n',
      r: '\r',
      t: '\t',
    };
    if (e in simple) out += simple[e];
    else if (/[0-7]/.test(e)) {
      let c = Number(e);
      for (let k = 0; k < 2 && /[0-7]/.test(input[i + 1] ?? ''); k++) c = c * 8 + Number(input[++i]);
      out += String.fromCharCode(c & 0xff);
    } else out += e;
  }
  return { text: out, end: i + 1 };
}

/** `process_module_arguments(f, argc, argv, required)`: false after an error. */
export function processModuleArguments(
  f: ObjFile,
  io: ToolIO,
  args: readonly string[],
  hasModinfo: boolean,
): boolean {
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq < 0) continue;
    const input = arg.slice(eq + 1);
    let key = arg.slice(0, eq);
    let fmt: string;
    let min: number;
    let max: number;
    if (hasModinfo) {
      const spec = modinfoValue(f, `parm_${key}`);
      if (spec === undefined) {
        io.error(`invalid parameter parm_${key}`);
        return false;
      }
      fmt = spec;
      if (/\d/.test(fmt[0] ?? '')) {
        const a = strtoul(fmt, 0);
        min = a.value;
        let p = a.end;
        if (fmt[p] === '-') {
          const b = strtoul(fmt, p + 1);
          max = b.value;
          p = b.end;
        } else max = min;
        fmt = fmt.slice(p);
      } else min = max = 1;
    } else {
      fmt = /\d/.test(input[0] ?? '') ? 'i' : 's';
      min = max = 0;
      key = arg.slice(0, eq);
    }
    const sym = f.findSymbol(key);
    if (sym === undefined || sym.secidx > SHN_HIRESERVE) {
      io.error(`symbol for parameter ${key} not found`);
      return false;
    }
    const sec = f.sections[sym.secidx];
    let loc = sym.value;
    let n = 1;
    let at = 0;
    while (at < input.length) {
      switch (fmt[0]) {
        case 's':
        case 'c': {
          let str: string;
          if (input[at] === '"') {
            const q = quoted(input, at + 1);
            if (q === undefined) {
              io.error(`improperly terminated string argument for ${key}`);
              return false;
            }
            str = q.text;
            at = q.end;
          } else {
            const comma = input.indexOf(',', at);
            if (comma >= 0) {
              str = input.slice(at, comma);
              at = comma;
            } else {
              str = input.slice(at);
              at = input.length;
            }
          }
          if (fmt[0] === 's') {
            f.stringPatch(sym.secidx, loc, str);
            loc += 4;
          } else {
            if (!/\d/.test(fmt[1] ?? '')) {
              io.error(`parameter type 'c' for ${key} must be followed by the maximum size`);
              return false;
            }
            const size = strtoul(fmt, 1).value;
            if (str.length >= size - 1) {
              io.error(`string too long for ${key} (max ${size - 1})`);
              return false;
            }
            const c = sec?.contents;
            if (c !== undefined)
              for (let k = 0; k <= str.length && loc + k < c.length; k++)
                c[loc + k] = k < str.length ? str.charCodeAt(k) & 0xff : 0;
            loc += size;
          }
          break;
        }
        case 'b':
        case 'h':
        case 'i':
        case 'l': {
          const width = fmt[0] === 'b' ? 1 : fmt[0] === 'h' ? 2 : 4;
          const v = strtoul(input, at);
          at = v.end;
          if (sec !== undefined) {
            if (width === 4) writeU32(sec, loc, v.value);
            else writeWidth(sec, loc, width, v.value);
          }
          loc += width;
          break;
        }
        default:
          io.error(`unknown parameter type '${fmt[0] ?? ''}' for ${key}`);
          return false;
      }
      while (at < input.length && /\s/.test(input[at])) at++;
      if (at >= input.length) break;
      if (input[at] === ',') {
        if (max !== 0 && ++n > max) {
          io.error(`too many values for ${key} (max ${max})`);
          return false;
        }
        at++;
      } else {
        io.error(`invalid argument syntax for ${key}: '${input[at]}'`);
        return false;
      }
    }
    if (min !== 0 && n < min) {
      io.error(`too few values for ${key} (min ${min})`);
      return false;
    }
  }
  return true;
}
