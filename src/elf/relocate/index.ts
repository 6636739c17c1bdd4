/**
 * Relocation engines by `e_machine`: the map the load pipelines pick from, and the era variants.
 * @see kernel/module/main.c apply_relocations
 * @module
 */
import { EM_386, EM_IA_64, EM_X86_64 } from '../../abi/elf.js';
import { I386_KERNEL_RELOCATOR } from './i386.js';
import { IA64_DLKM_RELOCATOR } from './ia64-dlkm.js';
import type { Relocator } from './relocator.js';
import { createX86_64Relocator, X86_64_MAINLINE } from './x86-64.js';

export {
  applyRelocateI386,
  createI386KernelRelocator,
  createInsmodI386Relocator,
  I386_KERNEL_RELOCATOR,
  type I386KernelRelocOptions,
  type InsmodGot,
  type InsmodI386Context,
  insmodApplyRelocationI386,
} from './i386.js';
export { applyRelocateAddIa64Msb, IA64_DLKM_RELOCATOR } from './ia64-dlkm.js';
export type { RelocationInput, Relocator, RelocError, RelocResult } from './relocator.js';
export {
  applyRelocateAddX86_64,
  createX86_64Relocator,
  X86_64_MAINLINE,
  type X86_64RelocForm,
  type X86_64RelocOptions,
  x86_64RelocOptionsFor,
} from './x86-64.js';

/** The default engine for each machine: mainline x86_64, the kernel's i386, the HP-UX IA-64 MSB engine. */
export const RELOCATORS: ReadonlyMap<number, Relocator> = new Map<number, Relocator>([
  [EM_X86_64, createX86_64Relocator(X86_64_MAINLINE)],
  [EM_386, I386_KERNEL_RELOCATOR],
  [EM_IA_64, IA64_DLKM_RELOCATOR],
]);
