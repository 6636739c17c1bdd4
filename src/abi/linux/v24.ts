/**
 * Linux 2.1.18 → 2.4 module ABI on i386 (ILP32): `struct module` and its companions byte for byte, the `MOD_*`
 * flags, the `query_module` selectors and the sizes that differ between 2.2 and 2.4.
 * Source: include/linux/module.h (2.2.1, 2.4.0, 2.4.27), include/asm-i386/uaccess.h (exception_table_entry),
 * include/asm-i386/page.h and processor.h (PAGE_SIZE, TASK_SIZE), include/asm-i386/unistd.h (open, close).
 * Offsets are hand-computed for i386 (every member is 4 bytes), as linux-legacy.md §B.2 does.
 * @module
 */

/** `struct module` member offsets on i386. Source: include/linux/module.h (2.4.27; 2.2 ends at `can_unload`). */
export const MODULE_OFFSETS = {
  /** `unsigned long size_of_struct`: `sizeof(struct module)` of whoever built the image. */
  size_of_struct: 0,
  /** `struct module *next`. */
  next: 4,
  /** `const char *name`. */
  name: 8,
  /** `unsigned long size` (bytes). */
  size: 12,
  /** `union { atomic_t usecount; long pad; } uc`. */
  usecount: 16,
  /** `unsigned long flags`. */
  flags: 20,
  /** `unsigned nsyms`. */
  nsyms: 24,
  /** `unsigned ndeps`. */
  ndeps: 28,
  /** `struct module_symbol *syms`. */
  syms: 32,
  /** `struct module_ref *deps`. */
  deps: 36,
  /** `struct module_ref *refs`. */
  refs: 40,
  /** `int (*init)(void)`. */
  init: 44,
  /** `void (*cleanup)(void)`. */
  cleanup: 48,
  /** `const struct exception_table_entry *ex_table_start`. */
  ex_table_start: 52,
  /** `const struct exception_table_entry *ex_table_end`. */
  ex_table_end: 56,
  /** `const struct module_persist *persist_start` (modutils: `read_start`). */
  persist_start: 60,
  /** `const struct module_persist *persist_end` (modutils: `read_end`). */
  persist_end: 64,
  /** `int (*can_unload)(void)`. */
  can_unload: 68,
  /** `int runsize` (2.4). */
  runsize: 72,
  /** `const char *kallsyms_start` (2.4). */
  kallsyms_start: 76,
  /** `const char *kallsyms_end` (2.4). */
  kallsyms_end: 80,
  /** `const char *archdata_start` (2.4). */
  archdata_start: 84,
  /** `const char *archdata_end` (2.4). */
  archdata_end: 88,
  /** `const char *kernel_data` (2.4; must be 0). */
  kernel_data: 92,
} as const;

/** A `struct module` member name. */
export type ModuleMember = keyof typeof MODULE_OFFSETS;

/** `sizeof(struct module)` of a 2.2 kernel (ends with `can_unload`). Source: include/linux/module.h (2.2.1). */
export const SIZEOF_MODULE_22 = 72;
/** `sizeof(struct module)` of a 2.4 kernel (ends with `kernel_data`). Source: include/linux/module.h (2.4.0). */
export const SIZEOF_MODULE_24 = 96;
/** `sizeof(struct module)` of modutils 2.4's own copy (what `insmod` writes into `size_of_struct`). */
export const SIZEOF_MODULE_MODUTILS = 96;

/**
 * `mod_member_present(mod, member)`: the image's `size_of_struct` covers the member.
 * Source: include/linux/module.h.
 */
export function modMemberPresent(sizeOfStruct: number, member: ModuleMember): boolean {
  return MODULE_OFFSETS[member] + 4 <= sizeOfStruct;
}

/** `struct module_symbol { unsigned long value; const char *name; }`. Source: include/linux/module.h. */
export const MODULE_SYMBOL = { value: 0, name: 4, size: 8 } as const;

