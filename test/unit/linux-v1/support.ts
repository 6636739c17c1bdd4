/**
 * Helpers of the linux-v1 tests: kernels of each era, builder-made objects placed in the simulated file system,
 * created modules with hand-built arguments, and a digest of the kernel state a call must (or must not) change.
 */
import { createKernel, type Kernel } from '../../../src/index.js';
import type { LinuxV1Kernel } from '../../../src/personalities/linux-v1/linux-v1-kernel.js';
import type { LinuxV1Personality } from '../../../src/personalities/linux-v1/linux-v1-personality.js';
import { encodeRoutines } from '../../../src/personalities/linux-v1/linux-v1-sys.js';
import type { NeutralModuleSpec } from '../../../src/personalities/personality.js';

/** A linux-v1 kernel. */
export type V1 = Kernel<'linux-v1'>;

/** A kernel of `kernelVersion` (default 1.2.13) with extra config. */
export function v1(config: Record<string, unknown> = {}): V1 {
  return createKernel({ personality: 'linux-v1', config: { kernelVersion: '1.2.13', ...config } });
}

/** The personality object. */
export function personality(k: V1): LinuxV1Personality {
  return (k as unknown as { impl: LinuxV1Personality }).impl;
}

/** The kernel state object. */
export function kernel(k: V1): LinuxV1Kernel {
  return personality(k).kernel;
}

/** Builds the era's object for `spec`, writes it to its module path, returns the path. */
export function stage(k: V1, spec: NeutralModuleSpec): string {
  const img = k.buildImage(spec);
  if (!img.ok) throw new Error(img.error);
  const path = k.modulePath(spec.name);
  k.vfs.writeFile(path, img.value);
  return path;
}

/** Runs a tool; throws with its stderr when it fails. */
export function run(k: V1, tool: string, ...argv: string[]): string {
  const r = k.run(tool, argv);
  if (r.exitCode !== 0) throw new Error(`${tool} ${argv.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** `create_module(name, size)`; the address. */
export function create(k: V1, name: string, size = 4096): number {
  const r = k.sys.create_module(name, size);
  if (r.errno !== undefined) throw new Error(`create_module ${name}: ${r.errno}`);
  return Number(r.ret);
}

/** Plain routines (init and cleanup at nonzero addresses). */
export const ROUTINES = encodeRoutines(0x1004, 0x1008);

/** The use-count word of a module. */
export function useWord(k: V1, name: string): number {
  const m = kernel(k).modules.find((x) => x.name === name);
  if (m === undefined) throw new Error(`no module ${name}`);
  return kernel(k).useWord(m);
}

/** Everything a refused call must leave as it was: list, words, memory map, symbols, registry, log aside. */
export function digest(k: V1): string {
  const kk = kernel(k);
  return JSON.stringify({
    list: kk.snapshot(),
    memory: k.core.memory.snapshot(),
    symbols: k.core.symbols.snapshot(),
    modules: k.core.modules.snapshot(),
  });
}
