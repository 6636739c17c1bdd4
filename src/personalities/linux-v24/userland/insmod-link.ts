/**
 * The parts of modutils 2.4 `insmod` that turn a relocatable object into a module image: binding undefined
 * symbols to the loaded modules' and the kernel's exports (module symbols first, `GPLONLY_` names only for
 * GPL-compatible modules, a module "used" once one of its symbols is bound), the `.this` section holding the
 * `struct module` at offset 0, the ksymoops symbols, `__ksymtab` additions and the `.kmodtab` of `module_ref`s,
 * and the header `init_module()` fills in before handing the image to the kernel.
 * @see modutils insmod/insmod.c add_symbols_from, add_kernel_symbols, create_this_module, add_ksymtab,
 *   create_module_ksymtab, add_ksymoops_symbols, hide_special_symbols, init_module
 * @module
 */
import {
  SHF_ALLOC,
  SHF_EXECINSTR,
  SHF_WRITE,
  SHN_ABS,
  SHN_HIRESERVE,
  SHN_LORESERVE,
  SHT_NOBITS,
  STB_GLOBAL,
  STB_LOCAL,
  STT_NOTYPE,
  STT_OBJECT,
} from '../../../abi/elf.js';
import { MODULE_OFFSETS, MODULE_REF, SIZEOF_MODULE_MODUTILS } from '../../../abi/linux/v24.js';
import type { ModuleStat, StatSymbol } from './modstat.js';
import { elfHash, type ObjFile, stBind, stInfo, stType, writeU32 } from './obj-file.js';

/** `add_symbols_from`: binds the object's undefined globals to `syms`; true when one was bound. */
function addSymbolsFrom(
  f: ObjFile,
  idx: number,
  syms: StatSymbol[],
  gpl: boolean,
  seenGplOnly: { value: boolean },
): boolean {
  let used = false;
  for (const s of syms) {
    let name = s.name;
    if (name.startsWith('GPLONLY_')) {
      seenGplOnly.value = true;
      if (!gpl) continue;
      name = name.slice(8);
      s.name = name; // modutils moves the pointer in place
    }
    const sym = f.findSymbol(name);
    if (sym !== undefined && stBind(sym.info) !== STB_LOCAL) {
      const got = f.addSymbol(name, -1, stInfo(STB_GLOBAL, STT_NOTYPE), idx, s.value, 0);
      if (got.secidx === idx) used = true;
    }
  }
  return used;
}

/** `add_kernel_symbols`: modules first (list order), then the kernel; returns `n_ext_modules_used`. */
export function addKernelSymbols(
  f: ObjFile,
  modules: ModuleStat[],
  ksyms: StatSymbol[],
  gpl: boolean,
): { used: number; gplOnlySeen: boolean } {
  const seen = { value: false };
  let used = 0;
  modules.forEach((m, i) => {
    if (m.syms.length > 0 && addSymbolsFrom(f, SHN_HIRESERVE + 2 + i, m.syms, gpl, seen)) {
      m.status = 1;
      used++;
    }
  });
  if (ksyms.length > 0) addSymbolsFrom(f, SHN_HIRESERVE + 1, ksyms, gpl, seen);
  return { used, gplOnlySeen: seen.value };
}

/** `create_this_module`: `.this` first in the load order, `__this_module`, the name patched into `name`. */
export function createThisModule(f: ObjFile, name: string): void {
  const sec = f.createAllocedSectionFirst('.this', 4, SIZEOF_MODULE_MODUTILS);
  f.addSymbol('__this_module', -1, stInfo(STB_LOCAL, STT_OBJECT), sec.idx, 0, SIZEOF_MODULE_MODUTILS);
  f.stringPatch(sec.idx, MODULE_OFFSETS.name, name);
}

/** `hide_special_symbols`: `cleanup_module`, `init_module`, `kernel_version` become local. */
export function hideSpecialSymbols(f: ObjFile): void {
  for (const name of ['cleanup_module', 'init_module', 'kernel_version']) {
    const sym = f.findSymbol(name);
    if (sym !== undefined) sym.info = stInfo(STB_LOCAL, stType(sym.info));
  }
}

