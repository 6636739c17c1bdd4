/**
 * `buildI386Object`: an i386 ELF32 relocatable `.o` as the Linux 2.4, 2.0 and 1.x module tools consumed them.
 * The era's `insmod` links it in user space, so it carries only what the compiler and `<linux/module.h>` of
 * the time put in an object:
 * - all eras: global `init_module` and (unless permanent) `cleanup_module` in `.text`; imports as undefined
 *   symbols used from `.text` (`call` → `R_386_PC32`, data load → `R_386_32`, addends in place as REL
 *   requires); exports as global functions; an `STT_FILE` symbol `<name>.c` (gcc's, which is also how a reader
 *   recovers the module name: the object itself does not carry it); `.kmodsim.behaviour`.
 * - 2.4 (also 2.2): `.modinfo` with `kernel_version=`, `using_checksums=1` (modversions), `license=`,
 *   `author=`, `description=`, `parm_<var>=<type>` and `parm_desc_<var>=` (strings of 32 bytes or more
 *   aligned to 32, as i386 gcc aligns such arrays, so the section has NUL padding); `__ksymtab` of
 *   `struct module_symbol {value, name}` (8 bytes, `R_386_32`, always present as `EXPORT_NO_SYMBOLS` makes it)
 *   and `.kstrtab` (`GPLONLY_` names for GPL exports); parameters are static variables.
 * - 2.0 and 1.x: `char kernel_version[] = UTS_RELEASE` (global in `.data`), `int Using_Versions` (a common
 *   symbol) with modversions, `mod_use_count_` used by `MOD_INC_USE_COUNT`; parameters are global integer
 *   variables `insmod sym=value` writes; every global the module defines is exported.
 * - Modversions (option): imported and exported names carry `_R<crc>` (`<linux/modversions.h>`).
 * Section table order, REL flags (no `SHF_INFO_LINK`) and `.shstrtab` before `.symtab` follow the binutils of
 * the time.
 * @see linux-legacy.md A.10, B.2, B.11; include/linux/module.h (2.0.40, 2.4.27)
 * @module
 */
import {
  EM_386,
  R_386_32,
  R_386_PC32,
  SHF_ALLOC,
  SHF_EXECINSTR,
  SHF_WRITE,
  SHN_ABS,
  SHN_COMMON,
  SHT_NOBITS,
  SHT_PROGBITS,
  STB_GLOBAL,
  STB_LOCAL,
  STT_FILE,
  STT_FUNC,
  STT_OBJECT,
} from '../../abi/elf.js';
import { BEHAVIOUR_SECTION, serializeBehaviour } from './behaviour-spec.js';
import { ByteBuffer, utf8 } from './byte-buffer.js';
import { ElfWriter, type WriterSection, type WriterSymbol } from './elf-writer.js';
import { DEFAULT_KERNEL_RELEASE, type ModuleSpec, type ParamType } from './module-spec.js';
import { paramElementSize, paramIsZero, paramStorageSize, writeParamValues } from './param-layout.js';
import {
  type LegacyEra,
  type ResolvedParam,
  type ResolvedSpec,
  resolveModuleSpecOrThrow,
} from './resolve-module-spec.js';

/** Options of an i386 object. */
export interface I386ObjectOptions {
  /** Which module tools the object is for. */
  readonly era: LegacyEra;
  /** `CONFIG_MODVERSIONS`: `_R<crc>` symbol names (default false). */
  readonly modversions?: boolean;
}

/** The parameter types an era can express (2.4 `MODULE_PARM` letters; 1.x/2.0 plain C integers). */
export type LegacyParamType = Extract<ParamType, 'byte' | 'short' | 'int' | 'long' | 'charp' | 'string'>;

/**
 * The type a parameter has in an era's object: 2.4 knows `b`, `h`, `i`, `l`, `s`, `c<n>` (byte, short, int,
 * long, char pointer, char array); 1.x/2.0 objects only have integer variables of 1, 2 or 4 bytes.
 */
export function legacyParamType(type: ParamType, era: LegacyEra): LegacyParamType {
  switch (type) {
    case 'byte':
      return 'byte';
    case 'short':
    case 'ushort':
      return 'short';
    case 'long':
    case 'ulong':
      return era === '2.4' ? 'long' : 'int';
    case 'charp':
    case 'string':
      return type;
    default:
      return 'int';
  }
}

