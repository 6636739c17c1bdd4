/**
 * `struct load_info`: everything one `load_module` call carries from step to step.
 * @see kernel/module/internal.h struct load_info
 * @module
 */
import type { Allocation } from '../../core/address-space.js';
import type { ElfFile, ElfSection } from '../../elf/elf-file.js';
import type { Modinfo } from '../../elf/modinfo.js';
import type { SymbolTable as ElfSymbolTable } from '../../elf/symbols.js';
import type { ModuleVersions } from '../../elf/versions.js';
import type { LinuxV26Kernel } from './linux-v26-kernel.js';
import type { LoadedModule, ParamDef } from './loaded-module.js';
import type { PlacedSection } from './relocate-x86-64.js';

/** Section indices `elf_validity_cache_copy` remembers. */
export interface LoadIndex {
  /** `SHT_SYMTAB`. */
  sym: number;
  /** Its string table. */
  str: number;
  /** `.gnu.linkonce.this_module`. */
  mod: number;
  /** `.modinfo` (0 when absent). */
  info: number;
  /** `__versions` (0 when absent or ignored). */
  vers: number;
  /** `.data..percpu` (0 when absent). */
  pcpu: number;
}

/** Where a section goes in module memory. */
export interface SectionPlacement {
  /** `core` or `init` region; `undefined`: not loaded. */
  region: 'core' | 'init' | undefined;
  /** Offset in the region. */
  offset: number;
}

/** `struct load_info` plus the simulator's per-call state. */
export interface LoadInfo {
  /** The kernel. */
  readonly k: LinuxV26Kernel;
  /** `init_module` / `finit_module` flags (0 for `init_module`). */
  readonly flags: number;
  /** User pointer to the parameter string (0 = NULL). */
  readonly uargs: number;
  /** The kernel's copy of the image. */
  hdr: Uint8Array;
  /** Bytes of it the ELF checks see (after removing a signature). */
  len: number;
  /** `info->sig_ok`. */
  sigOk: boolean;
  /** The ELF file over `hdr[0, len)`. */
  elf?: ElfFile;
  /** Sections (shortcut for `elf.sections`). */
  sechdrs?: readonly ElfSection[];
  /** Indices. */
  index: LoadIndex;
  /** `info->name`: modinfo `name=`, else `mod->name`. */
  name: string;
  /** `mod->name` from `.gnu.linkonce.this_module`. */
  modName: string;
  /** `.modinfo`. */
  modinfo?: Modinfo;
  /** `__versions` as the checks see it. */
  versions?: ModuleVersions;
  /** Extended modversions, when present: name → CRC. */
  extVersions?: Map<string, number>;
  /** The symbol table. */
  symtab?: ElfSymbolTable;
  /** Per-section SHF_ALLOC after `rewrite_section_headers` and `layout_and_allocate`. */
  alloc?: Uint8Array;
  /** Layout decisions. */
  placement?: SectionPlacement[];
  /** Region sizes (page aligned). */
  coreSize: number;
  /** Init region size. */
  initSize: number;
  /** Where each loaded section lives (by index). */
  placed?: (PlacedSection | undefined)[];
  /** The module being built. */
  mod?: LoadedModule;
  /** Resolved symbol values, by index. */
  symValues?: Float64Array;
  /** Modules this one took a reference on (`ref_module`). */
  uses: string[];
  /** Whether the module uses GPL-only symbols. */
  usingGplOnly: boolean;
  /** Decoded parameters. */
  params: ParamDef[];
  /** `mod->args`. */
  args: string;
  /** Exports found in `__ksymtab*` after relocation. */
  exports: { name: string; addr: number; gpl: boolean; ns: string | undefined; crc: number | undefined }[];
  /** Relocations applied. */
  relocations: { count: number };
  /** The init was still running when the call returned (a blocking behaviour). */
  blocked: boolean;
  /** Taint bits for the module before it has a record (`try_to_force_load` in `check_modinfo`). */
  pendingTaints: number;
  /** The allocated regions. */
  regions?: { core: Allocation | undefined; init: Allocation | undefined };
}
