/**
 * `buildKo`: an x86_64 kbuild-style loadable module (`.ko`) from a {@link ModuleSpec}, with the sections,
 * symbols and relocations modpost and `ld -r` give a 6.1 module:
 * - `.text` (a local function using every import: `call` → `R_X86_64_PLT32`, data load → `R_X86_64_PC32`, and
 *   one function per export), `.init.text` (`init_module`: `mov $__this_module,%rdi` → `R_X86_64_32S`, a call
 *   into `.text` → `R_X86_64_PLT32` against the section symbol), `.exit.text` (`cleanup_module`);
 * - `__ksymtab`/`__ksymtab_gpl` (12-byte PREL32 `struct kernel_symbol`, sorted by name as `scripts/module.lds.S`
 *   sorts them, `R_X86_64_PC32` to the function, `__kstrtab_*` and `__kstrtabns_*`), `__kcrctab{,_gpl}`,
 *   `__ksymtab_strings`;
 * - `.modinfo`, `__param` (40-byte `struct kernel_param`, `R_X86_64_64` to the name, `__this_module`,
 *   `param_ops_*` and the variable, `struct kparam_array`/`kparam_string` in `.rodata`), `__versions`
 *   (64-byte `{u64 crc; char name[56]}` per undefined symbol, then `module_layout`);
 * - `.gnu.linkonce.this_module` (`struct module`, 0x380 bytes in 6.1, name at 24, `R_X86_64_64` to
 *   `init_module` at 0x138 and `cleanup_module` at 0x350, as `readelf -r` shows on Debian's 6.1 modules);
 * - `.init.data`/`.exit.data` (the `__addressable_*` pointers), `.note.gnu.build-id` (SHA-1 of the image),
 *   `.note.Linux` (LTO info and build salt), `.note.GNU-stack`, the optional `.kmodsim.behaviour` and
 *   unstripped-style `.debug_*` sections with `.rela.debug_*` (non-ALLOC targets the loader skips).
 * @see scripts/mod/modpost.c (6.1) add_header, add_versions, add_depends, add_srcversion
 * @see include/linux/export-internal.h, include/linux/moduleparam.h (6.1)
 * @module
 */
import { createHash } from 'node:crypto';
import {
  EM_X86_64,
  R_X86_64_32,
  R_X86_64_32S,
  R_X86_64_64,
  R_X86_64_PC32,
  R_X86_64_PLT32,
  SHF_ALLOC,
  SHF_EXECINSTR,
  SHF_MERGE,
  SHF_STRINGS,
  SHF_WRITE,
  SHT_NOBITS,
  SHT_NOTE,
  SHT_PROGBITS,
  STB_GLOBAL,
  STB_LOCAL,
  STT_FUNC,
  STT_NOTYPE,
  STT_OBJECT,
} from '../../abi/elf.js';
import { BEHAVIOUR_SECTION, serializeBehaviour } from './behaviour-spec.js';
import { ByteBuffer, utf8 } from './byte-buffer.js';
import { ElfWriter, type WriterSection, type WriterSymbol } from './elf-writer.js';
import { DEFAULT_KERNEL_RELEASE, type ModuleSpec } from './module-spec.js';
import { paramElementSize, paramIsZero, paramStorageSize, writeParamValues } from './param-layout.js';
import { type ResolvedParam, type ResolvedSpec, resolveModuleSpecOrThrow } from './resolve-module-spec.js';

/** Layout of `struct module` in `.gnu.linkonce.this_module`. */
export interface ThisModuleLayout {
  /** `sizeof(struct module)`. */
  readonly size: number;
  /** Offset of `init`. */
  readonly initOffset: number;
  /** Offset of `exit`. */
  readonly exitOffset: number;
}

/**
 * `struct module` of x86_64 6.1 (Debian 6.1.0-50-amd64 config): 0x380 bytes, `name` at 24, `init` at 0x138,
 * `exit` at 0x350 — the offsets of `.rela.gnu.linkonce.this_module` in that kernel's own modules.
 */