/** `MODULE_PARM` type letter of a 2.4 parameter. */
const PARM_LETTER: Record<LegacyParamType, string> = {
  byte: 'b',
  short: 'h',
  int: 'i',
  long: 'l',
  charp: 's',
  string: 'c',
};

/** The 2.4 `parm_<var>=` value of a parameter (`[1-<max>]<letter>[<len>]`). */
export function legacyParmSpec(p: Pick<ResolvedParam, 'type' | 'array' | 'maxlen'>): string {
  const t = legacyParamType(p.type, '2.4');
  const range = p.array === undefined ? '' : `1-${p.array}`;
  return `${range}${PARM_LETTER[t]}${t === 'string' ? (p.maxlen ?? 0) : ''}`;
}

/** A symbol's name under modversions (`<name>_R<crc>`, lower-case hex). */
export function versionedName(name: string, crc: number): string {
  return `${name}_R${(crc >>> 0).toString(16).padStart(8, '0')}`;
}

/** Undefined symbols the era's headers make every module use (`mod_use_count_` before 2.1). */
export function legacyImpliedImports(era: LegacyEra): string[] {
  return era === '2.4' ? [] : ['mod_use_count_'];
}

/** The parameter as the era's object stores it (type collapsed, values truncated to the C variable). */
export function legacyParam(p: ResolvedParam, era: LegacyEra): ResolvedParam {
  const type = legacyParamType(p.type, era);
  const values = p.values.map((v) => {
    if (typeof v === 'boolean') return v ? 1n : 0n;
    if (typeof v !== 'bigint') return v;
    if (type === 'byte') return BigInt.asUintN(8, v);
    if (type === 'short') return BigInt.asIntN(16, v);
    return BigInt.asIntN(32, v);
  });
  return { ...p, type, values };
}

const NOP = 0x90;

function gccArrayAlign(size: number): number {
  // i386 gcc DATA_ALIGNMENT: arrays of 32 bytes or more are aligned to 32 bytes.
  return size >= 32 ? 32 : 1;
}

