/**
 * The kernel's own `__ksymtab` (`kernel_module.syms`): an era-typical subset of the exports of a 2.2 or 2.4 i386
 * kernel, in `kernel/ksyms.c` order, then `arch/i386/kernel/i386_ksyms.c`, `kernel/printk.c`, `kernel/kmod.c`
 * and `drivers/char/misc.c`. With `CONFIG_MODVERSIONS` every name carries `_R<crc>` and `Using_Versions` (value
 * 1) comes first; a 2.4 `EXPORT_SYMBOL_GPL` name is exported as `GPLONLY_<name>`.
 * Addresses are invented (kernel text from `0xc0105000`, 64 bytes apart): the kernel image is not simulated.
 * @see kernel/ksyms.c (2.2.1, 2.4.2x); include/linux/module.h (`__EXPORT_SYMBOL`, `EXPORT_SYMBOL_GPL`)
 * @module
 */
import { KERNEL_OWNER, type KernelSymbol } from '../../core/symbol-table.js';
import { defaultSymbolCrc } from '../../elf/builder/symbol-crc.js';
import type { V24Era } from './linux-v24-era.js';

/** Address of `kernel_module` (kernel `.data`; inferred, the list tail every walk stops at). */
export const KERNEL_MODULE_ADDR = 0xc0300000;

/** First address handed to a kernel symbol. */
const KERNEL_TEXT = 0xc0105000;

const COMMON_HEAD = ['__get_free_pages', 'free_pages', 'kmem_cache_create', 'kmem_cache_destroy'];
const COMMON_TAIL = [
  'kmem_cache_alloc',
  'kmem_cache_free',
  'kmalloc',
  'kfree',
  'register_chrdev',
  'unregister_chrdev',
  'register_blkdev',
  'unregister_blkdev',
  'register_filesystem',
  'unregister_filesystem',
  'register_sysctl_table',
  'unregister_sysctl_table',
  'add_timer',
  'del_timer',
  'request_irq',
  'free_irq',
  'mod_timer',
  '__wake_up',
  'interruptible_sleep_on',
  'schedule',
  'schedule_timeout',
  'jiffies',
  'panic',
  'sprintf',
  'vsprintf',
  'simple_strtol',
  'simple_strtoul',
  'daemonize',
  'kernel_thread',
  '__generic_copy_to_user',
  '__generic_copy_from_user',
  'printk',
  'request_module',
  'misc_register',
  'misc_deregister',
];

/** The default export names of an era (before modversions decoration). */
export function defaultKernelExports(era: V24Era): string[] {
  if (era.line === '2.2')
    return ['get_module_symbol', 'put_module_symbol', ...COMMON_HEAD, 'vmalloc', 'vfree', ...COMMON_TAIL];
  return [
    'inter_module_register',
    'inter_module_unregister',
    'inter_module_get',
    'inter_module_get_request',
    'inter_module_put',
    'try_inc_mod_count',
    ...COMMON_HEAD,
    '__vmalloc',
    'vfree',
    'snprintf',
    ...COMMON_TAIL,
  ];
}

/** One requested kernel export: `name` or `name:gpl`. */
export interface KernelExportSpec {
  /** The C name. */
  readonly name: string;
  /** `EXPORT_SYMBOL_GPL` (2.4). */
  readonly gpl: boolean;
}

/** Parses `name` / `name:gpl`. */
export function parseKernelExport(text: string): KernelExportSpec {
  const [name, flag] = text.split(':');
  return { name, gpl: flag === 'gpl' };
}

/** The `_R<crc>` form `genksyms` gives a name (the CRC the builder uses for the same name). */
export function versioned(name: string): string {
  return `${name}_R${defaultSymbolCrc(name).toString(16).padStart(8, '0')}`;
}

/** The kernel's `__ksymtab` as core symbols, in order. */
export function kernelSymbolTable(
  specs: readonly KernelExportSpec[],
  era: V24Era,
  modversions: boolean,
): KernelSymbol[] {
  const out: KernelSymbol[] = [];
  if (modversions) out.push({ name: 'Using_Versions', value: 1n, owner: KERNEL_OWNER, gplOnly: false });
  specs.forEach((s, i) => {
    const gpl = s.gpl && era.line === '2.4';
    const base = modversions ? versioned(s.name) : s.name;
    out.push({
      name: gpl ? `GPLONLY_${base}` : base,
      value: BigInt(KERNEL_TEXT + i * 0x40),
      owner: KERNEL_OWNER,
      gplOnly: gpl,
      ...(modversions ? { crc: defaultSymbolCrc(s.name) } : {}),
    });
  });
  return out;
}
