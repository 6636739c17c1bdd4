/**
 * Linux 2.6 → 6.x module ABI: `finit_module` flags, `delete_module` flags, module states, modversions and
 * signature layouts, taint flags.
 * Source: include/uapi/linux/module.h, include/linux/module.h, include/linux/module_signature.h,
 * include/uapi/asm-generic/fcntl.h, kernel/panic.c (taint_flags[]).
 * @module
 */

/** Ignore symbol version hashes. Source: include/uapi/linux/module.h. */
export const MODULE_INIT_IGNORE_MODVERSIONS = 1;
/** Ignore kernel version magic. Source: include/uapi/linux/module.h. */
export const MODULE_INIT_IGNORE_VERMAGIC = 2;
/** The file is compressed; the kernel decompresses it (5.17+). Source: include/uapi/linux/module.h. */
export const MODULE_INIT_COMPRESSED_FILE = 4;

/** `O_TRUNC` (x86, asm-generic): `delete_module` force flag. Source: include/uapi/asm-generic/fcntl.h. */
export const O_TRUNC = 0o1000;
/** `O_NONBLOCK` (x86, asm-generic). Source: include/uapi/asm-generic/fcntl.h. */
export const O_NONBLOCK = 0o4000;
/** `O_EXCL`. Source: include/uapi/asm-generic/fcntl.h. */
export const O_EXCL = 0o200;
/** `O_RDONLY`. Source: include/uapi/asm-generic/fcntl.h. */
export const O_RDONLY = 0;
/** `O_WRONLY`. Source: include/uapi/asm-generic/fcntl.h. */
export const O_WRONLY = 1;
/** `O_RDWR`. Source: include/uapi/asm-generic/fcntl.h. */
export const O_RDWR = 2;
/** `O_ACCMODE`. Source: include/uapi/asm-generic/fcntl.h. */
export const O_ACCMODE = 3;
/** `O_CREAT`. Source: include/uapi/asm-generic/fcntl.h. */
export const O_CREAT = 0o100;
/** `O_DIRECTORY`. Source: include/uapi/asm-generic/fcntl.h. */
export const O_DIRECTORY = 0o200000;
/** `O_PATH` (since 2.6.39). Source: include/uapi/asm-generic/fcntl.h. */
export const O_PATH = 0o10000000;
/** `O_CLOEXEC`. Source: include/uapi/asm-generic/fcntl.h. */
export const O_CLOEXEC = 0o2000000;

/** x86_64 numbers of the file calls the simulated process uses. Source: arch/x86/entry/syscalls/syscall_64.tbl. */
export const X86_64_FILE_SYSCALLS = {
  open: 2,
  close: 3,
} as const;

/** `MODULE_NAME_LEN` on 64-bit: `64 - sizeof(unsigned long)`. Source: include/linux/module.h. */
export const MODULE_NAME_LEN = 56;

/** `enum module_state`. Source: include/linux/module.h. */
export const MODULE_STATE = {
  /** Normal state. */
  LIVE: 0,
  /** Full formed, running module_init. */
  COMING: 1,
  /** Going away. */
  GOING: 2,
  /** Still setting it up. */
  UNFORMED: 3,
} as const;

/** A module state name. */
export type ModuleStateName = keyof typeof MODULE_STATE;

/** `sizeof(struct modversion_info)` on 64-bit: `{ unsigned long crc; char name[MODULE_NAME_LEN]; }`. */
export const MODVERSION_INFO_SIZE = 64;

/** `MODULE_SIG_STRING`. Source: include/linux/module_signature.h. */
export const MODULE_SIG_STRING = '~Module signature appended~\n';
/** `sizeof(struct module_signature)`. Source: include/linux/module_signature.h. */
export const MODULE_SIGNATURE_SIZE = 12;
/** `PKEY_ID_PKCS7`. Source: include/linux/module_signature.h. */
export const PKEY_ID_PKCS7 = 2;

/** `sizeof(Elf64_Ehdr)`. */
export const SIZEOF_ELF64_EHDR = 64;