export const THIS_MODULE_6_1: ThisModuleLayout = { size: 0x380, initOffset: 0x138, exitOffset: 0x350 };

/** Offset of `struct module.name` on 64-bit kernels (after `state` and `list`). */
export const THIS_MODULE_NAME_OFFSET = 24;

/** `MODULE_NAME_LEN` on 64-bit kernels. */
const MODULE_NAME_LEN = 56;

/** `struct modversion_info` size. */
const MODVERSION_SIZE = 64;

/** `sizeof(struct kernel_param)` on x86_64 (6.1). */
const KERNEL_PARAM_SIZE = 40;

/** Note types of `.note.Linux`. Source: include/linux/elfnote-lto.h, include/linux/build-salt.h (6.1). */
const LINUX_ELFNOTE_BUILD_SALT = 0x100;
const LINUX_ELFNOTE_LTO_INFO = 0x101;
/** Source: include/uapi/linux/elf.h (via binutils include/elf/common.h). */
const NT_GNU_BUILD_ID = 3;

/** Format options of a `.ko`. */
export interface KoOptions {
  /** `CONFIG_MODVERSIONS`: `__versions`, `__kcrctab*` and `modversions ` in vermagic (default true). */
  readonly modversions?: boolean;
  /** modinfo `retpoline=Y` (default true, as `CONFIG_RETPOLINE` kernels write it). */
  readonly retpoline?: boolean;
  /** Unstripped-style `.debug_*` sections with `.rela.debug_*` relocations (default false). */
  readonly debugSections?: boolean;
  /** `struct module` layout (default {@link THIS_MODULE_6_1}). */
  readonly thisModule?: ThisModuleLayout;
}

/** {@link KoOptions} with every default applied. */
export type ResolvedKoOptions = Required<KoOptions>;

/** Applies the defaults of {@link KoOptions}. */
export function resolveKoOptions(opts: KoOptions = {}): ResolvedKoOptions {
  const tm = opts.thisModule ?? THIS_MODULE_6_1;
  const fits = (o: number) => Number.isSafeInteger(o) && o >= 0 && o + 8 <= tm.size;
  if (
    !Number.isSafeInteger(tm.size) ||
    tm.size < THIS_MODULE_NAME_OFFSET + MODULE_NAME_LEN ||
    tm.size > 1 << 16 ||
    !fits(tm.initOffset) ||
    !fits(tm.exitOffset) ||
    Math.abs(tm.initOffset - tm.exitOffset) < 8
  )
    throw new RangeError('thisModule: init/exit must be distinct 8-byte fields inside struct module');
  return {
    modversions: opts.modversions ?? true,
    retpoline: opts.retpoline ?? true,
    debugSections: opts.debugSections ?? false,
    thisModule: tm,
  };
}

/** The `vermagic=` a `.ko` gets by default. */
export function defaultVermagic(release: string, modversions: boolean): string {
  return `${release} SMP preempt mod_unload ${modversions ? 'modversions ' : ''}`;
}

/** The name a `.ko` records (`KBUILD_MODNAME`: `-` becomes `_`). */
export function kbuildModname(name: string): string {
  return name.replaceAll('-', '_');
}

/** The `param_ops_*` (and `param_array_ops`) symbols a parameter's `struct kernel_param` refers to. */
export function paramOpsSymbols(p: ResolvedParam): string[] {
  if (p.array !== undefined) return ['param_array_ops', `param_ops_${p.type}`];
  return [`param_ops_${p.type}`];
}

/** modinfo `parmtype` of a parameter. */
export function paramTypeName(p: { readonly type: string; readonly array?: number }): string {
  return p.array !== undefined ? `array of ${p.type}` : p.type;
}

/** Undefined symbols of a `.ko`, in symbol-table order: the imports, then the parameters' ops. */
export function koUndefinedSymbols(spec: ResolvedSpec): string[] {
  const out = spec.imports.map((i) => i.name);
  for (const p of spec.params) for (const s of paramOpsSymbols(p)) if (!out.includes(s)) out.push(s);
  return out;
}

