/**
 * Modversions: `__versions` (`struct modversion_info`: `{u64 crc; char name[56]}` on 64-bit,
 * `{u32 crc; char name[60]}` on 32-bit, 64 bytes each) and the extended form
 * (`__version_ext_crcs` u32[] + `__version_ext_names` NUL-terminated names).
 * @see kernel/module/version.c check_version
 * @module
 */

import { ok } from '../core/result.js';
import { type ElfResult, elfFail } from './elf-error.js';
import { decodeCString, type ElfFile, type ElfSection } from './elf-file.js';
import { FNV1A_OFFSET, FNV1A_PRIME, sameBytes } from './fnv1a.js';

/** `sizeof(struct modversion_info)` on both 32- and 64-bit (`MODULE_NAME_LEN` = 64 − sizeof(long)). */
export const MODVERSION_INFO_SIZE = 64;

/** One `struct modversion_info`. */
export interface ModVersionEntry {
  /** Offset of the entry in the section. */
  readonly offset: number;
  /** The symbol name (up to its NUL, or the whole field when unterminated). */
  readonly name: string;
  /** The CRC as the kernel compares it: the low 32 bits (`u32 crcval = *crc`). */
  readonly crc: number;
  /** The upper 32 bits of a 64-bit `crc` field (0 on 32-bit layouts). */
  readonly crcHigh: number;
}

/** Where each `__versions` entry's name lies in the input, as {@link readVersions} found it. */
export interface VersionNames {
  /** The whole input. */
  readonly bytes: Uint8Array;
  /** A Buffer view of {@link VersionNames.bytes}. */
  readonly buffer: Buffer;
  /** Input offset of entry 0's name field. */
  readonly first: number;
  /** Size of each name field (56 on 64-bit layouts, 60 on 32-bit). */
  readonly field: number;
  /** Per entry: input offset where its name ends (its NUL, or the end of the field). */
  readonly ends: Int32Array;
  /** Per entry: FNV-1a of its name bytes; for a name with a byte ≥ 0x80, -1 (such names are decoded). */
  readonly hashes: Int32Array;
}

/**
 * The decoded `__versions` section. Names are kept as bytes in the input: {@link ModuleVersions.indexOf} looks a
 * name up through a hash of those bytes, so a module's hundreds of entries cost no string or Map entry each (the
 * loader asks for most of them, once); {@link ModuleVersions.entries} decodes them when asked.
 */
export class ModuleVersions {
  private decoded: (string | undefined)[] | undefined;
  private list: ModVersionEntry[] | undefined;
  /** Open-addressing table of entry indices (-1: empty) over the ASCII names, first entry of a name only. */
  private table: Int32Array | undefined;

  /**
   * @param section the section read. @param names where each entry's name lies. @param crcs each entry's low 32
   * CRC bits. @param crcHighs each entry's high 32 CRC bits (0 on 32-bit layouts). @param trailingBytes bytes
   * after the last whole entry. Entries are `sh_size / 64`, rounded down as the kernel does.
   */
  constructor(
    readonly section: ElfSection,
    private readonly names: VersionNames,
    private readonly crcs: Uint32Array,
    private readonly crcHighs: Uint32Array,
    readonly trailingBytes: number,
  ) {}

  /** Number of entries. */
  get count(): number {
    return this.crcs.length;
  }

  /** Every entry, in section order (objects made on first use: the loader asks by name). */
  get entries(): readonly ModVersionEntry[] {
    if (this.list === undefined) {
      const list: ModVersionEntry[] = new Array(this.count);
      for (let i = 0; i < list.length; i++) list[i] = this.entryAt(i);
      this.list = list;
    }
    return this.list;
  }

  /** Entry `i`, or `undefined` unless 0 ≤ i < {@link ModuleVersions.count}. */
  entry(i: number): ModVersionEntry | undefined {
    return this.has(i) ? this.entryAt(i) : undefined;
  }

  private has(i: number): boolean {
    return Number.isInteger(i) && i >= 0 && i < this.count;
  }

