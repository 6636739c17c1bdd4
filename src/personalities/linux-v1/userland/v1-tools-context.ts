/**
 * What the 1.x-era tools run on: the core services, the typed syscall facade, `uname -r` and the module
 * directory, and the device fds the neutral `use` action holds.
 * @module
 */
import type { KernelCore } from '../../../core/kernel-core.js';
import type { LinuxV1Sys } from '../linux-v1-sys.js';

/** The tools' environment. */
export interface V1ToolsContext {
  /** Core services (VFS, user memory, syscall table). */
  readonly core: KernelCore;
  /** The typed syscall facade. */
  readonly sys: LinuxV1Sys;
  /** `uname -r`. */
  readonly release: string;
  /** `/lib/modules/<release>`. */
  readonly moduleDir: string;
  /**
   * How `insmod sym=value` works: modules-1.1's integer-only assignment (1.2, 1.3) or modutils' typed
   * `process_module_arguments` (2.0).
   */
  readonly paramStyle: 'insmod-1.1' | 'modutils';
  /** Device fds the neutral `use` action holds open, by module name (kept with the kernel state). */
  readonly deviceFds: Map<string, number[]>;
}