/** `struct module_ref { struct module *dep, *ref; struct module_ref *next_ref; }`. Source: include/linux/module.h. */
export const MODULE_REF = { dep: 0, ref: 4, next_ref: 8, size: 12 } as const;

/** `struct module_info { addr, size, flags, usecount }` (the `QM_INFO` answer). Source: include/linux/module.h. */
export const MODULE_INFO = { addr: 0, size: 4, flags: 8, usecount: 12, sizeof: 16 } as const;

/** `struct kernel_sym { unsigned long value; char name[60]; }`. Source: include/linux/module.h. */
export const KERNEL_SYM = { value: 0, name: 4, nameLength: 60, size: 64 } as const;

/** `sizeof(struct exception_table_entry)` on i386 (`insn`, `fixup`). Source: include/asm-i386/uaccess.h. */
export const SIZEOF_EXCEPTION_TABLE_ENTRY = 8;

/** Module state: neither running nor deleted. Source: include/linux/module.h. */
export const MOD_UNINITIALIZED = 0;
/** `init()` returned 0. Source: include/linux/module.h. */
export const MOD_RUNNING = 1;
/** Being freed. Source: include/linux/module.h. */
export const MOD_DELETED = 2;
/** Reaped by `delete_module(NULL)` once unused (`insmod -k`). Source: include/linux/module.h. */
export const MOD_AUTOCLEAN = 4;
/** Used since the last autoclean pass. Source: include/linux/module.h. */
export const MOD_VISITED = 8;
/** Used at least once (or referenced by a dependent). Source: include/linux/module.h. */
export const MOD_USED_ONCE = 16;
/** Lost its last dependent in this autoclean pass. Source: include/linux/module.h. */
export const MOD_JUST_FREED = 32;
/** `init()` is running (2.3.32pre3 → 2.4). Source: include/linux/module.h (2.4.0). */
export const MOD_INITIALIZING = 64;

/** `query_module` selector: names of all modules. Source: include/linux/module.h. */
export const QM_MODULES = 1;
/** `query_module` selector: names of the modules a module uses. Source: include/linux/module.h. */
export const QM_DEPS = 2;
/** `query_module` selector: names of the modules using a module. Source: include/linux/module.h. */
export const QM_REFS = 3;
/** `query_module` selector: a module's (or the kernel's) symbols. Source: include/linux/module.h. */
export const QM_SYMBOLS = 4;
/** `query_module` selector: `struct module_info`. Source: include/linux/module.h. */
export const QM_INFO = 5;

/** The `query_module` selectors by name (scenario files may name them). */
export const QM_NAMES: Readonly<Record<string, number>> = {
  QM_MODULES,
  QM_DEPS,
  QM_REFS,
  QM_SYMBOLS,
  QM_INFO,
};

/** i386 `PAGE_SIZE`: `get_mod_name` copies at most this many bytes. Source: include/asm-i386/page.h. */
export const PAGE_SIZE_I386 = 4096;
/** i386 `TASK_SIZE` (`PAGE_OFFSET`, 3 GiB split): user pointers lie below it. Source: include/asm-i386/processor.h. */
export const TASK_SIZE_I386 = 0xc0000000;

/** i386 numbers of the file calls the simulated process uses. Source: include/asm-i386/unistd.h. */
export const I386_FILE_SYSCALLS = {
  open: 5,
  close: 6,
} as const;

/** `TAINT_PROPRIETORY_MODULE` (the 2.4 spelling). Source: include/linux/kernel.h (2.4.27). */
export const TAINT_PROPRIETORY_MODULE = 1;
/** `TAINT_FORCED_MODULE`. Source: include/linux/kernel.h (2.4.27). */
export const TAINT_FORCED_MODULE = 2;
/** `TAINT_UNSAFE_SMP`. Source: include/linux/kernel.h (2.4.27). */
export const TAINT_UNSAFE_SMP = 4;
