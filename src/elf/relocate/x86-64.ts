/**
 * x86_64 `apply_relocate_add`: RELA entries read straight from the image as 32-bit halves, 64-bit arithmetic
 * done on (hi, lo) Number pairs, so the common path allocates nothing and touches no BigInt.
 *
 * Three forms of the function, by era:
 * - `mainline` (6.3+, `__write_relocate_add`): unknown type, then the overflow checks (32, 32S), then the
 *   "existing value is nonzero" guard over the whole field, then the write.
 * - `skip-guard` (4.15 – 6.2, `__apply_relocate_add`, commit eda9cec4c9a1): per type, the nonzero guard
 *   ("Skipping invalid relocation target") on the field *before* `val -= loc`, so the message shows S + A;
 *   then the write; then the 32/32S overflow check.
 * - `unguarded` (2.6.x – 4.14): no guard; write, then the 32/32S overflow checks.
 *   Its messages are the 2.6 `printk` texts (`module %s: Unknown rela relocation`); the `pr_fmt` prefix
 *   (`module: `) of the later forms came with the pr_* conversion during 3.x *(recalled)*.
 * PC32/PLT32 are never range-checked by a released kernel: the check sat under `#if 0` until 6.3 removed it
 * ("x86/module: remove unused code in __apply_relocate_add"). `pc32OverflowCheck` turns that dead check on
 * for experiments (store, then `(s64)val != *(s32 *)loc` → overflow).
 * @see arch/x86/kernel/module.c apply_relocate_add, __write_relocate_add (mainline), __apply_relocate_add (6.1)
 * @module
 */
import {
  EM_X86_64,
  R_X86_64_32,
  R_X86_64_32S,
  R_X86_64_64,
  R_X86_64_NONE,
  R_X86_64_PC32,
  R_X86_64_PC64,
  R_X86_64_PLT32,
} from '../../abi/elf.js';
import { OK_VOID } from '../../core/result.js';
import {
  hex64,
  pointer,
  type RelocationInput,
  type Relocator,
  type RelocResult,
  relocFail,
  relSectionBounds,
  symbolHalves,
} from './relocator.js';

/** Which form of the x86_64 relocation loop to mirror (see the module notes). */
export type X86_64RelocForm = 'mainline' | 'skip-guard' | 'unguarded';

/** Era switches of the x86_64 engine. */
export interface X86_64RelocOptions {
  /** The loop's form. */
  readonly form: X86_64RelocForm;
  /** `R_X86_64_PLT32` handled like PC32 (4.16+); otherwise it is an unknown type. */
  readonly plt32: boolean;
  /** `R_X86_64_PC64` handled (relative jump labels, 4.20+ *(recalled)*); otherwise unknown. */
  readonly pc64: boolean;
  /** The `#if 0` PC32/PLT32 overflow check, enabled (no released kernel does; default off). */
  readonly pc32OverflowCheck?: boolean;
}

/** The newest kernels' behaviour. */
export const X86_64_MAINLINE: X86_64RelocOptions = { form: 'mainline', plt32: true, pc64: true };

/**
 * The engine's options for a kernel version: `unguarded` before 4.15, `skip-guard` 4.15 – 6.2, `mainline`
 * from 6.3 (livepatch's "Clear relocation targets on a module removal", 0c05e7bd2d01); PLT32 from 4.16,
 * PC64 from 4.20 *(recalled)*.
 */
export function x86_64RelocOptionsFor(major: number, minor: number): X86_64RelocOptions {
  const v = major * 1000 + minor;
  const form: X86_64RelocForm = v < 4015 ? 'unguarded' : v < 6003 ? 'skip-guard' : 'mainline';
  return { form, plt32: v >= 4016, pc64: v >= 4020 };
}

const TWO32 = 4294967296;
const SIZEOF_ELF64_RELA = 24;
const PREFIX = 'module: ';

/**
 * Applies one `SHT_RELA` section (x86_64 only has RELA; a `SHT_REL` input is refused the way the generic
 * `apply_relocate` stub refuses it).
 */
