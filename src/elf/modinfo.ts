/**
 * `.modinfo`: NUL-separated `tag=value` strings (`__MODULE_INFO` in include/linux/moduleparam.h), possibly
 * padded with extra NULs. Repeatable tags (`alias`, `depends` in 2.4, `import_ns`, `parm`, …) keep file order.
 * @see kernel/module/main.c get_modinfo, get_next_modinfo
 * @module
 */
import { isAscii } from 'node:buffer';
import { ok } from '../core/result.js';
import type { ElfResult } from './elf-error.js';
import type { ElfFile, ElfSection } from './elf-file.js';

/** The name of the module information section. */
export const MODINFO_SECTION = '.modinfo';

/** One string of `.modinfo`. */
export interface ModinfoEntry {
  /** Offset of the string in the section (as `readelf -p` prints it). */
  readonly offset: number;
  /** The whole string. */
  readonly text: string;
  /** The part before the first `=`, or `undefined` when the string has no `=`. */
  readonly key: string | undefined;
  /** The part after the first `=`, or `undefined` when the string has no `=`. */
  readonly value: string | undefined;
}

/** The decoded `.modinfo` section. */
export class Modinfo {
  /** @param section the section read (`undefined` when the file has none). @param entries its strings. */
  constructor(
    readonly section: ElfSection | undefined,
    readonly entries: readonly ModinfoEntry[],
  ) {}

  /** The value of the first `key=` string, as `get_modinfo` returns it; `undefined` when absent. */
  get(key: string): string | undefined {
    for (const e of this.entries) if (e.key === key) return e.value;
    return undefined;
  }

  /** Every value of `key=`, in file order (as `for_each_modinfo_entry` walks them). */
  getAll(key: string): string[] {
    const out: string[] = [];
    for (const e of this.entries) if (e.key === key && e.value !== undefined) out.push(e.value);
    return out;
  }

  /** `[key, value]` pairs of every `key=value` string, in file order. */
  pairs(): [string, string][] {
    const out: [string, string][] = [];
    for (const e of this.entries)
      if (e.key !== undefined && e.value !== undefined) out.push([e.key, e.value]);
    return out;
  }
}

/** Splits raw `.modinfo` bytes into its strings. A last string without a NUL ends at the section end. */
export function parseModinfoBytes(
  bytes: Uint8Array,
  decode: (start: number, end: number) => string,
): ModinfoEntry[] {
  const out: ModinfoEntry[] = [];
  let p = 0;
  while (p < bytes.length) {
    if (bytes[p] === 0) {
      p++;
      continue;
    }
    let end = bytes.indexOf(0, p);
    if (end < 0) end = bytes.length;
    const text = decode(p, end);
    const eq = text.indexOf('=');
    out.push(
      eq < 0
        ? { offset: p, text, key: undefined, value: undefined }
        : { offset: p, text, key: text.slice(0, eq), value: text.slice(eq + 1) },
    );
    p = end + 1;
  }
  return out;
}

/**
 * Reads `.modinfo` from `section`, or from the first section named `.modinfo` (any flags, as
 * `find_any_unique_sec` looks). A file without one yields an empty {@link Modinfo}; a section outside the file
 * fails.
 */
export function readModinfo(file: ElfFile, section?: ElfSection): ElfResult<Modinfo> {
  const s = section ?? file.sectionByName(MODINFO_SECTION);
  if (s === undefined) return ok(new Modinfo(undefined, []));
  const data = file.sectionData(s);
  if (!data.ok) return data;
  const base = data.value.byteOffset - file.bytes.byteOffset;
  // An all-ASCII section (the usual case) is decoded once and sliced; otherwise each string is UTF-8 on its own.
  const text = isAscii(data.value)
    ? file.buffer.toString('latin1', base, base + data.value.length)
    : undefined;
  const entries = parseModinfoBytes(
    data.value,
    text === undefined
      ? (start, end) => file.buffer.toString('utf8', base + start, base + end)
      : (start, end) => text.slice(start, end),
  );
  return ok(new Modinfo(s, entries));
}
