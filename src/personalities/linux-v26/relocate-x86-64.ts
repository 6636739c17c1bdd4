/**
 * x86-64 `apply_relocate_add` over module memory: RELA entries read as 32-bit words straight from the image,
 * values computed as exact signed numbers (kernel addresses live in the top 2 GiB, so `S + A - P` stays far
 * inside 2^53), written little-endian into the destination allocation. No per-entry allocation.
 * @see arch/x86/kernel/module.c __write_relocate_add
 * @module
 */
import {
  R_X86_64_32,
  R_X86_64_32S,
  R_X86_64_64,
  R_X86_64_NONE,
  R_X86_64_PC32,
  R_X86_64_PC64,
  R_X86_64_PLT32,
} from '../../abi/elf.js';
import { err, OK_VOID, type Result } from '../../core/result.js';
import { HOST_LITTLE_ENDIAN, i64FromWords, u64FromWords } from '../../elf/elf-file.js';

const TWO_32 = 4294967296;

/** Where one section of the image was placed. */
export interface PlacedSection {
  /** Destination bytes (the allocation holding the section). */
  readonly bytes: Uint8Array;
  /** DataView over {@link PlacedSection.bytes}. */
  readonly view: DataView;
  /** Offset of the section inside the allocation. */
  readonly offset: number;
  /** Section size in memory. */
  readonly size: number;
  /** Its address (signed-number form). */
  readonly addr: number;
}

/** Era switches of the relocator. */
export interface X86_64RelocOptions {
  /** Pre-5.x: PC32/PLT32 overflow check. */
  readonly pc32OverflowCheck: boolean;
  /** `R_X86_64_PLT32` known. */
  readonly plt32: boolean;
  /** `R_X86_64_PC64` known. */
  readonly pc64: boolean;
}

/** What relocating one section did. */
export interface RelocCount {
  /** Entries applied (including `R_X86_64_NONE`). */
  count: number;
}

/**
 * Applies one `SHT_RELA` section. `rela` is the section's bytes in the image, `symValues[i]` the resolved
 * `st_value` of symbol i, `target` where the patched section lives. Stops at the first error (ENOEXEC).
 */
export function applyRelocateAdd(
  modName: string,
  image: DataView,
  relaOffset: number,
  relaSize: number,
  symValues: Float64Array,
  target: PlacedSection,
  opts: X86_64RelocOptions,
  counter: RelocCount,
): Result<void> {
  const n = Math.floor(relaSize / 24);
  if (relaOffset < 0 || relaOffset + n * 24 > image.byteLength) {
    return err('ENOEXEC', `${modName}: relocation section at ${relaOffset} outside the image`);
  }
  const w = relaWords(image, relaOffset, n);
  const dst = target.view;
  for (let i = 0; i < n; i++) {
    const j = i * 6;
    const type = w[j + 2];
    const sym = w[j + 3];
    counter.count++;
    if (type === R_X86_64_NONE) continue;
    if (sym >= symValues.length) return err('ENOEXEC', `${modName}: Unknown rela relocation: ${type}`);
    const roff = u64FromWords(w[j], w[j + 1]);
    const addend = i64FromWords(w[j + 4], w[j + 5] | 0);
    const s = symValues[sym];
    let val = s + addend;
    let size: number;
    let overflow = false;
    switch (type) {
      case R_X86_64_64:
        size = 8;
        break;
      case R_X86_64_32:
        size = 4;
        overflow = val < 0 || val >= TWO_32;
        break;
      case R_X86_64_32S:
        size = 4;
        overflow = val < -2147483648 || val > 2147483647;
        break;
      case R_X86_64_PLT32:
        if (!opts.plt32) return err('ENOEXEC', `${modName}: Unknown rela relocation: ${type}`);
        size = 4;
        val -= target.addr + roff;
        overflow = opts.pc32OverflowCheck && (val < -2147483648 || val > 2147483647);
        break;
      case R_X86_64_PC32:
        size = 4;
        val -= target.addr + roff;
        overflow = opts.pc32OverflowCheck && (val < -2147483648 || val > 2147483647);
        break;
      case R_X86_64_PC64:
        if (!opts.pc64) return err('ENOEXEC', `${modName}: Unknown rela relocation: ${type}`);
        size = 8;
        val -= target.addr + roff;
        break;
      default:
        return err('ENOEXEC', `${modName}: Unknown rela relocation: ${type}`);
    }
    // The kernel writes at sh_addr + r_offset without a bound; here a target outside the section is a fault.
    if (roff + size > target.size || !Number.isSafeInteger(roff)) {
      return err('ENOEXEC', `${modName}: relocation offset 0x${roff.toString(16)} outside its section`);
    }
    const loc = target.offset + roff;
    // Word reads (unaligned is fine for a DataView) instead of one load per byte.
    if (dst.getUint32(loc, true) !== 0 || (size === 8 && dst.getUint32(loc + 4, true) !== 0)) {
      return err(
        'ENOEXEC',
        `x86/modules: Invalid relocation target, existing value is nonzero for type ${type}, loc ${hexLoc(target.addr + roff)}, val ${hexVal(val)}`,
      );
    }
    if (overflow) {
      return err(
        'ENOEXEC',
        `${modName}: overflow in relocation type ${type} val ${hexVal(val)}\n${modName}: \`${modName}' likely not compiled with -mcmodel=kernel`,
      );
    }
    const lo = val >>> 0;
    dst.setUint32(loc, lo, true);
    if (size === 8) dst.setUint32(loc + 4, Math.floor(val / TWO_32) >>> 0, true);
  }
  return OK_VOID;
}

/**
 * The `n` entries at `offset` as little-endian 32-bit words, six per entry (`r_offset`, `r_info`, `r_addend`, low
 * word first): a view of the image when it is 4-byte aligned on a little-endian host (module files are), else a
 * copy. Indexing a word array is cheaper than a DataView call per field over millions of entries.
 */
function relaWords(image: DataView, offset: number, n: number): Uint32Array {
  const at = image.byteOffset + offset;
  if (HOST_LITTLE_ENDIAN && at % 4 === 0) return new Uint32Array(image.buffer, at, n * 6);
  const w = new Uint32Array(n * 6);
  for (let k = 0; k < w.length; k++) w[k] = image.getUint32(offset + 4 * k, true);
  return w;
}

function hexVal(v: number): string {
  const b = BigInt(Math.trunc(v));
  return BigInt.asUintN(64, b).toString(16);
}

function hexLoc(v: number): string {
  return `000000000${hexVal(v)}`.slice(-16);
}
