/**
 * The standard `kernel_param_ops`: `set` parses a value into the module's variable (in module memory), `get`
 * formats it for sysfs. `charp` strings and custom-ops values live beside the memory, as the kernel keeps them in
 * kmalloc'ed buffers and in code the simulator cannot run.
 * @see kernel/params.c STANDARD_PARAM_DEF, param_set_bool, param_set_invbool, param_set_bint, param_set_charp,
 *   param_set_copystring, param_array_set, param_array_get
 * @module
 */
import type { ErrnoName } from '../../../abi/errno.js';
import { fail, OK_VOID, type Result } from '../../../core/result.js';
import type { ParamDef } from '../loaded-module.js';
import { kstrtobool, kstrtosN, kstrtouN } from './kstrtox.js';

/** Module memory as the parameter code reads and writes it (addresses in signed-number form). */
export interface ParamMemory {
  /** A view of `len` bytes at `addr`, or `undefined` outside the module's memory. */
  at(addr: number, len: number): { view: DataView; bytes: Uint8Array; off: number } | undefined;
  /** Values kept outside memory (charp, custom ops), by parameter key. */
  readonly values: Record<string, string | undefined>;
  /** `kstrto*` (ERANGE) or `strict_strto*` (EINVAL) semantics. */
  readonly kstrto: boolean;
  /** Where a parameter's message goes (`pr_err`). */
  err(text: string): void;
}

interface Scalar {
  readonly size: number;
  readonly signed: boolean;
  readonly fmt: 'd' | 'u' | 'x';
}

const SCALARS: Readonly<Record<string, Scalar>> = {
  byte: { size: 1, signed: false, fmt: 'u' },
  short: { size: 2, signed: true, fmt: 'd' },
  ushort: { size: 2, signed: false, fmt: 'u' },
  int: { size: 4, signed: true, fmt: 'd' },
  uint: { size: 4, signed: false, fmt: 'u' },
  long: { size: 8, signed: true, fmt: 'd' },
  ulong: { size: 8, signed: false, fmt: 'u' },
  ullong: { size: 8, signed: false, fmt: 'u' },
  hexint: { size: 4, signed: false, fmt: 'x' },
};

/** Types whose ops have `KERNEL_PARAM_OPS_FL_NOARG`. */
export function paramTakesNoArg(type: string): boolean {
  return type === 'bool' || type === 'bint' || type === 'bool_enable_only';
}

/** Element size of a standard type on x86_64. */
export function paramTypeSize(type: string): number {
  const s = SCALARS[type];
  if (s !== undefined) return s.size;
  if (type === 'bool' || type === 'invbool' || type === 'bool_enable_only') return 1;
  if (type === 'bint') return 4;
  return 8;
}

function writeInt(mem: ParamMemory, addr: number, size: number, v: bigint): Result<void, ErrnoName> {
  const m = mem.at(addr, size);
  if (m === undefined) return fail('EFAULT');
  if (size === 1) m.view.setUint8(m.off, Number(BigInt.asUintN(8, v)));
  else if (size === 2) m.view.setUint16(m.off, Number(BigInt.asUintN(16, v)), true);
  else if (size === 4) m.view.setUint32(m.off, Number(BigInt.asUintN(32, v)), true);
  else m.view.setBigUint64(m.off, BigInt.asUintN(64, v), true);
  return OK_VOID;
}

function readInt(mem: ParamMemory, addr: number, size: number, signed: boolean): bigint | undefined {
  const m = mem.at(addr, size);
  if (m === undefined) return undefined;
  let v: bigint;
  if (size === 1) v = BigInt(m.view.getUint8(m.off));
  else if (size === 2) v = BigInt(m.view.getUint16(m.off, true));
  else if (size === 4) v = BigInt(m.view.getUint32(m.off, true));
  else v = m.view.getBigUint64(m.off, true);
  return signed ? BigInt.asIntN(size * 8, v) : v;
}

function readCString(mem: ParamMemory, addr: number, max: number): string | undefined {
  let s = '';
  for (let i = 0; i < max; i++) {
    const m = mem.at(addr + i, 1);
    if (m === undefined) return undefined;
    const c = m.bytes[m.off];
    if (c === 0) return s;
    s += String.fromCharCode(c);
  }
  return s;
}

