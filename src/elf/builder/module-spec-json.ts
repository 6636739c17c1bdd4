/**
 * A {@link ModuleSpec} from parsed JSON/YAML (scenario files, the CLI, a personality's `buildImage`): the same
 * shape, checked — unknown keys are refused so a misspelt field is not silently ignored.
 * @module
 */
import { fail, ok, type Result } from '../../core/result.js';
import type { ModuleSpec } from './module-spec.js';
import { resolveModuleSpec } from './resolve-module-spec.js';

const KEYS = new Set<string>([
  'name',
  'license',
  'description',
  'author',
  'version',
  'srcversion',
  'exports',
  'imports',
  'params',
  'dependencies',
  'importNs',
  'behaviour',
  'kernelRelease',
  'vermagic',
  'crcs',
  'sizes',
  'intree',
  'extraModinfo',
  'permanent',
  'dlkm',
]);
const DLKM_KEYS = new Set([
  'type',
  'wrapperRevision',
  'linkInfo',
  'dependsInterface',
  'exportsInterface',
  'capable',
  'best',
]);
const PARAM_KEYS = new Set(['name', 'type', 'array', 'maxlen', 'default', 'perm', 'description']);
const IMPORT_KEYS = new Set(['name', 'kind', 'module', 'namespace']);
const EXPORT_KEYS = new Set(['name', 'gpl', 'namespace']);
const SIZE_KEYS = new Set(['text', 'data', 'bss']);

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function unknownKey(
  o: Record<string, unknown>,
  allowed: ReadonlySet<string>,
  where: string,
): string | undefined {
  for (const k of Object.keys(o)) if (!allowed.has(k)) return `${where} has an unknown key "${k}"`;
  return undefined;
}

function checkList(
  v: unknown,
  where: string,
  keys: ReadonlySet<string>,
  stringsAllowed: boolean,
): string | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) return `${where} must be an array`;
  for (const [i, item] of v.entries()) {
    if (stringsAllowed && typeof item === 'string') continue;
    if (!isObject(item)) return `${where}[${i}] must be ${stringsAllowed ? 'a name or ' : ''}an object`;
    const bad = unknownKey(item, keys, `${where}[${i}]`);
    if (bad !== undefined) return bad;
  }
  return undefined;
}

/**
 * Checks a parsed JSON value and returns it as a spec. Everything a builder would reject for any format is
 * reported here; format-specific limits (no string parameters for Linux 1.x…) are the builder's.
 */
export function moduleSpecFromJson(value: unknown): Result<ModuleSpec, string> {
  if (!isObject(value)) return fail('a module spec must be an object');
  const problem =
    unknownKey(value, KEYS, 'the module spec') ??
    checkList(value.params, 'params', PARAM_KEYS, false) ??
    checkList(value.imports, 'imports', IMPORT_KEYS, true) ??
    checkList(value.exports, 'exports', EXPORT_KEYS, true) ??
    (value.dlkm !== undefined && !isObject(value.dlkm) ? 'dlkm must be an object' : undefined) ??
    (isObject(value.dlkm) ? unknownKey(value.dlkm, DLKM_KEYS, 'dlkm') : undefined) ??
    (value.sizes !== undefined && !isObject(value.sizes) ? 'sizes must be an object' : undefined) ??
    (isObject(value.sizes) ? unknownKey(value.sizes, SIZE_KEYS, 'sizes') : undefined) ??
    (value.crcs !== undefined && !isObject(value.crcs) ? 'crcs must be an object of numbers' : undefined) ??
    (value.extraModinfo !== undefined &&
    !(
      Array.isArray(value.extraModinfo) &&
      value.extraModinfo.every(
        (e) => Array.isArray(e) && e.length === 2 && e.every((x) => typeof x === 'string'),
      )
    )
      ? 'extraModinfo must be a list of [key, value] string pairs'
      : undefined);
  if (problem !== undefined) return fail(problem);
  const spec = value as unknown as ModuleSpec;
  const checked = resolveModuleSpec(spec, { format: 'ko' });
  return checked.ok ? ok(spec) : fail(checked.error);
}
