/**
 * Builds `init_module` images by hand, byte for byte from the i386 layouts of `src/abi/linux/v24.ts`: a
 * `struct module` header with any member set to any value (so experiments can hand the kernel malformed
 * structs), `struct module_symbol` and `struct module_ref` arrays, and a small well-formed image layout.
 * @module
 */
import {
  MODULE_OFFSETS,
  MODULE_REF,
  MODULE_SYMBOL,
  type ModuleMember,
  SIZEOF_MODULE_MODUTILS,
} from '../../abi/linux/v24.js';
import { latin1Bytes } from './kernel-memory.js';

/** Values of `struct module` members (absent: 0). */
export type ModuleHeaderFields = Partial<Record<ModuleMember, number>>;

function putU32(b: Uint8Array, at: number, v: number): void {
  if (at + 4 > b.length) return;
  const x = v >>> 0;
  b[at] = x & 0xff;
  b[at + 1] = (x >>> 8) & 0xff;
  b[at + 2] = (x >>> 16) & 0xff;
  b[at + 3] = (x >>> 24) & 0xff;
}

/** A `struct module` header of `length` bytes (members past the length are dropped). */
export function encodeModuleHeader(fields: ModuleHeaderFields, length = SIZEOF_MODULE_MODUTILS): Uint8Array {
  const b = new Uint8Array(length);
  for (const [member, value] of Object.entries(fields) as [ModuleMember, number][])
    putU32(b, MODULE_OFFSETS[member], value);
  return b;
}

/** A `struct module_symbol` (value, name pointer). */
export function encodeModuleSymbol(value: number, namePtr: number): Uint8Array {
  const b = new Uint8Array(MODULE_SYMBOL.size);
  putU32(b, MODULE_SYMBOL.value, value);
  putU32(b, MODULE_SYMBOL.name, namePtr);
  return b;
}

/** A `struct module_ref` (dep, ref, next_ref). */
export function encodeModuleRef(dep: number, ref = 0, nextRef = 0): Uint8Array {
  const b = new Uint8Array(MODULE_REF.size);
  putU32(b, MODULE_REF.dep, dep);
  putU32(b, MODULE_REF.ref, ref);
  putU32(b, MODULE_REF.next_ref, nextRef);
  return b;
}

/** What {@link buildModuleImage} lays out. */
export interface ModuleImageSpec {
  /** The address `create_module` returned. */
  readonly base: number;
  /** The module name (the image carries its own copy; `name` points at it). */
  readonly name: string;
  /** `size_of_struct` (default 96, modutils 2.4's). */
  readonly sizeOfStruct?: number;
  /** `size` (default: the laid-out length). */
  readonly size?: number;
  /** `flags` (default 0; the kernel accepts only `MOD_AUTOCLEAN`). */
  readonly flags?: number;
  /** Exported symbols: value and name (strings are placed in the image). */
  readonly symbols?: readonly { readonly value: number; readonly name: string }[];
  /** Addresses of the modules this one uses (`deps[i].dep`). */
  readonly deps?: readonly number[];
  /** Whether there is an init function (default true). */
  readonly init?: boolean;
  /** Whether there is a cleanup function (default true). */
  readonly cleanup?: boolean;
  /** Members to override after layout (for malformed images). */
  readonly override?: ModuleHeaderFields;
}

/** Where {@link buildModuleImage} put things (addresses, as the kernel sees them). */
export interface ModuleImageLayout {
  /** The image. */
  readonly bytes: Uint8Array;
  /** Bytes the layout needs (the minimum `create_module` size). */
  readonly length: number;
  /** `name`. */
  readonly name: number;
  /** `syms`. */
  readonly syms: number;
  /** `deps`. */
  readonly deps: number;
  /** `init`. */
  readonly init: number;
  /** `cleanup`. */
  readonly cleanup: number;
}

/**
 * A well-formed image: header, name, symbol table and names, `module_ref` array, then one `ret` for each of
 * init and cleanup — what modutils produces, minus the relocated object code.
 */
export function buildModuleImage(spec: ModuleImageSpec): ModuleImageLayout {
  const header = spec.sizeOfStruct ?? SIZEOF_MODULE_MODUTILS;
  const parts: Uint8Array[] = [];
  let at = header;
  const place = (bytes: Uint8Array, align = 1): number => {
    const pad = (align - (at % align)) % align;
    if (pad > 0) parts.push(new Uint8Array(pad));
    at += pad;
    const off = at;
    parts.push(bytes);
    at += bytes.length;
    return off;
  };
  const cstr = (s: string) => {
    const b = latin1Bytes(s);
    const out = new Uint8Array(b.length + 1);
    out.set(b);
    return out;
  };
  const nameOff = place(cstr(spec.name));
  const symbols = spec.symbols ?? [];
  const symNameOffs = symbols.map((s) => place(cstr(s.name)));
  const symsOff = symbols.length > 0 ? place(new Uint8Array(symbols.length * MODULE_SYMBOL.size), 4) : 0;
  const deps = spec.deps ?? [];
  const depsOff = deps.length > 0 ? place(new Uint8Array(deps.length * MODULE_REF.size), 4) : 0;
  const initOff = spec.init === false ? 0 : place(Uint8Array.of(0x31, 0xc0, 0xc3), 16);
  const cleanupOff = spec.cleanup === false ? 0 : place(Uint8Array.of(0xc3), 16);
  const length = at;
  const size = spec.size ?? length;
  const bytes = new Uint8Array(Math.max(size, length, header));
  let off = header;
  for (const p of parts) {
    bytes.set(p, off);
    off += p.length;
  }
  const addr = (o: number) => (o === 0 ? 0 : (spec.base + o) >>> 0);
  symbols.forEach((s, i) => {
    bytes.set(encodeModuleSymbol(s.value, addr(symNameOffs[i])), symsOff + i * MODULE_SYMBOL.size);
  });
  deps.forEach((d, i) => {
    bytes.set(encodeModuleRef(d), depsOff + i * MODULE_REF.size);
  });
  const fields: ModuleHeaderFields = {
    size_of_struct: header,
    name: addr(nameOff),
    size,
    flags: spec.flags ?? 0,
    nsyms: symbols.length,
    ndeps: deps.length,
    syms: addr(symsOff),
    deps: addr(depsOff),
    init: addr(initOff),
    cleanup: addr(cleanupOff),
    ...spec.override,
  };
  bytes.set(encodeModuleHeader(fields, header), 0);
  return {
    bytes,
    length,
    name: addr(nameOff),
    syms: addr(symsOff),
    deps: addr(depsOff),
    init: addr(initOff),
    cleanup: addr(cleanupOff),
  };
}
