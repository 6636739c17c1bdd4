/**
 * The i386 syscall table of a 1.x / 2.0 kernel: `create_module` (127), `init_module` (128, five arguments),
 * `delete_module` (129), `get_kernel_syms` (130), and `open`/`close` (5/6) for module devices. `query_module`
 * (167) and `finit_module` (350) do not exist in this era: ENOSYS, which is how modutils tells an old kernel from
 * a new one. Without `CONFIG_MODULES` the four module calls are stubs returning ENOSYS. The mirror into the core
 * is rebuilt after every mutating call.
 * @see include/linux/unistd.h (1.2.13); kernel/module.c (1.3.89, 2.0.40 `#else` stubs); linux-legacy.md §A.1
 * @module
 */
import { SYSCALLS_I386 } from '../../abi/linux/syscalls-i386.js';
import { I386_FILE_SYSCALLS } from '../../abi/linux/v24.js';
import { err } from '../../core/result.js';
import type { SyscallArgs, SyscallReturn } from '../../core/syscall-table.js';
import { intArg, pick, pointerArg } from '../linux-v24/syscall-args.js';
import { atEdge } from '../linux-v24/syscalls.js';
import { createModule } from './create-module.js';
import { deleteModule } from './delete-module.js';
import { closeFile, openFile } from './file-syscalls.js';
import { getKernelSyms } from './get-kernel-syms.js';
import { initModule } from './init-module.js';
import type { LinuxV1Kernel } from './linux-v1-kernel.js';

/** Registers every call of the era. */
export function registerLinuxV1Syscalls(k: LinuxV1Kernel): void {
  const table = k.core.syscalls;
  const user = k.core.user;
  const modules = k.config.modules;
  const enosys = (where: string) =>
    atEdge(k, where, () => err('ENOSYS', `${where}: function not implemented`));
  /** Maps the named pointer arguments for the call, runs it, unmaps them. */
  const withPointers = (a: SyscallArgs, names: string[][], body: (ptrs: number[]) => SyscallReturn) => {
    const ptrs = names.map((alts) => pointerArg(user, pick(a, ...alts)));
    try {
      return body(ptrs.map((p) => p.ptr));
    } finally {
      for (const p of ptrs) p.release();
    }
  };
  table.register({
    nr: SYSCALLS_I386.create_module,
    name: 'create_module',
    argNames: ['module_name', 'size'],
    handler: (a) =>
      modules
        ? withPointers(a, [['module_name', 'name_user', 'name']], ([name]) =>
            atEdge(k, 'sys_create_module', () => createModule(k, name, intArg(pick(a, 'size'), 0))),
          )
        : enosys('create_module'),
  });
  table.register({
    nr: SYSCALLS_I386.init_module,
    name: 'init_module',
    argNames: ['module_name', 'code', 'codesize', 'routines', 'symtab'],
    handler: (a) =>
      modules
        ? withPointers(
            a,
            [['module_name', 'name_user', 'name'], ['code', 'image'], ['routines'], ['symtab']],
            ([name, code, routines, symtab]) =>
              atEdge(k, 'sys_init_module', (t) =>
                initModule(k, { name, code, codesize: intArg(pick(a, 'codesize'), 0), routines, symtab }, t),
              ),
          )
        : enosys('init_module'),
  });
  table.register({
    nr: SYSCALLS_I386.delete_module,
    name: 'delete_module',
    argNames: ['module_name'],
    handler: (a) =>
      modules
        ? withPointers(a, [['module_name', 'name_user', 'name']], ([name]) =>
            atEdge(k, 'sys_delete_module', () => deleteModule(k, name)),
          )
        : enosys('delete_module'),
  });
  table.register({
    nr: SYSCALLS_I386.get_kernel_syms,
    name: 'get_kernel_syms',
    argNames: ['table'],
    handler: (a) =>
      modules
        ? withPointers(a, [['table']], ([t]) =>
            atEdge(k, 'sys_get_kernel_syms', () => getKernelSyms(k, t), false),
          )
        : enosys('get_kernel_syms'),
  });
  table.register({
    nr: SYSCALLS_I386.query_module,
    name: 'query_module',
    argNames: ['name_user', 'which', 'buf', 'bufsize', 'ret'],
    handler: () => enosys('query_module'),
  });
  table.register({
    nr: SYSCALLS_I386.finit_module,
    name: 'finit_module',
    argNames: ['fd', 'uargs', 'flags'],
    handler: () => enosys('finit_module'),
  });
  table.register({
    nr: I386_FILE_SYSCALLS.open,
    name: 'open',
    argNames: ['pathname', 'flags', 'mode'],
    handler: (a) =>
      withPointers(a, [['pathname', 'path']], ([path]) =>
        atEdge(k, 'sys_open', () => openFile(k, path, intArg(pick(a, 'flags'), 0))),
      ),
  });
  table.register({
    nr: I386_FILE_SYSCALLS.close,
    name: 'close',
    argNames: ['fd'],
    handler: (a) => atEdge(k, 'sys_close', () => closeFile(k, intArg(pick(a, 'fd'), -1))),
  });
}
