/**
 * The personality-neutral module spec turned into a DLKM object (`buildImage`).
 *
 * Fields used: `name`; `exports` and `imports` (names, or objects with a `name`); `dependencies` (module names:
 * `depend module` lines — HP-UX requires a module to declare the modules whose symbols it uses); `behaviour`;
 * `version`; `description`; `size` (bytes of text). HP-UX-only fields: `type` (module type, default `misc`),
 * `capable`, `dependsInterface`, `exportsInterface`, `bss`, `rev` (`mw_rev`, default `MODREV`). Ignored, because
 * HP-UX modules have no such thing: `license`, `params` (tunables are kctune's business), `vermagic`, signatures.
 * @module
 */
import { parseBehaviour } from '../../core/behaviours.js';
import type { JsonValue } from '../../core/snapshot.js';
import type { NeutralModuleSpec } from '../personality.js';
import type { DlkmObjectSpec } from './dlkm-object-writer.js';

function names(v: JsonValue | undefined, key: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new TypeError(`module spec: ${key} must be an array`);
  return v.map((x) => {
    if (typeof x === 'string') return x;
    if (x !== null && typeof x === 'object' && !Array.isArray(x) && typeof x.name === 'string') return x.name;
    throw new TypeError(`module spec: ${key} entries must be names or {name}`);
  });
}

function str(v: JsonValue | undefined, key: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new TypeError(`module spec: ${key} must be a string`);
  return v;
}

function int(v: JsonValue | undefined, key: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    throw new TypeError(`module spec: ${key} must be a non-negative integer`);
  return v;
}

/** The DLKM object spec of a neutral spec; throws a `TypeError` naming the bad field. */
export function dlkmSpecFromNeutral(spec: NeutralModuleSpec): DlkmObjectSpec {
  if (typeof spec.name !== 'string' || spec.name === '' || spec.name.includes('/'))
    throw new TypeError('module spec: name must be a file name');
  let behaviour: DlkmObjectSpec['behaviour'];
  if (spec.behaviour !== undefined && spec.behaviour !== null) {
    const b = parseBehaviour(JSON.stringify(spec.behaviour));
    if (!b.ok) throw new TypeError(`module spec: ${b.error}`);
    behaviour = b.value;
  }
  const capable = names(spec.capable, 'capable');
  const type = str(spec.type, 'type');
  const version = str(spec.version, 'version');
  const desc = str(spec.description, 'description') ?? str(spec.desc, 'desc');
  const textSize = int(spec.size, 'size');
  const bss = int(spec.bss, 'bss');
  const rev = spec.rev === undefined ? undefined : int(spec.rev, 'rev');
  return {
    name: spec.name,
    exports: names(spec.exports, 'exports'),
    imports: names(spec.imports, 'imports'),
    depends: names(spec.dependencies, 'dependencies'),
    dependsInterface: names(spec.dependsInterface, 'dependsInterface'),
    exportsInterface: names(spec.exportsInterface, 'exportsInterface'),
    ...(capable.length === 0 ? {} : { capable }),
    ...(type === undefined ? {} : { type }),
    ...(version === undefined ? {} : { version }),
    ...(desc === undefined ? {} : { desc }),
    ...(textSize === undefined ? {} : { textSize }),
    ...(bss === undefined ? {} : { bss }),
    ...(rev === undefined ? {} : { rev }),
    ...(behaviour === undefined ? {} : { behaviour }),
  };
}
