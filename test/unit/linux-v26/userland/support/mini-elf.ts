/**
 * A minimal ELF64 little-endian relocatable writer for the userland's unit tests: named sections with given
 * bytes, a `.symtab`/`.strtab`, and knobs to break the header on purpose. Only what kmod's reader looks at.
 */

/** A symbol to put in `.symtab`. */
export interface MiniSym {
  readonly name: string;
  /** Section index (0 = undefined, 0xfff1 = absolute) or the name of a section of the image. */
  readonly shndx: number | string;
  readonly value?: bigint;
  /** STB_* binding (default GLOBAL). */
  readonly bind?: number;
  /** STT_* type (default NOTYPE). */
  readonly type?: number;
}

/** What to build. */
export interface MiniElfSpec {
  readonly sections?: readonly { readonly name: string; readonly data: Uint8Array | string }[];
  readonly symbols?: readonly MiniSym[];
  /** Overrides e_shstrndx. */
  readonly shstrndx?: number;
  /** Bytes appended after everything (a signature trailer). */
  readonly trailer?: Uint8Array;
}

const enc = new TextEncoder();

function bytes(d: Uint8Array | string): Uint8Array {
  return typeof d === 'string' ? enc.encode(d) : d;
}

/** `.modinfo` bytes from `key=value` strings. */
export function modinfoSection(...entries: string[]): Uint8Array {
  return enc.encode(entries.map((e) => `${e}\0`).join(''));
}

/** One 64-byte `struct modversion_info` entry per `[crc, name]`. */
export function versionsSection(entries: readonly (readonly [number, string])[]): Uint8Array {
  const out = new Uint8Array(entries.length * 64);
  const v = new DataView(out.buffer);
  entries.forEach(([crc, name], i) => {
    v.setBigUint64(i * 64, BigInt(crc), true);
    out.set(enc.encode(name), i * 64 + 8);
  });
  return out;
}

/** Builds the image. */
export function miniElf(spec: MiniElfSpec): Uint8Array {
  const user = spec.sections ?? [];
  const names = ['', ...user.map((s) => s.name)];
  const haveSyms = spec.symbols !== undefined;
  if (haveSyms) names.push('.symtab', '.strtab');
  names.push('.shstrtab');
  const shstr: number[] = [0];
  const nameOff = names.map((n) => {
    if (n === '') return 0;
    const off = shstr.length;
    shstr.push(...enc.encode(n), 0);
    return off;
  });
  const datas: Uint8Array[] = [new Uint8Array(0), ...user.map((s) => bytes(s.data))];
  if (haveSyms) {
    const strtab: number[] = [0];
    const symtab = new Uint8Array(((spec.symbols?.length ?? 0) + 1) * 24);
    const sv = new DataView(symtab.buffer);
    (spec.symbols ?? []).forEach((s, i) => {
      const at = (i + 1) * 24;
      const off = strtab.length;
      strtab.push(...enc.encode(s.name), 0);
      const shndx = typeof s.shndx === 'string' ? names.indexOf(s.shndx) : s.shndx;
      sv.setUint32(at, off, true);
      sv.setUint8(at + 4, ((s.bind ?? 1) << 4) | (s.type ?? 0));
      sv.setUint16(at + 6, shndx, true);
      sv.setBigUint64(at + 8, s.value ?? 0n, true);
    });
    datas.push(symtab, Uint8Array.from(strtab));
  }
  datas.push(Uint8Array.from(shstr));
  let off = 64;
  const offsets = datas.map((d) => {
    const o = off;
    off += d.length;
    return o;
  });
  const shoff = (off + 7) & ~7;
  const shnum = datas.length;
  const trailer = spec.trailer ?? new Uint8Array(0);
  const out = new Uint8Array(shoff + shnum * 64 + trailer.length);
  const v = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
  v.setUint16(16, 1, true); // ET_REL
  v.setUint16(18, 62, true); // EM_X86_64
  v.setUint32(20, 1, true);
  v.setBigUint64(40, BigInt(shoff), true);
  v.setUint16(52, 64, true);
  v.setUint16(58, 64, true);
  v.setUint16(60, shnum, true);
  v.setUint16(62, spec.shstrndx ?? shnum - 1, true);
  datas.forEach((d, i) => {
    out.set(d, offsets[i]);
    if (i === 0) return;
    const h = shoff + i * 64;
    const isSymtab = haveSyms && names[i] === '.symtab';
    const isStr = names[i] === '.strtab' || names[i] === '.shstrtab';
    v.setUint32(h, nameOff[i], true);
    v.setUint32(h + 4, isSymtab ? 2 : isStr ? 3 : 1, true);
    v.setBigUint64(h + 24, BigInt(offsets[i]), true);
    v.setBigUint64(h + 32, BigInt(d.length), true);
    if (isSymtab) {
      v.setUint32(h + 40, names.indexOf('.strtab'), true);
      v.setBigUint64(h + 56, 24n, true);
    }
  });
  out.set(trailer, shoff + shnum * 64);
  return out;
}

/** A module-shaped image: `.modinfo`, optional `__versions`, exports as `__crc_` symbols and undefined imports. */
export function miniModule(opts: {
  readonly modinfo: readonly string[];
  readonly exports?: readonly string[];
  readonly imports?: readonly string[];
  readonly weakImports?: readonly string[];
  readonly versions?: readonly (readonly [number, string])[];
  readonly trailer?: Uint8Array;
}): Uint8Array {
  const exports = opts.exports ?? [];
  const crcs = new Uint8Array(exports.length * 4);
  const cv = new DataView(crcs.buffer);
  exports.forEach((_, i) => {
    cv.setUint32(i * 4, 0x1000 + i, true);
  });
  const sections = [
    { name: '.text', data: new Uint8Array(16) },
    { name: '.modinfo', data: modinfoSection(...opts.modinfo) },
    { name: '__kcrctab', data: crcs },
  ];
  if (opts.versions !== undefined)
    sections.push({ name: '__versions', data: versionsSection(opts.versions) });
  const symbols: MiniSym[] = [
    ...exports.map((name, i) => ({
      name: `__crc_${name}`,
      shndx: '__kcrctab',
      value: BigInt(i * 4),
      bind: 0,
    })),
    ...exports.map((name) => ({ name, shndx: '.text' })),
    ...(opts.imports ?? []).map((name) => ({ name, shndx: 0 })),
    ...(opts.weakImports ?? []).map((name) => ({ name, shndx: 0, bind: 2 })),
  ];
  return miniElf({ sections, symbols, ...(opts.trailer === undefined ? {} : { trailer: opts.trailer }) });
}