/** `add_ksymtab`: one `{value, name}` entry appended to `__ksymtab` (made allocatable or created). */
export function addKsymtab(f: ObjFile, symName: string): void {
  const sym = f.findSymbol(symName);
  if (sym === undefined) return;
  let sec = f.findSection('__ksymtab');
  if (sec !== undefined && !(sec.flags & SHF_ALLOC)) {
    sec.name = `x${sec.name.slice(1)}`;
    sec = undefined;
  }
  if (sec === undefined) sec = f.createAllocedSection('__ksymtab', 4, 0, 0);
  sec.flags |= SHF_ALLOC;
  const ofs = sec.size;
  f.symbolPatch(sec.idx, ofs, sym);
  f.stringPatch(sec.idx, ofs + 4, sym.name);
  f.extendSection(sec, 8);
}

/** What the ksymoops symbols record. */
export interface KsymoopsInfo {
  /** Absolute path of the object (`realpath`). */
  readonly path: string;
  /** Its modification time (the VFS keeps none: 0). */
  readonly mtime: number;
  /** `get_module_version` (`a<<16 | b<<8 | c`, -1 when unknown). */
  readonly version: number;
  /** `flag_export`. */
  readonly exportAll: boolean;
}

/** `add_ksymoops_symbols`: `__insmod_<name>_O<path>_M<mtime>_V<version>` and `__insmod_<name>_S<sec>_L<len>`. */
export function addKsymoopsSymbols(f: ObjFile, name: string, info: KsymoopsInfo): void {
  const useKsymtab = f.findSection('__ksymtab') !== undefined || !info.exportAll;
  const add = (symName: string, secidx: number, value: number) => {
    f.addSymbol(symName, -1, stInfo(STB_GLOBAL, STT_NOTYPE), secidx, value, 0);
    if (useKsymtab) addKsymtab(f, symName);
  };
  const self = f.findSection('.this');
  if (self !== undefined) {
    const mtime = (info.mtime >>> 0).toString(16).toUpperCase().padStart(8, '0');
    add(`__insmod_${name}_O${info.path}_M${mtime}_V${info.version}`, self.idx, self.addr);
  }
  for (const secName of ['.text', '.rodata', '.data', '.bss']) {
    const sec = f.findSection(secName);
    if (sec !== undefined && sec.size > 0)
      add(`__insmod_${name}_S${sec.name}_L${sec.size}`, sec.idx, sec.addr);
  }
}

/** `create_module_ksymtab`: the `.kmodtab` `module_ref`s of the used modules; exports when there is no `__ksymtab`. */
export function createModuleKsymtab(
  f: ObjFile,
  modules: ModuleStat[],
  used: number,
  exportAll: boolean,
): void {
  if (used > 0) {
    const sec = f.createAllocedSection('.kmodtab', 4, MODULE_REF.size * used, 0);
    const tm = f.findSymbol('__this_module');
    let at = 0;
    for (const m of modules) {
      if (m.status === 0) continue;
      writeU32(sec, at + MODULE_REF.dep, m.addr);
      if (tm !== undefined) f.symbolPatch(sec.idx, at + MODULE_REF.ref, tm);
      writeU32(sec, at + MODULE_REF.next_ref, 0);
      at += MODULE_REF.size;
    }
  }
  if (exportAll && f.findSection('__ksymtab') === undefined) {
    const loaded = f.sections.map((s) => (s.flags & SHF_ALLOC) !== 0);
    const names: string[] = [];
    for (const sym of f.symbols())
      if (
        stBind(sym.info) !== STB_LOCAL &&
        sym.secidx <= SHN_HIRESERVE &&
        (sym.secidx >= SHN_LORESERVE || loaded[sym.secidx] === true)
      )
        names.push(sym.name);
    for (const n of names) addKsymtab(f, n);
  }
}

/** modutils' `ncv_strcmp(a, b) == 0` with an empty prefix: equal, or equal once one drops its `_R<crc>`. */
export function ncvEqual(prefix: string): (a: string, b: string) => boolean {
  const pl = prefix.length;
  const strip = (long: string, short: string) =>
    long.length === short.length + 10 + pl &&
    long[short.length] === '_' &&
    long[short.length + 1] === 'R' &&
    (pl === 0 || long.slice(short.length + 2, short.length + 2 + pl) === prefix) &&
    long.startsWith(short);
  return (a, b) => a === b || strip(b, a) || strip(a, b);
}