  private entryAt(i: number): ModVersionEntry {
    return {
      offset: i * MODVERSION_INFO_SIZE,
      name: this.nameAt(i),
      crc: this.crcs[i],
      crcHigh: this.crcHighs[i],
    };
  }

  /** Entry `i`'s name: the bytes as latin1 when all are ASCII, else decoded as UTF-8 as decodeCString does. */
  private nameAt(i: number): string {
    this.decoded ??= new Array(this.count);
    let name = this.decoded[i];
    if (name === undefined) {
      const n = this.names;
      const start = n.first + i * MODVERSION_INFO_SIZE;
      name =
        n.hashes[i] !== -1
          ? n.buffer.toString('latin1', start, n.ends[i])
          : decodeCString(n.bytes, n.buffer, start, start + n.field).text;
      this.decoded[i] = name;
    }
    return name;
  }

  /** Index of the first entry for `name` (what `check_version`'s linear scan finds), or -1. */
  indexOf(name: string): number {
    let h = FNV1A_OFFSET;
    for (let k = 0; k < name.length; k++) {
      const c = name.charCodeAt(k);
      // Only an ASCII name can equal an ASCII entry's; any other is compared decoded, entry by entry.
      if (c >= 0x80) return this.indexOfDecoded(name);
      h = Math.imul(h ^ c, FNV1A_PRIME);
    }
    h = asKey(h);
    const t = this.index();
    const mask = t.length - 1;
    const hashes = this.names.hashes;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const i = t[slot];
      if (i < 0) return -1;
      if (hashes[i] === h && this.nameIs(i, name)) return i;
    }
  }

  private indexOfDecoded(name: string): number {
    for (let i = 0; i < this.count; i++) if (this.nameAt(i) === name) return i;
    return -1;
  }

  /** Whether ASCII entry `i`'s name is `name` (ASCII). */
  private nameIs(i: number, name: string): boolean {
    const n = this.names;
    const start = n.first + i * MODVERSION_INFO_SIZE;
    if (n.ends[i] - start !== name.length) return false;
    const b = n.bytes;
    for (let k = 0; k < name.length; k++) if (b[start + k] !== name.charCodeAt(k)) return false;
    return true;
  }

  /** Whether entries `i` and `j` have the same name bytes. */
  private sameName(i: number, j: number): boolean {
    const n = this.names;
    return sameBytes(
      n.bytes,
      n.first + i * MODVERSION_INFO_SIZE,
      n.ends[i],
      n.first + j * MODVERSION_INFO_SIZE,
      n.ends[j],
    );
  }

  /** The name index, built on first use: each ASCII name once, at its first entry. */
  private index(): Int32Array {
    if (this.table !== undefined) return this.table;
    let size = 8;
    while (size < this.count * 2) size *= 2;
    const t = new Int32Array(size).fill(-1);
    const mask = size - 1;
    const hashes = this.names.hashes;
    for (let i = 0; i < this.count; i++) {
      const h = hashes[i];
      if (h === -1) continue;
      for (let slot = h & mask; ; slot = (slot + 1) & mask) {
        const j = t[slot];
        if (j < 0) {
          t[slot] = i;
          break;
        }
        if (hashes[j] === h && this.sameName(j, i)) break;
      }
    }
    this.table = t;
    return t;
  }

  /** The low 32 bits of entry `i`'s CRC, as the kernel compares them; `undefined` for no such entry. */
  crc(i: number): number | undefined {
    return this.has(i) ? this.crcs[i] : undefined;
  }

  /** The high 32 bits of entry `i`'s CRC field; `undefined` for no such entry. */
  crcHigh(i: number): number | undefined {
    return this.has(i) ? this.crcHighs[i] : undefined;
  }

  /** The first entry for `name` (what `check_version`'s linear scan finds), or `undefined`. */
  find(name: string): ModVersionEntry | undefined {
    const i = this.indexOf(name);
    return i < 0 ? undefined : this.entryAt(i);
  }
}

/** A hash as stored: a non-negative int32 (-1 marks a name that is not ASCII). */
function asKey(h: number): number {
  return h & 0x7fffffff;
}

