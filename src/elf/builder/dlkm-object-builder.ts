/**
 * `buildDlkmObject`: an HP-UX DLKM module object after the reference's proposal (hpux-dlkm.md §8): ELF64,
 * big-endian, `ET_REL`, `EI_OSABI` = `ELFOSABI_HPUX`, `e_flags` = `EF_IA_64_ABI64`.
 *
 * Machine: `EM_IA_64`. HP built DLKM modules for PA-RISC 2.0 (`EM_PARISC`) and Itanium; Itanium is chosen
 * because it is the platform of the 11i v2/v3 releases the `.modmeta` proposal models, binutils' `readelf`
 * decodes its relocations in both byte orders, and its data relocations (`R_IA64_DIR64MSB`,
 * `R_IA64_FPTR64MSB`) are plain 64-bit words a simulated loader can apply.
 *
 * Contents:
 * - `.text`: one bundle per function (`[MIB] nop.m 0; nop.i 0; br.ret.sptk.many b0;;`, as `objdump -d`
 *   decodes it): the static `<name>_load` and `<name>_unload` (HP's sample drivers make them static), then the
 *   exported functions (global).
 * - `.data`: `struct modwrapper <name>_wrapper` (global; `mw_rev`, `mw_load`/`mw_unload` → function pointers
 *   via `R_IA64_FPTR64MSB`, `mw_modlink` → the `modlink` array), `struct modlink[2]` (`ml_ops` → the type's
 *   operations: `mod_misc_ops`, `gio_mod_ops`, `str_drv_ops`, `str_mod_ops`; NULL-terminated),
 *   `struct mod_type_data` (`mtd_info` → the string `modstat` reports), the string, then one pointer per import
 *   (`R_IA64_FPTR64MSB` for a function, `R_IA64_DIR64MSB` for data).
 * - `.modmeta`: ASCII `key value` lines — `name`, `version`, `type`, `desc`, `depend module <n>:<v>`,
 *   `depend interface …`, `exports …`, `capable …`, `best …`.
 * - `.kmodsim.behaviour` when the spec has a behaviour.
 * @see hpux-dlkm.md §8.1–§8.3, §10
 * @module
 */
import {
  EM_IA_64,
  R_IA64_DIR64MSB,
  R_IA64_FPTR64MSB,
  SHF_ALLOC,
  SHF_EXECINSTR,
  SHF_WRITE,
  SHT_NOBITS,
  SHT_PROGBITS,
  STB_GLOBAL,
  STB_LOCAL,
  STT_FUNC,
  STT_OBJECT,
} from '../../abi/elf.js';
import {
  MOD_TYPE_DATA,
  MODLINK,
  MODMETA_SECTION,
  MODREV,
  MODWRAPPER,
  MODWRAPPER_SUFFIX,
  SIZEOF_MOD_TYPE_DATA,
  SIZEOF_MODLINK,
  SIZEOF_MODWRAPPER,
} from '../../abi/hpux/dlkm.js';
import { BEHAVIOUR_SECTION, serializeBehaviour } from './behaviour-spec.js';
import { ByteBuffer, utf8 } from './byte-buffer.js';
import { ElfWriter, type WriterSymbol } from './elf-writer.js';
import type { ModuleSpec } from './module-spec.js';
import { type ResolvedSpec, resolveModuleSpecOrThrow } from './resolve-module-spec.js';

/** `e_ident[EI_OSABI]` of HP-UX objects. Source: binutils include/elf/common.h `ELFOSABI_HPUX`. */
export const ELFOSABI_HPUX = 1;
/** `e_flags`: 64-bit ABI. Source: binutils include/elf/ia64.h `EF_IA_64_ABI64`. */
export const EF_IA_64_ABI64 = 0x10;

/** One IA-64 bundle returning to the caller, stored as the processor fetches it (little-endian). */
export const IA64_RETURN_BUNDLE: readonly number[] = [
  0x11, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x80, 0x08, 0x00, 0x84, 0x00,
];

/** Default module type. */
export const DEFAULT_DLKM_TYPE = 'misc';

/** Version written in `depend module` lines (HP's default version of a loadable module). */
export const DLKM_DEPEND_VERSION = '0.1.0';

/** The `struct mod_operations` a module type registers through (DLKM guide Table 12-3). */
export function dlkmOpsSymbol(type: string): string {
  if (type.startsWith('wsio')) return 'gio_mod_ops';
  if (type === 'streams_drv') return 'str_drv_ops';
  if (type === 'streams_mod') return 'str_mod_ops';
  return 'mod_misc_ops';
}

/** The default `mtd_info` string. */
export function defaultLinkInfo(name: string, type: string): string {
  return `${name} - ${type} module`;
}

/** The `.modmeta` text of a resolved spec. */
export function modmetaText(s: ResolvedSpec): string {
  const type = s.dlkm.type ?? DEFAULT_DLKM_TYPE;
  const lines = [`name ${s.name}`];
  if (s.version !== undefined) lines.push(`version ${s.version}`);
  lines.push(`type ${type}`);
  if (s.description !== undefined) lines.push(`desc ${s.description}`);
  for (const d of s.dependencies) lines.push(`depend module ${d}:${DLKM_DEPEND_VERSION}`);
  for (const d of s.dlkm.dependsInterface ?? []) lines.push(`depend interface ${d}`);
  for (const e of s.dlkm.exportsInterface ?? []) lines.push(`exports ${e}`);
  if (s.dlkm.capable !== undefined && s.dlkm.capable.length > 0)
    lines.push(`capable ${s.dlkm.capable.join(' ')}`);
  if (s.dlkm.best !== undefined) lines.push(`best ${s.dlkm.best}`);
  return `${lines.join('\n')}\n`;
}

