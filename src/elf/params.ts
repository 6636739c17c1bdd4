/**
 * Module parameters: the `__param` array of `struct kernel_param`, decoded to name and type through the
 * relocations of its pointer fields — the `ops` pointer names `param_ops_<type>`, `param_array_ops` (then the
 * `struct kparam_array` gives the element ops, `max` and `elemsize`) or `param_ops_string` (then the
 * `struct kparam_string` gives `maxlen`).
 * @see include/linux/moduleparam.h (6.1) struct kernel_param, struct kparam_array, struct kparam_string
 * @see kernel/params.c parse_args
 * @module
 */
import { ok } from '../core/result.js';
import { type ElfResult, elfFail } from './elf-error.js';
import type { ElfFile, ElfSection } from './elf-file.js';
import {
  type PointerTarget,
  type RelocationIndex,
  readSectionString,
  resolvePointer,
} from './relocations.js';
import type { SymbolTable } from './symbols.js';

/** Field offsets of `struct kernel_param` (`undefined` for fields an era lacks). */
export interface KernelParamLayout {
  /** `sizeof(struct kernel_param)`. */
  readonly size: number;
  /** `const char *name`. */
  readonly name: number;
  /** `const struct kernel_param_ops *ops`. */
  readonly ops: number;
  /** `const u16 perm`. */
  readonly perm: number;
  /** `s8 level`. */
  readonly level: number | undefined;
  /** `u8 flags`. */
  readonly flags: number | undefined;
  /** The `arg`/`str`/`arr` union. */
  readonly arg: number;
}

/** `struct kernel_param` on x86_64 (6.1): name, mod, ops, perm, level, flags, arg — 40 bytes. */
export const KERNEL_PARAM_LAYOUT_64: KernelParamLayout = {
  size: 40,
  name: 0,
  ops: 16,
  perm: 24,
  level: 26,
  flags: 27,
  arg: 32,
};

/** `struct kernel_param` on i386 (6.1) — 20 bytes. */
export const KERNEL_PARAM_LAYOUT_32: KernelParamLayout = {
  size: 20,
  name: 0,
  ops: 8,
  perm: 12,
  level: 14,
  flags: 15,
  arg: 16,
};

/** How a parameter is parsed. */
export type ParamKind = 'standard' | 'array' | 'string' | 'custom';

/** `struct kparam_array` fields of an array parameter. */
export interface ParamArrayInfo {
  /** `max`: number of elements. */
  readonly max: number;
  /** `elemsize`: bytes per element. */
  readonly elemsize: number;
  /** Element type from the array's own `ops` (`int`, `charp`, …); `undefined` for custom ops. */
  readonly elemType: string | undefined;
}

/** `struct kparam_string` fields of a `string` parameter. */
export interface ParamStringInfo {
  /** `maxlen`: size of the buffer including the NUL. */
  readonly maxlen: number;
}

/** One decoded `struct kernel_param`. */
export interface ModuleParam {
  /** Index in `__param`. */
  readonly index: number;
  /** The parameter name (without the `KBUILD_MODNAME.` prefix, which built-in code adds); `undefined` if unreadable. */
  readonly name: string | undefined;
  /** `perm` (sysfs mode). */
  readonly perm: number;
  /** `level` (-1 for modules), when the layout has it. */
  readonly level: number | undefined;
  /** `flags` (`KERNEL_PARAM_FL_UNSAFE`, `KERNEL_PARAM_FL_HWPARAM`), when the layout has it. */
  readonly flags: number | undefined;
  /** The symbol `ops` relocates to (`param_ops_int`, `param_array_ops`, a module's own ops, …). */
  readonly ops: string | undefined;
  /** How the parameter is parsed. */
  readonly kind: ParamKind;
  /** The type as modinfo `parmtype` spells it (`int`, `charp`, `array of int`, `string`); `undefined` for custom ops. */
  readonly type: string | undefined;
  /** For arrays: `struct kparam_array` fields and the element type. */
  readonly array?: ParamArrayInfo;
  /** For `string` parameters: `struct kparam_string.maxlen`. */
  readonly string?: ParamStringInfo;
}

