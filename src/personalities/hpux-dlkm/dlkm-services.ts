/**
 * What the load and unload steps need from the DLKM subsystem, in one interface (implemented by
 * {@link DlkmKernel}).
 * @module
 */
import type { KcCause } from '../../abi/hpux/dlkm.js';
import type { BehaviourHost } from '../../core/behaviours.js';
import type { KernelCore } from '../../core/kernel-core.js';
import type { Result } from '../../core/result.js';
import type { DlkmEra } from './dlkm-era.js';
import type { DlkmRelocator } from './dlkm-relocator.js';
import type { KcStore } from './kc-store.js';
import type { ModuleSearchPath } from './module-search-path.js';

/** Kernel services of the DLKM subsystem. */
export interface DlkmServices {
  /** The common kernel core. */
  readonly core: KernelCore;
  /** The kernel configuration store (states, registration, ids). */
  readonly store: KcStore;
  /** The module search path. */
  readonly searchPath: ModuleSearchPath;
  /** Release facts. */
  readonly era: DlkmEra;
  /** Relocation engine for the module's machine. */
  readonly relocator: DlkmRelocator;
  /** Interfaces the running kernel itself exports (`HPUX_11_31:1.0`…), by name. */
  readonly kernelInterfaces: ReadonlySet<string>;
  /** Loads a module in the kernel (a dependency, an autoload): the same path as `modload`. */
  loadModule(request: string, cause: KcCause, chain: readonly string[]): Result<number>;
  /** Unloads a module this call loaded (undoing a dependency load after a later failure). */
  unloadModule(name: string): Result<void>;
  /** The services a module's `_load`/`_unload` behaviour may call. */
  behaviourHost(module: string): BehaviourHost;
}
