/**
 * kmod's binary module indexes (`modules.dep.bin`, `modules.alias.bin`, `modules.symbols.bin`,
 * `modules.builtin.bin`, `modules.builtin.alias.bin`): a path-compressed trie over 7-bit ASCII keys whose nodes
 * carry values sorted by priority. The writer is depmod's (post-order, big-endian words, magic `0xB007F457`,
 * version 2.1), byte for byte; the reader is libkmod's exact and wildcard (fnmatch) search.
 * @see tools/depmod.c (kmod 30) index_insert, index_write; libkmod/libkmod-index.c index_search, index_searchwild
 * @module
 */
import { fnmatch } from './fnmatch.js';

/** `INDEX_MAGIC`. Source: tools/depmod.c. */
export const INDEX_MAGIC = 0xb007f457;
/** `INDEX_VERSION` (major 2, minor 1). */
export const INDEX_VERSION = 0x00020001;
const INDEX_NODE_PREFIX = 0x80000000;
const INDEX_NODE_VALUES = 0x40000000;
const INDEX_NODE_CHILDS = 0x20000000;
const INDEX_NODE_MASK = 0x0fffffff;
const INDEX_CHILDMAX = 128;

/** One value with its priority. */
export interface IndexValue {
  /** Sort key (the module's index in depmod's order). */
  readonly priority: number;
  /** The value text. */
  readonly value: string;
}

class IndexNode {
  prefix: string;
  /** Values sorted by priority; undefined while there are none (most nodes of a big index). */
  values: IndexValue[] | undefined;
  /** Children by their first character (a Map: most nodes have a few, an array of 128 would be mostly holes). */
  children: Map<number, IndexNode> | undefined;
  first = INDEX_CHILDMAX;
  last = 0;

  constructor(prefix: string) {
    this.prefix = prefix;
  }
}

/** Inserts keeping priority order; among equal priorities the newest comes first (`index_add_value`). */
function addValue(values: IndexValue[], v: IndexValue): void {
  let k = 0;
  while (k < values.length && values[k].priority < v.priority) k++;
  values.splice(k, 0, v);
}

/** depmod's in-memory index (`struct index_node` tree). */
export class IndexWriter {
  private readonly root = new IndexNode('');

  /** `index_insert`: returns whether the key already had this value (depmod's `-w` duplicate warnings). */
  insert(key: string, value: string, priority: number): boolean {
    let node = this.root;
    let i = 0;
    for (;;) {
      let j = 0;
      for (; j < node.prefix.length; j++) {
        const ch = node.prefix.charCodeAt(j);
        if (ch !== key.charCodeAt(i + j)) {
          // Split: the node keeps prefix[0..j), a new child at prefix[j] takes the rest and everything else.
          const n = new IndexNode(node.prefix.slice(j + 1));
          n.values = node.values;
          n.children = node.children;
          n.first = node.first;
          n.last = node.last;
          node.prefix = node.prefix.slice(0, j);
          node.values = undefined;
          node.children = new Map([[ch, n]]);
          node.first = ch;
          node.last = ch;
          break;
        }
      }
      i += j;
      if (i >= key.length) {
        if (node.values === undefined) {
          node.values = [{ priority, value }];
          return false;
        }
        const duplicate = node.values.some((v) => v.value === value);
        addValue(node.values, { priority, value });
        return duplicate;
      }
      const ch = key.charCodeAt(i);
      const existing = node.children?.get(ch);
      if (existing === undefined) {
        if (node.children === undefined) node.children = new Map();
        if (ch < node.first) node.first = ch;
        if (ch > node.last) node.last = ch;
        const child = new IndexNode(key.slice(i + 1));
        child.values = [{ priority, value }];
        node.children.set(ch, child);
        return false;
      }
      node = existing;
      i++;
    }
  }

  /** `index_write`: the file bytes. */
  write(): Uint8Array {
    const out = new ByteSink();
    out.u32(INDEX_MAGIC);
    out.u32(INDEX_VERSION);
    out.u32(0);
    const root = writeNode(this.root, out);
    out.setU32(8, root);
    return out.bytes();
  }
}

