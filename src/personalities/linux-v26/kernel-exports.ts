/**
 * The kernel's own exported symbols (`vmlinux`'s `__ksymtab*`): from a real `Module.symvers` (its `vmlinux`
 * rows, with CRCs, GPL-only flags and namespaces) or a built-in default set whose CRCs are the ELF builder's
 * default, so images built by the project link against it.
 * @module
 */
import { readFileSync } from 'node:fs';
import type { KernelSymbol } from '../../core/symbol-table.js';
import { KERNEL_OWNER, kernelSymbol } from '../../core/symbol-table.js';
import { defaultSymbolCrc } from '../../elf/builder/symbol-crc.js';
import { numberToAddr } from './loaded-module.js';

/** Where the kernel's exported text starts (x86_64 `__START_KERNEL_map` + 16 MiB). */
export const KERNEL_TEXT_BASE = -0x7f000000;

/** `param_ops_*` of kernel/params.c. */
export const PARAM_OPS_TYPES = [
  'byte',
  'short',
  'ushort',
  'int',
  'uint',
  'long',
  'ulong',
  'ullong',
  'hexint',
  'charp',
  'bool',
  'bool_enable_only',
  'invbool',
  'bint',
  'string',
] as const;

/** Plain exports of the built-in set (a small slice of a 6.1 kernel's). */
const DEFAULT_PLAIN = [
  'module_layout',
  'param_array_ops',
  '_printk',
  'printk',
  '__fentry__',
  '__x86_return_thunk',
  '__x86_indirect_thunk_rax',
  '__stack_chk_fail',
  '__kmalloc',
  'kmalloc_caches',
  'kmalloc_trace',
  'kfree',
  'kmem_cache_alloc',
  'kmem_cache_free',
  'memcpy',
  'memset',
  'memmove',
  'memcmp',
  'strcmp',
  'strncmp',
  'strlen',
  'strscpy',
  'snprintf',
  'sprintf',
  'sscanf',
  'kstrtoint',
  'jiffies',
  'msleep',
  'usleep_range_state',
  '__const_udelay',
  'mutex_lock',
  'mutex_unlock',
  '__mutex_init',
  '_raw_spin_lock',
  '_raw_spin_unlock',
  '_raw_spin_lock_irqsave',
  '_raw_spin_unlock_irqrestore',
  '__init_waitqueue_head',
  '__wake_up',
  'schedule',
  'proc_create',
  'proc_mkdir',
  'remove_proc_entry',
  'seq_printf',
  'seq_read',
  'seq_lseek',
  'single_open',
  'single_release',
  'misc_register',
  'misc_deregister',
  '__register_chrdev',
  '__unregister_chrdev',
  'register_chrdev_region',
  'unregister_chrdev_region',
  'cdev_init',
  'cdev_add',
  'cdev_del',
  'copy_from_user',
  '_copy_from_user',
  '_copy_to_user',
  'try_module_get',
  'module_put',
  '__request_module',
  'init_net',
  'current_task',
  'pcpu_hot',
  'system_wq',
  'queue_work_on',
  'init_timer_key',
  'mod_timer',
  'del_timer',
  'add_timer',
];

/** GPL-only exports of the built-in set. */
const DEFAULT_GPL = [
  'sysfs_create_group',
  'sysfs_remove_group',
  'kobject_create_and_add',
  'kobject_put',
  'debugfs_create_dir',
  'debugfs_create_file',
  'debugfs_remove',
  '__platform_driver_register',
  'platform_driver_unregister',
  'platform_device_register',
  'platform_device_unregister',
  'usb_register_driver',
  'usb_deregister',
  'pci_enable_device',
  'class_create',
  'class_destroy',
  'device_create',
  'device_destroy',
  'kthread_create_on_node',
  'kthread_stop',
  'wake_up_process',
  'synchronize_rcu',
  'call_rcu',
  'ktime_get',
  'init_srcu_struct',
  'cleanup_srcu_struct',
  'devm_kmalloc',
  'dev_err_probe',
  'irq_domain_remove',
  'regmap_read',
  'regmap_write',
];

