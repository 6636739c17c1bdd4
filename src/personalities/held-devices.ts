/**
 * The module devices a Linux 1.x/2.x kernel's process holds open, as saved state: `[module, name]` pairs (the
 * module's kernel address, the name the `use` action opened it by) in the order the process opened them. Saves
 * before that format carried the fd first (`[fd, module, name]`); those are read in fd order, the order they were
 * reopened in. fd numbers are the process's, not the kernel's: a restored kernel reopens at the lowest free fds.
 * @module
 */
import { asArray, type JsonValue } from '../core/snapshot.js';
import type { Vfs } from '../core/vfs.js';

/** The saved rows of `devFds` (fd → module address, in opening order); names from `deviceFds` (name → fds). */
export function saveHeldDevices(
  devFds: ReadonlyMap<number, number>,
  deviceFds: ReadonlyMap<string, readonly number[]>,
): [number, string][] {
  const names = new Map<number, string>();
  for (const [name, fds] of deviceFds) for (const fd of fds) names.set(fd, name);
  return [...devFds].map(([fd, module]) => [module, names.get(fd) ?? '']);
}

/** The `devices` rows of a personality's saved state (`what` names it in errors): `[module, name]` each. */
export function heldDevices(devices: JsonValue | undefined, what: string): [number, string][] {
  const rows = asArray(devices ?? [], what).map((r) => asArray(r, 'device'));
  const legacy = rows.length > 0 && rows.every((r) => r.length >= 3);
  if (legacy) rows.sort((a, b) => Number(a[0]) - Number(b[0]));
  return rows.map((r) => (legacy ? [Number(r[1]), String(r[2] ?? '')] : [Number(r[0]), String(r[1] ?? '')]));
}

/**
 * Opens the saved devices again, in their order, into the emptied `devFds` and `deviceFds` (no second use is
 * counted: the use counts are in the restored kernel). `deviceOf` names the device of a module address, or
 * `undefined` for a module that is gone; a device that cannot be opened is skipped.
 */
export function reopenHeldDevices(
  devices: JsonValue | undefined,
  what: string,
  vfs: Vfs,
  deviceOf: (module: number) => string | undefined,
  devFds: Map<number, number>,
  deviceFds: Map<string, number[]>,
): void {
  devFds.clear();
  deviceFds.clear();
  for (const [module, name] of heldDevices(devices, what)) {
    const device = deviceOf(module);
    if (device === undefined) continue;
    const fd = vfs.open(`/dev/${device}`, { read: true, write: false });
    if (!fd.ok) continue;
    devFds.set(fd.value, module);
    if (name !== '') deviceFds.set(name, [...(deviceFds.get(name) ?? []), fd.value]);
  }
}
