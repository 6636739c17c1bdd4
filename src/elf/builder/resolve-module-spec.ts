/**
 * Validation and defaults: a {@link ModuleSpec} turned into the fully explicit form the writers work from. A
 * spec the builder cannot honour is rejected here with a message naming the field (a caller error); nothing
 * past this point has to re-check it.
 * @module
 */
import { fail, ok, type Result } from '../../core/result.js';
import type { BehaviourSpec } from './behaviour-spec.js';
import { behaviourFromJson } from './behaviour-spec.js';
import {
  DEFAULT_LICENSE,
  DEFAULT_PARAM_PERM,
  type DlkmSpec,
  type ModuleSpec,
  PARAM_TYPES,
  type ParamSpec,
  type ParamType,
  type ParamValue,
  type SizesSpec,
  symbolName,
} from './module-spec.js';
import { symbolCrc } from './symbol-crc.js';

/** The image formats the builders write. */
export type ModuleFormat = 'ko' | 'i386' | 'dlkm';

/** The module-tool eras an i386 object is written for. */
export type LegacyEra = '2.4' | '2.0' | '1.x';

/** What a spec is resolved for. */
export interface ResolveTarget {
  /** The image format. */
  readonly format: ModuleFormat;
  /** For `i386`: the era. */
  readonly era?: LegacyEra;
}

/** An element value after resolution: integers as bigint. */
export type ResolvedValue = bigint | boolean | string;

/** A parameter with every default made explicit. */
export interface ResolvedParam {
  /** Name. */
  readonly name: string;
  /** Type. */
  readonly type: ParamType;
  /** Array capacity, or undefined for a scalar. */
  readonly array: number | undefined;
  /** `string` buffer size (incl. NUL). */
  readonly maxlen: number | undefined;
  /** Initial values: one for a scalar that has a default, the given elements for an array. */
  readonly values: readonly ResolvedValue[];
  /** sysfs mode. */
  readonly perm: number;
  /** `MODULE_PARM_DESC`. */
  readonly description: string | undefined;
}

/** An export. */
export interface ResolvedExport {
  /** Symbol name. */
  readonly name: string;
  /** GPL-only. */
  readonly gpl: boolean;
  /** Namespace, if any. */
  readonly namespace: string | undefined;
}

/** An import. */
export interface ResolvedImport {
  /** Symbol name. */
  readonly name: string;
  /** Call or data load. */
  readonly kind: 'call' | 'data';
}

/** A spec with defaults applied and lists merged. */
export interface ResolvedSpec {
  /** Module name as given. */
  readonly name: string;
  /** License (`''`: none). */
  readonly license: string;
  /** Description. */
  readonly description: string | undefined;
  /** Authors, in order. */
  readonly authors: readonly string[];
  /** Version. */
  readonly version: string | undefined;
  /** srcversion. */
  readonly srcversion: string | undefined;
  /** Exports, in spec order. */
  readonly exports: readonly ResolvedExport[];
  /** Imports, in spec order. */
  readonly imports: readonly ResolvedImport[];
  /** Parameters, in spec order. */
  readonly params: readonly ResolvedParam[];
  /** Dependencies: the spec's, then the modules of imports, without duplicates. */
  readonly dependencies: readonly string[];
  /** Imported namespaces: the spec's, then those of imports, without duplicates. */
  readonly importNs: readonly string[];
  /** Behaviour. */
  readonly behaviour: BehaviourSpec | undefined;
  /** Kernel release. */
  readonly kernelRelease: string | undefined;
  /** vermagic override. */
  readonly vermagic: string | undefined;
  /** CRC of a symbol. */
  readonly crc: (symbol: string) => number;
  /** Minimum sizes (0 where the spec gave none). */
  readonly sizes: Required<SizesSpec>;
  /** intree. */
  readonly intree: boolean;
  /** Extra modinfo strings. */
  readonly extraModinfo: readonly (readonly [string, string])[];
  /** No cleanup function. */
  readonly permanent: boolean;
  /** DLKM fields. */
  readonly dlkm: DlkmSpec;
}

