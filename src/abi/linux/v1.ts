/**
 * The Linux 1.x / 2.0 module interface: `struct module` states, name limits, the use-count word's flag bits and
 * the i386 layouts of the structures `get_kernel_syms`, `init_module` and insmod exchange.
 * Source: include/linux/module.h (1.2.13, 1.3.89, 2.0.40); kernel/module.c (same); linux-legacy.md §A.2.
 * Offsets and sizes are i386 (ILP32), computed from the headers.
 * @module
 */

/** `MOD_UNINITIALIZED`: created, `init_module` not (successfully) run. */
export const MOD_UNINITIALIZED = 0;
/** `MOD_RUNNING`. */
export const MOD_RUNNING = 1;
/** `MOD_DELETED`: deleted, kept while its use count or referrers keep it. */
export const MOD_DELETED = 2;

/** `MOD_MAX_NAME`: a module name with its NUL (63 characters at most). */
export const MOD_MAX_NAME = 64;
/** `SYM_MAX_NAME`: `struct kernel_sym.name` bytes. */
export const SYM_MAX_NAME = 60;

/** `MOD_AUTOCLEAN` (1.3.57+): in the use-count word, and or'ed into `init_module`'s codesize. */
export const MOD_AUTOCLEAN = 0x40000000;
/** `MOD_VISITED` (pre2.0.5+): set in the use-count word by `MOD_INC/DEC_USE_COUNT`. */
export const MOD_VISITED = 0x20000000;

/** A `symtab` pointer above this is taken for an old insmod's and ignored (`init_module`, i386). */
export const OLD_INSMOD_SYMTAB_LIMIT = 0xb0000000;

/** `PAGE_SIZE` on i386. */
export const PAGE_SIZE_V1 = 4096;

/** `struct kernel_sym` (64 bytes): `value`, `name[60]`. Equivalent to `struct kernel_sym`. */
export const KERNEL_SYM_V1 = { size: 64, value: 0, name: 4 } as const;

/** `struct mod_routines` (8 bytes). Equivalent to `struct mod_routines`. */
export const MOD_ROUTINES = { size: 8, init: 0, cleanup: 4 } as const;

/** `struct symbol_table` header (12 bytes); `internal_symbol`s, then `module_ref`s, then strings follow. */
export const SYMBOL_TABLE = { header: 12, size: 0, n_symbols: 4, n_refs: 8 } as const;

/** `struct internal_symbol` (8 bytes): `addr`, `name` (an offset from the table start as insmod passes it). */
export const INTERNAL_SYMBOL = { size: 8, addr: 0, name: 4 } as const;

/** `struct module_ref` (8 bytes): `module`, `next`. */
export const MODULE_REF_V1 = { size: 8, module: 0, next: 4 } as const;

/** `sizeof(struct module)` (32 bytes); the kernel kmallocs it with `MOD_MAX_NAME` more for the name. */
export const SIZEOF_MODULE_V1 = 32;
