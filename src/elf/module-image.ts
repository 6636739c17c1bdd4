/**
 * A module image with every reader of src/elf behind lazily computed, cached results.
 * @module
 */
import { ok } from '../core/result.js';
import type { ElfResult } from './elf-error.js';
import { ElfFile, type ElfParseOptions } from './elf-file.js';
import { type Ksymtab, type KsymtabOptions, readKsymtab } from './ksymtab.js';
import { type Modinfo, readModinfo } from './modinfo.js';
import { type ModuleSignature, readModuleSignature } from './module-signature.js';
import { type ModuleParam, type ParamsOptions, readParams } from './params.js';
import { RelocationIndex, type RelocationSection, readRelocationSections } from './relocations.js';
import { SymbolTable } from './symbols.js';
import { readThisModule, type ThisModule, type ThisModuleOptions } from './this-module.js';
import { type ModuleVersions, readVersions } from './versions.js';

/** Options of {@link parseModuleImage}. */
export interface ModuleImageOptions extends ElfParseOptions {
  /** Passed to {@link readKsymtab}. */
  readonly ksymtab?: KsymtabOptions;
  /** Passed to {@link readParams}. */
  readonly params?: ParamsOptions;
  /** Passed to {@link readThisModule}. */
  readonly thisModule?: ThisModuleOptions;
}

/** A parsed module: the ELF file (without any signature trailer) and lazy views of its module metadata. */
export class ModuleImage {
  private cache = new Map<string, unknown>();

  /**
   * @param bytes the whole input. @param elf the ELF file over the signed payload (or the whole input).
   * @param signature the trailer parse. @param options reader options.
   */
  constructor(
    readonly bytes: Uint8Array,
    readonly elf: ElfFile,
    readonly signature: ElfResult<ModuleSignature | undefined>,
    private readonly options: ModuleImageOptions = {},
  ) {}

  private memo<T>(key: string, f: () => T): T {
    if (this.cache.has(key)) return this.cache.get(key) as T;
    const v = f();
    this.cache.set(key, v);
    return v;
  }

  /** The symbol table (first `SHT_SYMTAB`). */
  symbols(): ElfResult<SymbolTable> {
    return this.memo('symbols', () => SymbolTable.read(this.elf));
  }

  /** Every relocation section. */
  relocations(): ElfResult<RelocationSection[]> {
    return this.memo('relocations', () => readRelocationSections(this.elf));
  }

  /** The (target section, offset) → relocation index. */
  relocationIndex(): ElfResult<RelocationIndex> {
    return this.memo('relocationIndex', () => {
      const r = this.relocations();
      return r.ok ? ok(new RelocationIndex(r.value)) : r;
    });
  }

  /** `.modinfo`. */
  modinfo(): ElfResult<Modinfo> {
    return this.memo('modinfo', () => readModinfo(this.elf));
  }

  /** `__versions` (`undefined` when absent). */
  versions(): ElfResult<ModuleVersions | undefined> {
    return this.memo('versions', () => readVersions(this.elf));
  }

  /** `.gnu.linkonce.this_module` (`undefined` when absent). */
  thisModule(): ElfResult<ThisModule | undefined> {
    return this.memo('thisModule', () => readThisModule(this.elf, undefined, this.options.thisModule));
  }

  /** The export tables. */
  ksymtab(): ElfResult<Ksymtab> {
    return this.memo('ksymtab', () => {
      const s = this.symbols();
      if (!s.ok) return s;
      const idx = this.relocationIndex();
      if (!idx.ok) return idx;
      return readKsymtab(this.elf, s.value, idx.value, this.options.ksymtab);
    });
  }

  /** `__param`. */
  params(): ElfResult<ModuleParam[]> {
    return this.memo('params', () => {
      const s = this.symbols();
      if (!s.ok) return s;
      const idx = this.relocationIndex();
      if (!idx.ok) return idx;
      return readParams(this.elf, s.value, idx.value, undefined, this.options.params);
    });
  }

  /** The module name: modinfo `name=` when present, else `struct module.name` (as `setup_load_info` picks). */
  name(): string | undefined {
    const mi = this.modinfo();
    const fromModinfo = mi.ok ? mi.value.get('name') : undefined;
    if (fromModinfo !== undefined) return fromModinfo;
    const tm = this.thisModule();
    return tm.ok ? tm.value?.name : undefined;
  }
}

/**
 * Parses a module image. A well-formed signature trailer is split off first, so the ELF reader sees the same
 * bytes the kernel parses after `module_sig_check`; a malformed trailer leaves the whole input to the reader
 * (the error stays available in {@link ModuleImage.signature}).
 */
export function parseModuleImage(
  bytes: Uint8Array,
  options: ModuleImageOptions = {},
): ElfResult<ModuleImage> {
  const signature = readModuleSignature(bytes);
  const payload =
    signature.ok && signature.value !== undefined ? bytes.subarray(0, signature.value.payloadLength) : bytes;
  const elf = ElfFile.parse(payload, options);
  if (!elf.ok) return elf;
  return ok(new ModuleImage(bytes, elf.value, signature, options));
}