/** x86_64 instruction bytes the builder emits. */
const INSN = {
  call: [0xe8, 0, 0, 0, 0],
  movRipRax: [0x48, 0x8b, 0x05, 0, 0, 0, 0],
  movImmRdi: [0x48, 0xc7, 0xc7, 0, 0, 0, 0],
  xorEaxRet: [0x31, 0xc0, 0xc3],
  ret: [0xc3],
} as const;
const INT3 = 0xcc;

interface Sections {
  buildId: WriterSection;
  noteLinux: WriterSection;
  text: WriterSection;
  initText: WriterSection;
  exitText: WriterSection | undefined;
  ksymtab: WriterSection | undefined;
  ksymtabGpl: WriterSection | undefined;
  kcrctab: WriterSection | undefined;
  kcrctabGpl: WriterSection | undefined;
  ksymtabStrings: WriterSection | undefined;
  rodataStr: WriterSection | undefined;
  modinfo: WriterSection;
  param: WriterSection | undefined;
  rodata: WriterSection | undefined;
  versions: WriterSection | undefined;
  data: WriterSection;
  exitData: WriterSection | undefined;
  initData: WriterSection;
  thisModule: WriterSection;
  bss: WriterSection;
}

function note(le: boolean, name: string, type: number, desc: Uint8Array): Uint8Array {
  const b = new ByteBuffer(le);
  const n = utf8(name);
  b.u32(n.length + 1)
    .u32(desc.length)
    .u32(type)
    .bytes(n)
    .u8(0)
    .align(4)
    .bytes(desc)
    .align(4);
  return b.toBytes();
}

