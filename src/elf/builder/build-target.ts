/**
 * One entry point for every format: a {@link BuildTarget} names the format and its options, and
 * {@link buildModule} dispatches to the writer.
 * @module
 */
import { buildDlkmObject } from './dlkm-object-builder.js';
import { buildI386Object, type I386ObjectOptions } from './i386-object-builder.js';
import { buildKo, type KoOptions } from './ko-builder.js';
import type { ModuleSpec } from './module-spec.js';

/** A format and its options. */
export type BuildTarget =
  | { readonly format: 'ko'; readonly options?: KoOptions }
  | { readonly format: 'i386'; readonly options: I386ObjectOptions }
  | { readonly format: 'dlkm' };

/** Builds `spec` for `target`. Throws `ModuleSpecError` for a spec the writer cannot build. */
export function buildModule(target: BuildTarget, spec: ModuleSpec): Uint8Array {
  switch (target.format) {
    case 'ko':
      return buildKo(spec, target.options);
    case 'i386':
      return buildI386Object(spec, target.options);
    case 'dlkm':
      return buildDlkmObject(spec);
  }
}
