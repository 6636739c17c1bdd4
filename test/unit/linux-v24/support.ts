/**
 * Helpers of the linux-v24 tests: kernels of each era, created modules with hand-built images, raw reads of the
 * structs in module memory, and a digest of everything a failed call must leave as it was.
 */
import { MODULE_OFFSETS, type ModuleMember } from '../../../src/abi/linux/v24.js';
import { createKernel, type Kernel } from '../../../src/index.js';
import { KERNEL_MODULE_ADDR } from '../../../src/personalities/linux-v24/kernel-symbols.js';
import type { LinuxV24Personality } from '../../../src/personalities/linux-v24/linux-v24-personality.js';
import {
  buildModuleImage,
  type ModuleImageLayout,
  type ModuleImageSpec,
} from '../../../src/personalities/linux-v24/module-image-encoder.js';

/** A linux-v24 kernel. */
export type V24 = Kernel<'linux-v24'>;

/** A kernel of `kernelVersion` (default 2.4.27) with extra config. */
export function v24(config: Record<string, unknown> = {}): V24 {
  return createKernel({ personality: 'linux-v24', config: { kernelVersion: '2.4.27', ...config } });
}

/** The personality object (for its kernel helpers). */
export function personality(k: V24): LinuxV24Personality {
  return (k as unknown as { impl: LinuxV24Personality }).impl;
}

/** `create_module(name, size)`; the address. */
export function create(k: V24, name: string, size = 4096): number {
  const r = k.sys.create_module(name, size);
  if (r.errno !== undefined) throw new Error(`create_module ${name}: ${r.errno}`);
  return Number(r.ret);
}

/** A created module and a well-formed image for it. */
export function created(
  k: V24,
  name: string,
  spec: Partial<ModuleImageSpec> = {},
  size = 4096,
): { addr: number; image: ModuleImageLayout } {
  const addr = create(k, name, size);
  return { addr, image: buildModuleImage({ base: addr, name, size, ...spec }) };
}

/** Creates and initialises a module; its address. */
export function loaded(k: V24, name: string, spec: Partial<ModuleImageSpec> = {}): number {
  const { addr, image } = created(k, name, spec);
  const r = k.sys.init_module(name, image.bytes);
  if (r.errno !== undefined) throw new Error(`init_module ${name}: ${r.errno}`);
  return addr;
}

/** Bytes of module memory. */
export function mem(k: V24, addr: number, length: number): Uint8Array {
  const r = k.core.memory.read(BigInt(addr), length);
  if (!r.ok) throw new Error(`memory at ${addr.toString(16)}: ${r.error.reason}`);
  return r.value;
}

/** A `struct module` member of the module at `addr`. */
export function member(k: V24, addr: number, m: ModuleMember): number {
  const b = mem(k, addr + MODULE_OFFSETS[m], 4);
  return (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
}

/** A C string in module memory. */
export function cstringAt(k: V24, addr: number): string {
  const out: number[] = [];
  for (let a = addr; ; a++) {
    const b = mem(k, a, 1)[0];
    if (b === 0) break;
    out.push(b);
  }
  return String.fromCharCode(...out);
}

/** Everything a failed call must leave alone (module memory included), as one string. */
export function digest(k: V24): string {
  const p = personality(k);
  return JSON.stringify({
    memory: k.core.memory.snapshot(),
    modules: k.core.modules.snapshot(),
    symbols: k.core.symbols.snapshot(),
    list: p.kernel.moduleList,
  });
}

/** Log lines written since `cursor` (the debug-level reasons left out: they are the simulator's notes). */
export function logSince(k: V24, cursor: number): string[] {
  return k.core.log
    .lines(cursor)
    .filter((l) => l.level !== 'debug')
    .map((l) => l.text);
}

/** A `/proc/modules` line's first columns: name padded to 20, size in 8. */
export function procLine(name: string, size: number, rest: string): string {
  return `${name.padEnd(20)}${String(size).padStart(8)}${rest}`;
}

/** Maps bytes into the caller's memory; the pointer. */
export function mapUser(k: V24, bytes: Uint8Array, writable = true): number {
  return k.core.user.map(bytes, writable);
}

/** A 32-bit little-endian word from user memory. */
export function userU32(k: V24, ptr: number): number {
  const r = k.core.user.read(ptr, 4);
  if (!r.ok) throw new Error('user read');
  const b = r.value;
  return (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
}

/** User bytes. */
export function userBytes(k: V24, ptr: number, length: number): Uint8Array {
  const r = k.core.user.read(ptr, length);
  if (!r.ok) throw new Error('user read');
  return r.value.slice();
}

/** The end of `module_list` (`kernel_module`). */
export const KERNEL_MODULE = KERNEL_MODULE_ADDR;
