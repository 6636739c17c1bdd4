/**
 * IA-64 big-endian relocation for HP-UX DLKM objects (ELF64 MSB RELA, `EM_IA_64`). The HP-UX loader's code
 * is not public; this engine applies the psABI formulas of the word-sized data relocations a DLKM object's
 * wrapper, `modlink`s and pointer tables use, and refuses everything else with ERELOC ("a relocation error
 * occurred", hpux-dlkm.md §3.2 row 15), which the personality turns into its errno number.
 * Numbers from binutils include/elf/ia64.h: DIR32MSB 0x24, DIR64MSB 0x26, FPTR64MSB 0x46, PCREL64MSB 0x4e.
 * `FPTR64MSB` resolves to the function's address: the simulated kernel runs no code, so a function's
 * official descriptor is identified with the function itself.
 * @see Intel Itanium Processor-specific ABI, "Relocation Types"; binutils include/elf/ia64.h
 * @module
 */
import {
  EM_IA_64,
  R_IA64_DIR32MSB,
  R_IA64_DIR64MSB,
  R_IA64_FPTR64MSB,
  R_IA64_NONE,
  R_IA64_PCREL64MSB,
} from '../../abi/elf.js';
import { OK_VOID } from '../../core/result.js';
import {
  hex64,
  type RelocationInput,
  type Relocator,
  type RelocResult,
  relocFail,
  relSectionBounds,
} from './relocator.js';

const SIZEOF_ELF64_RELA = 24;
const U64 = (1n << 64n) - 1n;

/** Applies one big-endian `SHT_RELA` section of a DLKM object. */
export function applyRelocateAddIa64Msb(input: RelocationInput): RelocResult {
  const n = relSectionBounds(input, SIZEOF_ELF64_RELA);
  if (n === undefined || !input.isRela) {
    return relocFail(input, 'ERELOC', 0, 0, [`${input.moduleName}: relocation section unreadable`]);
  }
  const img = input.image;
  const dv = new DataView(img.buffer, img.byteOffset, img.byteLength);
  const tgt = input.target;
  const tdv = new DataView(tgt.buffer, tgt.byteOffset, tgt.byteLength);
  const values = input.symbolValues;
  for (let i = 0, e = input.relOffset; i < n; i++, e += SIZEOF_ELF64_RELA) {
    const offHi = dv.getUint32(e, false);
    const off = dv.getUint32(e + 4, false);
    const sym = dv.getUint32(e + 8, false);
    const type = dv.getUint32(e + 12, false);
    if (type === R_IA64_NONE) continue;
    let size: number;
    switch (type) {
      case R_IA64_DIR64MSB:
      case R_IA64_FPTR64MSB:
      case R_IA64_PCREL64MSB:
        size = 8;
        break;
      case R_IA64_DIR32MSB:
        size = 4;
        break;
      default:
        return refuse(input, i, type, sym, `unsupported relocation type 0x${type.toString(16)}`);
    }
    if (sym >= values.length) return refuse(input, i, type, sym, `symbol index ${sym} out of range`);
    if (offHi !== 0 || off + size > tgt.length) {
      return refuse(input, i, type, sym, `offset 0x${hex64(offHi, off)} outside its section`);
    }
    let v = (values[sym] + dv.getBigUint64(e + 16, false)) & U64;
    if (type === R_IA64_PCREL64MSB) v = (v - input.targetAddress - BigInt(off)) & U64;
    if (size === 8) {
      tdv.setBigUint64(off, v, false);
    } else {
      if (v > 0xffffffffn) return refuse(input, i, type, sym, `value 0x${v.toString(16)} overflows 32 bits`);
      tdv.setUint32(off, Number(v), false);
    }
  }
  return OK_VOID;
}

function refuse(input: RelocationInput, i: number, type: number, sym: number, why: string): RelocResult {
  const s = input.symbolName?.(sym);
  const against = s !== undefined && s !== '' ? ` against ${s}` : '';
  return relocFail(input, 'ERELOC', i, type, [`${input.moduleName}: relocation ${i}${against}: ${why}`]);
}

/** The HP-UX DLKM (IA-64 MSB) engine. */
export const IA64_DLKM_RELOCATOR: Relocator = {
  machine: EM_IA_64,
  name: 'ia64-msb-dlkm',
  applyRelocations: applyRelocateAddIa64Msb,
};
