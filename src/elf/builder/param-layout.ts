/**
 * C storage of module parameters, shared by the writers and the spec reader: sizes of the variable types and
 * the bytes of initial values.
 * @module
 */
import type { ParamType } from './module-spec.js';
import type { ResolvedParam, ResolvedValue } from './resolve-module-spec.js';

/** `sizeof` the variable behind a parameter type (`charp`: a pointer; `string`: one char). */
export function paramElementSize(type: ParamType, pointerSize: 4 | 8): number {
  switch (type) {
    case 'byte':
    case 'bool':
    case 'invbool':
    case 'string':
      return 1;
    case 'short':
    case 'ushort':
      return 2;
    case 'int':
    case 'uint':
    case 'hexint':
      return 4;
    case 'long':
    case 'ulong':
    case 'charp':
      return pointerSize;
  }
}

/** Bytes of the variable (array: all elements; string: the buffer). */
export function paramStorageSize(p: ResolvedParam, pointerSize: 4 | 8): number {
  if (p.type === 'string') return p.maxlen ?? 0;
  return paramElementSize(p.type, pointerSize) * (p.array ?? 1);
}

/** Whether an element value is all zero bytes in memory (charp: NULL is "no value", so never zero here). */
export function isZeroValue(v: ResolvedValue): boolean {
  return v === 0n || v === false || v === '';
}

/** Whether the variable's initial bytes are all zero (so it belongs in `.bss`). */
export function paramIsZero(p: ResolvedParam): boolean {
  if (p.type === 'charp') return p.values.length === 0;
  return p.values.every(isZeroValue);
}

/**
 * Writes non-pointer element values into `out` at `offset` (integers in two's complement of the element size,
 * booleans as one byte, a string parameter's text NUL-padded). `charp` elements are the caller's (they need
 * relocations).
 */
export function writeParamValues(
  out: Uint8Array,
  offset: number,
  p: ResolvedParam,
  pointerSize: 4 | 8,
  littleEndian: boolean,
): void {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  if (p.type === 'string') {
    const s = p.values[0];
    if (typeof s === 'string') out.set(new TextEncoder().encode(s), offset);
    return;
  }
  if (p.type === 'charp') return;
  const size = paramElementSize(p.type, pointerSize);
  p.values.forEach((v, i) => {
    const at = offset + i * size;
    if (typeof v === 'boolean') out[at] = v ? 1 : 0;
    else if (typeof v === 'bigint') {
      const u = BigInt.asUintN(size * 8, v);
      if (size === 8) view.setBigUint64(at, u, littleEndian);
      else if (size === 4) view.setUint32(at, Number(u), littleEndian);
      else if (size === 2) view.setUint16(at, Number(u), littleEndian);
      else out[at] = Number(u);
    }
  });
}

/** Reads one element back (the inverse of {@link writeParamValues} for non-pointer types). */
export function readParamElement(
  bytes: Uint8Array,
  offset: number,
  type: ParamType,
  pointerSize: 4 | 8,
  littleEndian: boolean,
): ResolvedValue {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = paramElementSize(type, pointerSize);
  if (type === 'bool' || type === 'invbool') return bytes[offset] !== 0;
  let u: bigint;
  if (size === 8) u = view.getBigUint64(offset, littleEndian);
  else if (size === 4) u = BigInt(view.getUint32(offset, littleEndian));
  else if (size === 2) u = BigInt(view.getUint16(offset, littleEndian));
  else u = BigInt(bytes[offset]);
  const signed = type === 'short' || type === 'int' || type === 'long';
  return signed ? BigInt.asIntN(size * 8, u) : u;
}
