/**
 * What the linux-v26 userland (kmod's tools and the neutral actions) gets from a booted kernel.
 * @module
 */
import type { ErrnoName } from '../../abi/errno.js';
import type { KernelCore } from '../../core/kernel-core.js';
import type { Result } from '../../core/result.js';
import type { LinuxV26Config } from './linux-v26-config.js';
import type { LinuxV26Sys } from './linux-v26-sys.js';

/** A compression format kmod recognises by its magic. */
export type LinuxV26Compression = 'zstd' | 'xz' | 'gzip';

/**
 * The context handed to `createLinuxV26Tools(ctx)` / `createLinuxV26Actions(ctx)`: the core services (VFS,
 * user memory, syscall table — tools call the kernel only through `core.syscalls.invoke`), the typed syscall
 * facade, the parsed configuration and `uname -r`.
 */
export interface LinuxV26UserlandContext {
  /** The kernel's core services. */
  readonly core: KernelCore;
  /** The typed syscall facade (`k.sys`). */
  readonly sys: LinuxV26Sys;
  /** The parsed, validated configuration of this kernel. */
  readonly config: LinuxV26Config;
  /** `uname -r` (the `release` config key). */
  readonly release: string;
  /** Decompresses a whole `.ko.xz` / `.ko.zst` / `.ko.gz` file (kmod decompresses in user space). */
  readonly decompress?: (kind: LinuxV26Compression, data: Uint8Array) => Result<Uint8Array, ErrnoName>;
}
