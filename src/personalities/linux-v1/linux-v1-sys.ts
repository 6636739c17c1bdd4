/**
 * The typed syscall facade of a linux-v1 kernel (`k.sys`): raw calls returning the Linux convention (`ret`,
 * `errno`, `errnoNumber`) with convenient arguments (names as strings, code and tables as bytes mapped for the
 * call) or raw user pointers (numbers), and throwing conveniences that build and decode the era's structures.
 * @module
 */
import {
  INTERNAL_SYMBOL,
  KERNEL_SYM_V1,
  MOD_ROUTINES,
  MODULE_REF_V1,
  SYM_MAX_NAME,
  SYMBOL_TABLE,
} from '../../abi/linux/v1.js';
import { KmodsimError } from '../../core/kernel-error.js';
import type { SyscallArgs, SyscallReturn, SyscallTable } from '../../core/syscall-table.js';
import type { UserArg, UserMemory } from '../../core/user-memory.js';
import { latin1, latin1Bytes } from '../linux-v24/kernel-memory.js';
import { u32Bytes } from '../linux-v24/user-access.js';

/** One `struct kernel_sym` decoded. */
export interface KernelSymEntry {
  /** `value`: a symbol's address, or the `struct module` address of a `#name` entry. */
  readonly value: number;
  /** `name` (up to 60 bytes; not NUL-terminated at 60). */
  readonly name: string;
}

/** One exported symbol of a {@link SymbolTableSpec}. */
export interface SymbolTableEntry {
  /** `addr`: the symbol's final address. */
  readonly addr: number;
  /** Its name (written to the string area; `internal_symbol.name` gets the offset). */
  readonly name: string;
}

/** What {@link encodeSymbolTable} lays out. */
export interface SymbolTableSpec {
  /** Exported symbols: address and name. */
  readonly symbols: readonly SymbolTableEntry[];
  /** `module_ref.module` values: the `struct module` addresses of the modules used. */
  readonly refs: readonly number[];
}

/**
 * A `struct symbol_table` as insmod builds it: header (`size` = whole blob), `internal_symbol`s whose `name` is the
 * offset of its string from the table start, `module_ref`s, then the strings.
 */
export function encodeSymbolTable(spec: SymbolTableSpec): Uint8Array {
  const names = spec.symbols.map((s) => latin1Bytes(s.name));
  const fixed =
    SYMBOL_TABLE.header + spec.symbols.length * INTERNAL_SYMBOL.size + spec.refs.length * MODULE_REF_V1.size;
  const total = fixed + names.reduce((n, b) => n + b.length + 1, 0);
  const out = new Uint8Array(total);
  out.set(u32Bytes(total), SYMBOL_TABLE.size);
  out.set(u32Bytes(spec.symbols.length), SYMBOL_TABLE.n_symbols);
  out.set(u32Bytes(spec.refs.length), SYMBOL_TABLE.n_refs);
  let str = fixed;
  spec.symbols.forEach((s, i) => {
    const at = SYMBOL_TABLE.header + i * INTERNAL_SYMBOL.size;
    out.set(u32Bytes(s.addr), at + INTERNAL_SYMBOL.addr);
    out.set(u32Bytes(str), at + INTERNAL_SYMBOL.name);
    out.set(names[i], str);
    str += names[i].length + 1;
  });
  spec.refs.forEach((m, i) => {
    const at = SYMBOL_TABLE.header + spec.symbols.length * INTERNAL_SYMBOL.size + i * MODULE_REF_V1.size;
    out.set(u32Bytes(m), at + MODULE_REF_V1.module);
  });
  return out;
}

/** A `struct mod_routines`. */
export function encodeRoutines(init: number, cleanup: number): Uint8Array {
  const out = new Uint8Array(MOD_ROUTINES.size);
  out.set(u32Bytes(init), MOD_ROUTINES.init);
  out.set(u32Bytes(cleanup), MOD_ROUTINES.cleanup);
  return out;
}

