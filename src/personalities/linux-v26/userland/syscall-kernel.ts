/**
 * {@link KmodKernel} over a simulated kernel's syscall table: every module call goes through
 * `SyscallTable.invoke` (so experiments see it in the trace) with its arguments in user memory, as a process
 * passes them — the image and the parameter string are mapped, passed as pointers, and unmapped after the
 * call. Arguments are matched to the registered entry's `argNames` by position (C order), so the table's own
 * spelling is used. `open`/`close` go through the table too when the personality registers them, else through
 * the VFS as the calling process.
 * @module
 */
import type { ErrnoName } from '../../../abi/errno.js';
import type { KernelCore } from '../../../core/kernel-core.js';
import { fail, OK_VOID, ok, type Result } from '../../../core/result.js';
import type { SyscallArg, SyscallArgs, SyscallReturn } from '../../../core/syscall-table.js';
import type { KmodKernel } from './kmod-kernel.js';

/** `O_RDONLY | O_CLOEXEC` (x86). Source: include/uapi/asm-generic/fcntl.h. */
const O_RDONLY_CLOEXEC = 0o2000000;

/** Names the arguments of `name` by its registered `argNames`, in C order. */
function positional(core: KernelCore, name: string, values: readonly SyscallArg[]): SyscallArgs | undefined {
  const entry = core.syscalls.entry(name);
  if (entry === undefined) return undefined;
  const args: Record<string, SyscallArg> = {};
  entry.argNames.forEach((n, i) => {
    args[n] = values[i];
  });
  return args;
}

/** Calls `name` with positional arguments; ENOSYS when the table has no such call. */
function call(core: KernelCore, name: string, values: readonly SyscallArg[]): Result<number, ErrnoName> {
  const args = positional(core, name, values);
  if (args === undefined) return fail('ENOSYS');
  const r = core.syscalls.invoke(name, args);
  if (r.errno !== undefined) return fail(r.errno);
  return ok(Number(r.ret));
}

/** The module calls of the personality's typed facade (`k.sys`), which maps images and strings itself. */
export interface ModuleSyscallFacade {
  /** `init_module(umod, len, uargs)`. */
  init_module(image: Uint8Array, len?: number, params?: string): SyscallReturn;
  /** `finit_module(fd, uargs, flags)`. */
  finit_module(fd: number, params?: string, flags?: number): SyscallReturn;
  /** `delete_module(name_user, flags)`. */
  delete_module(name: string, flags?: number): SyscallReturn;
}

const result = (r: SyscallReturn): Result<void, ErrnoName> =>
  r.errno === undefined ? OK_VOID : fail(r.errno);

/**
 * The kernel side of kmod's tools, for a booted simulated kernel: module calls through the typed facade when
 * given (it maps the arguments into user memory and calls the table), else straight through the table.
 */
export function syscallKernel(core: KernelCore, sys?: ModuleSyscallFacade): KmodKernel {
  const table = tableKernel(core);
  if (sys === undefined) return table;
  return {
    open: table.open,
    close: table.close,
    finitModule: (fd, args, flags) => result(sys.finit_module(fd, args, flags)),
    initModule: (image, args) => result(sys.init_module(image, image.length, args)),
    deleteModule: (name, flags) => result(sys.delete_module(name, flags)),
  };
}

function tableKernel(core: KernelCore): KmodKernel {
  const user = core.user;
  return {
    open(path: string): Result<number, ErrnoName> {
      if (core.syscalls.entry('open') !== undefined) {
        const p = user.mapString(path);
        try {
          return call(core, 'open', [p, O_RDONLY_CLOEXEC, 0]);
        } finally {
          user.unmap(p);
        }
      }
      const fd = core.vfs.open(path, { read: true, write: false });
      return fd.ok ? ok(fd.value) : fail(fd.error.errno);
    },
    close(fd: number): void {
      if (core.syscalls.entry('close') !== undefined) call(core, 'close', [fd]);
      else core.vfs.close(fd);
    },
    finitModule(fd: number, args: string, flags: number): Result<void, ErrnoName> {
      const a = user.mapString(args);
      try {
        const r = call(core, 'finit_module', [fd, a, flags]);
        return r.ok ? OK_VOID : r;
      } finally {
        user.unmap(a);
      }
    },
    initModule(image: Uint8Array, args: string): Result<void, ErrnoName> {
      const m = user.map(image, false);
      const a = user.mapString(args);
      try {
        const r = call(core, 'init_module', [m, image.length, a]);
        return r.ok ? OK_VOID : r;
      } finally {
        user.unmap(m);
        user.unmap(a);
      }
    },
    deleteModule(name: string, flags: number): Result<void, ErrnoName> {
      const n = user.mapString(name);
      try {
        const r = call(core, 'delete_module', [n, flags]);
        return r.ok ? OK_VOID : r;
      } finally {
        user.unmap(n);
      }
    },
  };
}
