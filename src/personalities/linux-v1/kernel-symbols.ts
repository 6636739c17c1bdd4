/**
 * The kernel's own symbol table (`kernel_module.symtab`, from `kernel/ksyms.c`): an era-typical subset of the
 * exports of a 1.2 / 1.3 / 2.0 i386 kernel. With `CONFIG_MODVERSIONS` every name carries `_R<crc>` and
 * `Using_Versions` (value 1) comes first. Names are the ELF spellings (no a.out leading underscore; see
 * docs/personalities/linux-v1.md). Addresses are invented (kernel text from `0x00105000`, 64 bytes apart, in the
 * kernel segment of the era): the kernel image is not simulated.
 * @see kernel/ksyms.c, include/linux/symtab_begin.h (1.2.13, 2.0.40); linux-legacy.md §A.3
 * @module
 */
import { defaultSymbolCrc } from '../../elf/builder/symbol-crc.js';
import type { V1Era } from './linux-v1-era.js';

/** One entry of a resident symbol table. */
export interface V1Symbol {
  /** `addr`. */
  readonly addr: number;
  /** The name. */
  readonly name: string;
}

/** Address of `kernel_module` (kernel `.data`; inferred). */
export const KERNEL_MODULE_STRUCT = 0x001a0000;

/** First address handed to a kernel symbol. */
const KERNEL_TEXT = 0x00105000;

const COMMON = [
  'register_symtab',
  'kmalloc',
  'kfree',
  'vmalloc',
  'vfree',
  'verify_area',
  'register_chrdev',
  'unregister_chrdev',
  'register_blkdev',
  'unregister_blkdev',
  'register_filesystem',
  'unregister_filesystem',
  'add_timer',
  'del_timer',
  'request_irq',
  'free_irq',
  'wake_up',
  'wake_up_interruptible',
  'sleep_on',
  'interruptible_sleep_on',
  'schedule',
  'jiffies',
  'panic',
  'printk',
  'sprintf',
  'simple_strtoul',
];

/** The default export names of an era (before modversions decoration): kerneld's `request_module` from 1.3.57. */
export function defaultKernelExports(era: V1Era): string[] {
  return era.autoclean ? [...COMMON, 'request_module', 'misc_register', 'misc_deregister'] : COMMON;
}

/** The `_R<crc>` form `genksyms` gives a name (the CRC the builder uses for the same name). */
export function versioned(name: string): string {
  return `${name}_R${defaultSymbolCrc(name).toString(16).padStart(8, '0')}`;
}

/**
 * A resident symbol table's entries in order, addresses from `base` on; the kernel's own table starts with
 * `Using_Versions` under modversions.
 */
export function residentSymbols(
  names: readonly string[],
  modversions: boolean,
  kernel: boolean,
  base = KERNEL_TEXT,
): V1Symbol[] {
  const out: V1Symbol[] = [];
  if (modversions && kernel) out.push({ addr: 1, name: 'Using_Versions' });
  names.forEach((n, i) => {
    out.push({ addr: base + i * 0x40, name: modversions ? versioned(n) : n });
  });
  return out;
}
