/**
 * `readModuleSpec`: the inverse of the builders. Given an image a builder wrote, it recovers the format, its
 * options and the spec — the spec {@link canonicalModuleSpec} predicts, plus the measured section `sizes` — so
 * `buildModule(read.target, read.spec)` writes the same bytes again. Images from elsewhere (a real `.ko`) are
 * read as far as they follow the same conventions; anything else is an error value, never an exception.
 * @module
 */
import { EM_386, EM_IA_64, EM_X86_64 } from '../../abi/elf.js';
import { fail, ok, type Result } from '../../core/result.js';
import type { BuildTarget } from './build-target.js';
import { ImageView } from './image-view.js';
import type { ModuleSpec } from './module-spec.js';
import { readDlkmSpec } from './read-dlkm-spec.js';
import { readI386Spec } from './read-i386-spec.js';
import { readKoSpec } from './read-ko-spec.js';

/** What {@link readModuleSpec} recovers. */
export interface ReadModuleSpec {
  /** The format and its options (every option explicit). */
  readonly target: BuildTarget;
  /** The spec. */
  readonly spec: ModuleSpec;
}

/** Recovers the target and spec of an image the builder wrote. */
export function readModuleSpec(bytes: Uint8Array): Result<ReadModuleSpec, string> {
  try {
    const view = ImageView.open(bytes);
    if (!view.ok) return view;
    const machine = view.value.file.header.machine;
    if (machine === EM_X86_64) {
      const r = readKoSpec(view.value);
      return r.ok ? ok({ target: { format: 'ko', options: r.value.options }, spec: r.value.spec }) : r;
    }
    if (machine === EM_386) {
      const r = readI386Spec(view.value);
      return r.ok ? ok({ target: { format: 'i386', options: r.value.options }, spec: r.value.spec }) : r;
    }
    if (machine === EM_IA_64) {
      const r = readDlkmSpec(view.value);
      return r.ok ? ok({ target: { format: 'dlkm' }, spec: r.value.spec }) : r;
    }
    return fail(`e_machine ${machine} is not a format the builder writes`);
  } catch (e) {
    return fail(`unreadable image: ${e instanceof Error ? e.message : String(e)}`);
  }
}