/** Builds the `.ko` image of `spec`. Throws `ModuleSpecError` for a spec it cannot build. */
export function buildKo(spec: ModuleSpec, options: KoOptions = {}): Uint8Array {
  const opts = resolveKoOptions(options);
  const s = resolveModuleSpecOrThrow(spec, { format: 'ko' });
  const le = true;
  const w = new ElfWriter({ elfClass: 64, littleEndian: le, machine: EM_X86_64, rela: true });
  const release = s.kernelRelease ?? DEFAULT_KERNEL_RELEASE.ko;
  const modname = kbuildModname(s.name);
  const plain = s.exports.filter((e) => !e.gpl);
  const gpl = s.exports.filter((e) => e.gpl);
  const permanent = s.permanent;
  const charps = s.params.some((p) => p.type === 'charp' && p.values.length > 0);
  const A = SHF_ALLOC;
  const AX = SHF_ALLOC | SHF_EXECINSTR;
  const WA = SHF_WRITE | SHF_ALLOC;
  const AMS = SHF_ALLOC | SHF_MERGE | SHF_STRINGS;
  const sec = (name: string, type: number, flags: number, addralign: number, entsize = 0) =>
    w.addSection({ name, type, flags, addralign, entsize });
  const S: Sections = {
    buildId: sec('.note.gnu.build-id', SHT_NOTE, A, 4),
    noteLinux: sec('.note.Linux', SHT_NOTE, A, 4),
    text: sec('.text', SHT_PROGBITS, AX, 16),
    initText: sec('.init.text', SHT_PROGBITS, AX, 1),
    exitText: permanent ? undefined : sec('.exit.text', SHT_PROGBITS, AX, 1),
    ksymtab: plain.length > 0 ? sec('__ksymtab', SHT_PROGBITS, A, 4) : undefined,
    ksymtabGpl: gpl.length > 0 ? sec('__ksymtab_gpl', SHT_PROGBITS, A, 4) : undefined,
    kcrctab: plain.length > 0 && opts.modversions ? sec('__kcrctab', SHT_PROGBITS, A, 4) : undefined,
    kcrctabGpl: gpl.length > 0 && opts.modversions ? sec('__kcrctab_gpl', SHT_PROGBITS, A, 4) : undefined,
    ksymtabStrings: s.exports.length > 0 ? sec('__ksymtab_strings', SHT_PROGBITS, AMS, 1, 1) : undefined,
    rodataStr: charps ? sec('.rodata.str1.1', SHT_PROGBITS, AMS, 1, 1) : undefined,
    modinfo: sec('.modinfo', SHT_PROGBITS, A, 1),
    param: s.params.length > 0 ? sec('__param', SHT_PROGBITS, A, 8) : undefined,
    rodata: s.params.length > 0 ? sec('.rodata', SHT_PROGBITS, A, 32) : undefined,
    versions: opts.modversions ? sec('__versions', SHT_PROGBITS, A, 32) : undefined,
    data: sec('.data', SHT_PROGBITS, WA, 32),
    exitData: permanent ? undefined : sec('.exit.data', SHT_PROGBITS, WA, 8),
    initData: sec('.init.data', SHT_PROGBITS, WA, 8),
    thisModule: sec('.gnu.linkonce.this_module', SHT_PROGBITS, WA, 64),
    bss: w.addSection({ name: '.bss', type: SHT_NOBITS, flags: WA, addralign: 32, size: 0 }),
  };
  sec('.note.GNU-stack', SHT_PROGBITS, 0, 1);
  const behaviour = s.behaviour === undefined ? undefined : sec(BEHAVIOUR_SECTION, SHT_PROGBITS, 0, 1);
  if (behaviour !== undefined && s.behaviour !== undefined)
    behaviour.data = utf8(serializeBehaviour(s.behaviour));

  const local = (name: string, section: WriterSection, value: number, size: number, type = STT_OBJECT) =>
    w.addSymbol({ name, bind: STB_LOCAL, type, section, value, size });
  const undef = (name: string) => w.undefinedSymbol(name, STB_GLOBAL);
  const rela = (target: WriterSection, offset: number, symbol: WriterSymbol, type: number, addend = 0) =>
    w.addRelocation(target, { offset, symbol, type, addend });

  // Undefined symbols first, in __versions order, so the symbol table lists them in that order too.
  const undefinedNames = koUndefinedSymbols(s);
  for (const n of undefinedNames) undef(n);

  // .text: the function using every import, then one function per export.
  const text = new ByteBuffer(le);
  for (const imp of s.imports) {
    const at = text.length;
    if (imp.kind === 'call') {
      text.bytes(INSN.call);
      rela(S.text, at + 1, undef(imp.name), R_X86_64_PLT32, -4);
    } else {
      text.bytes(INSN.movRipRax);
      rela(S.text, at + 3, undef(imp.name), R_X86_64_PC32, -4);
    }
  }
  text.bytes(INSN.ret);
  local('__kmodsim_uses', S.text, 0, text.length, STT_FUNC);
  const exportSymbols = new Map<string, WriterSymbol>();
  for (const e of s.exports) {
    text.align(16, INT3);
    const at = text.length;
    text.bytes(INSN.xorEaxRet);
    exportSymbols.set(
      e.name,
      w.addSymbol({ name: e.name, bind: STB_GLOBAL, type: STT_FUNC, section: S.text, value: at, size: 3 }),
    );
  }
  if (text.length < s.sizes.text) text.fill(s.sizes.text - text.length, INT3);
  S.text.data = text.toBytes();

  // struct module and the entry points.
  const thisModule = w.addSymbol({
    name: '__this_module',
    bind: STB_GLOBAL,
    type: STT_OBJECT,
    section: S.thisModule,
    value: 0,
    size: opts.thisModule.size,
  });
  const init = new ByteBuffer(le).bytes(INSN.movImmRdi).bytes(INSN.call).bytes(INSN.xorEaxRet);
  rela(S.initText, 3, thisModule, R_X86_64_32S);
  rela(S.initText, 8, w.sectionSymbol(S.text), R_X86_64_PLT32, -4);
  S.initText.data = init.toBytes();
  const initSym = w.addSymbol({
    name: 'init_module',
    bind: STB_GLOBAL,
    type: STT_FUNC,
    section: S.initText,
    value: 0,
    size: init.length,
  });
  let exitSym: WriterSymbol | undefined;
  if (S.exitText !== undefined) {
    S.exitText.data = Uint8Array.from(INSN.ret);
    exitSym = w.addSymbol({
      name: 'cleanup_module',
      bind: STB_GLOBAL,
      type: STT_FUNC,
      section: S.exitText,
      value: 0,
      size: 1,
    });
  }
  const tm = new Uint8Array(opts.thisModule.size);
  tm.set(utf8(modname), THIS_MODULE_NAME_OFFSET);
  S.thisModule.data = tm;
  rela(S.thisModule, opts.thisModule.initOffset, initSym, R_X86_64_64);
  if (exitSym !== undefined) rela(S.thisModule, opts.thisModule.exitOffset, exitSym, R_X86_64_64);
  S.initData.data = new Uint8Array(8);
  local('__UNIQUE_ID___addressable_init_module0', S.initData, 0, 8);
  rela(S.initData, 0, initSym, R_X86_64_64);
  if (S.exitData !== undefined && exitSym !== undefined) {
    S.exitData.data = new Uint8Array(8);
    local('__UNIQUE_ID___addressable_cleanup_module1', S.exitData, 0, 8);
    rela(S.exitData, 0, exitSym, R_X86_64_64);
  }

  // Exports: strings in spec order, tables sorted by name.
  if (S.ksymtabStrings !== undefined) {
    const strings = new ByteBuffer(le);
    const nameAt = new Map<string, WriterSymbol>();
    const nsAt = new Map<string, WriterSymbol>();
    for (const e of s.exports) {
      nameAt.set(e.name, local(`__kstrtab_${e.name}`, S.ksymtabStrings, strings.length, 0, STT_NOTYPE));
      strings.cstring(e.name);
      nsAt.set(e.name, local(`__kstrtabns_${e.name}`, S.ksymtabStrings, strings.length, 0, STT_NOTYPE));
      strings.cstring(e.namespace ?? '');
    }
    S.ksymtabStrings.data = strings.toBytes();
    const table = (list: typeof plain, tab: WriterSection | undefined, crcs: WriterSection | undefined) => {
      if (tab === undefined) return;
      const sorted = [...list].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const crc = new ByteBuffer(le);
      sorted.forEach((e, i) => {
        const at = i * 12;
        local(`__ksymtab_${e.name}`, tab, at, 0, STT_NOTYPE);
        rela(tab, at, exportSymbols.get(e.name)!, R_X86_64_PC32);
        rela(tab, at + 4, nameAt.get(e.name)!, R_X86_64_PC32);
        rela(tab, at + 8, nsAt.get(e.name)!, R_X86_64_PC32);
        if (crcs !== undefined) {
          local(`__crc_${e.name}`, crcs, crc.length, 0, STT_NOTYPE);
          crc.u32(s.crc(e.name));
        }
      });
      tab.data = new Uint8Array(sorted.length * 12);
      if (crcs !== undefined) crcs.data = crc.toBytes();
    };
    table(plain, S.ksymtab, S.kcrctab);
    table(gpl, S.ksymtabGpl, S.kcrctabGpl);
  }

  // Parameters.
  const data = new ByteBuffer(le);
  let bssSize = 0;
  if (S.param !== undefined && S.rodata !== undefined) {
    const param = new ByteBuffer(le);
    const rodata = new ByteBuffer(le);
    const rodataStr = new ByteBuffer(le);
    const strSym = S.rodataStr === undefined ? undefined : w.sectionSymbol(S.rodataStr);
    const stringAt = new Map<string, number>();
    const literal = (v: string) => {
      let at = stringAt.get(v);
      if (at === undefined) {
        at = rodataStr.length;
        rodataStr.cstring(v);
        stringAt.set(v, at);
      }
      return at;
    };
    /** Places `size` bytes aligned to `align` in .data (initialised) or .bss; returns [section, offset]. */
    const place = (size: number, align: number, zero: boolean): [WriterSection, number] => {
      if (zero) {
        bssSize = Math.ceil(bssSize / align) * align;
        const at = bssSize;
        bssSize += size;
        return [S.bss, at];
      }
      data.align(align);
      const at = data.length;
      data.fill(size);
      return [S.data, at];
    };
    const dataBytes: { at: number; p: ResolvedParam }[] = [];
    for (const p of s.params) {
      const elem = paramElementSize(p.type, 8);
      const zero = paramIsZero(p);
      const [varSec, varAt] = place(paramStorageSize(p, 8), Math.min(elem, 8), zero);
      local(p.name, varSec, varAt, paramStorageSize(p, 8));
      if (!zero) {
        dataBytes.push({ at: varAt, p });
        if (p.type === 'charp' && strSym !== undefined)
          p.values.forEach((v, i) => {
            rela(S.data, varAt + i * 8, strSym, R_X86_64_64, literal(v as string));
          });
      }
      rodata.align(8);
      const nameAt = rodata.length;
      local(`__param_str_${p.name}`, S.rodata, nameAt, utf8(p.name).length + 1);
      rodata.cstring(p.name);
      let argSym = w.sectionSymbol(varSec);
      let argAddend = varAt;
      let ops = `param_ops_${p.type}`;
      if (p.type === 'string') {
        rodata.align(16);
        const at = rodata.length;
        local(`__param_string_${p.name}`, S.rodata, at, 16);
        rodata
          .u32(p.maxlen ?? 0)
          .u32(0)
          .u64(0);
        rela(S.rodata, at + 8, w.sectionSymbol(varSec), R_X86_64_64, varAt);
        argSym = w.sectionSymbol(S.rodata);
        argAddend = at;
      } else if (p.array !== undefined) {
        const count = p.values.length;
        const [numSec, numAt] = place(4, 4, count === 0);
        local(`__kmodsim_num_${p.name}`, numSec, numAt, 4);
        if (count > 0)
          dataBytes.push({ at: numAt, p: { ...p, type: 'uint', array: undefined, values: [BigInt(count)] } });
        rodata.align(16);
        const at = rodata.length;
        local(`__param_arr_${p.name}`, S.rodata, at, 32);
        rodata.u32(p.array).u32(elem).u64(0).u64(0).u64(0);
        rela(S.rodata, at + 8, w.sectionSymbol(numSec), R_X86_64_64, numAt);
        rela(S.rodata, at + 16, undef(`param_ops_${p.type}`), R_X86_64_64);
        rela(S.rodata, at + 24, w.sectionSymbol(varSec), R_X86_64_64, varAt);
        argSym = w.sectionSymbol(S.rodata);
        argAddend = at;
        ops = 'param_array_ops';
      }
      const at = param.length;
      local(`__param_${p.name}`, S.param, at, KERNEL_PARAM_SIZE);
      param.u64(0).u64(0).u64(0).u16(p.perm).u8(0xff).u8(0).u32(0).u64(0);
      rela(S.param, at, w.sectionSymbol(S.rodata), R_X86_64_64, nameAt);
      rela(S.param, at + 8, thisModule, R_X86_64_64);
      rela(S.param, at + 16, undef(ops), R_X86_64_64);
      rela(S.param, at + 32, argSym, R_X86_64_64, argAddend);
    }
    S.param.data = param.toBytes();
    S.rodata.data = rodata.toBytes();
    if (S.rodataStr !== undefined) S.rodataStr.data = rodataStr.toBytes();
    const bytes = data.toBytes();
    for (const { at, p } of dataBytes) writeParamValues(bytes, at, p, 8, le);
    data.setBytes(0, bytes);
  }
  if (data.length < s.sizes.data) data.fill(s.sizes.data - data.length);
  S.data.data = data.toBytes();
  const bss = Math.max(bssSize, s.sizes.bss);
  S.bss.nobitsSize = bss;

  // __versions.
  if (S.versions !== undefined) {
    const names = [...undefinedNames, 'module_layout'];
    const v = new ByteBuffer(le, names.length * MODVERSION_SIZE);
    for (const n of names) {
      const start = v.length;
      v.u64(s.crc(n)).bytes(utf8(n).subarray(0, MODULE_NAME_LEN - 1));
      v.fill(start + MODVERSION_SIZE - v.length);
    }
    S.versions.data = v.toBytes();
    local('____versions', S.versions, 0, v.length);
  }

  // .modinfo.
  const modinfo: [string, string][] = [];
  if (s.version !== undefined) modinfo.push(['version', s.version]);
  if (s.license !== '') modinfo.push(['license', s.license]);
  if (s.description !== undefined) modinfo.push(['description', s.description]);
  for (const a of s.authors) modinfo.push(['author', a]);
  for (const kv of s.extraModinfo) modinfo.push([kv[0], kv[1]]);
  for (const p of s.params) {
    if (p.description !== undefined) modinfo.push(['parm', `${p.name}:${p.description}`]);
    modinfo.push(['parmtype', `${p.name}:${paramTypeName(p)}`]);
  }
  for (const ns of s.importNs) modinfo.push(['import_ns', ns]);
  if (s.srcversion !== undefined) modinfo.push(['srcversion', s.srcversion]);
  modinfo.push(['depends', s.dependencies.join(',')]);
  if (opts.retpoline) modinfo.push(['retpoline', 'Y']);
  if (s.intree) modinfo.push(['intree', 'Y']);
  modinfo.push(['name', modname]);
  modinfo.push(['vermagic', s.vermagic ?? defaultVermagic(release, opts.modversions)]);
  const mi = new ByteBuffer(le);
  modinfo.forEach(([k, v], i) => {
    const at = mi.length;
    mi.cstring(`${k}=${v}`);
    local(`__UNIQUE_ID_${k}${i}`, S.modinfo, at, mi.length - at);
  });
  S.modinfo.data = mi.toBytes();

  // Notes.
  S.buildId.data = note(le, 'GNU', NT_GNU_BUILD_ID, new Uint8Array(20));
  S.noteLinux.data = Uint8Array.from([
    ...note(le, 'Linux', LINUX_ELFNOTE_LTO_INFO, new Uint8Array(4)),
    ...note(le, 'Linux', LINUX_ELFNOTE_BUILD_SALT, utf8(`${release}\0`)),
  ]);

  if (opts.debugSections) addDebugSections(w, S.text, S.initText);

  const out = w.build();
  // The build ID is a hash of the image with a zero ID (ld's --build-id=sha1 hashes the output likewise).
  const id = createHash('sha1').update(out.bytes).digest();
  out.bytes.set(id, out.offsetOf(S.buildId) + 16);
  return out.bytes;
}

