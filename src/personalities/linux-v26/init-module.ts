/**
 * `init_module(umod, len, uargs)`.
 * @see kernel/module/main.c SYSCALL_DEFINE3(init_module), may_init_module, copy_module_from_user;
 *   (3.0) copy_and_check
 * @module
 */
import { SIZEOF_ELF64_EHDR } from '../../abi/linux/v26.js';
import type { PipelineTrace } from '../../core/pipeline.js';
import { err, ok, type Result } from '../../core/result.js';
import type { LinuxV26Kernel } from './linux-v26-kernel.js';
import { loadModule, newLoadInfo } from './load-module.js';

/** `may_init_module`: CAP_SYS_MODULE and `modules_disabled`. */
export function mayInitModule(k: LinuxV26Kernel): Result<void> {
  if (!k.core.creds.capable('CAP_SYS_MODULE') || k.modulesDisabled)
    return err('EPERM', 'init_module: operation not permitted');
  return ok(undefined);
}

/** The syscall body. */
export function initModule(
  k: LinuxV26Kernel,
  umod: number,
  len: number,
  uargs: number,
  trace: PipelineTrace,
): Result<number> {
  const may = mayInitModule(k);
  if (!may.ok) return may;
  if (!Number.isSafeInteger(len) || len < 0) return err('EFAULT', 'bad length');
  if (len < SIZEOF_ELF64_EHDR) return err('ENOEXEC', `init_module: length ${len} < sizeof(Elf64_Ehdr)`);
  if (len > k.era.maxImageLength) return err('ENOMEM', `init_module: cannot allocate ${len} bytes`);
  const image = k.core.user.read(umod, len);
  if (!image.ok) return err('EFAULT', image.error.reason);
  const r = loadModule(newLoadInfo(k, image.value, uargs, 0), trace);
  return r.ok ? ok(0) : r;
}
