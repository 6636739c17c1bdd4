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

/** The decoded `__versions` section. */
export class ModuleVersions {
  private byName: Map<string, number> | undefined;
  private list: ModVersionEntry[] | undefined;

  /**
   * @param section the section read. @param names each entry's name. @param crcs each entry's low 32 CRC bits.
   * @param crcHighs each entry's high 32 CRC bits (0 on 32-bit layouts). @param trailingBytes bytes after the
   * last whole entry. Entries are `sh_size / 64`, rounded down as the kernel does.
   */
  constructor(
    readonly section: ElfSection,
    private readonly names: readonly string[],
    private readonly crcs: Uint32Array,
    private readonly crcHighs: Uint32Array,
    readonly trailingBytes: number,
  ) {}

  /** Number of entries. */
  get count(): number {
    return this.names.length;
  }

  /** Every entry, in section order (objects made on first use: the loader asks by name). */
  get entries(): readonly ModVersionEntry[] {
    if (this.list === undefined) {
      const list: ModVersionEntry[] = new Array(this.names.length);
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
    return Number.isInteger(i) && i >= 0 && i < this.names.length;
  }

  private entryAt(i: number): ModVersionEntry {
    return {
      offset: i * MODVERSION_INFO_SIZE,
      name: this.names[i],
      crc: this.crcs[i],
      crcHigh: this.crcHighs[i],
    };
  }

  /** Index of the first entry for `name` (what `check_version`'s linear scan finds), or -1. */
  indexOf(name: string): number {
    if (this.byName === undefined) {
      // Backwards, so that a repeated name ends up with its first index: one Map operation per entry.
      const m = new Map<string, number>();
      for (let i = this.names.length - 1; i >= 0; i--) m.set(this.names[i], i);
      this.byName = m;
    }
    return this.byName.get(name) ?? -1;
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
  const names: string[] = new Array(count);
  const crcs = new Uint32Array(count);
  const crcHighs = new Uint32Array(count);
  // The whole section as latin1 once (one native call instead of one per name): an ASCII name is then a slice
  // of it; a name with other bytes is decoded on its own as UTF-8, as decodeCString does.
  const text = count === 0 ? '' : file.buffer.toString('latin1', base, base + count * MODVERSION_INFO_SIZE);
  for (let i = 0; i < count; i++) {
    const o = i * MODVERSION_INFO_SIZE;
    if (file.is64) {
      crcs[i] = v.getUint32(le ? o : o + 4, le);
      crcHighs[i] = v.getUint32(le ? o + 4 : o, le);
    } else {
      crcs[i] = v.getUint32(o, le);
    }
    const start = base + o + crcSize;
    const limit = base + o + MODVERSION_INFO_SIZE;
    let stop = start;
    let high = 0;
    while (stop < limit && file.bytes[stop] !== 0) high |= file.bytes[stop++];
    names[i] =
      high < 0x80
        ? text.slice(start - base, stop - base)
        : decodeCString(file.bytes, file.buffer, start, limit).text;
  }
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
