/**
 * Seeded random mutations, for long fuzz runs without a property-testing library: the same seed always gives
 * the same mutation of the same image.
 * @module
 */
import {
  describeImage,
  HEADER_FIELDS,
  type ImageLayout,
  RELOCATION_FIELDS,
  SECTION_FIELDS,
  SYMBOL_FIELDS,
} from './image-layout.js';
import { applyMutations, type ImageMutation } from './image-mutation.js';

/** mulberry32: a small, fast 32-bit PRNG. Returns a function giving floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Values that break size, offset and index checks: limits, powers of two, the file length and its neighbours. */
export function interestingValues(length: number): bigint[] {
  const n = BigInt(length);
  return [
    0n,
    1n,
    2n,
    0x7fn,
    0x80n,
    0xffn,
    0xffffn,
    0x7fffffffn,
    0x80000000n,
    0xffffffffn,
    2n ** 53n,
    2n ** 63n,
    2n ** 64n - 1n,
    n - 1n,
    n,
    n + 1n,
    n / 2n,
  ];
}

function pick<T>(rnd: () => number, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)];
}

/** One mutation of an image with layout `layout`, chosen by `rnd`. */
export function randomMutationFor(layout: ImageLayout, rnd: () => number): ImageMutation {
  const value = () =>
    rnd() < 0.7 ? pick(rnd, interestingValues(layout.length)) : BigInt(Math.floor(rnd() * 2 ** 32));
  const choices: (() => ImageMutation)[] = [
    () => ({ kind: 'truncate', length: Math.floor(rnd() * layout.length) }),
    () => ({ kind: 'flip', offset: Math.floor(rnd() * layout.length), xor: 1 + Math.floor(rnd() * 255) }),
    () => ({ kind: 'header', field: pick(rnd, HEADER_FIELDS), value: value() }),
  ];
  if (layout.shnum > 0)
    choices.push(() => ({
      kind: 'section',
      index: Math.floor(rnd() * layout.shnum),
      field: pick(rnd, SECTION_FIELDS),
      value: value(),
    }));
  const symtab = layout.symtab;
  if (symtab !== undefined && symtab.count > 0)
    choices.push(() => ({
      kind: 'symbol',
      index: Math.floor(rnd() * symtab.count),
      field: pick(rnd, SYMBOL_FIELDS),
      value: value(),
    }));
  const rels = layout.relocations.map((r, i) => [r, i] as const).filter(([r]) => r.count > 0);
  if (rels.length > 0)
    choices.push(() => {
      const [r, table] = pick(rnd, rels);
      return {
        kind: 'relocation',
        table,
        index: Math.floor(rnd() * r.count),
        field: pick(rnd, r.rela ? RELOCATION_FIELDS : RELOCATION_FIELDS.filter((f) => f !== 'r_addend')),
        value: value(),
      };
    });
  return pick(rnd, choices)();
}

/** A mutated image and the mutations that made it. */
export interface MutatedImage {
  /** The mutated copy. */
  readonly image: Uint8Array;
  /** The mutations, in the order applied. */
  readonly mutations: readonly ImageMutation[];
}

/** `count` seeded mutations of `image` and the mutated copy. */
export function mutateImage(image: Uint8Array, seed: number, count = 1): MutatedImage {
  const layout = describeImage(image);
  const rnd = seededRandom(seed);
  const mutations: ImageMutation[] = [];
  for (let i = 0; i < count; i++)
    mutations.push(
      layout === undefined
        ? { kind: 'flip', offset: Math.floor(rnd() * image.length), xor: 1 + Math.floor(rnd() * 255) }
        : randomMutationFor(layout, rnd),
    );
  return { image: applyMutations(image, mutations), mutations };
}
