/**
 * The simulated running kernel's own symbols and interfaces, which modules resolve their undefined references
 * against.
 * @module
 */

/**
 * Kernel entry points and objects DLKM modules use. Source: HP DLKM guide ch. 12 (`mod_misc_ops`, `gio_mod_ops`,
 * `str_drv_ops`, `str_mod_ops`, `wsio_install_driver`, `wsio_uninstall_driver`, `timeout`, `untimeout`), HP-UX
 * Driver Development Reference (kernel services). The list is a sample, not the whole kernel: config key
 * `kernelSymbols` adds more.
 */
export const HPUX_KERNEL_SYMBOLS: readonly string[] = [
  'mod_misc_ops',
  'gio_mod_ops',
  'str_drv_ops',
  'str_mod_ops',
  'wsio_install_driver',
  'wsio_uninstall_driver',
  'str_install',
  'str_uninstall',
  'mod_wsio_attach_list_add',
  'mod_wsio_attach_list_remove',
  'printf',
  'sprintf',
  'panic',
  'kmalloc',
  'kfree',
  'bcopy',
  'bzero',
  'bcmp',
  'copyin',
  'copyout',
  'uiomove',
  'timeout',
  'untimeout',
  'sleep',
  'wakeup',
  'spinlock',
  'spinunlock',
  'alloc_spinlock',
  'dealloc_spinlock',
  'get_sleep_lock',
  'getmajor',
  'getminor',
  'makedev',
  'strlen',
  'strcpy',
  'strncpy',
  'strcmp',
];

/** Address of the first kernel symbol (IA-64 region 7, where HP-UX keeps kernel text). INVENTED placement. */
export const HPUX_KERNEL_TEXT = 0xe000000000400000n;

/**
 * Interfaces the kernel exports for `depend interface` lines: `HPUX_11_<nn>` and `HPUX_11_<nn>_PERF` of the
 * running release (kcmodule shows `interface HPUX_11_31_PERF:1.0`, HP-UX Handbook ch. 7 p. 30).
 */
export function kernelInterfaces(release: string): Set<string> {
  const tag = `HPUX_${release.replace('.', '_')}`;
  return new Set([tag, `${tag}_PERF`]);
}
