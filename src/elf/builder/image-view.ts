/**
 * The spec readers' view of an image: the src/elf reader's file, symbol table and relocation index, plus the
 * few lookups the readers share. Failures are plain messages: the readers only need to say why an image is
 * not one the builder could have written.
 * @module
 */
import { SHN_UNDEF, SHT_NOBITS } from '../../abi/elf.js';
import { fail, ok, type Result } from '../../core/result.js';
import { ElfFile, type ElfSection } from '../elf-file.js';
import {
  type PointerTarget,
  RelocationIndex,
  readRelocationSections,
  readSectionString,
  resolvePointer,
} from '../relocations.js';
import { SymbolTable } from '../symbols.js';
import { BEHAVIOUR_SECTION, type BehaviourSpec, parseBehaviourSpec } from './behaviour-spec.js';

/** A parsed image with the lookups the spec readers use. */
export class ImageView {
  private constructor(
    /** The ELF file. */
    readonly file: ElfFile,
    /** Its symbol table. */
    readonly symbols: SymbolTable,
    /** Its relocations by target. */
    readonly relocations: RelocationIndex,
  ) {}

  /** Parses `bytes` and its symbol table and relocations. */
  static open(bytes: Uint8Array): Result<ImageView, string> {
    const f = ElfFile.parse(bytes);
    if (!f.ok) return fail(f.error.message);
    const syms = SymbolTable.read(f.value);
    if (!syms.ok) return fail(syms.error.message);
    const rels = readRelocationSections(f.value);
    if (!rels.ok) return fail(rels.error.message);
    return ok(new ImageView(f.value, syms.value, new RelocationIndex(rels.value)));
  }

  /** The first section called `name`. */
  section(name: string): ElfSection | undefined {
    return this.file.sectionByName(name);
  }

  /** `sh_size` of the first section called `name` (0 when absent). */
  sizeOf(name: string): number {
    return this.section(name)?.size ?? 0;
  }

  /** A section's bytes; an `SHT_NOBITS` section reads as zeros; `undefined` when unreadable. */
  bytes(section: ElfSection | number | undefined): Uint8Array | undefined {
    const s = typeof section === 'number' ? this.file.section(section) : section;
    if (s === undefined) return undefined;
    if (s.type === SHT_NOBITS)
      return Number.isSafeInteger(s.size) && s.size <= 1 << 28 ? new Uint8Array(s.size) : undefined;
    const d = this.file.sectionData(s);
    return d.ok ? d.value : undefined;
  }

  /** The relocated pointer field at (`section`, `offset`). */
  pointer(section: number, offset: number, width: 4 | 8): PointerTarget | undefined {
    return resolvePointer(this.file, this.symbols, this.relocations, section, offset, width);
  }

  /** The NUL-terminated string at (`section`, `offset`). */
  string(section: number | undefined, offset: number | undefined): string | undefined {
    if (section === undefined || offset === undefined) return undefined;
    const s = this.file.section(section);
    // A buffer in .bss holds the empty string.
    if (s?.type === SHT_NOBITS) return offset >= 0 && offset < s.size ? '' : undefined;
    return readSectionString(this.file, section, offset);
  }

  /** Indices of the undefined symbols (entry 0 excepted), in table order. */
  undefinedSymbols(): number[] {
    const out: number[] = [];
    for (let i = 1; i < this.symbols.count; i++) if (this.symbols.shndx(i) === SHN_UNDEF) out.push(i);
    return out;
  }

  /** Relocation type of the first relocation in section `name` that refers to symbol `index`, by symbol. */
  relocationTypesBySymbol(name: string): Map<number, number> {
    const out = new Map<number, number>();
    const s = this.section(name);
    if (s === undefined) return out;
    for (const r of this.relocations.sectionsFor(s.index))
      for (let i = 0; i < r.count; i++) {
        const sym = r.symbolIndex(i);
        if (!out.has(sym)) out.set(sym, r.type(i));
      }
    return out;
  }

  /** The behaviour section, parsed (`undefined` when absent). */
  behaviour(): Result<BehaviourSpec | undefined, string> {
    const s = this.section(BEHAVIOUR_SECTION);
    if (s === undefined) return ok(undefined);
    const b = this.bytes(s);
    if (b === undefined) return fail(`${BEHAVIOUR_SECTION} lies outside the file`);
    return parseBehaviourSpec(new TextDecoder().decode(b));
  }
}
