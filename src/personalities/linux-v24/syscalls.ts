/**
 * The i386 syscall table of a 2.2/2.4 kernel: `create_module` (127), `init_module` (128), `delete_module` (129),
 * `get_kernel_syms` (130), `query_module` (167), `finit_module` (350, which such a kernel does not have:
 * ENOSYS), and `open`/`close` (5/6) for module devices. Without `CONFIG_MODULES` every module call is ENOSYS
 * except `query_module(…, 0, …)`, which answers 0. A simulated oops (a dangling kernel pointer) is logged and
 * answered EFAULT; the core mirror is rebuilt after every call.
 * @see include/asm-i386/unistd.h; kernel/module.c (the `#else /* CONFIG_MODULES *\/` stubs); linux-legacy.md §B.1
 * @module
 */
import { SYSCALLS_I386 } from '../../abi/linux/syscalls-i386.js';
import { I386_FILE_SYSCALLS } from '../../abi/linux/v24.js';
import type { KernelCore } from '../../core/kernel-core.js';
import type { PipelineTrace } from '../../core/pipeline.js';
import { err, type Result } from '../../core/result.js';
import type { SyscallArgs, SyscallReturn } from '../../core/syscall-table.js';
import { toSyscallReturn } from '../personality.js';
import { createModule } from './create-module.js';
import { deleteModule } from './delete-module.js';
import { closeFile, openFile } from './file-syscalls.js';
import { getKernelSyms } from './get-kernel-syms.js';
import { initModule } from './init-module.js';
import { type KernelMemory, KernelOops } from './kernel-memory.js';
import type { LinuxV24Kernel } from './linux-v24-kernel.js';
import { queryModule } from './query-module.js';
import { intArg, pick, pointerArg, whichArg } from './syscall-args.js';

/** What {@link atEdge} needs of an i386 legacy kernel (linux-v24, linux-v1). */
export interface EdgeKernel {
  /** The core services (log). */
  readonly core: KernelCore;
  /** Module memory, whose lookup index every call starts afresh. */
  readonly mem: KernelMemory;
  /** Rebuilds the core mirror after a mutating call. */
  sync(): void;
  /** Logs a simulated oops. */
  oops(e: KernelOops, where: string): void;
}

/** Runs a syscall body at the edge: oops and bug handling, the mirror rebuild, the raw return. */
export function atEdge(
  k: EdgeKernel,
  where: string,
  run: (trace: PipelineTrace) => Result<number | bigint>,
  mutates = true,
): SyscallReturn {
  const trace: PipelineTrace = { steps: [], undone: [] };
  let r: Result<number | bigint>;
  k.mem.invalidate();
  try {
    r = run(trace);
  } catch (e) {
    if (e instanceof KernelOops) {
      k.oops(e, where);
      r = err('EFAULT', e.message);
    } else {
      const text = `BUG: kmodsim internal error in ${where}: ${e instanceof Error ? e.message : String(e)}`;
      k.core.log.log('crit', text);
      r = err('EFAULT', text);
    }
  }
  // The reason goes to the log at debug level; ENOSPC is query_module's size protocol, not a failure.
  if (!r.ok && r.error.errno !== 'ENOSPC') k.core.log.debug(`${where}: ${r.error.errno}: ${r.error.reason}`);
  // Read-only calls (query_module, get_kernel_syms) change nothing the mirror shows.
  if (mutates) k.sync();
  const out = toSyscallReturn('linux', r);
  return trace.steps.length > 0 ? { ...out, pipeline: trace.steps } : out;
}

function enosys(k: LinuxV24Kernel, where: string): SyscallReturn {
  return atEdge(k, where, () => err('ENOSYS', `${where}: function not implemented`));
}

