/**
 * Helpers over the personality-neutral module specs scenario files and the conformance suites give.
 * @module
 */
import type { NeutralModuleSpec } from './personality.js';

/** Scenario files write parameters as a `{ name: type }` map; the builder takes a list of `{ name, type }`. */
export function withParamList(spec: NeutralModuleSpec): NeutralModuleSpec {
  const p = spec.params;
  if (p === null || typeof p !== 'object' || Array.isArray(p)) return spec;
  return { ...spec, params: Object.entries(p).map(([name, type]) => ({ name, type })) };
}

/** Reads a boolean configuration key (or its alias): true/false, `y`/`n`, 1/0; `fail` builds the error to throw. */
export function configBool(
  config: Readonly<Record<string, unknown>>,
  key: string,
  alias: string,
  dflt: boolean,
  fail: (message: string) => Error,
): boolean {
  const raw = config[key] ?? config[alias];
  if (raw === undefined) return dflt;
  if (typeof raw === 'boolean') return raw;
  if (raw === 'y' || raw === 'Y' || raw === 1 || raw === 'true') return true;
  if (raw === 'n' || raw === 'N' || raw === 0 || raw === 'false') return false;
  throw fail(`${key} must be a boolean, got ${JSON.stringify(raw)}`);
}