/** The name of the modversions section. */
export const VERSIONS_SECTION = '__versions';

/**
 * Reads `__versions` from `section` or the first section of that name; `undefined` when the file has none.
 * The layout follows the ELF class (64-bit: 8-byte CRC + 56-byte name; 32-bit: 4 + 60).
 */
export function readVersions(file: ElfFile, section?: ElfSection): ElfResult<ModuleVersions | undefined> {
  const s = section ?? file.sectionByName(VERSIONS_SECTION);
  if (s === undefined) return ok(undefined);
  const data = file.sectionData(s);
  if (!data.ok) return data;
  const bytes = data.value;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = file.littleEndian;
  const crcSize = file.is64 ? 8 : 4;
  const count = Math.floor(bytes.length / MODVERSION_INFO_SIZE);
  const base = bytes.byteOffset - file.bytes.byteOffset;
  const crcs = new Uint32Array(count);
  const crcHighs = new Uint32Array(count);
  const ends = new Int32Array(count);
  const hashes = new Int32Array(count);
  const all = file.bytes;
  for (let i = 0; i < count; i++) {
    const o = i * MODVERSION_INFO_SIZE;
    if (file.is64) {
      crcs[i] = v.getUint32(le ? o : o + 4, le);
      crcHighs[i] = v.getUint32(le ? o + 4 : o, le);
    } else {
      crcs[i] = v.getUint32(o, le);
    }
    const limit = base + o + MODVERSION_INFO_SIZE;
    let stop = base + o + crcSize;
    let high = 0;
    let h = FNV1A_OFFSET;
    for (; stop < limit; stop++) {
      const c = all[stop];
      if (c === 0) break;
      high |= c;
      h = Math.imul(h ^ c, FNV1A_PRIME);
    }
    ends[i] = stop;
    hashes[i] = high < 0x80 ? asKey(h) : -1;
  }
  const names = {
    bytes: all,
    buffer: file.buffer,
    first: base + crcSize,
    field: MODVERSION_INFO_SIZE - crcSize,
    ends,
    hashes,
  };
  return ok(new ModuleVersions(s, names, crcs, crcHighs, bytes.length - count * MODVERSION_INFO_SIZE));
}

/** Extended modversions: parallel CRCs and names. */
export interface ExtendedVersions {
  /** `__version_ext_crcs`. */
  readonly crcs: readonly number[];
  /** `__version_ext_names`, split at NULs (a trailing unterminated name is kept). */
  readonly names: readonly string[];
}

/**
 * Reads `__version_ext_crcs` + `__version_ext_names` (mainline `CONFIG_EXTENDED_MODVERSIONS`); `undefined`
 * when neither exists. Fails when only one exists or either lies outside the file.
 */
export function readExtendedVersions(file: ElfFile): ElfResult<ExtendedVersions | undefined> {
  const crcSection = file.sectionByName('__version_ext_crcs');
  const nameSection = file.sectionByName('__version_ext_names');
  if (crcSection === undefined && nameSection === undefined) return ok(undefined);
  if (crcSection === undefined || nameSection === undefined) {
    return elfFail('bad-versions', 'extended version crc+name presence does not match');
  }
  const crcData = file.sectionData(crcSection);
  if (!crcData.ok) return crcData;
  const nameData = file.sectionData(nameSection);
  if (!nameData.ok) return nameData;
  const cv = new DataView(crcData.value.buffer, crcData.value.byteOffset, crcData.value.byteLength);
  const crcs: number[] = new Array(Math.floor(crcData.value.length / 4));
  for (let i = 0; i < crcs.length; i++) crcs[i] = cv.getUint32(i * 4, file.littleEndian);
  const names: string[] = [];
  const nb = nameData.value;
  const base = nb.byteOffset - file.bytes.byteOffset;
  let p = 0;
  while (p < nb.length) {
    let end = nb.indexOf(0, p);
    if (end < 0) end = nb.length;
    names.push(file.buffer.toString('utf8', base + p, base + end));
    p = end + 1;
  }
  return ok({ crcs, names });
}
