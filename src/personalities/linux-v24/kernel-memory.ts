/**
 * The kernel's view of module memory: 32-bit loads and stores, C strings and byte copies at i386 addresses in
 * the simulated vmalloc area. The 2.x module code follows raw pointers (`mod->refs->next_ref->ref->name`) that a
 * hostile image or a freed module can leave dangling; a real kernel oopses there. Here such an access raises a
 * {@link KernelOops}, which only the syscall edge catches: it logs the oops and answers EFAULT.
 * @module
 */
import type { AddressSpace } from '../../core/address-space.js';

/** A dereference of an unmapped kernel address: the simulated oops (caught at the syscall edge only). */
export class KernelOops extends Error {
  /** @param address the faulting address. */
  constructor(readonly address: number) {
    super(`Unable to handle kernel paging request at virtual address ${hex8(address)}`);
    this.name = 'KernelOops';
  }
}

/** `%08lx` of an address. */
export function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

/** Latin-1 text of C bytes (kernel strings are bytes). */
export function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 4096)
    s += String.fromCharCode(...bytes.subarray(i, Math.min(bytes.length, i + 4096)));
  return s;
}

/** Bytes of a Latin-1 string (characters above 255 keep their low byte, as a C cast would). */
export function latin1Bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

/** Loads and stores over the module area, with the oops behaviour described in the module notes. */
export class KernelMemory {
  constructor(private readonly area: AddressSpace) {}

  private locate(address: number, length: number): { bytes: Uint8Array; offset: number } {
    const a = this.area.find(BigInt(address >>> 0));
    if (a === undefined) throw new KernelOops(address);
    const offset = (address >>> 0) - Number(a.address);
    if (offset + length > a.size) throw new KernelOops(Number(a.address) + a.size);
    return { bytes: a.bytes, offset };
  }

  /** Whether `[address, address+length)` lies inside one live allocation. */
  mapped(address: number, length: number): boolean {
    const a = this.area.find(BigInt(address >>> 0));
    return a !== undefined && (address >>> 0) - Number(a.address) + length <= a.size;
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
