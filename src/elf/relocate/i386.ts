/**
 * i386 REL relocation, two ways:
 * - the 2.6+ kernel's `apply_relocate` (R_386_32: `*loc += S`; R_386_PC32 and, from 4.16 *(recalled)*,
 *   R_386_PLT32: `*loc += S - P`; anything else, R_386_NONE included, stops the load with ENOEXEC);
 * - modutils 2.4 insmod's user-space `arch_apply_relocation` (obj/obj_i386.c), driven by `obj_relocate`:
 *   the same formulas for 32/PC32/PLT32, plus R_386_NONE, GLOB_DAT/JMP_SLOT (`*loc = v`), RELATIVE
 *   (`*loc += base`), and the GOT forms GOTPC (`*loc += got - dot`), GOTOFF (`*loc += v - got`) and GOT32
 *   (fill the symbol's GOT slot once, `*loc += slot offset`). Every other type is "Unhandled relocation";
 *   `obj_relocate` reports each bad entry and goes on, then fails the whole load.
 * @see arch/x86/kernel/module.c apply_relocate; modutils obj/obj_i386.c arch_apply_relocation, obj/obj_reloc.c obj_relocate
 * @module
 */
import {
  EM_386,
  R_386_32,
  R_386_GLOB_DAT,
  R_386_GOT32,
  R_386_GOTOFF,
  R_386_GOTPC,
  R_386_JMP_SLOT,
  R_386_NONE,
  R_386_PC32,
  R_386_PLT32,
  R_386_RELATIVE,
} from '../../abi/elf.js';
import { OK_VOID } from '../../core/result.js';
import {
  type RelocationInput,
  type Relocator,
  type RelocResult,
  relocFail,
  relSectionBounds,
  symbolHalves,
} from './relocator.js';

const SIZEOF_ELF32_REL = 8;
const PREFIX = 'module: ';

/** Era switches of the kernel's i386 engine. */
export interface I386KernelRelocOptions {
  /** `R_386_PLT32` handled like PC32. */
  readonly plt32: boolean;
  /**
   * The 2.6 `printk` text (`module %s: Unknown relocation: %u`) instead of the later `pr_err` with the
   * `module: ` pr_fmt prefix (3.x on *(recalled)*).
   */
  readonly printkMessages?: boolean;
}

/** Applies one `SHT_REL` section as the 2.6+ kernel does. */
export function applyRelocateI386(input: RelocationInput, options: I386KernelRelocOptions): RelocResult {
  const name = input.moduleName;
  if (input.isRela) {
    // The generic apply_relocate_add() stub of include/linux/moduleloader.h (plain printk, no pr_fmt).
    return relocFail(input, 'ENOEXEC', 0, 0, [`module ${name}: RELA relocation unsupported`]);
  }
  const n = relSectionBounds(input, SIZEOF_ELF32_REL);
  if (n === undefined) {
    return relocFail(input, 'ENOEXEC', 0, 0, [`${PREFIX}${name}: relocation section outside the image`]);
  }
  const img = input.image;
  const dv = new DataView(img.buffer, img.byteOffset, img.byteLength);
  const tgt = input.target;
  const tdv = new DataView(tgt.buffer, tgt.byteOffset, tgt.byteLength);
  const sv = symbolHalves(input.symbolValues);
  const nsyms = input.symbolValues.length;
  const base = Number(input.targetAddress & 0xffffffffn);
  for (let i = 0, e = input.relOffset; i < n; i++, e += SIZEOF_ELF32_REL) {
    const off = dv.getUint32(e, true);
    const info = dv.getUint32(e + 4, true);
    const type = info & 0xff;
    const sym = info >>> 8;
    const pcrel = type === R_386_PC32 || (type === R_386_PLT32 && options.plt32);
    if (type !== R_386_32 && !pcrel) {
      const line = options.printkMessages
        ? `module ${name}: Unknown relocation: ${type}`
        : `${PREFIX}${name}: Unknown relocation: ${type}`;
      return relocFail(input, 'ENOEXEC', i, type, [line]);
    }
    if (sym >= nsyms || off + 4 > tgt.length) {
      return relocFail(input, 'ENOEXEC', i, type, [
        `${PREFIX}${name}: relocation ${i} (type ${type}) refers outside its symbol table or section`,
      ]);
    }
    const s = sv[2 * sym];
    const v = pcrel ? s - ((base + off) >>> 0) : s;
    tdv.setUint32(off, (tdv.getUint32(off, true) + v) >>> 0, true);
  }
  return OK_VOID;
}

/** The `.got` insmod 2.4 creates for GOT32/GOTPC/GOTOFF entries (`arch_create_got`). */
export interface InsmodGot {
  /** Its address (`ifile->got->header.sh_addr`). */
  readonly address: number;
  /** Its bytes, where GOT32 stores symbol values. */
  readonly contents: Uint8Array;
  /** Offset of a symbol's slot in {@link InsmodGot.contents}, by symbol index (`gotent.offset`). */
  slotOf(symbolIndex: number): number | undefined;
  /** Slots already filled (`gotent.reloc_done`), shared across the object's relocation sections. */
  readonly filled: Set<number>;
}