/** Namespaced exports of the built-in set: `[name, namespace, gpl]`. */
const DEFAULT_NS: readonly (readonly [string, string, boolean])[] = [
  ['dma_buf_get', 'DMA_BUF', true],
  ['dma_buf_put', 'DMA_BUF', true],
  ['usb_stor_probe1', 'USB_STORAGE', true],
  ['usb_stor_disconnect', 'USB_STORAGE', true],
  ['cxl_add_ep', 'CXL', true],
];

/** One kernel export before it gets an address. */
export interface KernelExportSpec {
  /** Name. */
  readonly name: string;
  /** CRC (`undefined`: none). */
  readonly crc: number | undefined;
  /** `EXPORT_SYMBOL_GPL`. */
  readonly gplOnly: boolean;
  /** Namespace. */
  readonly namespace: string | undefined;
}

/** The built-in default export set. */
export function defaultKernelExports(): KernelExportSpec[] {
  const out: KernelExportSpec[] = [];
  const plain = [...DEFAULT_PLAIN, ...PARAM_OPS_TYPES.map((t) => `param_ops_${t}`)];
  for (const name of plain)
    out.push({ name, crc: defaultSymbolCrc(name), gplOnly: false, namespace: undefined });
  for (const name of DEFAULT_GPL)
    out.push({ name, crc: defaultSymbolCrc(name), gplOnly: true, namespace: undefined });
  for (const [name, ns, gpl] of DEFAULT_NS)
    out.push({ name, crc: defaultSymbolCrc(name), gplOnly: gpl, namespace: ns });
  return out;
}

/**
 * The `vmlinux` rows of a `Module.symvers` text (`crc\tname\tmodule\texport-type[\tnamespace]`). Exports of
 * modules are ignored: those come from the modules themselves when they load.
 */
export function parseSymvers(text: string): KernelExportSpec[] {
  const out: KernelExportSpec[] = [];
  let pos = 0;
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    const start = pos;
    pos = nl + 1;
    // Only vmlinux lines are split (a distribution's file is mostly modules' exports): the third field must be
    // `vmlinux` with a fourth after it.
    const t1 = text.indexOf('\t', start);
    const t2 = t1 < 0 || t1 > nl ? -1 : text.indexOf('\t', t1 + 1);
    if (t2 < 0 || t2 > nl || !text.startsWith('vmlinux\t', t2 + 1)) continue;
    const f = text.slice(start, nl).split('\t');
    const crc = Number.parseInt(f[0], 16);
    out.push({
      name: f[1],
      crc: Number.isNaN(crc) ? undefined : crc >>> 0,
      gplOnly: f[3].endsWith('_GPL'),
      namespace: f[4] === undefined || f[4] === '' ? undefined : f[4],
    });
  }
  return out;
}

/** Reads `Module.symvers` from the host file system (a configuration error throws). */
export function readSymversFile(path: string): KernelExportSpec[] {
  return parseSymvers(readFileSync(path, 'latin1'));
}

/** Parses the extra `kernelSymbols` forms: `name`, `name:gpl`, `name:ns=NS`, `name:crc=0x1234`. */
export function parseKernelSymbolSpec(spec: string): KernelExportSpec {
  const [name, ...opts] = spec.split(':');
  let gplOnly = false;
  let namespace: string | undefined;
  let crc: number | undefined = defaultSymbolCrc(name);
  for (const o of opts) {
    if (o === 'gpl') gplOnly = true;
    else if (o.startsWith('ns=')) namespace = o.slice(3);
    else if (o.startsWith('crc=')) crc = Number(o.slice(4)) >>> 0;
    else if (o === 'nocrc') crc = undefined;
  }
  return { name, crc, gplOnly, namespace };
}

/** Gives each export an address in kernel text, in order (16 bytes apart). */
export function kernelSymbols(specs: readonly KernelExportSpec[]): KernelSymbol[] {
  const seen = new Set<string>();
  const out: KernelSymbol[] = [];
  for (const s of specs) {
    if (seen.has(s.name)) continue;
    seen.add(s.name);
    out.push(
      kernelSymbol(
        s.name,
        numberToAddr(KERNEL_TEXT_BASE + out.length * 16),
        KERNEL_OWNER,
        s.gplOnly,
        s.namespace,
        s.crc,
      ),
    );
  }
  return out;
}