/** Options of {@link readParams}. */
export interface ParamsOptions {
  /** The `struct kernel_param` layout; default: the 6.1 layout for the file's class. */
  readonly layout?: KernelParamLayout;
}

const OPS_PREFIX = 'param_ops_';

function standardType(ops: string | undefined): string | undefined {
  return ops?.startsWith(OPS_PREFIX) ? ops.slice(OPS_PREFIX.length) : undefined;
}

/** The name of the parameter section. */
export const PARAM_SECTION = '__param';

/**
 * Reads `__param` from `section` or the first section of that name; an empty list when there is none. Fails
 * when the section lies outside the file or is not a whole number of entries.
 */
export function readParams(
  file: ElfFile,
  symbols: SymbolTable,
  index: RelocationIndex,
  section?: ElfSection,
  options: ParamsOptions = {},
): ElfResult<ModuleParam[]> {
  const s = section ?? file.sectionByName(PARAM_SECTION);
  if (s === undefined) return ok([]);
  const data = file.sectionData(s);
  if (!data.ok) return data;
  const layout = options.layout ?? (file.is64 ? KERNEL_PARAM_LAYOUT_64 : KERNEL_PARAM_LAYOUT_32);
  if (data.value.length % layout.size !== 0) {
    return elfFail(
      'bad-param',
      `__param size ${data.value.length} is not a multiple of sizeof(struct kernel_param) ${layout.size}`,
      s.headerOffset,
    );
  }
  const ptr = file.is64 ? 8 : 4;
  const le = file.littleEndian;
  const v = new DataView(data.value.buffer, data.value.byteOffset, data.value.byteLength);
  const pointer = (sec: number, off: number): PointerTarget | undefined =>
    resolvePointer(file, symbols, index, sec, off, ptr === 8 ? 8 : 4);
  const u32At = (sec: number | undefined, off: number | undefined): number | undefined => {
    if (sec === undefined || off === undefined) return undefined;
    const target = file.section(sec);
    const bytes = target === undefined ? undefined : file.sectionData(target);
    if (!bytes?.ok || off < 0 || off + 4 > bytes.value.length) return undefined;
    return new DataView(bytes.value.buffer, bytes.value.byteOffset, bytes.value.byteLength).getUint32(
      off,
      le,
    );
  };
  const count = data.value.length / layout.size;
  const out: ModuleParam[] = [];
  for (let i = 0; i < count; i++) {
    const base = i * layout.size;
    const namePtr = pointer(s.index, base + layout.name);
    const opsPtr = pointer(s.index, base + layout.ops);
    const argPtr = pointer(s.index, base + layout.arg);
    const ops = opsPtr?.symbolName || undefined;
    const common = {
      index: i,
      name:
        namePtr?.section === undefined
          ? undefined
          : readSectionString(file, namePtr.section, namePtr.sectionOffset),
      perm: v.getUint16(base + layout.perm, le),
      level: layout.level === undefined ? undefined : v.getInt8(base + layout.level),
      flags: layout.flags === undefined ? undefined : v.getUint8(base + layout.flags),
      ops,
    };
    if (ops === 'param_array_ops') {
      const sec = argPtr?.section;
      const off = argPtr?.sectionOffset;
      // struct kparam_array { unsigned int max, elemsize; unsigned int *num; ops; void *elem; }
      const elemOps = sec === undefined || off === undefined ? undefined : pointer(sec, off + 8 + ptr);
      const elemType = standardType(elemOps?.symbolName);
      out.push({
        ...common,
        kind: 'array',
        type: elemType === undefined ? undefined : `array of ${elemType}`,
        array: {
          max: u32At(sec, off) ?? 0,
          elemsize: u32At(sec, off === undefined ? undefined : off + 4) ?? 0,
          elemType,
        },
      });
    } else if (ops === 'param_ops_string') {
      // struct kparam_string { unsigned int maxlen; char *string; }
      out.push({
        ...common,
        kind: 'string',
        type: 'string',
        string: { maxlen: u32At(argPtr?.section, argPtr?.sectionOffset) ?? 0 },
      });
    } else {
      const type = standardType(ops);
      out.push({ ...common, kind: type === undefined ? 'custom' : 'standard', type });
    }
  }
  return ok(out);
}
