/**
 * fast-check arbitraries of mutated ELF images: the mutations of src/elf/mutate (truncation, byte flips,
 * header, section-header, symbol and relocation fields) aimed at the structures of a given base image, with
 * values chosen to break size, offset and index checks. Counterexamples print as mutation lists, which
 * `applyMutations` replays.
 */
import fc from 'fast-check';
import {
  describeImage,
  HEADER_FIELDS,
  type ImageLayout,
  RELOCATION_FIELDS,
  SECTION_FIELDS,
  SYMBOL_FIELDS,
} from '../../src/elf/mutate/image-layout.js';
import { applyMutations, type ImageMutation } from '../../src/elf/mutate/image-mutation.js';
import { interestingValues } from '../../src/elf/mutate/random-mutation.js';

function arbValue(layout: ImageLayout): fc.Arbitrary<bigint> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...interestingValues(layout.length)) },
    { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) },
    { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: BigInt(layout.length) + 64n }) },
  );
}

/** One mutation aimed at the structures of `base`. */
export function arbMutation(base: Uint8Array): fc.Arbitrary<ImageMutation> {
  const layout = describeImage(base);
  const len = Math.max(1, base.length);
  const raw: fc.Arbitrary<ImageMutation>[] = [
    fc.nat(len - 1).map((length): ImageMutation => ({ kind: 'truncate', length })),
    fc
      .record({ offset: fc.nat(len - 1), xor: fc.integer({ min: 1, max: 255 }) })
      .map((r): ImageMutation => ({ kind: 'flip', ...r })),
  ];
  if (layout === undefined) return fc.oneof(...raw);
  const value = arbValue(layout);
  const fields: fc.Arbitrary<ImageMutation>[] = [
    fc
      .record({ field: fc.constantFrom(...HEADER_FIELDS), value })
      .map((r): ImageMutation => ({ kind: 'header', ...r })),
  ];
  if (layout.shnum > 0)
    fields.push(
      fc
        .record({ index: fc.nat(layout.shnum - 1), field: fc.constantFrom(...SECTION_FIELDS), value })
        .map((r): ImageMutation => ({ kind: 'section', ...r })),
    );
  const symtab = layout.symtab;
  if (symtab !== undefined && symtab.count > 0)
    fields.push(
      fc
        .record({ index: fc.nat(symtab.count - 1), field: fc.constantFrom(...SYMBOL_FIELDS), value })
        .map((r): ImageMutation => ({ kind: 'symbol', ...r })),
    );
  const tables = layout.relocations.map((r, table) => ({ r, table })).filter(({ r }) => r.count > 0);
  if (tables.length > 0)
    fields.push(
      fc.constantFrom(...tables).chain(({ r, table }) =>
        fc
          .record({
            index: fc.nat(r.count - 1),
            field: fc.constantFrom(
              ...(r.rela ? RELOCATION_FIELDS : RELOCATION_FIELDS.filter((f) => f !== 'r_addend')),
            ),
            value,
          })
          .map((x): ImageMutation => ({ kind: 'relocation', table, ...x })),
      ),
    );
  return fc.oneof({ weight: 1, arbitrary: fc.oneof(...raw) }, { weight: 3, arbitrary: fc.oneof(...fields) });
}

/** A mutated copy of `base` and the mutations that made it (1 to `maxMutations`). */
export function arbMutatedImage(
  base: Uint8Array,
  { maxMutations = 3 }: { readonly maxMutations?: number } = {},
): fc.Arbitrary<{ readonly image: Uint8Array; readonly mutations: readonly ImageMutation[] }> {
  return fc
    .array(arbMutation(base), { minLength: 1, maxLength: maxMutations })
    .map((mutations) => ({ image: applyMutations(base, mutations), mutations }));
}
