/**
 * The module devices a saved Linux 1.x/2.x kernel's process held open, as `[module, name]` pairs in the order the
 * process opened them. Saves before that format carried the fd first (`[fd, module, name]`); those are read in fd
 * order, the order they were reopened in.
 * @module
 */
import { asArray, type JsonValue } from '../core/snapshot.js';

/** The `devices` rows of a personality's saved state (`what` names it in errors): `[module, name]` each. */
export function heldDevices(devices: JsonValue | undefined, what: string): [number, string][] {
  const rows = asArray(devices ?? [], what).map((r) => asArray(r, 'device'));
  const legacy = rows.length > 0 && rows.every((r) => r.length >= 3);
  if (legacy) rows.sort((a, b) => Number(a[0]) - Number(b[0]));
  return rows.map((r) => (legacy ? [Number(r[1]), String(r[2] ?? '')] : [Number(r[0]), String(r[1] ?? '')]));
}