/** modutils' `ncv_symbol_hash`: the ELF hash without a trailing `_R<prefix><crc>`. */
export function ncvHash(prefix: string): (name: string) => number {
  const pl = prefix.length;
  return (s) => {
    let len = s.length;
    if (
      len > 10 + pl &&
      s[len - 10 - pl] === '_' &&
      s[len - 9 - pl] === 'R' &&
      (pl === 0 || s.slice(len - 8 - pl, len - 8) === prefix)
    )
      len -= 10 + pl;
    return elfHash(s, len);
  };
}

/** The `struct module` values `init_module()` writes into `.this` before building the image. */
export function fillModuleHeader(f: ObjFile, size: number, autoclean: boolean, used: number): void {
  const self = f.findSection('.this');
  if (self === undefined) return;
  const set = (member: keyof typeof MODULE_OFFSETS, v: number) => writeU32(self, MODULE_OFFSETS[member], v);
  set('size_of_struct', SIZEOF_MODULE_MODUTILS);
  set('size', size);
  set('flags', autoclean ? 4 : 0);
  const ksymtab = f.findSection('__ksymtab');
  if (ksymtab !== undefined && ksymtab.size > 0) {
    set('syms', ksymtab.addr);
    set('nsyms', Math.floor(ksymtab.size / 8));
  }
  if (used > 0) {
    const kmodtab = f.findSection('.kmodtab');
    set('deps', kmodtab?.addr ?? 0);
    set('ndeps', used);
  }
  set('init', f.finalValue(f.findSymbol('init_module')));
  set('cleanup', f.finalValue(f.findSymbol('cleanup_module')));
  const ex = f.findSection('__ex_table');
  if (ex !== undefined) {
    set('ex_table_start', ex.addr);
    set('ex_table_end', ex.addr + ex.size);
  }
  const base = self.addr;
  const textInit = f.findSection('.text.init');
  let runsize = 0;
  if (textInit !== undefined) runsize = textInit.addr - base;
  const dataInit = f.findSection('.data.init');
  if (dataInit !== undefined && (runsize === 0 || runsize > dataInit.addr - base))
    runsize = dataInit.addr - base;
  if (runsize !== 0) set('runsize', runsize);
  const archdata = f.findSection('__archdata');
  if (archdata !== undefined && archdata.size > 0) {
    set('archdata_start', archdata.addr);
    set('archdata_end', archdata.addr + archdata.size);
  }
}

/**
 * `print_load_map` (`insmod -m`): the sections in load order with size, address and alignment, then every
 * symbol of a loaded section (or absolute) by final value, typed like `nm`. Symbols with equal values keep
 * their hash-table order (glibc's qsort leaves that order unspecified).
 */
export function printLoadMap(f: ObjFile, out: (line: string) => void): void {
  out(`Sections:       Size      ${'Address'.padEnd(8)}  Align`);
  for (const sec of f.loadOrder) {
    let a = -1;
    for (let tmp = sec.addralign; tmp !== 0; tmp >>>= 1) a++;
    out(
      `${sec.name.padEnd(15)} ${sec.size.toString(16).padStart(8, '0')}  ${sec.addr.toString(16).padStart(8, '0')}  2**${Math.max(a, 0)}`,
    );
  }
  const loaded = f.sections.map((s) => (s.flags & SHF_ALLOC) !== 0);
  const all = [...f.symbols()].filter(
    (s) => s.secidx <= SHN_HIRESERVE && (s.secidx >= SHN_LORESERVE || loaded[s.secidx] === true),
  );
  all.sort((x, y) => f.finalValue(x) - f.finalValue(y));
  out('\nSymbols:');
  for (const sym of all) {
    let type = '?';
    let value: number;
    if (sym.secidx === SHN_ABS) {
      type = 'A';
      value = sym.value;
    } else if (sym.secidx === 0) {
      type = 'U';
      value = 0;
    } else {
      const sec = f.sections[sym.secidx];
      if (sec.type === SHT_NOBITS) type = 'B';
      else if (sec.flags & SHF_ALLOC)
        type = sec.flags & SHF_EXECINSTR ? 'T' : sec.flags & SHF_WRITE ? 'D' : 'R';
      value = (sym.value + sec.addr) >>> 0;
    }
    if (stBind(sym.info) === STB_LOCAL) type = type.toLowerCase();
    out(`${(value >>> 0).toString(16).padStart(8, '0')} ${type} ${sym.name}`);
  }
}