/** `ops->set` of one element of type `type` at `addr`. `key` names the value slot for charp/custom. */
export function paramSetOne(
  p: ParamDef,
  type: string,
  addr: number,
  key: string,
  val: string | undefined,
  mem: ParamMemory,
): Result<void, ErrnoName> {
  const sc = SCALARS[type];
  if (sc !== undefined) {
    const r = sc.signed
      ? kstrtosN(val ?? '', sc.size * 8, mem.kstrto)
      : kstrtouN(val ?? '', sc.size * 8, mem.kstrto);
    if (!r.ok) return r;
    return writeInt(mem, addr, sc.size, r.value);
  }
  switch (type) {
    case 'bool':
    case 'bool_enable_only': {
      const b = kstrtobool(val ?? '1');
      if (!b.ok) return b;
      return writeInt(mem, addr, 1, b.value ? 1n : 0n);
    }
    case 'invbool': {
      const b = kstrtobool(val);
      if (!b.ok) return b;
      return writeInt(mem, addr, 1, b.value ? 0n : 1n);
    }
    case 'bint': {
      const b = kstrtobool(val ?? '1');
      if (!b.ok) return b;
      return writeInt(mem, addr, 4, b.value ? 1n : 0n);
    }
    case 'charp': {
      const v = val ?? '';
      if (v.length > 1024) {
        mem.err(`${p.name}: string parameter too long`);
        return fail('ENOSPC');
      }
      mem.values[key] = v;
      return OK_VOID;
    }
    case 'string': {
      const v = val ?? '';
      const maxlen = p.maxlen ?? 0;
      if (v.length + 1 > maxlen) {
        mem.err(`${p.name}: string doesn't fit in ${maxlen - 1} chars.`);
        return fail('ENOSPC');
      }
      const m = mem.at(addr, v.length + 1);
      if (m === undefined) return fail('EFAULT');
      for (let i = 0; i < v.length; i++) m.bytes[m.off + i] = v.charCodeAt(i) & 0xff;
      m.bytes[m.off + v.length] = 0;
      return OK_VOID;
    }
    default:
      // Custom ops: their code cannot run here; the value is accepted and kept for sysfs.
      mem.values[key] = val;
      return OK_VOID;
  }
}

/** `ops->get` of one element, without the trailing newline. */
export function paramGetOne(p: ParamDef, type: string, addr: number, key: string, mem: ParamMemory): string {
  const sc = SCALARS[type];
  if (sc !== undefined) {
    const v = readInt(mem, addr, sc.size, sc.signed);
    if (v === undefined) return '';
    if (sc.fmt === 'x') return `0x${v.toString(16).padStart(6, '0')}`;
    return v.toString();
  }
  switch (type) {
    case 'bool':
    case 'bool_enable_only':
      return readInt(mem, addr, 1, false) ? 'Y' : 'N';
    case 'invbool':
      return readInt(mem, addr, 1, false) ? 'N' : 'Y';
    case 'bint':
      return String(readInt(mem, addr, 4, true) ?? 0n);
    case 'charp': {
      if (key in mem.values) return mem.values[key] ?? '(null)';
      const ptr = readInt(mem, addr, 8, true);
      if (ptr === undefined || ptr === 0n) return '(null)';
      return readCString(mem, Number(ptr), 1024) ?? '(null)';
    }
    case 'string':
      return readCString(mem, addr, p.maxlen ?? 0) ?? '';
    default:
      return mem.values[key] ?? '';
  }
}

/** `param_array_set`: split on `,`, at most `max` elements, each through the element's `set`. */
export function paramArraySet(
  p: ParamDef,
  val: string | undefined,
  mem: ParamMemory,
): Result<void, ErrnoName> {
  const arr = p.array;
  if (arr === undefined) return fail('EINVAL');
  const pieces = (val ?? '').split(',');
  if (pieces.length > arr.max) {
    mem.err(`${p.name}: can only take ${arr.max} arguments`);
    return fail('EINVAL');
  }
  for (let i = 0; i < pieces.length; i++) {
    const r = paramSetOne(p, p.type, p.addr + i * arr.elemsize, `${p.name}[${i}]`, pieces[i], mem);
    if (!r.ok) return r;
  }
  if (arr.numAddr !== 0) return writeInt(mem, arr.numAddr, 4, BigInt(pieces.length));
  mem.values[`${p.name}#`] = String(pieces.length);
  return OK_VOID;
}

/** The sysfs text of a parameter (with its newline). */
export function paramGet(p: ParamDef, mem: ParamMemory): string {
  const arr = p.array;
  if (arr === undefined) return `${paramGetOne(p, p.type, p.addr, p.name, mem)}\n`;
  const n = arr.numAddr !== 0 ? Number(readInt(mem, arr.numAddr, 4, false) ?? 0n) : arr.max;
  const parts: string[] = [];
  for (let i = 0; i < Math.min(n, arr.max); i++)
    parts.push(paramGetOne(p, p.type, p.addr + i * arr.elemsize, `${p.name}[${i}]`, mem));
  return `${parts.join(',')}\n`;
}

/** `ops->set` of a whole parameter (array or not). */
export function paramSet(p: ParamDef, val: string | undefined, mem: ParamMemory): Result<void, ErrnoName> {
  if (p.array !== undefined) return paramArraySet(p, val, mem);
  return paramSetOne(p, p.type, p.addr, p.name, val, mem);
}
