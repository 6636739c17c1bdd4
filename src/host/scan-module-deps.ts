/**
 * The `.modinfo` `name=` and `depends=` of a module file, read straight from its section table with a few small
 * reads, as `modprobe` needs them to order a load. Self-contained (no imports; each function uses nothing from
 * outside its body but the other, by its own name): the read-ahead thread runs the same functions from their
 * source text.
 * @module
 */

/** A module's `.modinfo` name and dependencies, as {@link scanModuleDeps} finds them. */
export interface ModuleDeps {
  /** The first `name=` value (empty when there is none). */
  readonly name: string;
  /** The first `depends=` value split at commas, names as written (empty when there is none). */
  readonly depends: string[];
}

/**
 * Reads `name=` and `depends=` of a well-formed ELF64 little-endian file of `size` bytes from the first section
 * called `.modinfo` (as the ELF reader finds it), decoding no other string. `read(offset, length, slot)` returns
 * exactly those bytes (a view valid until the next read with the same slot: 0 header and `.modinfo`, 1 section
 * table, 2 section names) or `undefined`. Returns `undefined` for anything else (another class or byte order, a
 * range outside the file, no `.modinfo`, an `SHT_NOBITS` one): the caller then uses the full ELF reader.
 * @see kernel/module/main.c get_modinfo (first value of a tag)
 */
export function scanModuleDeps(
  size: number,
  read: (offset: number, length: number, slot: 0 | 1 | 2) => Uint8Array | undefined,
): ModuleDeps | undefined {
  const h = size < 64 ? undefined : read(0, 64, 0);
  if (h === undefined || h[0] !== 0x7f || h[1] !== 0x45 || h[2] !== 0x4c || h[3] !== 0x46) return undefined;
  if (h[4] !== 2 || h[5] !== 1) return undefined;
  const hv = new DataView(h.buffer, h.byteOffset, 64);
  const shoff = hv.getUint32(40, true) + hv.getUint32(44, true) * 4294967296;
  const shnum = hv.getUint16(60, true);
  const shstrndx = hv.getUint16(62, true);
  if (hv.getUint16(58, true) !== 64 || shstrndx >= shnum || shoff + shnum * 64 > size) return undefined;
  const sh = read(shoff, shnum * 64, 1);
  if (sh === undefined) return undefined;
  const v = new DataView(sh.buffer, sh.byteOffset, sh.length);
  const field = (i: number, at: number) => v.getUint32(i * 64 + at, true);
  const wide = (i: number, at: number) => field(i, at) + field(i, at + 4) * 4294967296;
  const strSize = wide(shstrndx, 32);
  if (wide(shstrndx, 24) + strSize > size) return undefined;
  const names = read(wide(shstrndx, 24), strSize, 2);
  if (names === undefined) return undefined;
  // '.modinfo\0'
  const want = [0x2e, 0x6d, 0x6f, 0x64, 0x69, 0x6e, 0x66, 0x6f, 0];
  for (let i = 0; i < shnum; i++) {
    const at = field(i, 0);
    if (at + want.length > strSize) continue;
    let k = 0;
    while (k < want.length && names[at + k] === want[k]) k++;
    if (k < want.length) continue;
    const off = wide(i, 24);
    const len = wide(i, 32);
    if (field(i, 4) === 8 /* SHT_NOBITS */ || off + len > size) return undefined;
    const data = len === 0 ? new Uint8Array(0) : read(off, len, 0);
    if (data === undefined) return undefined;
    const text = Buffer.from(data.buffer, data.byteOffset, data.length);
    let name: string | undefined;
    let depends: string | undefined;
    // NUL-separated `tag=value` strings, possibly padded with NULs; a last one without a NUL ends the section.
    for (let p = 0; p < len && (name === undefined || depends === undefined); ) {
      if (data[p] === 0) {
        p++;
        continue;
      }
      let end = data.indexOf(0, p);
      if (end < 0) end = len;
      // name= and depends= (the only tags wanted) compared as bytes before anything is decoded.
      if (
        name === undefined &&
        end - p >= 5 &&
        data[p] === 0x6e &&
        text.toString('latin1', p, p + 5) === 'name='
      )
        name = text.toString('utf8', p + 5, end);
      else if (
        depends === undefined &&
        end - p >= 8 &&
        data[p] === 0x64 &&
        text.toString('latin1', p, p + 8) === 'depends='
      )
        depends = text.toString('utf8', p + 8, end);
      p = end + 1;
    }
    return { name: name ?? '', depends: depends === undefined || depends === '' ? [] : depends.split(',') };
  }
  return undefined;
}

/** The file-system calls {@link scanModuleFile} makes (`node:fs`'s synchronous ones). */
export interface ScanFs {
  /** `openSync(path, 'r')`. */
  openSync(path: string, flags: 'r'): number;
  /** `fstatSync(fd)`. */
  fstatSync(fd: number): { readonly size: number };
  /** `readSync(fd, buffer, offset, length, position)`. */
  readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number;
  /** `closeSync(fd)`. */
  closeSync(fd: number): void;
}

/**
 * {@link scanModuleDeps} of the file at `path`, read with `fs` into `scratch` (one buffer per read slot, made and
 * grown as needed and kept for the next file; start with `[]`): its name and dependencies (`undefined` when the
 * file is not one the scan reads) and its size. With `keep`, the file stays open and `fd` is its descriptor, for
 * the caller to read the rest and close it (saving a second open and fstat); otherwise `fd` is -1. Throws what
 * `fs` throws (a missing or unreadable file), leaving nothing open.
 */
export function scanModuleFile(
  fs: ScanFs,
  path: string,
  scratch: Uint8Array[],
  keep = false,
): { deps: ModuleDeps | undefined; size: number; fd: number } {
  const fd = fs.openSync(path, 'r');
  let kept = false;
  try {
    const size = fs.fstatSync(fd).size;
    const deps = scanModuleDeps(size, (offset, length, slot) => {
      if (scratch[slot] === undefined || scratch[slot].length < length)
        scratch[slot] = new Uint8Array(Math.max(length, 4096));
      const got = fs.readSync(fd, scratch[slot], 0, length, offset);
      return got === length ? scratch[slot].subarray(0, length) : undefined;
    });
    kept = keep;
    return { deps, size, fd: keep ? fd : -1 };
  } finally {
    if (!kept) fs.closeSync(fd);
  }
}
