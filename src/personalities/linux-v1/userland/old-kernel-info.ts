/**
 * modutils' view of a pre-2.1 kernel (where its `query_module(NULL, 0, …)` probe fails; the 1.x tools here
 * know their kernel and skip the probe, so traces show only the era's own calls): the symbols come from
 * `get_kernel_syms` — every `#name` entry with a name starts a module whose symbols follow (its value is the
 * `struct module` address insmod later puts in a `module_ref`), and the first bare `#` starts the kernel's
 * symbols, which run to the end (pseudo modules' `#` entries included).
 * @see modutils util/modstat.c old_get_kernel_info (2.4, COMPAT_2_0); linux-legacy.md §A.10
 * @module
 */
import type { ErrnoName } from '../../../abi/errno.js';
import { KERNEL_SYM_V1 } from '../../../abi/linux/v1.js';
import type { ModuleStat, StatSymbol } from '../../linux-v24/userland/modstat.js';
import { strerror } from '../../linux-v24/userland/strerror.js';
import { decodeKernelSyms } from '../linux-v1-sys.js';
import type { V1ToolsContext } from './v1-tools-context.js';

/** What the old-kernel probe collected. */
export interface OldKernelInfo {
  /** `module_stat`, newest first; `addr` is the `struct module` address. */
  readonly modules: ModuleStat[];
  /** The kernel's (and resident tables') symbols. */
  readonly ksyms: StatSymbol[];
}

/** A failure: the message and the errno behind it. */
export interface OldKernelInfoError {
  /** The `error()` line. */
  readonly message: string;
  /** The failing call's errno. */
  readonly errno: ErrnoName;
}

/** `get_kernel_info(K_SYMBOLS)` on a kernel without `query_module`. */
export function oldGetKernelInfo(ctx: V1ToolsContext): OldKernelInfo | OldKernelInfoError {
  const n = ctx.sys.get_kernel_syms(null);
  if (n.errno !== undefined) return { message: `get_kernel_syms: ${strerror(n.errno)}`, errno: n.errno };
  const count = Number(n.ret);
  const user = ctx.core.user;
  const table = user.alloc(Math.max(count, 1) * KERNEL_SYM_V1.size);
  try {
    const r = ctx.sys.get_kernel_syms(table);
    if (r.errno !== undefined) return { message: `get_kernel_syms: ${strerror(r.errno)}`, errno: r.errno };
    const bytes = user.read(table, count * KERNEL_SYM_V1.size);
    const entries = bytes.ok ? decodeKernelSyms(bytes.value, count) : [];
    const modules: ModuleStat[] = [];
    const ksyms: StatSymbol[] = [];
    let current: ModuleStat | undefined;
    let kernel = false;
    for (const e of entries) {
      if (!kernel && e.name.startsWith('#')) {
        if (e.name === '#') {
          kernel = true;
          continue;
        }
        current = {
          name: e.name.slice(1),
          addr: e.value,
          size: 0,
          flags: 0,
          usecount: 0,
          syms: [],
          refs: [],
          status: 0,
        };
        modules.push(current);
        continue;
      }
      if (kernel) {
        if (e.name !== '#') ksyms.push({ value: e.value, name: e.name });
      } else current?.syms.push({ value: e.value, name: e.name });
    }
    return { modules, ksyms };
  } finally {
    user.unmap(table);
  }
}