/** A spec the builder rejects. */
export class ModuleSpecError extends Error {
  /** @param message what is wrong, naming the field. */
  constructor(message: string) {
    super(message);
    this.name = 'ModuleSpecError';
  }
}

const MODULE_NAME = /^[A-Za-z0-9_-]{1,55}$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,54}$/;
const NAMESPACE = /^[A-Za-z0-9_]{1,55}$/;
const MODINFO_KEY = /^[a-z_][a-z0-9_]{0,31}$/;
/** Versioned names (`sym_R<crc>`, Linux 1.x–2.4 modversions) would be ambiguous. */
const VERSIONED = /_R[0-9a-f]{8}$/;

/** Symbols the builders define or import themselves. */
const RESERVED_NAMES = new Set([
  'init_module',
  'cleanup_module',
  '__this_module',
  'kernel_version',
  'Using_Versions',
  'mod_use_count_',
  'module_layout',
  'param_array_ops',
  'mod_misc_ops',
  'gio_mod_ops',
  'str_drv_ops',
  'str_mod_ops',
]);
const RESERVED_PREFIXES = [
  '__kmodsim_',
  '__ksymtab',
  '__kstrtab',
  '__kcrctab',
  '__crc_',
  '__param',
  '__UNIQUE_ID',
  '__module_',
  'param_ops_',
  'GPLONLY_',
];

/** modinfo keys the builders write themselves. */
const RESERVED_MODINFO = new Set([
  'license',
  'author',
  'description',
  'version',
  'srcversion',
  'parm',
  'parmtype',
  'import_ns',
  'depends',
  'retpoline',
  'intree',
  'name',
  'vermagic',
  'kernel_version',
  'using_checksums',
]);

/** Whether a symbol name is one the builders reserve. */
export function isReservedSymbol(name: string): boolean {
  return (
    RESERVED_NAMES.has(name) || RESERVED_PREFIXES.some((p) => name.startsWith(p)) || VERSIONED.test(name)
  );
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find control characters
const CONTROL = /[\u0000-\u001f\u007f]/;

function text(v: unknown, field: string, allowEmpty = true): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new ModuleSpecError(`${field} must be a string`);
  if (CONTROL.test(v)) throw new ModuleSpecError(`${field} must not contain control characters`);
  if (!allowEmpty && v === '') throw new ModuleSpecError(`${field} must not be empty`);
  return v;
}

function list<T>(v: readonly T[] | undefined, field: string): readonly T[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new ModuleSpecError(`${field} must be an array`);
  return v;
}

/** Integer range of a type for a target (`long` is 32-bit on i386). */
export function integerRange(type: ParamType, longBits: 32 | 64): readonly [bigint, bigint] | undefined {
  switch (type) {
    case 'byte':
      return [0n, 255n];
    case 'short':
      return [-32768n, 32767n];
    case 'ushort':
      return [0n, 65535n];
    case 'int':
      return [-(2n ** 31n), 2n ** 31n - 1n];
    case 'uint':
    case 'hexint':
      return [0n, 2n ** 32n - 1n];
    case 'long':
      return [-(2n ** BigInt(longBits - 1)), 2n ** BigInt(longBits - 1) - 1n];
    case 'ulong':
      return [0n, 2n ** BigInt(longBits) - 1n];
    default:
      return undefined;
  }
}

