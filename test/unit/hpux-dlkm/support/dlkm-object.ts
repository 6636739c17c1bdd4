/**
 * A small writer of HP-UX DLKM objects for the personality's unit tests, independent of the shared builder
 * (src/elf/builder): ELF64 big-endian IA-64 relocatable objects with a `struct modwrapper` (`<name>_wrapper`
 * with `mw_rev`, `mw_load`/`mw_unload` function pointers and a NULL-terminated `modlink` array whose `mtd_info`
 * string `modstat` reports), a `.modmeta` section, an optional `.kmodsim.behaviour` section, imports referenced
 * through relocated pointers, exported functions and BSS. Its knobs make the defective objects the error tests
 * need (no metadata, no wrapper, wrong class, byte order, machine or type, odd relocation types, raw text).
 */
import {
  ELFCLASS32,
  ELFCLASS64,
  ELFDATA2LSB,
  ELFDATA2MSB,
  EM_IA_64,
  ET_REL,
  EV_CURRENT,
  R_IA64_DIR64MSB,
  R_IA64_FPTR64MSB,
  SHF_ALLOC,
  SHF_EXECINSTR,
  SHF_WRITE,
  SHT_NOBITS,
  SHT_PROGBITS,
  SHT_RELA,
  SHT_STRTAB,
  SHT_SYMTAB,
  STB_GLOBAL,
  STB_LOCAL,
  STT_FUNC,
  STT_NOTYPE,
  STT_OBJECT,
  STT_SECTION,
} from '../../../../src/abi/elf.js';
import type { ModuleBehaviour } from '../../../../src/core/behaviours.js';

/** What to put in the object. */
export interface DlkmObjectSpec {
  /** Module name (wrapper `<name>_wrapper`, `.modmeta` `name`). */
  readonly name: string;
  /** `.modmeta` `type` (default `misc`). */
  readonly type?: string;
  /** Leave the `type` line out. */
  readonly omitType?: boolean;
  /** `.modmeta` `desc`. */
  readonly desc?: string;
  /** `.modmeta` `version`. */
  readonly version?: string;
  /** `depend module` lines. */
  readonly depends?: readonly string[];
  /** `depend interface` lines (`name:version`). */
  readonly dependsInterface?: readonly string[];
  /** `exports` interfaces. */
  readonly exportsInterface?: readonly string[];
  /** `capable` states. */
  readonly capable?: readonly string[];
  /** Raw extra `.modmeta` lines. */
  readonly extraMeta?: string;
  /** `mw_rev` (default 10). */
  readonly rev?: number;
  /** Undefined symbols the module references (one relocated pointer each). */
  readonly imports?: readonly string[];
  /** Relocation type used for the import pointers (default `R_IA64_DIR64MSB`). */
  readonly importRelocType?: number;
  /** Global functions the module defines. */
  readonly exports?: readonly string[];
  /** Behaviour for `.kmodsim.behaviour`. */
  readonly behaviour?: ModuleBehaviour;
  /** Raw `.kmodsim.behaviour` text (overrides `behaviour`). */
  readonly behaviourText?: string;
  /** `mtd_info` string of the single modlink (default `<name> - test module`). */
  readonly linkinfo?: string;
  /** Bytes of `.bss`. */
  readonly bss?: number;
  /** Omit `.modmeta`. */
  readonly noMeta?: boolean;
  /** Name of the wrapper symbol (default `<name>_wrapper`). */
  readonly wrapperName?: string;
  /** Leave the wrapper symbol out. */
  readonly omitWrapper?: boolean;
  /** Bytes of `.text` (default: 16 per function). */
  readonly textSize?: number;
  /** `e_machine` override. */
  readonly machine?: number;
  /** `e_type` override. */
  readonly etype?: number;
  /** Write an ELF32 header class byte (layout stays ELF64). */
  readonly class32?: boolean;
  /** Write the little-endian encoding byte (layout stays big-endian). */
  readonly lsbIdent?: boolean;
}

class W {
  bytes: number[] = [];
  u8(v: number) {
    this.bytes.push(v & 0xff);
  }
  u(v: bigint, n: number) {
    let x = BigInt.asUintN(n * 8, v);
    const b: number[] = [];
    for (let i = 0; i < n; i++) {
      b.push(Number(x & 0xffn));
      x >>= 8n;
    }
    this.bytes.push(...b.reverse());
  }
  u16(v: number) {
    this.u(BigInt(v), 2);
  }
  u32(v: number) {
    this.u(BigInt(v), 4);
  }
  u64(v: bigint | number) {
    this.u(BigInt(v), 8);
  }
  raw(d: Uint8Array | readonly number[]) {
    for (const b of d) this.bytes.push(b);
  }
  pad(a: number) {
    while (this.bytes.length % a !== 0) this.bytes.push(0);
  }
}

