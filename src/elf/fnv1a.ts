/**
 * Byte-string hashing for the name tables that look names up without decoding them (`__versions` in the ELF
 * reader and in the simulated kmod): 32-bit FNV-1a and the byte comparison that confirms a match.
 * @module
 */

/** FNV-1a's 32-bit offset basis (the hash of no bytes). */
export const FNV1A_OFFSET = 0x811c9dc5;

/** FNV-1a's 32-bit prime: each step is `h = Math.imul(h ^ byte, FNV1A_PRIME)`. */
export const FNV1A_PRIME = 0x01000193;

/** FNV-1a of `m[start, end)`, as an unsigned 32-bit number. */
export function fnv1a(m: Uint8Array, start: number, end: number): number {
  let h = FNV1A_OFFSET;
  for (let i = start; i < end; i++) h = Math.imul(h ^ m[i], FNV1A_PRIME);
  return h >>> 0;
}

/** Whether `m[a, aEnd)` and `m[b, bEnd)` hold the same bytes. */
export function sameBytes(m: Uint8Array, a: number, aEnd: number, b: number, bEnd: number): boolean {
  if (aEnd - a !== bEnd - b) return false;
  for (let i = 0; i < aEnd - a; i++) if (m[a + i] !== m[b + i]) return false;
  return true;
}