function writeNode(node: IndexNode | undefined, out: ByteSink): number {
  if (node === undefined) return 0;
  let childOffs: number[] | undefined;
  if (node.first < INDEX_CHILDMAX && node.children !== undefined) {
    childOffs = [];
    for (let c = node.first; c <= node.last; c++) childOffs.push(writeNode(node.children.get(c), out));
  }
  let offset = out.length;
  if (node.prefix.length > 0) {
    out.str(node.prefix);
    offset |= INDEX_NODE_PREFIX;
  }
  if (childOffs !== undefined) {
    out.byte(node.first);
    out.byte(node.last);
    for (const o of childOffs) out.u32(o);
    offset |= INDEX_NODE_CHILDS;
  }
  if (node.values !== undefined && node.values.length > 0) {
    out.u32(node.values.length);
    for (const v of node.values) {
      out.u32(v.priority);
      out.str(v.value);
    }
    offset |= INDEX_NODE_VALUES;
  }
  return offset >>> 0;
}

/** A growable byte buffer. */
class ByteSink {
  private buf = new Uint8Array(1 << 16);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  byte(b: number): void {
    this.reserve(1);
    this.buf[this.length++] = b & 0xff;
  }

  u32(v: number): void {
    this.reserve(4);
    const b = this.buf;
    const at = this.length;
    b[at] = (v >>> 24) & 0xff;
    b[at + 1] = (v >>> 16) & 0xff;
    b[at + 2] = (v >>> 8) & 0xff;
    b[at + 3] = v & 0xff;
    this.length += 4;
  }

  setU32(at: number, v: number): void {
    const b = this.buf;
    b[at] = (v >>> 24) & 0xff;
    b[at + 1] = (v >>> 16) & 0xff;
    b[at + 2] = (v >>> 8) & 0xff;
    b[at + 3] = v & 0xff;
  }