export function applyRelocateAddX86_64(input: RelocationInput, options: X86_64RelocOptions): RelocResult {
  const name = input.moduleName;
  if (!input.isRela) {
    // The generic apply_relocate() stub of include/linux/moduleloader.h (plain printk, no pr_fmt).
    return relocFail(input, 'ENOEXEC', 0, 0, [`module ${name}: REL relocation unsupported`]);
  }
  const n = relSectionBounds(input, SIZEOF_ELF64_RELA);
  if (n === undefined) {
    return relocFail(input, 'ENOEXEC', 0, 0, [`${PREFIX}${name}: relocation section outside the image`]);
  }
  const img = input.image;
  const dv = new DataView(img.buffer, img.byteOffset, img.byteLength);
  const tgt = input.target;
  const tdv = new DataView(tgt.buffer, tgt.byteOffset, tgt.byteLength);
  const tlen = tgt.length;
  const sv = symbolHalves(input.symbolValues);
  const nsyms = input.symbolValues.length;
  const baseLo = Number(input.targetAddress & 0xffffffffn);
  const baseHi = Number((input.targetAddress >> 32n) & 0xffffffffn);
  const { form, plt32, pc64 } = options;
  const mainline = form === 'mainline';
  const guarded = form === 'skip-guard';
  const pc32Check = options.pc32OverflowCheck === true;

  for (let i = 0, e = input.relOffset; i < n; i++, e += SIZEOF_ELF64_RELA) {
    const type = dv.getUint32(e + 8, true);
    if (type === R_X86_64_NONE) continue;
    const sym = dv.getUint32(e + 12, true);
    const offLo = dv.getUint32(e, true);
    const offHi = dv.getUint32(e + 4, true);
    if (sym >= nsyms) {
      return relocFail(input, 'ENOEXEC', i, type, [
        `${PREFIX}${name}: relocation ${i} refers to symbol ${sym} beyond the symbol table`,
      ]);
    }
    // val = st_value + r_addend, modulo 2^64.
    let lo = sv[2 * sym] + dv.getUint32(e + 16, true);
    let hi = sv[2 * sym + 1] + dv.getUint32(e + 20, true);
    if (lo >= TWO32) {
      lo -= TWO32;
      hi += 1;
    }
    hi >>>= 0;
    // loc = sh_addr + r_offset.
    let pLo = baseLo + offLo;
    let pHi = baseHi + offHi;
    if (pLo >= TWO32) {
      pLo -= TWO32;
      pHi += 1;
    }
    pHi >>>= 0;

    let size: number;
    let pcrel = false;
    let overflow = false;
    let checkAfter = false;
    switch (type) {
      case R_X86_64_64:
        size = 8;
        break;
      case R_X86_64_32:
        size = 4;
        overflow = hi !== 0;
        break;
      case R_X86_64_32S:
        size = 4;
        overflow = hi !== (lo >= 0x80000000 ? 0xffffffff : 0);
        break;
      case R_X86_64_PLT32:
        if (!plt32) return unknown(input, i, type, form);
        size = 4;
        pcrel = true;
        checkAfter = pc32Check;
        break;
      case R_X86_64_PC32:
        size = 4;
        pcrel = true;
        checkAfter = pc32Check;
        break;
      case R_X86_64_PC64:
        if (!pc64) return unknown(input, i, type, form);
        size = 8;
        pcrel = true;
        break;
      default:
        return unknown(input, i, type, form);
    }
    // The kernel writes at sh_addr + r_offset without a bound; a field outside its section is refused here.
    if (offHi !== 0 || offLo + size > tlen) {
      return relocFail(input, 'ENOEXEC', i, type, [
        `${PREFIX}${name}: relocation ${i} (type ${type}) at offset 0x${hex64(offHi, offLo)} lies outside its section`,
      ]);
    }
    if (!mainline && guarded && nonzero(tgt, offLo, size)) {
      // 4.15 – 6.1 check the field before `val -= loc`, so the message shows S + A.
      return relocFail(input, 'ENOEXEC', i, type, [
        `${PREFIX}x86/modules: Skipping invalid relocation target, existing value is nonzero for type ${type}, loc ${pointer(pHi, pLo, 64)}, val ${hex64(hi, lo)}`,
      ]);
    }
    if (pcrel) {
      lo -= pLo;
      hi -= pHi;
      if (lo < 0) {
        lo += TWO32;
        hi -= 1;
      }
      hi >>>= 0;
      if (checkAfter) overflow = hi !== (lo >= 0x80000000 ? 0xffffffff : 0);
    }
    if (mainline) {
      if (overflow && !checkAfter) return overflowed(input, i, type, hi, lo, PREFIX);
      if (nonzero(tgt, offLo, size)) {
        return relocFail(input, 'ENOEXEC', i, type, [
          `${PREFIX}x86/modules: Invalid relocation target, existing value is nonzero for type ${type}, loc ${pointer(pHi, pLo, 64)}, val ${hex64(hi, lo)}`,
        ]);
      }
    }
    tdv.setUint32(offLo, lo, true);
    if (size === 8) tdv.setUint32(offLo + 4, hi, true);
    // Older kernels (and the #if 0 PC32 check) store first and then compare the stored field with the value.
    if ((!mainline || checkAfter) && overflow) {
      return overflowed(input, i, type, hi, lo, form === 'unguarded' ? '' : PREFIX);
    }
  }
  return OK_VOID;
}

function nonzero(b: Uint8Array, at: number, size: number): boolean {
  if (b[at] | b[at + 1] | b[at + 2] | b[at + 3]) return true;
  return size === 8 && (b[at + 4] | b[at + 5] | b[at + 6] | b[at + 7]) !== 0;
}

function unknown(input: RelocationInput, i: number, type: number, form: X86_64RelocForm): RelocResult {
  const line =
    form === 'unguarded'
      ? `module ${input.moduleName}: Unknown rela relocation: ${type}`
      : `${PREFIX}${input.moduleName}: Unknown rela relocation: ${type}`;
  return relocFail(input, 'ENOEXEC', i, type, [line]);
}

function overflowed(
  input: RelocationInput,
  i: number,
  type: number,
  hi: number,
  lo: number,
  prefix: string,
): RelocResult {
  return relocFail(input, 'ENOEXEC', i, type, [
    `${prefix}overflow in relocation type ${type} val ${hex64(hi, lo)}`,
    `${prefix}\`${input.moduleName}' likely not compiled with -mcmodel=kernel`,
  ]);
}

/** An x86_64 engine with fixed era options. */
export function createX86_64Relocator(options: X86_64RelocOptions = X86_64_MAINLINE): Relocator {
  return {
    machine: EM_X86_64,
    name: `x86_64-${options.form}`,
    applyRelocations: (input) => applyRelocateAddX86_64(input, options),
  };
}
