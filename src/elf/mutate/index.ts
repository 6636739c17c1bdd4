/**
 * Deterministic mutators of ELF images for fuzzing (the fast-check arbitraries over them live in the tests).
 * @module
 */
export {
  describeImage,
  type EntryTable,
  type FieldLocation,
  HEADER_FIELDS,
  type HeaderField,
  headerFieldLocation,
  type ImageLayout,
  RELOCATION_FIELDS,
  type RelocationField,
  type RelocationTable,
  relocationFieldLocation,
  SECTION_FIELDS,
  type SectionField,
  SYMBOL_FIELDS,
  type SymbolField,
  sectionFieldLocation,
  symbolFieldLocation,
} from './image-layout.js';
export {
  applyMutation,
  applyMutations,
  type FlipMutation,
  type HeaderMutation,
  type ImageMutation,
  mutationTarget,
  type RelocationMutation,
  type SectionMutation,
  type SymbolMutation,
  type TruncateMutation,
} from './image-mutation.js';
export {
  interestingValues,
  type MutatedImage,
  mutateImage,
  randomMutationFor,
  seededRandom,
} from './random-mutation.js';
