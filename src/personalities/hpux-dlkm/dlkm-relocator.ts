/**
 * The relocation engine interface the DLKM loader drives, and a data-relocation engine for IA-64 objects.
 *
 * The full IA-64 engine (instruction-slot immediates, GP-relative, linkage-table and function-descriptor
 * relocations) belongs in src/elf/relocate; until it is available this engine applies the relocations whose
 * field is a plain 32- or 64-bit word: what a module's data (its `struct modwrapper`, `modlink`s, strings and
 * pointer tables) uses. Any other type is refused with ERELOC, as the kernel refuses a relocation it cannot
 * apply (hpux-dlkm.md §3.2 row 15).
 * @module
 */
import {
  EM_IA_64,
  R_IA64_DIR32LSB,
  R_IA64_DIR32MSB,
  R_IA64_DIR64LSB,
  R_IA64_DIR64MSB,
  R_IA64_FPTR64LSB,
  R_IA64_FPTR64MSB,
  R_IA64_NONE,
  R_IA64_PCREL32LSB,
  R_IA64_PCREL32MSB,
  R_IA64_PCREL64LSB,
  R_IA64_PCREL64MSB,
} from '../../abi/elf.js';
import { err, OK_VOID, type Result } from '../../core/result.js';

/** One relocation to apply: the psABI's S, A and P, and the field's bytes. */
export interface RelocationSite {
  /** `ELF64_R_TYPE(r_info)`. */
  readonly type: number;
  /** The bytes of the target section as placed in kernel memory. */
  readonly target: Uint8Array;
  /** Offset of the field in {@link RelocationSite.target}. */
  readonly offset: number;
  /** P: address of the field. */
  readonly place: bigint;
  /** S: value of the symbol. */
  readonly symbol: bigint;
  /** A: addend. */
  readonly addend: bigint;
  /** Name of the symbol, for messages. */
  readonly symbolName: string;
}

/** A relocation engine for one `e_machine`. */
export interface DlkmRelocator {
  /** The machine it handles. */
  readonly machine: number;
  /** Applies one relocation, or ERELOC with the reason. */
  apply(site: RelocationSite): Result<void>;
}

const U64 = (1n << 64n) - 1n;
const U32 = (1n << 32n) - 1n;
const I32_MIN = -(1n << 31n);

function put(site: RelocationSite, width: 4 | 8, value: bigint, littleEndian: boolean): Result<void> {
  if (site.offset < 0 || site.offset + width > site.target.length)
    return err('ERELOC', `relocation at offset ${site.offset} lies outside its section`);
  const v = new DataView(site.target.buffer, site.target.byteOffset, site.target.byteLength);
  if (width === 8) v.setBigUint64(site.offset, value & U64, littleEndian);
  else v.setUint32(site.offset, Number(value & U32), littleEndian);
  return OK_VOID;
}

/** IA-64 word-sized relocations (see the module notes). */
export const IA64_DATA_RELOCATOR: DlkmRelocator = {
  machine: EM_IA_64,
  apply(site: RelocationSite): Result<void> {
    const sa = site.symbol + site.addend;
    switch (site.type) {
      case R_IA64_NONE:
        return OK_VOID;
      case R_IA64_DIR64MSB:
      case R_IA64_DIR64LSB:
      // A function pointer: the address of the function's official descriptor. The simulated kernel runs no
      // code, so the descriptor is identified with the function itself.
      case R_IA64_FPTR64MSB:
      case R_IA64_FPTR64LSB:
        return put(site, 8, sa, site.type === R_IA64_DIR64LSB || site.type === R_IA64_FPTR64LSB);
      case R_IA64_DIR32MSB:
      case R_IA64_DIR32LSB:
        if (sa < 0n || sa > U32)
          return err(
            'ERELOC',
            `DIR32 relocation against ${site.symbolName} overflows (0x${sa.toString(16)})`,
          );
        return put(site, 4, sa, site.type === R_IA64_DIR32LSB);
      case R_IA64_PCREL64MSB:
      case R_IA64_PCREL64LSB:
        return put(site, 8, sa - site.place, site.type === R_IA64_PCREL64LSB);
      case R_IA64_PCREL32MSB:
      case R_IA64_PCREL32LSB: {
        const d = sa - site.place;
        if (d < I32_MIN || d > -I32_MIN - 1n)
          return err('ERELOC', `PCREL32 relocation against ${site.symbolName} overflows`);
        return put(site, 4, d, site.type === R_IA64_PCREL32LSB);
      }
      default:
        return err(
          'ERELOC',
          `unsupported relocation type 0x${site.type.toString(16)} against ${site.symbolName}`,
        );
    }
  },
};
