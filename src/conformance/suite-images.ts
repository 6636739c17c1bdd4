import { createKernel } from '../kernel.js';
import type { PersonalityId } from '../personalities/personality.js';
import { SUITE_MODULES } from './model.js';

const cache = new Map<PersonalityId, Map<string, Uint8Array>>();

/**
 * The personality's images of the suite's modules (`.ko`, 2.4 `.o`, DLKM object), built once: the bytes the
 * robustness property mutates and the targeted cases stage.
 */
export function imagesOf(personality: PersonalityId): (module: string) => Uint8Array {
  let built = cache.get(personality);
  if (built === undefined) {
    built = new Map();
    cache.set(personality, built);
  }
  const c = built;
  return (module) => {
    const hit = c.get(module);
    if (hit !== undefined) return hit;
    const spec = SUITE_MODULES.find((m) => m.spec.name === module)?.spec;
    if (spec === undefined) throw new Error(`no suite module ${module}`);
    const image = createKernel({ personality }).buildImage(spec);
    if (!image.ok) throw new Error(`cannot build ${module} for ${personality}: ${image.error}`);
    c.set(module, image.value);
    return image.value;
  };
}
