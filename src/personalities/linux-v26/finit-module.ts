/**
 * `finit_module(fd, uargs, flags)`: flags, the fd checks of the configured era, `kernel_read_file`, optional
 * in-kernel decompression, then `load_module`.
 * @see kernel/module/main.c SYSCALL_DEFINE3(finit_module), idempotent_init_module, init_module_from_file;
 *   fs/kernel_read_file.c kernel_read_file; kernel/module/decompress.c module_decompress
 * @module
 */
import { MODULE_INIT_COMPRESSED_FILE } from '../../abi/linux/v26.js';
import type { PipelineTrace } from '../../core/pipeline.js';
import { err, ok, type Result } from '../../core/result.js';
import type { FdView } from './era-strategies.js';
import { mayInitModule } from './init-module.js';
import type { LinuxV26Kernel } from './linux-v26-kernel.js';
import { loadModule, newLoadInfo } from './load-module.js';

/** The file behind an fd; fds 0–2 are the process's terminal (a character device open read/write). */
function fdView(k: LinuxV26Kernel, fd: number): FdView | undefined {
  const vfs = k.core.vfs;
  const f = Number.isInteger(fd) ? vfs.file(fd) : undefined;
  if (f === undefined) {
    if (fd === 0 || fd === 1 || fd === 2)
      return { readable: true, type: 'chr', size: 0, writers: 1, read: () => ok(new Uint8Array(0)) };
    return undefined;
  }
  const st = vfs.fstat(fd);
  if (!st.ok) return undefined;
  return {
    readable: f.mode.read,
    type: st.value.type,
    // A directory's i_size is its block size on the usual file systems.
    size: st.value.type === 'dir' ? 4096 : st.value.size,
    writers: vfs.writers(fd),
    read: () => vfs.readFd(fd),
  };
}

/** The syscall body. */
export function finitModule(
  k: LinuxV26Kernel,
  fd: number,
  uargs: number,
  flags: number,
  trace: PipelineTrace,
): Result<number> {
  const may = mayInitModule(k);
  if (!may.ok) return may;
  const era = k.era;
  if (!Number.isInteger(flags) || (flags & ~era.finitFlags) !== 0)
    return err('EINVAL', `finit_module: bad flags ${flags}`);
  const f = fdView(k, fd);
  if (f === undefined) return err(era.fd.badFd, `finit_module: fd ${fd} is not open`);
  const read = era.fd.read(f);
  if (!read.ok) return read;
  let data = read.value;
  if ((flags & MODULE_INIT_COMPRESSED_FILE) !== 0) {
    const d = k.decompressor.decompress(data);
    if (!d.ok) {
      if (d.error.message !== undefined) k.core.log.err(`${k.comm}: ${d.error.message}`);
      return err(d.error.errno, d.error.message ?? 'module_decompress failed');
    }
    data = d.value;
  }
  const r = loadModule(newLoadInfo(k, data, uargs, flags), trace);
  return r.ok ? ok(0) : r;
}
