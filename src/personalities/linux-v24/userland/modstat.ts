/**
 * modutils' `get_kernel_info`: the loaded modules (QM_MODULES), each one's `module_info` (QM_INFO), the modules
 * using it (QM_REFS) and its symbols (QM_SYMBOLS), and the kernel's symbols — all through `query_module` with
 * buffers in the process's memory grown on ENOSPC to the size the kernel asked for.
 * @see modutils util/modstat.c new_get_kernel_info, get_kernel_info; include/modstat.h
 * @module
 */

import type { ErrnoName } from '../../../abi/errno.js';
import { MOD_DELETED, QM_INFO, QM_MODULES, QM_REFS, QM_SYMBOLS } from '../../../abi/linux/v24.js';
import { latin1 } from '../kernel-memory.js';
import type { ModutilsContext } from './modutils-context.js';
import { strerror } from './strerror.js';

/** `K_SYMBOLS`: want symbols. */
export const K_SYMBOLS = 1;
/** `K_INFO`: want sizes, flags, use counts. */
export const K_INFO = 2;
/** `K_REFS`: want the modules using each one. */
export const K_REFS = 4;

/** `struct module_symbol` as insmod holds it (name already a string). */
export interface StatSymbol {
  /** Value. */
  readonly value: number;
  /** Name. */
  name: string;
}

/** `struct module_stat`. */
export interface ModuleStat {
  /** Name. */
  readonly name: string;
  /** `QM_INFO` addr (the module's struct). */
  addr: number;
  /** Size. */
  size: number;
  /** Flags. */
  flags: number;
  /** Use count. */
  usecount: number;
  /** Symbols. */
  syms: StatSymbol[];
  /** Indices (into the list) of the modules using this one. */
  refs: number[];
  /** 1 when insmod bound one of its symbols (`used`). */
  status: number;
}

/** What `get_kernel_info` collected. */
export interface KernelInfo {
  /** `module_stat`, newest first. */
  readonly modules: ModuleStat[];
  /** `ksyms`: the kernel's symbols. */
  readonly ksyms: StatSymbol[];
  /** `k_new_syscalls`. */
  readonly newSyscalls: boolean;
}

/** A failure: modutils' message and the errno behind it. */
export interface KernelInfoError {
  /** The `error()` line. */
  readonly message: string;
  /** The failing call's errno. */
  readonly errno: ErrnoName;
}

function u32(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

/** One `query_module` call with modutils' ENOSPC loop. */
function query(
  ctx: ModutilsContext,
  name: string | null,
  which: number,
  initial: number,
): { bytes: Uint8Array; ret: number } | { errno: ErrnoName } {
  const user = ctx.core.user;
  let size = initial;
  for (;;) {
    const buf = user.alloc(Math.max(size, 1));
    const ret = user.alloc(4);
    try {
      const r = ctx.sys.query_module(name, which, buf, size, ret);
      const rb = user.read(ret, 4);
      const retValue = rb.ok ? u32(rb.value, 0) : 0;
      if (r.errno === undefined) {
        const b = user.read(buf, size);
        return { bytes: b.ok ? b.value.slice() : new Uint8Array(0), ret: retValue };
      }
      if (r.errno !== 'ENOSPC') return { errno: r.errno };
      size = retValue;
    } finally {
      user.unmap(buf);
      user.unmap(ret);
    }
  }
}

function names(bytes: Uint8Array, count: number): string[] {
  const out: string[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    let end = bytes.indexOf(0, at);
    if (end < 0) end = bytes.length;
    out.push(latin1(bytes.subarray(at, end)));
    at = end + 1;
  }
  return out;
}

function symbols(bytes: Uint8Array, count: number): StatSymbol[] {
  const out: StatSymbol[] = [];
  for (let i = 0; i < count && i * 8 + 8 <= bytes.length; i++) {
    const at = u32(bytes, i * 8 + 4);
    let end = bytes.indexOf(0, at);
    if (end < 0) end = bytes.length;
    out.push({ value: u32(bytes, i * 8), name: latin1(bytes.subarray(Math.min(at, bytes.length), end)) });
  }
  return out;
}

/** `get_kernel_info(type)`. */
export function getKernelInfo(ctx: ModutilsContext, type: number): KernelInfo | KernelInfoError {
  const newSyscalls = ctx.sys.query_module(null, 0).errno === undefined;
  const fail = (message: string, errno: ErrnoName): KernelInfoError => ({
    message: message.replace('%m', strerror(errno)),
    errno,
  });
  const all = query(ctx, null, QM_MODULES, 256);
  if ('errno' in all) return fail('QM_MODULES: %m\n', all.errno);
  const modules: ModuleStat[] = names(all.bytes, all.ret).map((name) => ({
    name,
    addr: 0,
    size: 0,
    flags: 0,
    usecount: 0,
    syms: [],
    refs: [],
    status: 0,
  }));
  for (const [i, m] of modules.entries()) {
    const info = query(ctx, m.name, QM_INFO, 16);
    if ('errno' in info) {
      if (info.errno === 'ENOENT') {
        m.flags = MOD_DELETED;
        continue;
      }
      return fail(`module ${m.name}: QM_INFO: %m`, info.errno);
    }
    m.addr = u32(info.bytes, 0);
    if (type & K_INFO) {
      m.size = u32(info.bytes, 4);
      m.flags = u32(info.bytes, 8);
      m.usecount = u32(info.bytes, 12) | 0;
    }
    if (type & K_REFS) {
      const refs = query(ctx, m.name, QM_REFS, 64);
      // modutils returns "success" here on error (return 1), with the message printed.
      if ('errno' in refs) return { modules, ksyms: [], newSyscalls };
      for (const r of names(refs.bytes, refs.ret)) {
        const j = modules.findIndex((o, k) => k < i && o.name === r);
        if (j >= 0) m.refs.push(j);
      }
    }
    if (type & K_SYMBOLS) {
      const syms = query(ctx, m.name, QM_SYMBOLS, 1024);
      if ('errno' in syms) {
        if (syms.errno === 'ENOENT') {
          m.flags = MOD_DELETED;
          continue;
        }
        return fail(`module ${m.name}: QM_SYMBOLS: %m`, syms.errno);
      }
      m.syms = symbols(syms.bytes, syms.ret);
    }
  }
  let ksyms: StatSymbol[] = [];
  if (type & K_SYMBOLS) {
    const k = query(ctx, null, QM_SYMBOLS, 16 * 1024);
    if ('errno' in k) return fail('kernel: QM_SYMBOLS: %m', k.errno);
    ksyms = symbols(k.bytes, k.ret);
  }
  return { modules, ksyms, newSyscalls };
}