/** Registers every call of the era. */
export function registerLinuxV24Syscalls(k: LinuxV24Kernel): void {
  const table = k.core.syscalls;
  const user = k.core.user;
  const modules = k.config.modules;
  table.register({
    nr: SYSCALLS_I386.create_module,
    name: 'create_module',
    argNames: ['name_user', 'size'],
    handler: (a: SyscallArgs) => {
      if (!modules) return enosys(k, 'create_module');
      const name = pointerArg(user, pick(a, 'name_user', 'name'));
      try {
        return atEdge(k, 'sys_create_module', () => createModule(k, name.ptr, intArg(pick(a, 'size'), 0)));
      } finally {
        name.release();
      }
    },
  });
  table.register({
    nr: SYSCALLS_I386.init_module,
    name: 'init_module',
    argNames: ['name_user', 'mod_user'],
    handler: (a: SyscallArgs) => {
      if (!modules) return enosys(k, 'init_module');
      // A 2.6-style call (umod, len, uargs) lands in the same registers: the image is read as the name and
      // the length as the struct pointer, as a 2.4 kernel would.
      const legacyForm = !('umod' in a);
      const name = pointerArg(user, legacyForm ? pick(a, 'name_user', 'name') : a.umod);
      const image = pointerArg(user, legacyForm ? pick(a, 'mod_user', 'image') : intArg(a.len, 0));
      try {
        return atEdge(k, 'sys_init_module', (t) => initModule(k, name.ptr, image.ptr, t));
      } finally {
        name.release();
        image.release();
      }
    },
  });
  table.register({
    nr: SYSCALLS_I386.delete_module,
    name: 'delete_module',
    argNames: ['name_user'],
    handler: (a: SyscallArgs) => {
      if (!modules) return enosys(k, 'delete_module');
      const name = pointerArg(user, pick(a, 'name_user', 'name'));
      try {
        return atEdge(k, 'sys_delete_module', () => deleteModule(k, name.ptr));
      } finally {
        name.release();
      }
    },
  });
  table.register({
    nr: SYSCALLS_I386.get_kernel_syms,
    name: 'get_kernel_syms',
    argNames: ['table'],
    handler: (a: SyscallArgs) => {
      if (!modules) return enosys(k, 'get_kernel_syms');
      const t = pointerArg(user, pick(a, 'table'));
      return atEdge(k, 'sys_get_kernel_syms', () => getKernelSyms(k, t.ptr), false);
    },
  });
  table.register({
    nr: SYSCALLS_I386.query_module,
    name: 'query_module',
    argNames: ['name_user', 'which', 'buf', 'bufsize', 'ret'],
    handler: (a: SyscallArgs) => {
      const which = whichArg(pick(a, 'which'));
      if (!modules)
        return which === 0
          ? atEdge(k, 'sys_query_module', () => ({ ok: true, value: 0 }))
          : enosys(k, 'query_module');
      const name = pointerArg(user, pick(a, 'name_user', 'name'));
      try {
        return atEdge(
          k,
          'sys_query_module',
          () =>
            queryModule(
              k,
              name.ptr,
              which,
              intArg(pick(a, 'buf'), 0) >>> 0,
              intArg(pick(a, 'bufsize'), 0),
              intArg(pick(a, 'ret'), 0) >>> 0,
            ),
          false,
        );
      } finally {
        name.release();
      }
    },
  });
  table.register({
    nr: SYSCALLS_I386.finit_module,
    name: 'finit_module',
    argNames: ['fd', 'uargs', 'flags'],
    handler: () => enosys(k, 'finit_module'),
  });
  table.register({
    nr: I386_FILE_SYSCALLS.open,
    name: 'open',
    argNames: ['pathname', 'flags', 'mode'],
    handler: (a: SyscallArgs) => {
      const path = pointerArg(user, pick(a, 'pathname', 'path'));
      try {
        return atEdge(k, 'sys_open', () => openFile(k, path.ptr, intArg(pick(a, 'flags'), 0)));
      } finally {
        path.release();
      }
    },
  });
  table.register({
    nr: I386_FILE_SYSCALLS.close,
    name: 'close',
    argNames: ['fd'],
    handler: (a: SyscallArgs) => atEdge(k, 'sys_close', () => closeFile(k, intArg(pick(a, 'fd'), -1))),
  });
}
