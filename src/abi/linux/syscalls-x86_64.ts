/**
 * x86_64 system call numbers of the module calls.
 * Source: arch/x86/entry/syscalls/syscall_64.tbl.
 * @module
 */

/** x86_64 syscall numbers (`__NR_*`); the 2.4-era calls keep their slots but answer ENOSYS on 2.6+. */
export const SYSCALLS_X86_64 = {
  create_module: 174,
  init_module: 175,
  delete_module: 176,
  get_kernel_syms: 177,
  query_module: 178,
  finit_module: 313,
} as const;
