/**
 * The x86_64 syscall table of a 2.6+ kernel: the module calls, the 2.4-era numbers answering ENOSYS, and the
 * file calls the simulated process needs.
 * @see arch/x86/entry/syscalls/syscall_64.tbl; kernel/sys_ni.c
 * @module
 */
import { SYSCALLS_X86_64 } from '../../abi/linux/syscalls-x86_64.js';
import { X86_64_FILE_SYSCALLS } from '../../abi/linux/v26.js';
import type { PipelineTrace } from '../../core/pipeline.js';
import { err, type Result } from '../../core/result.js';
import type { SyscallArgs, SyscallReturn } from '../../core/syscall-table.js';
import { toSyscallReturn } from '../personality.js';
import { deleteModule } from './delete-module.js';
import { closeFile, openFile } from './file-syscalls.js';
import { finitModule } from './finit-module.js';
import { initModule } from './init-module.js';
import type { LinuxV26Kernel } from './linux-v26-kernel.js';
import { flagsArg, has, intArg, pick, pointerArg } from './syscall-args.js';

function withTrace(k: LinuxV26Kernel, run: (trace: PipelineTrace) => Result<number>): SyscallReturn {
  const trace: PipelineTrace = { steps: [], undone: [] };
  let r: Result<number>;
  try {
    r = run(trace);
  } catch (e) {
    // A JS exception inside a syscall is a simulator bug: logged as a kernel BUG, answered with EFAULT.
    const text = `BUG: kmodsim internal error: ${e instanceof Error ? e.message : String(e)}`;
    k.core.log.log('crit', text);
    r = err('EFAULT', text);
  }
  const out = toSyscallReturn('linux', r);
  return trace.steps.length > 0 ? { ...out, pipeline: trace.steps } : out;
}

function enosys(): SyscallReturn {
  return toSyscallReturn('linux', err('ENOSYS', 'function not implemented'));
}

/** Registers every call of the era. */
export function registerLinuxV26Syscalls(k: LinuxV26Kernel): void {
  const table = k.core.syscalls;
  const user = k.core.user;
  table.register({
    nr: SYSCALLS_X86_64.init_module,
    name: 'init_module',
    argNames: ['umod', 'len', 'uargs'],
    handler: (a: SyscallArgs) => {
      const img = pointerArg(user, pick(a, 'umod', 'image'));
      const args = has(a, 'uargs', 'params', 'param_values')
        ? pointerArg(user, pick(a, 'uargs', 'params', 'param_values'))
        : pointerArg(user, '');
      try {
        const len = intArg(pick(a, 'len'), img.length ?? 0);
        return withTrace(k, (t) => initModule(k, img.ptr, len, args.ptr, t));
      } finally {
        img.release();
        args.release();
      }
    },
  });
  table.register({
    nr: SYSCALLS_X86_64.finit_module,
    name: 'finit_module',
    argNames: ['fd', 'uargs', 'flags'],
    handler: (a: SyscallArgs) => {
      if (!k.era.hasFinitModule) return enosys();
      const args = has(a, 'uargs', 'params', 'param_values')
        ? pointerArg(user, pick(a, 'uargs', 'params', 'param_values'))
        : pointerArg(user, '');
      let fd = intArg(pick(a, 'fd'), -1);
      const path = pick(a, 'fd', 'file', 'path');
      let opened = false;
      if (typeof path === 'string' && !/^-?\d+$/.test(path)) {
        const o = k.core.vfs.open(path, { read: true, write: false });
        if (o.ok) {
          fd = o.value;
          opened = true;
        }
      }
      try {
        return withTrace(k, (t) => finitModule(k, fd, args.ptr, flagsArg(pick(a, 'flags')), t));
      } finally {
        args.release();
        if (opened) k.core.vfs.close(fd);
      }
    },
  });
  table.register({
    nr: SYSCALLS_X86_64.delete_module,
    name: 'delete_module',
    argNames: ['name_user', 'flags'],
    handler: (a: SyscallArgs) => {
      if (!k.config.moduleUnload) return enosys();
      const name = pointerArg(user, pick(a, 'name_user', 'name', 'module'));
      try {
        return withTrace(k, () => deleteModule(k, name.ptr, flagsArg(pick(a, 'flags')) >>> 0));
      } finally {
        name.release();
      }
    },
  });
  for (const [nm, args] of [
    ['create_module', ['name', 'size']],
    ['get_kernel_syms', ['table']],
    ['query_module', ['name', 'which', 'buf', 'bufsize', 'ret']],
  ] as const) {
    table.register({ nr: SYSCALLS_X86_64[nm], name: nm, argNames: args, handler: enosys });
  }
  table.register({
    nr: X86_64_FILE_SYSCALLS.open,
    name: 'open',
    argNames: ['pathname', 'flags', 'mode'],
    handler: (a: SyscallArgs) => {
      const p = pointerArg(user, pick(a, 'pathname', 'path'));
      try {
        return withTrace(k, () =>
          openFile(k, p.ptr, flagsArg(pick(a, 'flags')), intArg(pick(a, 'mode'), 0o644)),
        );
      } finally {
        p.release();
      }
    },
  });
  table.register({
    nr: X86_64_FILE_SYSCALLS.close,
    name: 'close',
    argNames: ['fd'],
    handler: (a: SyscallArgs) => withTrace(k, () => closeFile(k, intArg(pick(a, 'fd'), -1))),
  });
}
