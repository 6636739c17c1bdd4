/**
 * i386 system call numbers of the module calls.
 * Source: include/asm-i386/unistd.h (2.2/2.4), arch/x86/entry/syscalls/syscall_32.tbl (2.6+).
 * @module
 */

/** i386 syscall numbers (`__NR_*`) for the module interfaces of every Linux era. */
export const SYSCALLS_I386 = {
  create_module: 127,
  init_module: 128,
  delete_module: 129,
  get_kernel_syms: 130,
  query_module: 167,
  finit_module: 350,
} as const;