/** Builds the i386 object of `spec` for an era. Throws `ModuleSpecError` for a spec it cannot build. */
export function buildI386Object(spec: ModuleSpec, options: I386ObjectOptions): Uint8Array {
  const era = options.era;
  if (era !== '2.4' && era !== '2.0' && era !== '1.x') throw new RangeError(`unknown era ${String(era)}`);
  const s: ResolvedSpec = resolveModuleSpecOrThrow(spec, { format: 'i386', era });
  const modversions = options.modversions === true;
  const le = true;
  const w = new ElfWriter({
    elfClass: 32,
    littleEndian: le,
    machine: EM_386,
    rela: false,
    relocationSectionFlags: 0,
    tableOrder: 'bfd-legacy',
  });
  const release = s.kernelRelease ?? DEFAULT_KERNEL_RELEASE[era];
  const v24 = era === '2.4';
  const symName = (n: string) => (modversions ? versionedName(n, s.crc(n)) : n);
  const params = s.params.map((p) => legacyParam(p, era));

  const text = w.addSection({
    name: '.text',
    type: SHT_PROGBITS,
    flags: SHF_ALLOC | SHF_EXECINSTR,
    addralign: 16,
  });
  const dataSec = w.addSection({
    name: '.data',
    type: SHT_PROGBITS,
    flags: SHF_ALLOC | SHF_WRITE,
    addralign: 4,
  });
  const bssSec = w.addSection({ name: '.bss', type: SHT_NOBITS, flags: SHF_ALLOC | SHF_WRITE, addralign: 4 });
  const modinfoSec = v24
    ? w.addSection({ name: '.modinfo', type: SHT_PROGBITS, flags: SHF_ALLOC, addralign: 1 })
    : undefined;
  const needsRodata = params.some((p) => p.type === 'charp' && p.values.length > 0);
  const rodataSec = needsRodata
    ? w.addSection({ name: '.rodata', type: SHT_PROGBITS, flags: SHF_ALLOC, addralign: 1 })
    : undefined;
  const ksymtabSec = v24
    ? w.addSection({ name: '__ksymtab', type: SHT_PROGBITS, flags: SHF_ALLOC, addralign: 4 })
    : undefined;
  const kstrtabSec =
    v24 && s.exports.length > 0
      ? w.addSection({ name: '.kstrtab', type: SHT_PROGBITS, flags: SHF_ALLOC, addralign: 1 })
      : undefined;
  if (s.behaviour !== undefined) {
    const b = w.addSection({ name: BEHAVIOUR_SECTION, type: SHT_PROGBITS, flags: 0, addralign: 1 });
    b.data = utf8(serializeBehaviour(s.behaviour));
  }

  w.addSymbol({ name: `${s.name}.c`, bind: STB_LOCAL, type: STT_FILE, section: SHN_ABS });
  const local = (name: string, section: WriterSection, value: number, size: number, type = STT_OBJECT) =>
    w.addSymbol({ name, bind: STB_LOCAL, type, section, value, size });
  const global = (name: string, section: WriterSection, value: number, size: number, type = STT_OBJECT) =>
    w.addSymbol({ name, bind: STB_GLOBAL, type, section, value, size });
  const undef = (name: string) => w.undefinedSymbol(name, STB_GLOBAL);
  const rel = (target: WriterSection, offset: number, symbol: WriterSymbol, type: number) =>
    w.addRelocation(target, { offset, symbol, type });
  for (const imp of s.imports) undef(symName(imp.name));
  for (const n of legacyImpliedImports(era)) undef(n);

  // .text: the function using the imports (and the use count), init_module, cleanup_module, the exports.
  const code = new ByteBuffer(le);
  for (const imp of s.imports) {
    const at = code.length;
    if (imp.kind === 'call') {
      code.bytes([0xe8]).u32(-4);
      rel(text, at + 1, undef(symName(imp.name)), R_386_PC32);
    } else {
      code.bytes([0xa1]).u32(0);
      rel(text, at + 1, undef(symName(imp.name)), R_386_32);
    }
  }
  if (!v24) {
    const at = code.length;
    code.bytes([0xff, 0x05]).u32(0); // incl mod_use_count_ (MOD_INC_USE_COUNT)
    rel(text, at + 2, undef('mod_use_count_'), R_386_32);
  }
  code.u8(0xc3);
  local('__kmodsim_uses', text, 0, code.length, STT_FUNC);
  code.align(16, NOP);
  const initAt = code.length;
  code.bytes([0xe8]).u32(-(initAt + 5)); // call __kmodsim_uses: same section, resolved by the assembler
  code.bytes([0x31, 0xc0, 0xc3]);
  global('init_module', text, initAt, code.length - initAt, STT_FUNC);
  if (!s.permanent) {
    code.align(16, NOP);
    global('cleanup_module', text, code.length, 1, STT_FUNC);
    code.u8(0xc3);
  }
  const exportSymbols = new Map<string, WriterSymbol>();
  for (const e of s.exports) {
    code.align(16, NOP);
    exportSymbols.set(e.name, global(symName(e.name), text, code.length, 3, STT_FUNC));
    code.bytes([0x31, 0xc0, 0xc3]);
  }
  if (code.length < s.sizes.text) code.fill(s.sizes.text - code.length, NOP);
  text.data = code.toBytes();

  // .data / .bss: kernel_version (before 2.1), the parameters.
  const data = new ByteBuffer(le);
  let bss = 0;
  if (!v24) {
    global('kernel_version', dataSec, 0, utf8(release).length + 1);
    data.cstring(release);
  }
  if (!v24 && modversions)
    w.addSymbol({
      name: 'Using_Versions',
      bind: STB_GLOBAL,
      type: STT_OBJECT,
      section: SHN_COMMON,
      value: 4,
      size: 4,
    });
  const rodata = new ByteBuffer(le);
  const initialised: { at: number; p: ResolvedParam }[] = [];
  for (const p of params) {
    const size = paramStorageSize(p, 4);
    const align = Math.max(Math.min(paramElementSize(p.type, 4), 4), gccArrayAlign(size) === 32 ? 32 : 1);
    const bind = v24 ? local : global;
    if (paramIsZero(p)) {
      bss = Math.ceil(bss / align) * align;
      bind(p.name, bssSec, bss, size);
      bss += size;
      continue;
    }
    data.align(align);
    const at = data.length;
    bind(p.name, dataSec, at, size);
    data.fill(size);
    initialised.push({ at, p });
    if (p.type === 'charp' && rodataSec !== undefined) {
      p.values.forEach((v, i) => {
        const off = rodata.length;
        rodata.cstring(v as string);
        rel(dataSec, at + i * 4, w.sectionSymbol(rodataSec), R_386_32);
        initialised.push({
          at: at + i * 4,
          p: { ...p, type: 'int', array: undefined, values: [BigInt(off)] },
        });
      });
    }
  }
  const dataBytes = data.toBytes();
  for (const { at, p } of initialised) if (p.type !== 'charp') writeParamValues(dataBytes, at, p, 4, le);
  if (dataBytes.length < s.sizes.data) {
    dataSec.data = new Uint8Array(s.sizes.data);
    dataSec.data.set(dataBytes);
  } else dataSec.data = dataBytes;
  bssSec.nobitsSize = Math.max(bss, s.sizes.bss);
  if (rodataSec !== undefined) rodataSec.data = rodata.toBytes();

  // 2.4: .modinfo, __ksymtab, .kstrtab.
  if (modinfoSec !== undefined) {
    const mi = new ByteBuffer(le);
    let maxAlign = 1;
    const entry = (symbol: string, bind: 'local' | 'global', textValue: string) => {
      const bytes = utf8(`${textValue}\0`);
      const a = gccArrayAlign(bytes.length);
      maxAlign = Math.max(maxAlign, a);
      mi.align(a);
      (bind === 'local' ? local : global)(symbol, modinfoSec, mi.length, bytes.length);
      mi.bytes(bytes);
    };
    entry('__module_kernel_version', 'local', `kernel_version=${release}`);
    if (modversions) entry('__module_using_checksums', 'local', 'using_checksums=1');
    if (s.license !== '') entry('__module_license', 'local', `license=${s.license}`);
    s.authors.forEach((a, i) => {
      entry(i === 0 ? '__module_author' : `__module_author${i}`, 'global', `author=${a}`);
    });
    if (s.description !== undefined) entry('__module_description', 'global', `description=${s.description}`);
    s.extraModinfo.forEach(([k, v], i) => {
      entry(`__module_${k}${i}`, 'local', `${k}=${v}`);
    });
    for (const p of params) {
      entry(`__module_parm_${p.name}`, 'global', `parm_${p.name}=${legacyParmSpec(p)}`);
      if (p.description !== undefined)
        entry(`__module_parm_desc_${p.name}`, 'global', `parm_desc_${p.name}=${p.description}`);
    }
    modinfoSec.data = mi.toBytes();
    modinfoSec.addralign = maxAlign;
  }
  if (ksymtabSec !== undefined) {
    const strings = new ByteBuffer(le);
    let maxAlign = 1;
    s.exports.forEach((e, i) => {
      const str = `${e.gpl ? 'GPLONLY_' : ''}${symName(e.name)}`;
      const bytes = utf8(`${str}\0`);
      const a = gccArrayAlign(bytes.length);
      maxAlign = Math.max(maxAlign, a);
      strings.align(a);
      const kstr =
        kstrtabSec === undefined
          ? undefined
          : global(`__kstrtab_${e.name}`, kstrtabSec, strings.length, bytes.length);
      strings.bytes(bytes);
      global(`__ksymtab_${e.name}`, ksymtabSec, i * 8, 8);
      rel(ksymtabSec, i * 8, exportSymbols.get(e.name)!, R_386_32);
      if (kstr !== undefined) rel(ksymtabSec, i * 8 + 4, kstr, R_386_32);
    });
    ksymtabSec.data = new Uint8Array(s.exports.length * 8);
    if (kstrtabSec !== undefined) {
      kstrtabSec.data = strings.toBytes();
      kstrtabSec.addralign = maxAlign;
    }
  }
  return w.build().bytes;
}
