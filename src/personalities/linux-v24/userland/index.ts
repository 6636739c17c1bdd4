/**
 * modutils 2.4's tools and the neutral actions built on them.
 * @module
 */
import type { NeutralActions, Tool } from '../../personality.js';
import type { ModutilsContext } from './modutils-context.js';

/** The tools by name. */
export function createModutilsTools(_ctx: ModutilsContext): Record<string, Tool> {
  return {};
}

/** The neutral actions. */
export function createV24Actions(_ctx: ModutilsContext): NeutralActions {
  const none = { result: 'ENOSYS' as const, syscalls: [] };
  return { load: () => none, unload: () => none, use: () => none, unuse: () => none, list: () => none };
}

/** `request_module`: `modprobe -s -k -- name`. */
export function modprobeQuiet(_ctx: ModutilsContext, _name: string): void {}
