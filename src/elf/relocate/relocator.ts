/**
 * The relocation engine interface: one engine per `e_machine`, applying one REL/RELA section to the placed
 * bytes of the section it patches. Symbols arrive already resolved (`simplify_symbols` wrote every `st_value`).
 * @see kernel/module/main.c apply_relocations
 * @module
 */
import type { ErrnoName } from '../../abi/errno.js';
import type { KernelError } from '../../core/kernel-error.js';
import { fail, type Result } from '../../core/result.js';
import { HOST_LITTLE_ENDIAN } from '../elf-file.js';

/** One call of a relocation engine: a REL/RELA section of `image` applied to `target`. */
export interface RelocationInput {
  /** The whole ELF image the relocation section lives in. */
  readonly image: Uint8Array;
  /** File offset of the relocation section (`sh_offset`). */
  readonly relOffset: number;
  /** Its size (`sh_size`); the entry count is `relSize / sizeof(entry)` rounded down, as the kernel does. */
  readonly relSize: number;
  /**
   * `sh_entsize`, informative only: the kernel walks the section with `sizeof(Elf_Rela)`/`sizeof(Elf_Rel)`
   * whatever the header says, and so do the engines.
   */
  readonly relEntsize?: number;
  /** `SHT_RELA` (explicit addends) rather than `SHT_REL` (addends stored in the patched field). */
  readonly isRela: boolean;
  /** The allocated bytes of the section being relocated (`sh_addr` points at its first byte). */
  readonly target: Uint8Array;
  /** Address of `target[0]` in the simulated kernel (`sh_addr` after layout). */
  readonly targetAddress: bigint;
  /** `st_value` of every symbol by index, already resolved by `simplify_symbols`. */
  readonly symbolValues: BigUint64Array;
  /** The module's name, as the messages print it (`me->name`). */
  readonly moduleName: string;
  /** Receives each line the kernel (or the era's insmod) prints, without the log level. */
  readonly log?: (line: string) => void;
  /** Name of a symbol by index, for the messages that print one (modutils' insmod). */
  readonly symbolName?: (index: number) => string | undefined;
}

/** Why a relocation section could not be applied. Equivalent to the `-ENOEXEC` (or ERELOC) return. */
export interface RelocError extends KernelError {
  /** Index of the entry that failed within its section. */
  readonly entry: number;
  /** `ELF_R_TYPE(r_info)` of that entry. */
  readonly type: number;
  /** Every line printed for the failure, in order (`reason` is their concatenation). */
  readonly lines: readonly string[];
}

/** What an engine returns: nothing, or the first (kernel) / collected (insmod) failure. */
export type RelocResult = Result<void, RelocError>;

/** A relocation engine for one machine. */
export interface Relocator {
  /** `e_machine` it handles. */
  readonly machine: number;
  /** Short name, e.g. `x86_64` or `i386-insmod-2.4`. */
  readonly name: string;
  /** Applies one relocation section; stops where the engine it mirrors stops. */
  applyRelocations(input: RelocationInput): RelocResult;
}

/** Builds a failed {@link RelocResult}, writing its lines to the input's log. */
export function relocFail(
  input: RelocationInput,
  errno: ErrnoName,
  entry: number,
  type: number,
  lines: readonly string[],
): RelocResult {
  if (input.log !== undefined) for (const l of lines) input.log(l);
  return fail({ errno, reason: lines.join('\n'), entry, type, lines });
}

/**
 * The symbol values as 32-bit halves (`[2i]` low, `[2i + 1]` high) so the hot loops stay in Number
 * arithmetic: a zero-copy view on little-endian hosts, a copy otherwise.
 */
export function symbolHalves(values: BigUint64Array): Uint32Array {
  if (HOST_LITTLE_ENDIAN) return new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  const out = new Uint32Array(values.length * 2);
  for (let i = 0; i < values.length; i++) {
    out[2 * i] = Number(values[i] & 0xffffffffn);
    out[2 * i + 1] = Number(values[i] >> 32n);
  }
  return out;
}

/** `%Lx` of a 64-bit value given as halves (no leading zeros). */
export function hex64(hi: number, lo: number): string {
  if (hi === 0) return lo.toString(16);
  return hi.toString(16) + lo.toString(16).padStart(8, '0');
}

/**
 * A kernel pointer as the messages print it. The kernel hashes `%p` since 4.15; the simulation prints the
 * real address (as `%px` would), zero-padded to the pointer width.
 */
export function pointer(hi: number, lo: number, width: 32 | 64): string {
  if (width === 32) return lo.toString(16).padStart(8, '0');
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

/** Checks that the entries lie inside the image; `undefined` when they do. */
export function relSectionBounds(input: RelocationInput, entrySize: number): number | undefined {
  const { relOffset, relSize, image } = input;
  if (
    !Number.isSafeInteger(relOffset) ||
    !Number.isSafeInteger(relSize) ||
    relOffset < 0 ||
    relSize < 0 ||
    relOffset + Math.floor(relSize / entrySize) * entrySize > image.length
  ) {
    return undefined;
  }
  return Math.floor(relSize / entrySize);
}
