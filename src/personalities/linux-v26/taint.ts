/**
 * Taints: the global mask (`/proc/sys/kernel/tainted`) and the per-module letters.
 * @see kernel/panic.c add_taint, print_tainted; kernel/module/main.c add_taint_module, module_flags_taint
 * @module
 */
import { TAINT_FLAGS } from '../../abi/linux/v26.js';
import type { Sysctl } from '../../core/sysctl.js';
import { SYSCTL } from '../../core/sysctl.js';

/** Sets a bit in the kernel's global taint mask. */
export function addTaint(sysctl: Sysctl, bit: number): void {
  sysctl.orBits(SYSCTL.tainted, 1 << bit);
}

/** Whether the kernel is tainted with `bit`. */
export function testTaint(sysctl: Sysctl, bit: number): boolean {
  return (sysctl.get(SYSCTL.tainted) & (1 << bit)) !== 0;
}

const FIXED_ORDER = ['P', 'O', 'F', 'C', 'E'];

/**
 * `module_flags_taint`: the letters of a module's taint bits, in bit order (mainline) or in the 4.4 fixed order
 * `P O F C E`.
 */
export function moduleTaintLetters(taints: number, order: 'bits' | 'fixed'): string {
  if (order === 'fixed') {
    let s = '';
    for (const l of FIXED_ORDER) {
      const f = TAINT_FLAGS.find((t) => t.letter === l);
      if (f !== undefined && (taints & (1 << f.bit)) !== 0) s += l;
    }
    return s;
  }
  let s = '';
  for (const f of TAINT_FLAGS) if (f.module && (taints & (1 << f.bit)) !== 0) s += f.letter;
  return s;
}