  /** A string as latin1 bytes plus NUL (kmod's keys and values are byte strings). */
  str(s: string): void {
    const n = s.length;
    this.reserve(n + 1);
    const b = this.buf;
    let at = this.length;
    for (let k = 0; k < n; k++) b[at++] = s.charCodeAt(k) & 0xff;
    b[at++] = 0;
    this.length = at;
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

interface ReadNode {
  readonly prefix: string;
  readonly first: number;
  readonly last: number;
  readonly children: readonly number[];
  readonly values: IndexValue[];
  /** Values in file order (the mmap reader keeps them so). */
  readonly rawValues: IndexValue[];
}

/** A read-only index file (`index_file_open`); undefined from {@link IndexReader.open} for a bad magic/version. */
export class IndexReader {
  private constructor(
    private readonly data: Uint8Array,
    private readonly rootOffset: number,
  ) {}

  /** `index_file_open`: undefined when the magic or major version is wrong, or the file is too short. */
  static open(data: Uint8Array): IndexReader | undefined {
    if (data.length < 12) return undefined;
    const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
    if (v.getUint32(0) !== INDEX_MAGIC) return undefined;
    if (v.getUint32(4) >>> 16 !== INDEX_VERSION >>> 16) return undefined;
    return new IndexReader(data, v.getUint32(8));
  }

  /** `index_search`: the first value of the node whose key is exactly `key`. */
  search(key: string): string | undefined {
    let node = this.read(this.rootOffset);
    let i = 0;
    while (node !== undefined) {
      for (let j = 0; j < node.prefix.length; j++) {
        if (node.prefix.charCodeAt(j) !== key.charCodeAt(i + j)) return undefined;
      }
      i += node.prefix.length;
      if (i >= key.length) return node.values[0]?.value;
      node = this.child(node, key.charCodeAt(i));
      i++;
    }
    return undefined;
  }

  /** `index_searchwild`: values of every key that, as an fnmatch pattern, matches `key`, by priority. */
  searchWild(key: string): IndexValue[] {
    const out: IndexValue[] = [];
    let node = this.read(this.rootOffset);
    let i = 0;
    while (node !== undefined) {
      for (let j = 0; j < node.prefix.length; j++) {
        const ch = node.prefix[j];
        if (ch === '*' || ch === '?' || ch === '[') {
          this.searchAll(node, j, '', key.slice(i + j), out);
          return out;
        }
        if (node.prefix.charCodeAt(j) !== key.charCodeAt(i + j)) return out;
      }
      i += node.prefix.length;
      for (const wild of ['*', '?', '[']) {
        const child = this.child(node, wild.charCodeAt(0));
        if (child !== undefined) this.searchAll(child, 0, wild, key.slice(i), out);
      }
      if (i >= key.length) {
        for (const v of node.values) addValue(out, v);
        return out;
      }
      node = this.child(node, key.charCodeAt(i));
      i++;
    }
    return out;
  }

  /** `index_mm_dump`: every key with each value, `prefix + key + " " + value` per line, values in file order. */
  dump(prefix: string): string {
    let out = '';
    const walk = (node: ReadNode, buf: string): void => {
      const key = buf + node.prefix;
      for (const v of node.rawValues) out += `${key} ${v.value}\n`;
      for (let ch = node.first; ch <= node.last; ch++) {
        const child = this.child(node, ch);
        if (child !== undefined) walk(child, key + String.fromCharCode(ch));
      }
    };
    const root = this.read(this.rootOffset);
    if (root !== undefined) walk(root, prefix);
    return out;
  }

  /** `index_searchwild__all`: every key below `node`, matched against `subkey` as a pattern. */
  private searchAll(node: ReadNode, j: number, buf: string, subkey: string, out: IndexValue[]): void {
    const pattern = buf + node.prefix.slice(j);
    for (let ch = node.first; ch <= node.last; ch++) {
      const child = this.child(node, ch);
      if (child === undefined) continue;
      this.searchAll(child, 0, pattern + String.fromCharCode(ch), subkey, out);
    }
    if (node.values.length > 0 && fnmatch(pattern, subkey)) {
      for (const v of node.values) addValue(out, v);
    }
  }

  private child(node: ReadNode, ch: number): ReadNode | undefined {
    if (ch < node.first || ch > node.last) return undefined;
    return this.read(node.children[ch - node.first]);
  }

  /** `index_read`: the node at `offset` (its low 28 bits; flags in the high nibble); undefined for 0. */
  private read(offset: number | undefined): ReadNode | undefined {
    if (offset === undefined) return undefined;
    let p = offset & INDEX_NODE_MASK;
    if (p === 0) return undefined;
    const d = this.data;
    const u32 = (): number => {
      const v = ((d[p] << 24) | (d[p + 1] << 16) | (d[p + 2] << 8) | d[p + 3]) >>> 0;
      p += 4;
      return v;
    };
    const cstr = (): string => {
      let e = p;
      while (e < d.length && d[e] !== 0) e++;
      let s = '';
      for (let k = p; k < e; k++) s += String.fromCharCode(d[k]);
      p = e + 1;
      return s;
    };
    const prefix = offset & INDEX_NODE_PREFIX ? cstr() : '';
    let first = INDEX_CHILDMAX;
    let last = 0;
    const children: number[] = [];
    if (offset & INDEX_NODE_CHILDS) {
      first = d[p];
      last = d[p + 1];
      p += 2;
      for (let c = first; c <= last; c++) children.push(u32());
    }
    const values: IndexValue[] = [];
    const rawValues: IndexValue[] = [];
    if (offset & INDEX_NODE_VALUES) {
      let count = u32();
      while (count-- > 0 && p < d.length) {
        const priority = u32();
        const v = { priority, value: cstr() };
        rawValues.push(v);
        addValue(values, v);
      }
    }
    return { prefix, first, last, children, values, rawValues };
  }
}