/** Builds the DLKM object of `spec`. Throws `ModuleSpecError` for a spec it cannot build. */
export function buildDlkmObject(spec: ModuleSpec): Uint8Array {
  const s = resolveModuleSpecOrThrow(spec, { format: 'dlkm' });
  const le = false;
  const w = new ElfWriter({
    elfClass: 64,
    littleEndian: le,
    machine: EM_IA_64,
    osabi: ELFOSABI_HPUX,
    flags: EF_IA_64_ABI64,
    rela: true,
  });
  const type = s.dlkm.type ?? DEFAULT_DLKM_TYPE;
  const text = w.addSection({
    name: '.text',
    type: SHT_PROGBITS,
    flags: SHF_ALLOC | SHF_EXECINSTR,
    addralign: 32,
  });
  const data = w.addSection({
    name: '.data',
    type: SHT_PROGBITS,
    flags: SHF_ALLOC | SHF_WRITE,
    addralign: 8,
  });
  const bss = w.addSection({ name: '.bss', type: SHT_NOBITS, flags: SHF_ALLOC | SHF_WRITE, addralign: 8 });
  bss.nobitsSize = s.sizes.bss;
  const meta = w.addSection({ name: MODMETA_SECTION, type: SHT_PROGBITS, flags: 0, addralign: 1 });
  meta.data = utf8(modmetaText(s));
  if (s.behaviour !== undefined) {
    const b = w.addSection({ name: BEHAVIOUR_SECTION, type: SHT_PROGBITS, flags: 0, addralign: 1 });
    b.data = utf8(serializeBehaviour(s.behaviour));
  }

  const ops = w.undefinedSymbol(dlkmOpsSymbol(type), STB_GLOBAL);
  const imports = s.imports.map((i) => ({ i, sym: w.undefinedSymbol(i.name, STB_GLOBAL) }));

  // .text.
  const code = new ByteBuffer(le);
  const fn = (name: string, bind: number): WriterSymbol => {
    const at = code.length;
    code.bytes(IA64_RETURN_BUNDLE);
    return w.addSymbol({
      name,
      bind,
      type: STT_FUNC,
      section: text,
      value: at,
      size: IA64_RETURN_BUNDLE.length,
    });
  };
  const load = fn(`${s.name}_load`, STB_LOCAL);
  const unload = s.permanent ? undefined : fn(`${s.name}_unload`, STB_LOCAL);
  for (const e of s.exports) fn(e.name, STB_GLOBAL);
  if (code.length < s.sizes.text) code.fill(s.sizes.text - code.length);
  text.data = code.toBytes();

  // .data: wrapper, modlink[2], mod_type_data, info string, import pointers.
  const modlinkAt = SIZEOF_MODWRAPPER;
  const typeDataAt = modlinkAt + 2 * SIZEOF_MODLINK;
  const infoAt = typeDataAt + SIZEOF_MOD_TYPE_DATA;
  const d = new ByteBuffer(le);
  d.u32(s.dlkm.wrapperRevision ?? MODREV);
  d.fill(infoAt - d.length);
  d.cstring(s.dlkm.linkInfo ?? defaultLinkInfo(s.name, type)).align(8);
  const importsAt = d.length;
  d.fill(8 * imports.length);
  if (d.length < s.sizes.data) d.fill(s.sizes.data - d.length);
  data.data = d.toBytes();
  const dataSym = w.sectionSymbol(data);
  w.addSymbol({
    name: `${s.name}${MODWRAPPER_SUFFIX}`,
    bind: STB_GLOBAL,
    type: STT_OBJECT,
    section: data,
    value: 0,
    size: SIZEOF_MODWRAPPER,
  });
  w.addSymbol({
    name: `${s.name}_modlink`,
    bind: STB_LOCAL,
    type: STT_OBJECT,
    section: data,
    value: modlinkAt,
    size: 2 * SIZEOF_MODLINK,
  });
  w.addSymbol({
    name: `${s.name}_type_data`,
    bind: STB_LOCAL,
    type: STT_OBJECT,
    section: data,
    value: typeDataAt,
    size: SIZEOF_MOD_TYPE_DATA,
  });
  const r = (offset: number, symbol: WriterSymbol, type: number, addend = 0) =>
    w.addRelocation(data, { offset, symbol, type, addend });
  r(MODWRAPPER.mw_load, load, R_IA64_FPTR64MSB);
  if (unload !== undefined) r(MODWRAPPER.mw_unload, unload, R_IA64_FPTR64MSB);
  r(MODWRAPPER.mw_modlink, dataSym, R_IA64_DIR64MSB, modlinkAt);
  r(modlinkAt + MODLINK.ml_ops, ops, R_IA64_DIR64MSB);
  r(modlinkAt + MODLINK.ml_type_data, dataSym, R_IA64_DIR64MSB, typeDataAt);
  r(typeDataAt + MOD_TYPE_DATA.mtd_info, dataSym, R_IA64_DIR64MSB, infoAt);
  imports.forEach(({ i, sym }, k) => {
    r(importsAt + 8 * k, sym, i.kind === 'call' ? R_IA64_FPTR64MSB : R_IA64_DIR64MSB);
  });
  return w.build().bytes;
}
