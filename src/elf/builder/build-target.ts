/**
 * One entry point for every format: a {@link BuildTarget} names the format and its options, and
 * {@link buildModule} dispatches to the writer.
 * @module
 */
import { buildDlkmObject } from './dlkm-object-builder.js';
import { buildI386Object, type I386ObjectOptions } from './i386-object-builder.js';
import { buildKo, type KoOptions } from './ko-builder.js';
import type { ModuleSpec } from './module-spec.js';

/** An x86_64 `.ko` (linux-v26). */
export interface KoTarget {
  /** Format tag. */
  readonly format: 'ko';
  /** Format options. */
  readonly options?: KoOptions;
}

/** An i386 `.o` for the 2.4, 2.0 or 1.x module tools (linux-v24, linux-v1). */
export interface I386Target {
  /** Format tag. */
  readonly format: 'i386';
  /** The era and modversions. */
  readonly options: I386ObjectOptions;
}

/** An HP-UX DLKM object (hpux-dlkm). */
export interface DlkmTarget {
  /** Format tag. */
  readonly format: 'dlkm';
}

/** A format and its options. */
export type BuildTarget = KoTarget | I386Target | DlkmTarget;

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
