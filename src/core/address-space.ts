import { injectable } from 'inversify';
import type { KernelError } from './kernel-error.js';
import { err, OK_VOID, ok, type Result } from './result.js';
import {
  asArray,
  asObject,
  bytesFromJson,
  bytesToJson,
  type JsonValue,
  type Snapshottable,
} from './snapshot.js';

/** Where the simulated module area lives and how it is carved. */
export interface AddressSpaceConfig {
  /** First address of the area (e.g. x86_64 `MODULES_VADDR`, i386 `VMALLOC_START`). */
  readonly base: bigint;
  /** Length of the area in bytes. */
  readonly size: number;
  /** Allocation granule: every allocation starts on and is rounded up to a page. */
  readonly pageSize: number;
  /** Unmapped pages kept after each allocation, as vmalloc's guard page does. */
  readonly guardPages: number;
}

/** x86_64 module area: `MODULES_VADDR` .. `MODULES_END` with a 1 GiB kernel image (arch/x86/include/asm/pgtable_64_types.h). */
export const X86_64_MODULE_AREA: AddressSpaceConfig = {
  base: 0xffffffffc0000000n,
  size: 0x3f000000,
  pageSize: 4096,
  guardPages: 1,
};

/** i386 vmalloc area as seen by 1.x–2.4 modules on a 128 MiB machine (`VMALLOC_START` = high_memory + 8 MiB). */
export const I386_VMALLOC_AREA: AddressSpaceConfig = {
  base: 0xc8800000n,
  size: 0x08000000,
  pageSize: 4096,
  guardPages: 1,
};

/**
 * Backing memory for the area prepared elsewhere (e.g. pages already faulted in by another thread): zero-filled
 * memory for the area's bytes `[offset, offset + bytes)`, the same memory whenever the same bytes are asked for,
 * or `undefined` where it has none (the area then uses its own). It changes nothing but the time the first touch
 * of the memory costs.
 */
export type MemorySource = (offset: number, bytes: number) => Uint8Array | undefined;

/** One live allocation: its address, size and the real bytes behind it. */
export interface Allocation {
  /** First address. */
  readonly address: bigint;
  /** Requested size in bytes (the bytes array has this length). */
  readonly size: number;
  /** Who holds it (a module name, or `kernel`). */
  readonly owner: string;
  /** The memory itself, zero-filled at allocation like `vzalloc`. */
  readonly bytes: Uint8Array;
}

/** A range of the module area, as an offset from its base and a length in bytes. */
export interface Span {
  /** Offset from the area's base. */
  offset: number;
  /** Length in bytes. */
  length: number;
}

/**
 * A page-aware first-fit allocator over a simulated module area that holds the allocated bytes, so relocated code
 * and the legacy use-count word can be read back. Freeing merges neighbouring holes, so any alloc/free sequence
 * that ends with the same live set leaves the same free list: the exact prior state.
 */
@injectable()
export class AddressSpace implements Snapshottable {
  private config: AddressSpaceConfig = X86_64_MODULE_AREA;
  /** Holes, sorted by offset, never adjacent. */
  private holes: Span[] = [];
  /** Live allocations by offset from base. */
  private live = new Map<number, { alloc: Allocation; span: Span }>();
  /**
   * The area's own memory, in lazily created chunks of {@link CHUNK} bytes (by offset / CHUNK),
   * and per chunk how far it was ever handed out: memory freed and allocated again is reused as vmalloc reuses
   * pages, and only that used part needs zeroing (fresh memory costs far more than clearing memory already
   * touched).
   */
  private chunks = new Map<number, { bytes: Uint8Array; used: number }>();
  private source: MemorySource | undefined;
  /** How far the source's memory has been handed out: below this it may hold old bytes. */
  private sourceUsed = 0;

  constructor() {
    this.configure(X86_64_MODULE_AREA);
  }

  /** Resets the area to an empty one with the given geometry. */
  configure(config: AddressSpaceConfig): void {
    if (config.size <= 0 || config.pageSize <= 0 || (config.pageSize & (config.pageSize - 1)) !== 0) {
      throw new RangeError('address space: size must be positive and pageSize a power of two');
    }
    this.config = config;
    this.holes = [{ offset: 0, length: config.size }];
    this.live.clear();
    this.chunks.clear();
    this.source = undefined;
  }