function resolveValue(p: ParamSpec, v: ParamValue, field: string, longBits: 32 | 64): ResolvedValue {
  const range = integerRange(p.type, longBits);
  if (range !== undefined) {
    if (typeof v !== 'bigint' && !(typeof v === 'number' && Number.isSafeInteger(v)))
      throw new ModuleSpecError(`${field} must be an integer`);
    const b = BigInt(v);
    if (b < range[0] || b > range[1])
      throw new ModuleSpecError(`${field} ${b} is outside the range of ${p.type}`);
    return b;
  }
  if (p.type === 'bool' || p.type === 'invbool') {
    if (typeof v !== 'boolean') throw new ModuleSpecError(`${field} must be a boolean`);
    return v;
  }
  if (typeof v !== 'string') throw new ModuleSpecError(`${field} must be a string`);
  if (v.includes('\0')) throw new ModuleSpecError(`${field} must not contain NUL`);
  if (p.type === 'string' && new TextEncoder().encode(v).length >= (p.maxlen ?? 0))
    throw new ModuleSpecError(`${field} does not fit in maxlen ${p.maxlen}`);
  return v;
}

function resolveParam(p: ParamSpec, i: number, target: ResolveTarget): ResolvedParam {
  const field = `params[${i}]`;
  if (p === null || typeof p !== 'object') throw new ModuleSpecError(`${field} must be an object`);
  if (typeof p.name !== 'string' || !IDENTIFIER.test(p.name))
    throw new ModuleSpecError(`${field}.name must be a C identifier of at most 55 characters`);
  if (!(PARAM_TYPES as readonly string[]).includes(p.type))
    throw new ModuleSpecError(`${field}.type must be one of ${PARAM_TYPES.join(', ')}`);
  const old = target.format === 'i386' && target.era !== '2.4';
  if (old && (p.type === 'charp' || p.type === 'string' || p.array !== undefined))
    throw new ModuleSpecError(
      `${field}: Linux ${target.era} insmod sets integer variables only (no ${p.array !== undefined ? 'arrays' : p.type})`,
    );
  if (p.array !== undefined && (!Number.isSafeInteger(p.array) || p.array < 1 || p.array > 1024))
    throw new ModuleSpecError(`${field}.array must be an integer 1-1024`);
  if (p.array !== undefined && p.type === 'string')
    throw new ModuleSpecError(`${field}: string parameters cannot be arrays`);
  if (p.type === 'string') {
    if (p.maxlen === undefined || !Number.isSafeInteger(p.maxlen) || p.maxlen < 1 || p.maxlen > 4096)
      throw new ModuleSpecError(`${field}.maxlen must be an integer 1-4096 for a string parameter`);
  } else if (p.maxlen !== undefined)
    throw new ModuleSpecError(`${field}.maxlen is only for string parameters`);
  const perm = p.perm ?? DEFAULT_PARAM_PERM;
  if (!Number.isSafeInteger(perm) || perm < 0 || perm > 0o7777)
    throw new ModuleSpecError(`${field}.perm must be a mode 0-07777`);
  const longBits = target.format === 'i386' ? 32 : 64;
  let values: ResolvedValue[] = [];
  if (p.default !== undefined) {
    if (p.array !== undefined) {
      if (!Array.isArray(p.default)) throw new ModuleSpecError(`${field}.default must be an array`);
      const d = p.default as readonly ParamValue[];
      if (d.length > p.array) throw new ModuleSpecError(`${field}.default has more than ${p.array} elements`);
      values = d.map((v, k) => resolveValue(p, v, `${field}.default[${k}]`, longBits));
    } else {
      if (Array.isArray(p.default)) throw new ModuleSpecError(`${field}.default must not be an array`);
      values = [resolveValue(p, p.default as ParamValue, `${field}.default`, longBits)];
    }
  }
  return {
    name: p.name,
    type: p.type,
    array: p.array,
    maxlen: p.maxlen,
    values,
    perm,
    description: text(p.description, `${field}.description`),
  };
}

function pushUnique(out: string[], v: string): void {
  if (!out.includes(v)) out.push(v);
}

