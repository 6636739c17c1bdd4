/**
 * The per-call state of one `modload`: what each load step found or acquired.
 * @module
 */
import type { KcCause } from '../../abi/hpux/dlkm.js';
import type { Allocation } from '../../core/address-space.js';
import type { ModuleBehaviour } from '../../core/behaviours.js';
import type { ElfFile } from '../../elf/elf-file.js';
import type { SymbolTable } from '../../elf/symbols.js';
import type { DlkmServices } from './dlkm-services.js';
import type { ModMeta } from './modmeta.js';
import type { ModSpecificStat } from './modstatus.js';

/** Where one allocated section went. */
export interface PlacedSection {
  /** Section index. */
  readonly index: number;
  /** Which allocation holds it. */
  readonly area: 'core' | 'bss';
  /** Offset inside that allocation. */
  readonly offset: number;
  /** Size in bytes. */
  readonly size: number;
}

/** The module's memory plan: text+data in one area (`ms_base`/`ms_size`), BSS in another (`ms_bss`). */
export interface DlkmLayout {
  /** Placement of every `SHF_ALLOC` section, by section index. */
  readonly sections: ReadonlyMap<number, PlacedSection>;
  /** Bytes of text + data. */
  readonly coreSize: number;
  /** Largest alignment among the core sections. */
  readonly coreAlign: number;
  /** Bytes of BSS (NOBITS sections and COMMON symbols). */
  readonly bssSize: number;
  /** Largest alignment among the BSS pieces. */
  readonly bssAlign: number;
  /** Offsets in the BSS area of COMMON symbols, by symbol index. */
  readonly commons: ReadonlyMap<number, number>;
}

/** State of one load. */
export interface DlkmLoadInfo {
  /** The kernel services. */
  readonly k: DlkmServices;
  /** The pathname as the caller gave it. */
  readonly request: string;
  /** Why the module is being loaded (kcmodule cause it gets): explicit demand, autoload, or dependency. */
  readonly cause: KcCause;
  /** Modules whose load is in progress up the dependency chain (circular dependencies). */
  readonly chain: readonly string[];
  /** Module name (basename of the pathname). */
  name?: string;
  /** Id of the module (bound at registration). */
  id?: number;
  /** Set when the module was already loaded: the load is a no-op returning this id. */
  alreadyLoaded?: boolean;
  /** The file the object was read from. */
  path?: string;
  /** The object's bytes. */
  bytes?: Uint8Array;
  /** The parsed object. */
  elf?: ElfFile;
  /** Its symbol table. */
  symtab?: SymbolTable;
  /** Parsed metadata. */
  meta?: ModMeta;
  /** Behaviour carried by the image, if any. */
  behaviour?: ModuleBehaviour | undefined;
  /** Symbol index of `<name>_wrapper`. */
  wrapperIndex?: number;
  /** Loadable modules this one declared (and that are now loaded), in declaration order. */
  deps?: string[];
  /** Modules whose symbols the object may use: its dependencies (loadable ones). */
  allowedOwners?: Set<string>;
  /** The memory plan. */
  layout?: DlkmLayout;
  /** Text + data. */
  core?: Allocation;
  /** BSS, when the module has any. */
  bss?: Allocation | undefined;
  /** Resolved value of every symbol, by index (0n for unresolved weak symbols). */
  symbolValues?: bigint[];
  /** Address of the wrapper in kernel memory. */
  wrapperAddress?: bigint;
  /** `mw_rev` read from the relocated wrapper. */
  rev?: number;
  /** The wrapper's `mw_unload` is NULL: the module has no unload routine and cannot be unloaded. */
  permanent?: boolean;
  /** `ms_msinfo[]` entries built from the wrapper's `modlink`s. */
  msinfo?: ModSpecificStat[];
  /** Character major given by the type-specific installation (-1: none). */
  cmajor?: number;
  /** Block major (-1: none). */
  bmajor?: number;
  /** Set when `_load` never returned: the module stays in its loading state. */
  blocked?: boolean;
  /** Names of the steps that ran. */
  readonly steps: string[];
}