/** `.debug_info`/`.debug_abbrev`/`.debug_line`/`.debug_str` with relocations, as an unstripped build has. */
function addDebugSections(w: ElfWriter, text: WriterSection, initText: WriterSection): void {
  const info = w.addSection({ name: '.debug_info', type: SHT_PROGBITS, flags: 0, addralign: 1 });
  const abbrev = w.addSection({ name: '.debug_abbrev', type: SHT_PROGBITS, flags: 0, addralign: 1 });
  const line = w.addSection({ name: '.debug_line', type: SHT_PROGBITS, flags: 0, addralign: 1 });
  const str = w.addSection({
    name: '.debug_str',
    type: SHT_PROGBITS,
    flags: SHF_MERGE | SHF_STRINGS,
    addralign: 1,
    entsize: 1,
  });
  info.data = new Uint8Array(0x30);
  abbrev.data = new Uint8Array(0x10);
  line.data = new Uint8Array(0x20);
  str.data = utf8('kmodsim\0unsigned int\0');
  w.addRelocation(info, { offset: 6, symbol: w.sectionSymbol(abbrev), type: R_X86_64_32, addend: 0 });
  w.addRelocation(info, { offset: 12, symbol: w.sectionSymbol(str), type: R_X86_64_32, addend: 0 });
  w.addRelocation(info, { offset: 16, symbol: w.sectionSymbol(text), type: R_X86_64_64, addend: 0 });
  w.addRelocation(info, { offset: 24, symbol: w.sectionSymbol(initText), type: R_X86_64_64, addend: 0 });
  w.addRelocation(info, { offset: 32, symbol: w.sectionSymbol(str), type: R_X86_64_32, addend: 8 });
  w.addRelocation(line, { offset: 8, symbol: w.sectionSymbol(text), type: R_X86_64_64, addend: 0 });
}
