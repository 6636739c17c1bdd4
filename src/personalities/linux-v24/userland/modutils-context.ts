/**
 * What modutils' tools run on: the core services (the VFS they read files from, the process memory their
 * buffers live in, the syscall table every call goes through) and a few facts about the kernel they could
 * otherwise learn from `uname` and `/proc`.
 * @module
 */
import type { KernelCore } from '../../../core/kernel-core.js';
import type { LinuxV24Sys } from '../linux-v24-sys.js';

/** The tools' environment. */
export interface ModutilsContext {
  /** Core services (VFS, user memory, syscall table). */
  readonly core: KernelCore;
  /** The typed syscall facade. */
  readonly sys: LinuxV24Sys;
  /** `uname -r`. */
  readonly release: string;
  /** `/lib/modules/<release>`. */
  readonly moduleDir: string;
  /** Whether `/proc/sys/kernel/tainted` exists. */
  readonly hasTaintedFile: boolean;
  /** Device fds the neutral `use` action holds open, by module name (kept with the kernel state). */
  readonly deviceFds: Map<string, number[]>;
}
