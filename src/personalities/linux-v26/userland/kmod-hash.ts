/**
 * kmod's `struct hash`: Paul Hsieh's SuperFastHash into a power-of-two number of buckets, each bucket sorted by
 * key. depmod's output order comes from iterating these tables (modules before `modules.order` sorting,
 * `modules.symbols`), so the iteration order is reproduced exactly: bucket by bucket, keys in `strcmp` order.
 * Lookups use a Map.
 * @see shared/hash.c (kmod 30) hash_superfast, hash_add, hash_iter_next
 * @module
 */
/** `hash_superfast(key, strlen(key))` over the key's bytes (chars are signed, as on x86). */
export function hashSuperfast(key: Uint8Array): number {
  let s = '';
  for (let i = 0; i < key.length; i++) s += String.fromCharCode(key[i]);
  return hashSuperfastBytes(s);
}

/** {@link hashSuperfast} of a byte string (one character per byte, as `latin1` encodes it), without a copy. */
export function hashSuperfastBytes(key: string): number {
  const at = (i: number): number => key.charCodeAt(i) & 0xff;
  let len = key.length;
  let hash = len >>> 0;
  const rem = len & 3;
  len >>>= 2;
  let i = 0;
  for (; len > 0; len--) {
    hash = (hash + (at(i) | (at(i + 1) << 8))) >>> 0;
    const tmp = (((at(i + 2) | (at(i + 3) << 8)) << 11) ^ hash) >>> 0;
    hash = ((hash << 16) ^ tmp) >>> 0;
    i += 4;
    hash = (hash + (hash >>> 11)) >>> 0;
  }
  const sc = (b: number): number => (b >= 128 ? b - 256 : b);
  switch (rem) {
    case 3:
      hash = (hash + (at(i) | (at(i + 1) << 8))) >>> 0;
      hash = (hash ^ (hash << 16)) >>> 0;
      hash = (hash ^ (sc(at(i + 2)) << 18)) >>> 0;
      hash = (hash + (hash >>> 11)) >>> 0;
      break;
    case 2:
      hash = (hash + (at(i) | (at(i + 1) << 8))) >>> 0;
      hash = (hash ^ (hash << 11)) >>> 0;
      hash = (hash + (hash >>> 17)) >>> 0;
      break;
    case 1:
      hash = (hash + sc(at(i))) >>> 0;
      hash = (hash ^ (hash << 10)) >>> 0;
      hash = (hash + (hash >>> 1)) >>> 0;
      break;
  }
  hash = (hash ^ (hash << 3)) >>> 0;
  hash = (hash + (hash >>> 5)) >>> 0;
  hash = (hash ^ (hash << 4)) >>> 0;
  hash = (hash + (hash >>> 17)) >>> 0;
  hash = (hash ^ (hash << 25)) >>> 0;
  hash = (hash + (hash >>> 6)) >>> 0;
  return hash;
}

/** `strcmp` of two byte strings (one character per byte). */
function compareBytes(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a.charCodeAt(i) & 0xff) - (b.charCodeAt(i) & 0xff);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** `ALIGN_POWER2`. */
function alignPower2(u: number): number {
  let p = 1;
  while (p < u) p *= 2;
  return p;
}

/**
 * A kmod hash table: `add` replaces, `addUnique` refuses duplicates, iteration in kmod's order. Keys are byte
 * strings (one character per byte, as `latin1` decodes them), so hashing and `strcmp` see C's bytes.
 */
export class KmodHash<V> {
  private readonly map = new Map<string, V>();
  private readonly nBuckets: number;
  /** {@link KmodHash.entries} until the next change (depmod iterates the symbol table twice). */
  private ordered: [string, V][] | undefined;

  constructor(nBuckets: number) {
    this.nBuckets = alignPower2(nBuckets);
  }

  /** `hash_add`: inserts or replaces. */
  add(key: string, value: V): void {
    this.ordered = undefined;
    this.map.set(key, value);
  }

  /** `hash_add_unique`: false (EEXIST) when the key exists. */
  addUnique(key: string, value: V): boolean {
    if (this.map.has(key)) return false;
    this.ordered = undefined;
    this.map.set(key, value);
    return true;
  }

  /** `hash_find`. */
  find(key: string): V | undefined {
    return this.map.get(key);
  }

  /** `hash_del`. */
  del(key: string): boolean {
    this.ordered = undefined;
    return this.map.delete(key);
  }

  /** `hash_get_count`. */
  get count(): number {
    return this.map.size;
  }

  /** Entries in `hash_iter_next` order. */
  entries(): [string, V][] {
    if (this.ordered !== undefined) return this.ordered.slice();
    const mask = this.nBuckets - 1;
    const keyed: { bucket: number; k: string; v: V }[] = [];
    for (const [k, v] of this.map) keyed.push({ bucket: hashSuperfastBytes(k) & mask, k, v });
    // strcmp order within a bucket: byte order of the keys.
    keyed.sort((a, b) => a.bucket - b.bucket || compareBytes(a.k, b.k));
    this.ordered = keyed.map((e) => [e.k, e.v]);
    return this.ordered.slice();
  }
}
