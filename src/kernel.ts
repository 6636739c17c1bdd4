/**
 * The composition root of the library: a kernel for any personality, synchronously, from the registry of all
 * of them.
 * @module
 */
// The library installs the full reflect-metadata API as it always has; inversify imports the lite one it needs.
import 'reflect-metadata';
import type { JsonValue } from './core/snapshot.js';
import {
  assembleKernel,
  type CreateKernelOptions,
  type Kernel,
  readKernelState,
  reassembleKernel,
} from './personalities/assemble-kernel.js';
import { PERSONALITIES } from './personalities/index.js';
import type { PersonalityId } from './personalities/personality.js';

export { type CreateKernelOptions, Kernel, STATE_FORMAT } from './personalities/assemble-kernel.js';

/**
 * Builds a simulated kernel: one DI container with the core, the personality's unit and the configuration, then
 * boots it.
 */
export function createKernel<P extends PersonalityId>(options: CreateKernelOptions<P>): Kernel<P> {
  const def = PERSONALITIES[options.personality];
  if (def === undefined) throw new TypeError(`unknown personality ${String(options.personality)}`);
  return assembleKernel(def, options);
}

/** Rebuilds a kernel saved with {@link Kernel.snapshot}. Throws a `TypeError` on a malformed state. */
export function restoreKernel(state: JsonValue): Kernel {
  const saved = readKernelState(state);
  return reassembleKernel(PERSONALITIES[saved.personality], saved);
}
