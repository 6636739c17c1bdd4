/**
 * Helpers for the hpux-dlkm tests: kernels, installed objects, registration.
 */
import type { KernelConfig } from '../../../../src/core/kernel-config.js';
import { createKernel, type Kernel } from '../../../../src/kernel.js';
import { buildDlkmObject, type DlkmObjectSpec } from './dlkm-object.js';

/** An HP-UX kernel (11i v3 unless the config says otherwise). */
export function hpux(config: KernelConfig = {}): Kernel<'hpux-dlkm'> {
  return createKernel({ personality: 'hpux-dlkm', config });
}

/** Writes a DLKM object for `spec` at `dir/<name>` (default: the release's module directory). */
export function install(
  k: Kernel<'hpux-dlkm'>,
  spec: DlkmObjectSpec,
  dir?: string,
  fileName = spec.name,
): string {
  const path = `${dir ?? k.modulePath('x').slice(0, -2)}/${fileName}`;
  const r = k.vfs.writeFile(path, buildDlkmObject(spec));
  if (!r.ok) throw new Error(r.error.reason);
  return path;
}

/** The errno name of a raw return, or 'ok'. */
export function outcome(r: { errno?: string }): string {
  return r.errno ?? 'ok';
}
