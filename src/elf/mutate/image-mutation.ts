/**
 * Mutations of ELF images for fuzzing the readers and loaders: truncation, byte flips, and corrupted header,
 * section-header (offsets, sizes, links, string indices…), symbol and relocation (type, offset, symbol index,
 * addend) fields. Each is a plain value, so a failing case can be printed and replayed; applying one never
 * changes its input and never throws — a field the image does not have leaves the copy unchanged.
 * @module
 */
import {
  describeImage,
  type FieldLocation,
  type HeaderField,
  headerFieldLocation,
  type ImageLayout,
  type RelocationField,
  relocationFieldLocation,
  type SectionField,
  type SymbolField,
  sectionFieldLocation,
  symbolFieldLocation,
} from './image-layout.js';

/** Keeps only the first `length` bytes. */
export interface TruncateMutation {
  /** Kind tag. */
  readonly kind: 'truncate';
  /** Bytes kept. */
  readonly length: number;
}

/** XORs one byte. */
export interface FlipMutation {
  /** Kind tag. */
  readonly kind: 'flip';
  /** File offset. */
  readonly offset: number;
  /** Bits to flip (1–255). */
  readonly xor: number;
}

/** Sets an ELF header field. */
export interface HeaderMutation {
  /** Kind tag. */
  readonly kind: 'header';
  /** The field. */
  readonly field: HeaderField;
  /** New value (truncated to the field's width). */
  readonly value: bigint;
}

/** Sets a field of one section header. */
export interface SectionMutation {
  /** Kind tag. */
  readonly kind: 'section';
  /** Section index. */
  readonly index: number;
  /** The field. */
  readonly field: SectionField;
  /** New value (truncated to the field's width). */
  readonly value: bigint;
}

/** Sets a field of one entry of the symbol table. */
export interface SymbolMutation {
  /** Kind tag. */
  readonly kind: 'symbol';
  /** Symbol index. */
  readonly index: number;
  /** The field. */
  readonly field: SymbolField;
  /** New value (truncated to the field's width). */
  readonly value: bigint;
}

/** Sets a field of one entry of a relocation section. */
export interface RelocationMutation {
  /** Kind tag. */
  readonly kind: 'relocation';
  /** Which relocation section (position among the file's REL/RELA sections). */
  readonly table: number;
  /** Entry index. */
  readonly index: number;
  /** The field. */
  readonly field: RelocationField;
  /** New value (truncated to the field's width). */
  readonly value: bigint;
}

/** One mutation: a plain value that can be printed and replayed. */
export type ImageMutation =
  | TruncateMutation
  | FlipMutation
  | HeaderMutation
  | SectionMutation
  | SymbolMutation
  | RelocationMutation;

function write(out: Uint8Array, loc: FieldLocation, value: bigint, le: boolean): void {
  if (loc.offset < 0 || loc.offset + loc.width > out.length) return;
  const v = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const u = BigInt.asUintN(loc.width * 8, value);
  if (loc.width === 8) v.setBigUint64(loc.offset, u, le);
  else if (loc.width === 4) v.setUint32(loc.offset, Number(u), le);
  else if (loc.width === 2) v.setUint16(loc.offset, Number(u), le);
  else out[loc.offset] = Number(u);
}

/** The field a mutation sets, in `layout` (`undefined` for truncation and flips, or a field the image lacks). */
export function mutationTarget(layout: ImageLayout, m: ImageMutation): FieldLocation | undefined {
  switch (m.kind) {
    case 'header':
      return headerFieldLocation(layout, m.field);
    case 'section':
      return sectionFieldLocation(layout, m.index, m.field);
    case 'symbol':
      return symbolFieldLocation(layout, m.index, m.field);
    case 'relocation':
      return relocationFieldLocation(layout, m.table, m.index, m.field);
    default:
      return undefined;
  }
}

/**
 * Applies one mutation to a copy of `image`. `layout` (from {@link describeImage} of the same bytes) saves
 * re-parsing when several mutations are applied to one base.
 */
export function applyMutation(image: Uint8Array, m: ImageMutation, layout?: ImageLayout): Uint8Array {
  if (m.kind === 'truncate') return image.slice(0, Math.max(0, Math.min(image.length, Math.floor(m.length))));
  const out = image.slice();
  if (m.kind === 'flip') {
    if (Number.isSafeInteger(m.offset) && m.offset >= 0 && m.offset < out.length)
      out[m.offset] ^= m.xor & 0xff;
    return out;
  }
  const l = layout ?? describeImage(image);
  if (l === undefined) return out;
  const loc = mutationTarget(l, m);
  if (loc === undefined) return out;
  if (m.kind === 'relocation' && m.field === 'r_sym' && !l.is64) {
    // ELF32 r_info = sym << 8 | type: replace the 24-bit symbol index, keep the type byte.
    if (loc.offset + 4 > out.length) return out;
    const v = new DataView(out.buffer, out.byteOffset, out.byteLength);
    const type = v.getUint32(loc.offset, l.littleEndian) & 0xff;
    v.setUint32(loc.offset, ((Number(BigInt.asUintN(24, m.value)) << 8) | type) >>> 0, l.littleEndian);
    return out;
  }
  write(out, loc, m.value, l.littleEndian);
  return out;
}

/**
 * Applies mutations in order. Field mutations use the base image's layout (so a second mutation still hits the
 * field it names even after the first moved the section table); truncation applies where it stands.
 */
export function applyMutations(image: Uint8Array, mutations: readonly ImageMutation[]): Uint8Array {
  const layout = describeImage(image);
  let out = image;
  for (const m of mutations) out = applyMutation(out, m, layout);
  return out === image ? image.slice() : out;
}