/** `sizeof(struct module)` of the simulated x86_64 kernel (Debian 6.1 build: 0x380). */
export const SIZEOF_STRUCT_MODULE = 0x380;
/** Offset of `struct module.init` in that build. */
export const STRUCT_MODULE_INIT_OFFSET = 0x138;
/** Offset of `struct module.exit` in that build. */
export const STRUCT_MODULE_EXIT_OFFSET = 0x350;
/** Offset of `struct module.name`. */
export const STRUCT_MODULE_NAME_OFFSET = 24;

/** One taint flag of `taint_flags[]`. */
export interface TaintFlag {
  /** Bit number (`TAINT_*`). */
  readonly bit: number;
  /** `TAINT_*` name without the prefix. */
  readonly name: string;
  /** Letter when set. */
  readonly letter: string;
  /** Letter when clear (`G` for bit 0, else a space). */
  readonly clear: string;
  /** Whether it is shown per module (`module` field). */
  readonly module: boolean;
}

/** `taint_flags[]`. Source: kernel/panic.c. */
export const TAINT_FLAGS: readonly TaintFlag[] = [
  { bit: 0, name: 'PROPRIETARY_MODULE', letter: 'P', clear: 'G', module: true },
  { bit: 1, name: 'FORCED_MODULE', letter: 'F', clear: ' ', module: true },
  { bit: 2, name: 'CPU_OUT_OF_SPEC', letter: 'S', clear: ' ', module: false },
  { bit: 3, name: 'FORCED_RMMOD', letter: 'R', clear: ' ', module: false },
  { bit: 4, name: 'MACHINE_CHECK', letter: 'M', clear: ' ', module: false },
  { bit: 5, name: 'BAD_PAGE', letter: 'B', clear: ' ', module: false },
  { bit: 6, name: 'USER', letter: 'U', clear: ' ', module: false },
  { bit: 7, name: 'DIE', letter: 'D', clear: ' ', module: false },
  { bit: 8, name: 'OVERRIDDEN_ACPI_TABLE', letter: 'A', clear: ' ', module: false },
  { bit: 9, name: 'WARN', letter: 'W', clear: ' ', module: false },
  { bit: 10, name: 'CRAP', letter: 'C', clear: ' ', module: true },
  { bit: 11, name: 'FIRMWARE_WORKAROUND', letter: 'I', clear: ' ', module: false },
  { bit: 12, name: 'OOT_MODULE', letter: 'O', clear: ' ', module: true },
  { bit: 13, name: 'UNSIGNED_MODULE', letter: 'E', clear: ' ', module: true },
  { bit: 14, name: 'SOFTLOCKUP', letter: 'L', clear: ' ', module: false },
  { bit: 15, name: 'LIVEPATCH', letter: 'K', clear: ' ', module: true },
  { bit: 16, name: 'AUX', letter: 'X', clear: ' ', module: true },
  { bit: 17, name: 'RANDSTRUCT', letter: 'T', clear: ' ', module: true },
  { bit: 18, name: 'TEST', letter: 'N', clear: ' ', module: true },
];

/** `TAINT_*` bit numbers used by the module loader. Source: include/linux/panic.h. */
export const TAINT = {
  PROPRIETARY_MODULE: 0,
  FORCED_MODULE: 1,
  FORCED_RMMOD: 3,
  USER: 6,
  CRAP: 10,
  OOT_MODULE: 12,
  UNSIGNED_MODULE: 13,
  LIVEPATCH: 15,
  TEST: 18,
} as const;

/** Licences `license_is_gpl_compatible` accepts (exact strings). Source: include/linux/license.h. */
export const GPL_COMPATIBLE_LICENSES: readonly string[] = [
  'GPL',
  'GPL v2',
  'GPL and additional rights',
  'Dual BSD/GPL',
  'Dual MIT/GPL',
  'Dual MPL/GPL',
];

/** `KERNEL_PARAM_FL_UNSAFE`. Source: include/linux/moduleparam.h. */
export const KERNEL_PARAM_FL_UNSAFE = 1 << 0;
/** `KERNEL_PARAM_FL_HWPARAM`. Source: include/linux/moduleparam.h. */
export const KERNEL_PARAM_FL_HWPARAM = 1 << 1;