/** What insmod knows beyond the section: the object's base (`f->baseaddr`) and its GOT, if it made one. */
export interface InsmodI386Context {
  /** `f->baseaddr` for R_386_RELATIVE. */
  readonly baseAddress: number;
  /** The GOT, when the object has GOT relocations. */
  readonly got?: InsmodGot;
}

/**
 * Applies one `SHT_REL` section as modutils 2.4 insmod does: every entry is tried; each unhandled one prints
 * `Unhandled relocation of type N for SYM` and the section fails at the end (insmod then exits 1).
 */
export function insmodApplyRelocationI386(input: RelocationInput, ctx: InsmodI386Context): RelocResult {
  const n = relSectionBounds(input, SIZEOF_ELF32_REL);
  if (n === undefined || input.isRela) {
    return relocFail(input, 'ENOEXEC', 0, 0, ['insmod: relocation section unreadable']);
  }
  const img = input.image;
  const dv = new DataView(img.buffer, img.byteOffset, img.byteLength);
  const tgt = input.target;
  const tdv = new DataView(tgt.buffer, tgt.byteOffset, tgt.byteLength);
  const sv = symbolHalves(input.symbolValues);
  const nsyms = input.symbolValues.length;
  const base = Number(input.targetAddress & 0xffffffffn);
  const lines: string[] = [];
  let firstBad = -1;
  let firstType = 0;
  for (let i = 0, e = input.relOffset; i < n; i++, e += SIZEOF_ELF32_REL) {
    const off = dv.getUint32(e, true);
    const info = dv.getUint32(e + 4, true);
    const type = info & 0xff;
    const sym = info >>> 8;
    if (type === R_386_NONE) continue;
    if (sym >= nsyms || off + 4 > tgt.length) {
      lines.push(`insmod: relocation ${i} refers outside its symbol table or section`);
      if (firstBad < 0) [firstBad, firstType] = [i, type];
      continue;
    }
    const v = sv[2 * sym];
    const dot = (base + off) >>> 0;
    const cur = tdv.getUint32(off, true);
    const got = ctx.got;
    let out: number | undefined;
    switch (type) {
      case R_386_32:
        out = cur + v;
        break;
      case R_386_PLT32:
      case R_386_PC32:
        out = cur + v - dot;
        break;
      case R_386_GLOB_DAT:
      case R_386_JMP_SLOT:
        out = v;
        break;
      case R_386_RELATIVE:
        out = cur + ctx.baseAddress;
        break;
      case R_386_GOTPC:
        if (got !== undefined) out = cur + got.address - dot;
        break;
      case R_386_GOTOFF:
        if (got !== undefined) out = cur + v - got.address;
        break;
      case R_386_GOT32: {
        const slot = got?.slotOf(sym);
        if (got !== undefined && slot !== undefined && slot + 4 <= got.contents.length) {
          if (!got.filled.has(slot)) {
            got.filled.add(slot);
            new DataView(got.contents.buffer, got.contents.byteOffset).setUint32(slot, v >>> 0, true);
          }
          out = cur + slot;
        }
        break;
      }
      default: {
        const s = input.symbolName?.(sym);
        lines.push(
          s !== undefined && s !== ''
            ? `Unhandled relocation of type ${type} for ${s}`
            : `Unhandled relocation of type ${type}`,
        );
        if (firstBad < 0) [firstBad, firstType] = [i, type];
        continue;
      }
    }
    if (out === undefined) {
      // insmod asserts a GOT exists for these; without one it aborts.
      lines.push(`insmod: obj_i386.c: arch_apply_relocation: assertion for a GOT failed (type ${type})`);
      if (firstBad < 0) [firstBad, firstType] = [i, type];
      continue;
    }
    tdv.setUint32(off, out >>> 0, true);
  }
  if (firstBad >= 0) return relocFail(input, 'ENOEXEC', firstBad, firstType, lines);
  return OK_VOID;
}

/** The 2.6+ kernel's engine (PLT32 known, as in current kernels). */
export const I386_KERNEL_RELOCATOR: Relocator = {
  machine: EM_386,
  name: 'i386',
  applyRelocations: (input) => applyRelocateI386(input, { plt32: true }),
};

/** A kernel engine for an era without `R_386_PLT32`. */
export function createI386KernelRelocator(options: I386KernelRelocOptions): Relocator {
  return {
    machine: EM_386,
    name: `i386${options.plt32 ? '' : '-no-plt32'}${options.printkMessages ? '-printk' : ''}`,
    applyRelocations: (input) => applyRelocateI386(input, options),
  };
}

/** modutils 2.4 insmod's engine for one object (its base and GOT). */
export function createInsmodI386Relocator(ctx: InsmodI386Context): Relocator {
  return {
    machine: EM_386,
    name: 'i386-insmod-2.4',
    applyRelocations: (input) => insmodApplyRelocationI386(input, ctx),
  };
}
