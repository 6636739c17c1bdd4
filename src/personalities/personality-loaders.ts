/**
 * Each personality's code behind a dynamic import, so a process that needs one personality (the CLI) loads only
 * that one. The library's synchronous `createKernel` uses the eager registry in `./index.js` instead.
 * @module
 */
import type { PersonalityDefinition, PersonalityId } from './personality.js';

/** Loads each personality's definition on demand. A missing id is a compile error. */
export const PERSONALITY_LOADERS = {
  /** Linux 1.x. */
  'linux-v1': async () => (await import('./linux-v1/linux-v1-module.js')).linuxV1Definition,
  /** Linux 2.2/2.4. */
  'linux-v24': async () => (await import('./linux-v24/linux-v24-module.js')).linuxV24Definition,
  /** Linux 2.6 → 6.x. */
  'linux-v26': async () => (await import('./linux-v26/linux-v26-module.js')).linuxV26Definition,
  /** HP-UX DLKM. */
  'hpux-dlkm': async () => (await import('./hpux-dlkm/hpux-dlkm-module.js')).hpuxDlkmDefinition,
} as const satisfies Record<PersonalityId, () => Promise<PersonalityDefinition>>;

/** The definition of personality `id`, importing only its own code. */
export function loadPersonality(id: PersonalityId): Promise<PersonalityDefinition> {
  return PERSONALITY_LOADERS[id]();
}
