/**
 * `-c KEY=VALUE` and `--config-file FILE`: the `KernelConfig` of a kernel the CLI creates, in the same keys as a
 * scenario's `kernel:` block.
 * @module
 */
import { readFileSync } from 'node:fs';
import { UsageError } from './cli-context.js';

/** A configuration being assembled from the command line. */
export type ConfigObject = { [key: string]: unknown };

/**
 * Parses one `KEY=VALUE`: a dotted key sets a nested field (`credentials.euid=1000`); the value is JSON when it
 * parses as JSON (`true`, `4096`, `["CAP_SYSLOG"]`), otherwise the text itself (`kernelVersion=6.1`,
 * `symvers=./Module.symvers`).
 */
export function applyConfigAssignment(into: ConfigObject, assignment: string): void {
  const eq = assignment.indexOf('=');
  if (eq <= 0) throw new UsageError(`--config takes KEY=VALUE, not '${assignment}'`);
  const path = assignment.slice(0, eq).split('.');
  if (path.some((p) => p === '')) throw new UsageError(`--config: bad key '${assignment.slice(0, eq)}'`);
  const raw = assignment.slice(eq + 1);
  // Version strings like 6.1 or 2.4 stay text: a number would lose "6.10"'s zero.
  const value = /^\d+\.\d+/.test(raw) ? raw : parseJsonOr(raw);
  let o = into;
  for (const key of path.slice(0, -1)) {
    const next = o[key];
    if (next === undefined) o[key] = {};
    else if (typeof next !== 'object' || next === null || Array.isArray(next))
      throw new UsageError(`--config: ${key} is not an object`);
    o = o[key] as ConfigObject;
  }
  o[path[path.length - 1]] = value;
}

function parseJsonOr(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

/** Reads a JSON or YAML file holding one configuration object. */
export async function readConfigFile(path: string): Promise<ConfigObject> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  let value: unknown;
  try {
    value = path.endsWith('.json') ? JSON.parse(text) : (await import('yaml')).parse(text);
  } catch (e) {
    throw new UsageError(`${path}: not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${String(e)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UsageError(`${path}: a kernel configuration is a mapping of keys`);
  return value as ConfigObject;
}