  /** Sets where backing memory comes from first (`undefined`: the area's own chunks); memory in use stays. */
  useMemorySource(source: MemorySource | undefined): void {
    this.source = source;
    this.sourceUsed = 0;
  }

  /** The geometry in use. */
  get geometry(): AddressSpaceConfig {
    return this.config;
  }

  /**
   * Allocates `size` bytes aligned to `align` (a power of two; at least a page), or ENOMEM when no hole fits.
   * @see mm/vmalloc.c `__vmalloc_node_range` (first fit from the low end of the range)
   */
  alloc(size: number, owner: string, align = 0): Result<Allocation> {
    const page = this.config.pageSize;
    if (!Number.isSafeInteger(size) || size <= 0 || size > this.config.size) {
      return err('ENOMEM', `vmalloc error: size ${size}, invalid size`);
    }
    const alignment = Math.max(page, align);
    if ((alignment & (alignment - 1)) !== 0) return err('EINVAL', `alignment ${align} is not a power of two`);
    const length = roundUp(size, page) + this.config.guardPages * page;
    const baseMisalign = Number(this.config.base % BigInt(alignment));
    for (let i = 0; i < this.holes.length; i++) {
      const hole = this.holes[i];
      const start = roundUp(hole.offset + baseMisalign, alignment) - baseMisalign;
      if (start + length > hole.offset + hole.length) continue;
      this.carve(i, start, length);
      const alloc: Allocation = {
        address: this.config.base + BigInt(start),
        size,
        owner,
        bytes: this.zeroed(start, size),
      };
      this.live.set(start, { alloc, span: { offset: start, length } });
      return ok(alloc);
    }
    return err('ENOMEM', `vmalloc error: size ${size}, vm_struct allocation failed`);
  }

  /** Frees the allocation that starts at `address`; EINVAL when nothing starts there. */
  free(address: bigint): Result<void> {
    const offset = this.offsetOf(address);
    const entry = offset === undefined ? undefined : this.live.get(offset);
    if (entry === undefined) return err('EINVAL', `vfree: bad address 0x${address.toString(16)}`);
    this.live.delete(entry.span.offset);
    this.insertHole(entry.span);
    return OK_VOID;
  }

  /** The allocation containing `address`, if any. */
  find(address: bigint): Allocation | undefined {
    const offset = this.offsetOf(address);
    if (offset === undefined) return undefined;
    for (const { alloc, span } of this.live.values()) {
      if (offset >= span.offset && offset < span.offset + alloc.size) return alloc;
    }
    return undefined;
  }

  /** Copies `length` bytes at `address`; EFAULT unless they lie inside one allocation. */
  read(address: bigint, length: number): Result<Uint8Array> {
    const at = this.locate(address, length);
    if (!at.ok) return at;
    return ok(at.value.alloc.bytes.slice(at.value.start, at.value.start + length));
  }

  /** Writes bytes at `address`; EFAULT unless they lie inside one allocation. */
  write(address: bigint, data: Uint8Array): Result<void> {
    const at = this.locate(address, data.length);
    if (!at.ok) return at;
    at.value.alloc.bytes.set(data, at.value.start);
    return OK_VOID;
  }

  /** Live allocations in address order. */
  allocations(): Allocation[] {
    return [...this.live.values()].map((e) => e.alloc).sort((a, b) => (a.address < b.address ? -1 : 1));
  }

  /** Bytes reserved (pages and guard pages included). */
  get reservedBytes(): number {
    let total = 0;
    for (const { span } of this.live.values()) total += span.length;
    return total;
  }

  /** The free list as (offset, length) pairs: equal free lists mean equal allocator states. */
  freeList(): ReadonlyArray<Readonly<Span>> {
    return this.holes.map((h) => ({ ...h }));
  }

  /** @inheritDoc */
  snapshot(): JsonValue {
    return {
      base: `0x${this.config.base.toString(16)}`,
      size: this.config.size,
      pageSize: this.config.pageSize,
      guardPages: this.config.guardPages,
      allocations: [...this.live.values()].map(({ alloc, span }) => ({
        offset: span.offset,
        length: span.length,
        size: alloc.size,
        owner: alloc.owner,
        bytes: bytesToJson(alloc.bytes),
      })),
    };
  }

