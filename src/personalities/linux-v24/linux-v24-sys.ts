/**
 * The typed syscall facade of a linux-v24 kernel (`k.sys`): raw calls returning the Linux convention (`ret`,
 * `errno`, `errnoNumber`) with convenient arguments (names as strings, images as bytes mapped for the call) or
 * raw user pointers (numbers), and throwing conveniences that decode `query_module` and `get_kernel_syms`
 * buffers the way modutils does (growing the buffer on ENOSPC).
 * @module
 */
import {
  KERNEL_SYM,
  MODULE_INFO,
  QM_DEPS,
  QM_INFO,
  QM_MODULES,
  QM_REFS,
  QM_SYMBOLS,
} from '../../abi/linux/v24.js';
import { KmodsimError } from '../../core/kernel-error.js';
import type { SyscallArgs, SyscallReturn, SyscallTable } from '../../core/syscall-table.js';
import type { UserArg, UserMemory } from '../../core/user-memory.js';
import { latin1 } from './kernel-memory.js';

export type { UserArg };

/** `struct module_info` decoded. */
export interface ModuleInfo {
  /** The module's address. */
  readonly addr: number;
  /** Its size in bytes. */
  readonly size: number;
  /** `MOD_*` flags. */
  readonly flags: number;
  /** Use count (-1 when it has a `can_unload`). */
  readonly usecount: number;
}

/** One symbol of a `QM_SYMBOLS` answer or a `struct kernel_sym`. */
export interface SymbolEntry {
  /** Value. */
  readonly value: number;
  /** Name. */
  readonly name: string;
}

function check(call: string, r: SyscallReturn): void {
  if (r.errno !== undefined) throw new KmodsimError(call, r.errno, r.errnoNumber ?? 0, `${call} failed`);
}

function u32(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

function cstrings(b: Uint8Array, count: number): string[] {
  const out: string[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const end = b.indexOf(0, at);
    out.push(latin1(b.subarray(at, end < 0 ? b.length : end)));
    at = end + 1;
  }
  return out;
}

/** `k.sys` of linux-v24. Every call goes through the syscall table (and its trace). */
export class LinuxV24Sys {
  /** @internal */
  constructor(
    private readonly table: SyscallTable,
    private readonly user: UserMemory,
  ) {}

  /** `create_module(name, size)`: `ret` is the module's address (a bigint) on success. */
  create_module(name: UserArg<string>, size: number): SyscallReturn {
    return this.table.invoke('create_module', { name_user: name, size });
  }

  /** `init_module(name, image)`: the image is a `struct module` followed by the relocated body. */
  init_module(name: UserArg<string>, image: UserArg<Uint8Array>): SyscallReturn {
    return this.table.invoke('init_module', { name_user: name, mod_user: image });
  }

  /** `delete_module(name)`; `null` (or nothing) is `delete_module(NULL)`, autoclean reaping. */
  delete_module(name?: UserArg<string> | null): SyscallReturn {
    const args: SyscallArgs = name === null || name === undefined ? {} : { name_user: name };
    return this.table.invoke('delete_module', args);
  }

  /** `query_module(name, which, buf, bufsize, ret)` with raw pointers; `null` name is the kernel. */
  query_module(
    name: UserArg<string> | null,
    which: number | string,
    buf = 0,
    bufsize = 0,
    ret = 0,
  ): SyscallReturn {
    const args: Record<string, SyscallArgs[string]> = { which, buf, bufsize, ret };
    if (name !== null) args.name_user = name;
    return this.table.invoke('query_module', args);
  }

  /** `get_kernel_syms(table)`; `null` asks for the count. */
  get_kernel_syms(table: number | null): SyscallReturn {
    return this.table.invoke('get_kernel_syms', table === null ? {} : { table });
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

  /** `init_module`, throwing on failure. */
  initModule(name: string, image: Uint8Array): void {
    check('init_module', this.init_module(name, image));
  }

  /** `delete_module`, throwing on failure. */
  deleteModule(name?: string): void {
    check('delete_module', this.delete_module(name ?? null));
  }

  /** Runs a query with modutils' ENOSPC loop; the buffer and `*ret`. */
  private query(name: string | null, which: number, initial: number): { buf: Uint8Array; ret: number } {
    let size = initial;
    for (;;) {
      const buf = this.user.alloc(Math.max(size, 1));
      const ret = this.user.alloc(4);
      try {
        const r = this.query_module(name, which, buf, size, ret);
        const retBytes = this.user.read(ret, 4);
        const retValue = retBytes.ok ? u32(retBytes.value, 0) : 0;
        if (r.errno === 'ENOSPC' && retValue > size) {
          size = retValue;
          continue;
        }
        check('query_module', r);
        const bytes = this.user.read(buf, size);
        return { buf: bytes.ok ? bytes.value.slice() : new Uint8Array(0), ret: retValue };
      } finally {
        this.user.unmap(buf);
        this.user.unmap(ret);
      }
    }
  }

  /** `QM_MODULES`: every module, newest first. */
  queryModules(): string[] {
    const { buf, ret } = this.query(null, QM_MODULES, 256);
    return cstrings(buf, ret);
  }

  /** `QM_DEPS`: the modules `name` uses. */
  queryDeps(name: string): string[] {
    const { buf, ret } = this.query(name, QM_DEPS, 64);
    return cstrings(buf, ret);
  }

  /** `QM_REFS`: the modules using `name`. */
  queryRefs(name: string): string[] {
    const { buf, ret } = this.query(name, QM_REFS, 64);
    return cstrings(buf, ret);
  }

  /** `QM_SYMBOLS` of a module, or of the kernel when `name` is omitted. */
  querySymbols(name?: string): SymbolEntry[] {
    const { buf, ret } = this.query(name ?? null, QM_SYMBOLS, name === undefined ? 16 * 1024 : 1024);
    const out: SymbolEntry[] = [];
    for (let i = 0; i < ret; i++) {
      const at = u32(buf, i * 8 + 4);
      const end = buf.indexOf(0, at);
      out.push({ value: u32(buf, i * 8), name: latin1(buf.subarray(at, end < 0 ? buf.length : end)) });
    }
    return out;
  }

  /** `QM_INFO`. */
  queryInfo(name: string): ModuleInfo {
    const { buf } = this.query(name, QM_INFO, MODULE_INFO.sizeof);
    return {
      addr: u32(buf, MODULE_INFO.addr),
      size: u32(buf, MODULE_INFO.size),
      flags: u32(buf, MODULE_INFO.flags),
      usecount: u32(buf, MODULE_INFO.usecount) | 0,
    };
  }

  /** `get_kernel_syms`: the count, then the table. */
  kernelSyms(): SymbolEntry[] {
    const count = Number(this.get_kernel_syms(null).ret);
    const table = this.user.alloc(Math.max(count, 1) * KERNEL_SYM.size);
    try {
      const r = this.get_kernel_syms(table);
      check('get_kernel_syms', r);
      const n = Number(r.ret);
      const bytes = this.user.read(table, n * KERNEL_SYM.size);
      if (!bytes.ok) return [];
      const out: SymbolEntry[] = [];
      for (let i = 0; i < n; i++) {
        const at = i * KERNEL_SYM.size;
        const name = bytes.value.subarray(at + KERNEL_SYM.name, at + KERNEL_SYM.size);
        const end = name.indexOf(0);
        out.push({
          value: u32(bytes.value, at),
          name: latin1(name.subarray(0, end < 0 ? name.length : end)),
        });
      }
      return out;
    } finally {
      this.user.unmap(table);
    }
  }
}
