/**
 * The kernel's view of module memory: 32-bit loads and stores, C strings and byte copies at i386 addresses in
 * the simulated vmalloc area. The 2.x module code follows raw pointers (`mod->refs->next_ref->ref->name`) that a
 * hostile image or a freed module can leave dangling; a real kernel oopses there. Here such an access raises a
 * {@link KernelOops}, which only the syscall edge catches: it logs the oops and answers EFAULT.
 * @module
 */
import type { AddressSpace } from '../../core/address-space.js';
import type { KernelCore } from '../../core/kernel-core.js';

/** A dereference of an unmapped kernel address: the simulated oops (caught at the syscall edge only). */
export class KernelOops extends Error {
  /** @param address the faulting address. */
  constructor(readonly address: number) {
    super(`Unable to handle kernel paging request at virtual address ${hex8(address)}`);
    this.name = 'KernelOops';
  }
}

/** Logs a simulated oops the way the kernel prints one. */
export function logOops(core: Pick<KernelCore, 'log'>, e: KernelOops, where: string): void {
  core.log.log('alert', e.message);
  core.log.log('alert', ` printing eip: ${where}`);
  core.log.log('emerg', `Oops: 0000 (simulated; fault at ${hex8(e.address)})`);
}

/** `%08lx` of an address. */
export function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

/** Latin-1 text of C bytes (kernel strings are bytes). */
export function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/** Bytes of a Latin-1 string (characters above 255 keep their low byte, as a C cast would). */
export function latin1Bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

/** A live allocation as numbers, for the lookup index. */
interface Mapped {
  readonly start: number;
  readonly size: number;
  readonly bytes: Uint8Array;
}

/**
 * Loads and stores over the module area, with the oops behaviour described in the module notes. Lookups go
 * through a sorted index of the live allocations (binary search), rebuilt after {@link KernelMemory.invalidate}
 * — which every syscall entry and every allocation or free of the personality calls.
 */
export class KernelMemory {
  private index: Mapped[] | undefined;

  constructor(private readonly area: AddressSpace) {}

  /** Forgets the allocation index (the area changed). */
  invalidate(): void {
    this.index = undefined;
  }

  private find(address: number): Mapped | undefined {
    this.index ??= this.area
      .allocations()
      .map((a) => ({ start: Number(a.address), size: a.size, bytes: a.bytes }));
    const idx = this.index;
    let lo = 0;
    let hi = idx.length - 1;
    const at = address >>> 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const m = idx[mid];
      if (at < m.start) hi = mid - 1;
      else if (at >= m.start + m.size) lo = mid + 1;
      else return m;
    }
    return undefined;
  }

  private locate(address: number, length: number): { bytes: Uint8Array; offset: number } {
    const a = this.find(address);
    if (a === undefined) throw new KernelOops(address);
    const offset = (address >>> 0) - a.start;
    if (offset + length > a.size) throw new KernelOops(a.start + a.size);
    return { bytes: a.bytes, offset };
  }

  /** Whether `[address, address+length)` lies inside one live allocation. */
  mapped(address: number, length: number): boolean {
    const a = this.find(address);
    return a !== undefined && (address >>> 0) - a.start + length <= a.size;
  }

  /** A 32-bit little-endian load (unsigned). */
  u32(address: number): number {
    const { bytes, offset } = this.locate(address, 4);
    return (
      (bytes[offset] | (bytes[offset + 1] << 8) | (bytes[offset + 2] << 16) | (bytes[offset + 3] << 24)) >>> 0
    );
  }

  /** A 32-bit load read as a signed `long`. */
  i32(address: number): number {
    return this.u32(address) | 0;
  }

  /** A 32-bit little-endian store. */
  setU32(address: number, value: number): void {
    const { bytes, offset } = this.locate(address, 4);
    bytes[offset] = value & 0xff;
    bytes[offset + 1] = (value >>> 8) & 0xff;
    bytes[offset + 2] = (value >>> 16) & 0xff;
    bytes[offset + 3] = (value >>> 24) & 0xff;
  }

  /** A copy of `length` bytes. */
  read(address: number, length: number): Uint8Array {
    const { bytes, offset } = this.locate(address, length);
    return bytes.slice(offset, offset + length);
  }

  /** Stores bytes. */
  write(address: number, data: Uint8Array): void {
    const { bytes, offset } = this.locate(address, data.length);
    bytes.set(data, offset);
  }

  /** `strlen(p)`: bytes before the NUL; oops when the string runs off its allocation. */
  strlen(address: number): number {
    const { bytes, offset } = this.locate(address, 0);
    const nul = bytes.indexOf(0, offset);
    if (nul < 0) throw new KernelOops(address + (bytes.length - offset));
    return nul - offset;
  }

  /** `strcmp(p, name) == 0` against the bytes of `name` (no string is built: `find_module` runs it a lot). */
  cstrEquals(address: number, name: Uint8Array): boolean {
    const { bytes, offset } = this.locate(address, 0);
    for (let i = 0; i <= name.length; i++) {
      if (offset + i >= bytes.length) throw new KernelOops(address + i);
      const want = i < name.length ? name[i] : 0;
      if (bytes[offset + i] !== want) return false;
    }
    return true;
  }

  /** The C string at `address` (bytes before the NUL) as Latin-1 text. */
  cstring(address: number): string {
    return latin1(this.cbytes(address));
  }

  /** The bytes of the C string at `address`, without the NUL. */
  cbytes(address: number): Uint8Array {
    const len = this.strlen(address);
    return this.read(address, len);
  }
}