function resolveOrThrow(spec: ModuleSpec, target: ResolveTarget): ResolvedSpec {
  if (spec === null || typeof spec !== 'object') throw new ModuleSpecError('the spec must be an object');
  if (typeof spec.name !== 'string' || !MODULE_NAME.test(spec.name))
    throw new ModuleSpecError('name must be 1-55 letters, digits, "_" or "-"');
  const symbols = new Set<string>();
  const claim = (name: string, field: string) => {
    if (typeof name !== 'string' || !IDENTIFIER.test(name))
      throw new ModuleSpecError(`${field} must be a C identifier of at most 55 characters`);
    if (isReservedSymbol(name))
      throw new ModuleSpecError(`${field} "${name}" is a name the builder reserves`);
    if (target.format === 'dlkm' && ['_wrapper', '_load', '_unload'].some((s) => name === `${spec.name}${s}`))
      throw new ModuleSpecError(`${field} "${name}" is a name the DLKM wrapper uses`);
    if (symbols.has(name)) throw new ModuleSpecError(`${field} "${name}" is used twice`);
    symbols.add(name);
  };
  const dependencies: string[] = [];
  list(spec.dependencies, 'dependencies').forEach((d, i) => {
    if (typeof d !== 'string' || !MODULE_NAME.test(d))
      throw new ModuleSpecError(`dependencies[${i}] must be a module name`);
    pushUnique(dependencies, d);
  });
  const importNs: string[] = [];
  list(spec.importNs, 'importNs').forEach((n, i) => {
    if (typeof n !== 'string' || !NAMESPACE.test(n))
      throw new ModuleSpecError(`importNs[${i}] must be a namespace name`);
    pushUnique(importNs, n);
  });
  const exports = list(spec.exports, 'exports').map((e, i): ResolvedExport => {
    const name = symbolName(e);
    claim(name, `exports[${i}]`);
    if (typeof e === 'string') return { name, gpl: false, namespace: undefined };
    if (e.gpl !== undefined && typeof e.gpl !== 'boolean')
      throw new ModuleSpecError(`exports[${i}].gpl must be a boolean`);
    if (e.namespace !== undefined && (typeof e.namespace !== 'string' || !NAMESPACE.test(e.namespace)))
      throw new ModuleSpecError(`exports[${i}].namespace must be a namespace name`);
    return { name, gpl: e.gpl === true, namespace: e.namespace };
  });
  const imports = list(spec.imports, 'imports').map((m, i): ResolvedImport => {
    const name = symbolName(m);
    claim(name, `imports[${i}]`);
    if (typeof m === 'string') return { name, kind: 'call' };
    if (m.kind !== undefined && m.kind !== 'call' && m.kind !== 'data')
      throw new ModuleSpecError(`imports[${i}].kind must be "call" or "data"`);
    if (m.module !== undefined) {
      if (typeof m.module !== 'string' || !MODULE_NAME.test(m.module))
        throw new ModuleSpecError(`imports[${i}].module must be a module name`);
      pushUnique(dependencies, m.module);
    }
    if (m.namespace !== undefined) {
      if (typeof m.namespace !== 'string' || !NAMESPACE.test(m.namespace))
        throw new ModuleSpecError(`imports[${i}].namespace must be a namespace name`);
      pushUnique(importNs, m.namespace);
    }
    return { name, kind: m.kind ?? 'call' };
  });
  const params = list(spec.params, 'params').map((p, i) => {
    const r = resolveParam(p, i, target);
    claim(r.name, `params[${i}].name`);
    return r;
  });
  let behaviour: BehaviourSpec | undefined;
  if (spec.behaviour !== undefined) {
    const b = behaviourFromJson(spec.behaviour);
    if (!b.ok) throw new ModuleSpecError(b.error);
    behaviour = b.value;
  }
  const author = spec.author;
  const authors = (
    author === undefined ? [] : typeof author === 'string' ? [author] : list(author, 'author')
  ).map((a, i) => text(a, `author[${i}]`) as string);
  const sizes = spec.sizes ?? {};
  const size = (v: number | undefined, field: string) => {
    if (v === undefined) return 0;
    if (!Number.isSafeInteger(v) || v < 0 || v > 1 << 28)
      throw new ModuleSpecError(`sizes.${field} must be an integer 0-${1 << 28}`);
    return v;
  };
  const crcs = spec.crcs;
  if (crcs !== undefined && typeof crcs !== 'function') {
    if (typeof crcs !== 'object' || crcs === null)
      throw new ModuleSpecError('crcs must be a map or a function');
    for (const [k, v] of Object.entries(crcs))
      if (!Number.isInteger(v) || v < -(2 ** 31) || v > 2 ** 32 - 1)
        throw new ModuleSpecError(`crcs.${k} must be a 32-bit integer`);
  }
  const extraModinfo = list(spec.extraModinfo, 'extraModinfo').map(([k, v], i): readonly [string, string] => {
    if (typeof k !== 'string' || !MODINFO_KEY.test(k) || RESERVED_MODINFO.has(k) || k.startsWith('parm_'))
      throw new ModuleSpecError(
        `extraModinfo[${i}] key must be a modinfo tag the builder does not write itself`,
      );
    return [k, text(v, `extraModinfo[${i}] value`) as string];
  });
  const kernelRelease = text(spec.kernelRelease, 'kernelRelease', false);
  if (kernelRelease?.includes(' ')) throw new ModuleSpecError('kernelRelease must not contain spaces');
  for (const key of ['intree', 'permanent'] as const)
    if (spec[key] !== undefined && typeof spec[key] !== 'boolean')
      throw new ModuleSpecError(`${key} must be a boolean`);
  const dlkm = spec.dlkm ?? {};
  text(dlkm.type, 'dlkm.type', false);
  text(dlkm.linkInfo, 'dlkm.linkInfo');
  text(dlkm.best, 'dlkm.best', false);
  if (dlkm.type?.includes(' ')) throw new ModuleSpecError('dlkm.type must be one word');
  if (
    dlkm.wrapperRevision !== undefined &&
    (!Number.isInteger(dlkm.wrapperRevision) ||
      dlkm.wrapperRevision < -(2 ** 31) ||
      dlkm.wrapperRevision >= 2 ** 31)
  )
    throw new ModuleSpecError('dlkm.wrapperRevision must be a 32-bit integer');
  for (const key of ['dependsInterface', 'exportsInterface', 'capable'] as const)
    list(dlkm[key], `dlkm.${key}`).forEach((v, i) => {
      if (typeof v !== 'string' || !/^\S+$/.test(v))
        throw new ModuleSpecError(`dlkm.${key}[${i}] must be one word`);
    });
  return {
    name: spec.name,
    license: text(spec.license, 'license') ?? DEFAULT_LICENSE,
    description: text(spec.description, 'description'),
    authors,
    version: text(spec.version, 'version'),
    srcversion: text(spec.srcversion, 'srcversion', false),
    exports,
    imports,
    params,
    dependencies,
    importNs,
    behaviour,
    kernelRelease,
    vermagic: text(spec.vermagic, 'vermagic'),
    crc: (symbol) => symbolCrc(crcs, symbol),
    sizes: { text: size(sizes.text, 'text'), data: size(sizes.data, 'data'), bss: size(sizes.bss, 'bss') },
    intree: spec.intree === true,
    extraModinfo,
    permanent: spec.permanent === true,
    dlkm,
  };
}

/** Resolves a spec for a target, or the reason it cannot be built. */
export function resolveModuleSpec(spec: ModuleSpec, target: ResolveTarget): Result<ResolvedSpec, string> {
  try {
    return ok(resolveOrThrow(spec, target));
  } catch (e) {
    if (e instanceof ModuleSpecError) return fail(e.message);
    throw e;
  }
}

/** Resolves a spec or throws {@link ModuleSpecError} (what the build functions do). */
export function resolveModuleSpecOrThrow(spec: ModuleSpec, target: ResolveTarget): ResolvedSpec {
  return resolveOrThrow(spec, target);
}
