/**
 * `.gnu.linkonce.this_module`: the module's `struct module`, of which a reader needs only `name`
 * (`char name[MODULE_NAME_LEN]` after `enum module_state state` and `struct list_head list`).
 * @see kernel/module/main.c elf_validity_cache_index_mod, setup_load_info (`info->name = info->mod->name`)
 * @module
 */
import { ok } from '../core/result.js';
import { type ElfResult, elfFail } from './elf-error.js';
import { decodeCString, type ElfFile, type ElfSection } from './elf-file.js';

/** The section holding `struct module`. */
export const THIS_MODULE_SECTION = '.gnu.linkonce.this_module';

/** Offset of `struct module.name` on x86_64 (state 4 + pad 4 + list 16). */
export const MODULE_NAME_OFFSET_64 = 24;
/** Offset of `struct module.name` on i386 (state 4 + list 8). */
export const MODULE_NAME_OFFSET_32 = 12;
/** `MODULE_NAME_LEN` on 64-bit (64 − sizeof(unsigned long)). */
export const MODULE_NAME_LEN_64 = 56;
/** `MODULE_NAME_LEN` on 32-bit. */
export const MODULE_NAME_LEN_32 = 60;

/** What the reader extracts from `.gnu.linkonce.this_module`. */
export interface ThisModule {
  /** The section. */
  readonly section: ElfSection;
  /** `struct module.name` up to its NUL (or the whole field when unterminated). */
  readonly name: string;
  /** Whether the name field holds a NUL. */
  readonly nameTerminated: boolean;
}

/** Options of {@link readThisModule}. */
export interface ThisModuleOptions {
  /** Offset of `name` in `struct module`; default by class (24 / 12). */
  readonly nameOffset?: number;
  /** Length of the `name` field; default by class (56 / 60). */
  readonly nameLength?: number;
}

/**
 * Reads the module name from `section` or the first `.gnu.linkonce.this_module`; `undefined` when the file has
 * none. Fails when the section lies outside the file or is too small to hold the name field (an `SHT_NOBITS`
 * section has no contents, so it fails too).
 */
export function readThisModule(
  file: ElfFile,
  section?: ElfSection,
  options: ThisModuleOptions = {},
): ElfResult<ThisModule | undefined> {
  const s = section ?? file.sectionByName(THIS_MODULE_SECTION);
  if (s === undefined) return ok(undefined);
  const data = file.sectionData(s);
  if (!data.ok) return data;
  const offset = options.nameOffset ?? (file.is64 ? MODULE_NAME_OFFSET_64 : MODULE_NAME_OFFSET_32);
  const length = options.nameLength ?? (file.is64 ? MODULE_NAME_LEN_64 : MODULE_NAME_LEN_32);
  if (data.value.length < offset + length) {
    return elfFail(
      'bad-this-module',
      `${THIS_MODULE_SECTION} is ${data.value.length} bytes, too small for struct module.name at ${offset}`,
      s.headerOffset,
    );
  }
  const start = data.value.byteOffset - file.bytes.byteOffset + offset;
  const { text, terminated } = decodeCString(file.bytes, file.buffer, start, start + length);
  return ok({ section: s, name: text, nameTerminated: terminated });
}