/** Decodes `count` `struct kernel_sym` entries. */
export function decodeKernelSyms(bytes: Uint8Array, count: number): KernelSymEntry[] {
  const out: KernelSymEntry[] = [];
  for (let i = 0; i < count && (i + 1) * KERNEL_SYM_V1.size <= bytes.length; i++) {
    const at = i * KERNEL_SYM_V1.size;
    const b = bytes;
    const value = (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
    const name = b.subarray(at + KERNEL_SYM_V1.name, at + KERNEL_SYM_V1.name + SYM_MAX_NAME);
    const end = name.indexOf(0);
    out.push({ value, name: latin1(name.subarray(0, end < 0 ? name.length : end)) });
  }
  return out;
}

function check(call: string, r: SyscallReturn): void {
  if (r.errno !== undefined) throw new KmodsimError(call, r.errno, r.errnoNumber ?? 0, `${call} failed`);
}

/** `k.sys` of linux-v1. Every call goes through the syscall table (and its trace). */
export class LinuxV1Sys {
  /** @internal */
  constructor(
    private readonly table: SyscallTable,
    private readonly user: UserMemory,
  ) {}

  /** `create_module(name, size)`: `ret` is the address of the use-count word (a bigint) on success. */
  create_module(name: UserArg<string> | null, size: number): SyscallReturn {
    return this.table.invoke('create_module', { module_name: name ?? 0, size });
  }

  /**
   * `init_module(name, code, codesize, routines, symtab)`: `code` is the image without its use-count word;
   * `routines` a `struct mod_routines` ({@link encodeRoutines}) and `symtab` a `struct symbol_table`
   * ({@link encodeSymbolTable}) or `null`.
   */
  init_module(
    name: UserArg<string> | null,
    code: UserArg<Uint8Array>,
    codesize: number,
    routines: UserArg<Uint8Array>,
    symtab: UserArg<Uint8Array> | null,
  ): SyscallReturn {
    return this.table.invoke('init_module', {
      module_name: name ?? 0,
      code,
      codesize,
      routines,
      symtab: symtab ?? 0,
    });
  }

  /** `delete_module(name)`; `null` (or nothing) is `delete_module(NULL)`. */
  delete_module(name?: UserArg<string> | null): SyscallReturn {
    const args: SyscallArgs = name === null || name === undefined ? {} : { module_name: name };
    return this.table.invoke('delete_module', args);
  }

  /** `get_kernel_syms(table)`; `null` asks for the count. */
  get_kernel_syms(table: number | null): SyscallReturn {
    return this.table.invoke('get_kernel_syms', table === null ? {} : { table });
  }

  /** `query_module`: ENOSYS on this era's kernels. */
  query_module(): SyscallReturn {
    return this.table.invoke('query_module', {});
  }

  /** `open(pathname, flags)` (opening `/dev/<module>` counts as a use). */
  open(path: UserArg<string>, flags = 0): SyscallReturn {
    return this.table.invoke('open', { pathname: path, flags });
  }

  /** `close(fd)`. */
  close(fd: number): SyscallReturn {
    return this.table.invoke('close', { fd });
  }

  /** `create_module`, throwing on failure; the address. */
  createModule(name: string, size: number): number {
    const r = this.create_module(name, size);
    check('create_module', r);
    return Number(r.ret);
  }

  /** `delete_module`, throwing on failure. */
  deleteModule(name?: string): void {
    check('delete_module', this.delete_module(name ?? null));
  }

  /** `get_kernel_syms`: the count, then the table, decoded (entries written; the count may be larger). */
  kernelSyms(): KernelSymEntry[] {
    const count = Number(this.get_kernel_syms(null).ret);
    const table = this.user.alloc(Math.max(count, 1) * KERNEL_SYM_V1.size);
    try {
      const r = this.get_kernel_syms(table);
      check('get_kernel_syms', r);
      const bytes = this.user.read(table, Number(r.ret) * KERNEL_SYM_V1.size);
      return bytes.ok ? decodeKernelSyms(bytes.value, Number(r.ret)) : [];
    } finally {
      this.user.unmap(table);
    }
  }
}
