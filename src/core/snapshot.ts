/** A JSON value, as stored in a kernel snapshot. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A core service whose whole state can be saved to JSON and restored exactly (for `--state FILE`). */
export interface Snapshottable {
  /** The service's state as plain JSON. */
  snapshot(): JsonValue;
  /** Replaces the service's state with one produced by {@link Snapshottable.snapshot}. */
  restore(state: JsonValue): void;
}

/** Encodes bytes as base64 for a snapshot. */
export function bytesToJson(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Decodes bytes saved by {@link bytesToJson}. */
export function bytesFromJson(text: JsonValue): Uint8Array {
  return new Uint8Array(Buffer.from(String(text), 'base64'));
}

/** Narrows a snapshot value to an object, or throws: a corrupt state file is a user error reported by the CLI. */
export function asObject(value: JsonValue, what: string): { [key: string]: JsonValue } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`state: ${what} is not an object`);
  }
  return value;
}

/** Narrows a snapshot value to an array, or throws (see {@link asObject}). */
export function asArray(value: JsonValue, what: string): JsonValue[] {
  if (!Array.isArray(value)) throw new TypeError(`state: ${what} is not an array`);
  return value;
}