  /** @inheritDoc */
  restore(state: JsonValue): void {
    const o = asObject(state, 'addressSpace');
    this.configure({
      base: BigInt(String(o.base)),
      size: Number(o.size),
      pageSize: Number(o.pageSize),
      guardPages: Number(o.guardPages),
    });
    for (const raw of asArray(o.allocations, 'addressSpace.allocations')) {
      const a = asObject(raw, 'allocation');
      const span = { offset: Number(a.offset), length: Number(a.length) };
      const index = this.holes.findIndex(
        (h) => h.offset <= span.offset && span.offset + span.length <= h.offset + h.length,
      );
      if (index < 0) throw new TypeError('state: overlapping allocations');
      this.carve(index, span.offset, span.length);
      const alloc: Allocation = {
        address: this.config.base + BigInt(span.offset),
        size: Number(a.size),
        owner: String(a.owner),
        bytes: bytesFromJson(a.bytes),
      };
      this.live.set(span.offset, { alloc, span });
    }
  }

  /** Zero-filled memory for `[offset, offset+size)`: a view of its chunk, or its own array across chunks. */
  private zeroed(offset: number, size: number): Uint8Array {
    const given = this.source?.(offset, size);
    if (given !== undefined && given.length === size) {
      if (offset < this.sourceUsed) given.fill(0, 0, Math.min(size, this.sourceUsed - offset));
      this.sourceUsed = Math.max(this.sourceUsed, offset + size);
      return given;
    }
    const index = Math.floor(offset / CHUNK);
    const at = offset - index * CHUNK;
    if (at + size > CHUNK) return new Uint8Array(size);
    let chunk = this.chunks.get(index);
    if (chunk === undefined) {
      chunk = { bytes: new Uint8Array(CHUNK), used: 0 };
      this.chunks.set(index, chunk);
    }
    const end = at + size;
    if (at < chunk.used) chunk.bytes.fill(0, at, Math.min(end, chunk.used));
    if (end > chunk.used) chunk.used = end;
    return chunk.bytes.subarray(at, end);
  }

  private offsetOf(address: bigint): number | undefined {
    const off = address - this.config.base;
    return off < 0n || off >= BigInt(this.config.size) ? undefined : Number(off);
  }

  private locate(address: bigint, length: number): Result<{ alloc: Allocation; start: number }, KernelError> {
    const alloc = this.find(address);
    if (alloc === undefined || length < 0)
      return err('EFAULT', `bad kernel address 0x${address.toString(16)}`);
    const start = Number(address - alloc.address);
    if (start + length > alloc.size)
      return err('EFAULT', `access past allocation at 0x${address.toString(16)}`);
    return ok({ alloc, start });
  }

  /** Removes [start, start+length) from hole `index`, keeping the remainders. */
  private carve(index: number, start: number, length: number): void {
    const hole = this.holes[index];
    const parts: Span[] = [];
    if (start > hole.offset) parts.push({ offset: hole.offset, length: start - hole.offset });
    const end = start + length;
    const holeEnd = hole.offset + hole.length;
    if (end < holeEnd) parts.push({ offset: end, length: holeEnd - end });
    this.holes.splice(index, 1, ...parts);
  }

  private insertHole(span: Span): void {
    let i = 0;
    while (i < this.holes.length && this.holes[i].offset < span.offset) i++;
    this.holes.splice(i, 0, { ...span });
    // merge with the next, then with the previous hole
    const cur = this.holes[i];
    const next = this.holes[i + 1];
    if (next !== undefined && cur.offset + cur.length === next.offset) {
      cur.length += next.length;
      this.holes.splice(i + 1, 1);
    }
    const prev = this.holes[i - 1];
    if (prev !== undefined && prev.offset + prev.length === cur.offset) {
      prev.length += cur.length;
      this.holes.splice(i, 1);
    }
  }
}

/** Bytes per chunk of backing memory (allocations that straddle two chunks get their own array). */
const CHUNK = 1 << 22;

function roundUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
