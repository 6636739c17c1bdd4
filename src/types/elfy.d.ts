/**
 * Ambient types for `elfy` 1.0 (an untyped CommonJS ELF parser). Only `src/elf/elf-file.ts` imports it.
 * The shapes mirror node_modules/elfy/lib/elfy/parser.js; numeric 64-bit fields are `a + b * 2^32` doubles
 * (lossy above 2^53) and ELF64 `addralign`/`entsize` are read at the wrong offsets (46/54 instead of 48/56).
 */
declare module 'elfy' {
  namespace elfy {
    /** One section as elfy returns it. */
    interface ElfySection {
      /** Resolved name (UTF-8 decoded up to the NUL or the end of the name table). */
      name: string;
      /** Section type name (`'progbits'`, `'rela'`, …) or the raw number when unknown. */
      type: string | number;
      /** Flags as a set of names or bit values. */
      flags: Record<string, boolean>;
      addr: number;
      off: number;
      size: number;
      link: number;
      info: number;
      /** Wrong on ELF64 (read at offset 46). */
      addralign: number;
      /** Wrong on ELF64 (read at offset 54). */
      entsize: number;
      /** `buf.slice(off, off + size)`, clamped by Buffer semantics. */
      data: Buffer;
    }
    /** One program header as elfy returns it. */
    interface ElfyProgram {
      type: string | undefined;
      offset: number;
      vaddr: number;
      paddr: number;
      filesz: number;
      memsz: number;
      flags: Record<string, boolean>;
      align: number;
      data: Buffer;
    }
    /** The parsed file. */
    interface ElfyFile {
      class: '32' | '64';
      endian: 'lsb' | 'msb';
      /** Actually `e_ident[6]`: elfy reads the OS ABI one byte early. */
      osabi: string | undefined;
      abiversion: string | undefined;
      type: string | undefined;
      machine: string | undefined;
      version: number;
      entry: number;
      phoff: number;
      shoff: number;
      flags: number;
      ehsize: number;
      phentsize: number;
      phnum: number;
      shentsize: number;
      shnum: number;
      shstrndx: number;
      body: { programs: ElfyProgram[]; sections: ElfySection[] };
    }
    /** Parses a whole ELF file; throws plain `Error`s (and `AssertionError`, `RangeError`) on bad input. */
    function parse(buf: Buffer): ElfyFile;
  }
  export = elfy;
}