class Strtab {
  bytes: number[] = [0];
  private at = new Map<string, number>();
  add(s: string): number {
    if (s === '') return 0;
    const have = this.at.get(s);
    if (have !== undefined) return have;
    const off = this.bytes.length;
    this.bytes.push(...new TextEncoder().encode(s), 0);
    this.at.set(s, off);
    return off;
  }
}

interface Sym {
  name: string;
  bind: number;
  type: number;
  shndx: number;
  value: number;
  size: number;
}

/** Writes the object. */
export function buildDlkmObject(spec: DlkmObjectSpec): Uint8Array {
  const name = spec.name;
  // Section indices (fixed layout: .text, .data, .bss, .rela.data, .symtab, .strtab, …).
  const TEXT = 1;
  const DATA = 2;
  const SYMTAB = 5;
  const STRTAB = 6;
  const exportsFns = spec.exports ?? [];
  const imports = spec.imports ?? [];
  const text = new Uint8Array(Math.max(spec.textSize ?? 0, 16 * (2 + exportsFns.length)));

  // .data: wrapper (48) | modlink[2] (32) | mod_type_data (16) | info string | import pointers
  const info = new TextEncoder().encode(spec.linkinfo ?? `${name} - test module`);
  const infoOff = 96;
  const importsOff = Math.ceil((infoOff + info.length + 1) / 8) * 8;
  const data = new Uint8Array(importsOff + 8 * imports.length);
  new DataView(data.buffer).setInt32(0, spec.rev ?? 10, false);
  data.set(info, infoOff);

  const syms: Sym[] = [{ name: '', bind: STB_LOCAL, type: STT_NOTYPE, shndx: 0, value: 0, size: 0 }];
  syms.push({ name: '', bind: STB_LOCAL, type: STT_SECTION, shndx: TEXT, value: 0, size: 0 });
  syms.push({ name: '', bind: STB_LOCAL, type: STT_SECTION, shndx: DATA, value: 0, size: 0 });
  const DATA_SYM = 2;
  // `_load` and `_unload` are static functions, as in HP's sample driver; the wrapper is the global the kernel
  // looks up by name.
  const loadSym = syms.length;
  syms.push({ name: `${name}_load`, bind: STB_LOCAL, type: STT_FUNC, shndx: TEXT, value: 0, size: 16 });
  const unloadSym = syms.length;
  syms.push({ name: `${name}_unload`, bind: STB_LOCAL, type: STT_FUNC, shndx: TEXT, value: 16, size: 16 });
  const firstGlobal = syms.length;
  const wrapperName = spec.wrapperName ?? `${name}_wrapper`;
  if (spec.omitWrapper !== true)
    syms.push({ name: wrapperName, bind: STB_GLOBAL, type: STT_OBJECT, shndx: DATA, value: 0, size: 48 });
  exportsFns.forEach((f, i) => {
    syms.push({ name: f, bind: STB_GLOBAL, type: STT_FUNC, shndx: TEXT, value: 32 + 16 * i, size: 16 });
  });
  const opsSym = syms.length;
  syms.push({ name: 'mod_misc_ops', bind: STB_GLOBAL, type: STT_NOTYPE, shndx: 0, value: 0, size: 0 });
  const importSyms = imports.map((imp) => {
    syms.push({ name: imp, bind: STB_GLOBAL, type: STT_NOTYPE, shndx: 0, value: 0, size: 0 });
    return syms.length - 1;
  });

  const relas: [number, number, number, bigint][] = [
    [8, loadSym, R_IA64_FPTR64MSB, 0n],
    [16, unloadSym, R_IA64_FPTR64MSB, 0n],
    [40, DATA_SYM, R_IA64_DIR64MSB, 48n],
    [48, opsSym, R_IA64_DIR64MSB, 0n],
    [56, DATA_SYM, R_IA64_DIR64MSB, 80n],
    [80, DATA_SYM, R_IA64_DIR64MSB, BigInt(infoOff)],
  ];
  importSyms.forEach((s, i) => {
    relas.push([importsOff + 8 * i, s, spec.importRelocType ?? R_IA64_DIR64MSB, 0n]);
  });

  const strtab = new Strtab();
  const symW = new W();
  for (const s of syms) {
    symW.u32(strtab.add(s.name));
    symW.u8((s.bind << 4) | s.type);
    symW.u8(0);
    symW.u16(s.shndx);
    symW.u64(s.value);
    symW.u64(s.size);
  }
  const relaW = new W();
  for (const [off, sym, type, addend] of relas) {
    relaW.u64(off);
    relaW.u64((BigInt(sym) << 32n) | BigInt(type));
    relaW.u64(addend);
  }

  const meta: string[] = [];
  if (!spec.noMeta) {
    meta.push(`name ${name}`);
    if (spec.omitType !== true) meta.push(`type ${spec.type ?? 'misc'}`);
    if (spec.version !== undefined) meta.push(`version ${spec.version}`);
    if (spec.desc !== undefined) meta.push(`desc ${spec.desc}`);
    for (const d of spec.depends ?? []) meta.push(`depend module ${d}:0.1.0`);
    for (const d of spec.dependsInterface ?? []) meta.push(`depend interface ${d}`);
    for (const e of spec.exportsInterface ?? []) meta.push(`exports ${e}`);
    if (spec.capable !== undefined) meta.push(`capable ${spec.capable.join(' ')}`);
    if (spec.extraMeta !== undefined) meta.push(spec.extraMeta);
  }
  const behaviourText =
    spec.behaviourText ?? (spec.behaviour === undefined ? undefined : JSON.stringify(spec.behaviour));

  interface Sec {
    name: string;
    type: number;
    flags: number;
    data: Uint8Array;
    size?: number;
    link?: number;
    info?: number;
    align: number;
    entsize?: number;
  }
  const secs: Sec[] = [
    { name: '.text', type: SHT_PROGBITS, flags: SHF_ALLOC | SHF_EXECINSTR, data: text, align: 16 },
    { name: '.data', type: SHT_PROGBITS, flags: SHF_ALLOC | SHF_WRITE, data, align: 8 },
    {
      name: '.bss',
      type: SHT_NOBITS,
      flags: SHF_ALLOC | SHF_WRITE,
      data: new Uint8Array(0),
      size: spec.bss ?? 0,
      align: 8,
    },
    {
      name: '.rela.data',
      type: SHT_RELA,
      flags: 0,
      data: Uint8Array.from(relaW.bytes),
      link: SYMTAB,
      info: DATA,
      align: 8,
      entsize: 24,
    },
    {
      name: '.symtab',
      type: SHT_SYMTAB,
      flags: 0,
      data: Uint8Array.from(symW.bytes),
      link: STRTAB,
      info: firstGlobal,
      align: 8,
      entsize: 24,
    },
    { name: '.strtab', type: SHT_STRTAB, flags: 0, data: Uint8Array.from(strtab.bytes), align: 1 },
  ];
  if (!spec.noMeta)
    secs.push({
      name: '.modmeta',
      type: SHT_PROGBITS,
      flags: 0,
      data: new TextEncoder().encode(`${meta.join('\n')}\n`),
      align: 1,
    });
  if (behaviourText !== undefined)
    secs.push({
      name: '.kmodsim.behaviour',
      type: SHT_PROGBITS,
      flags: 0,
      data: new TextEncoder().encode(behaviourText),
      align: 1,
    });
  const shstr = new Strtab();
  const names = secs.map((s) => shstr.add(s.name));
  const shstrName = shstr.add('.shstrtab');
  secs.push({ name: '.shstrtab', type: SHT_STRTAB, flags: 0, data: Uint8Array.from(shstr.bytes), align: 1 });
  names.push(shstrName);

  const out = new W();
  out.raw([
    0x7f,
    0x45,
    0x4c,
    0x46,
    spec.class32 ? ELFCLASS32 : ELFCLASS64,
    spec.lsbIdent ? ELFDATA2LSB : ELFDATA2MSB,
    EV_CURRENT,
    1,
  ]);
  out.raw(new Array(8).fill(0));
  out.u16(spec.etype ?? ET_REL);
  out.u16(spec.machine ?? EM_IA_64);
  out.u32(EV_CURRENT);
  out.u64(0); // e_entry
  out.u64(0); // e_phoff
  const shoffAt = out.bytes.length;
  out.u64(0); // e_shoff, patched
  out.u32(0); // e_flags
  out.u16(64);
  out.u16(0);
  out.u16(0);
  out.u16(64);
  out.u16(secs.length + 1);
  out.u16(secs.length); // .shstrtab is last
  const offsets: number[] = [];
  for (const s of secs) {
    out.pad(Math.max(1, s.align));
    offsets.push(out.bytes.length);
    if (s.type !== SHT_NOBITS) out.raw(s.data);
  }
  out.pad(8);
  const shoff = out.bytes.length;
  for (let i = 0; i < 64; i++) out.u8(0);
  secs.forEach((s, i) => {
    out.u32(names[i]);
    out.u32(s.type);
    out.u64(s.flags);
    out.u64(0);
    out.u64(offsets[i]);
    out.u64(s.type === SHT_NOBITS ? (s.size ?? 0) : s.data.length);
    out.u32(s.link ?? 0);
    out.u32(s.info ?? 0);
    out.u64(s.align);
    out.u64(s.entsize ?? 0);
  });
  const bytes = Uint8Array.from(out.bytes);
  new DataView(bytes.buffer).setBigUint64(shoffAt, BigInt(shoff), false);
  return bytes;
}
