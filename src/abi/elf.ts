/**
 * ELF constants used by module loaders, with their C names.
 * Source: glibc elf.h (the same values as include/uapi/linux/elf.h, arch/x86/include/asm/elf.h and the System V
 * gABI; the IA-64 relocations as in the Intel Itanium psABI and HP-UX <elf_em.h>).
 * @module
 */

// ---- ELF identification (`e_ident[]`) indices and values.

/** Size of `e_ident[]`. */
export const EI_NIDENT = 16;
/** File identification byte 0 index. */
export const EI_MAG0 = 0;
/** Magic number byte 0. */
export const ELFMAG0 = 0x7f;
/** File identification byte 1 index. */
export const EI_MAG1 = 1;
/** Magic number byte 1. */
export const ELFMAG1 = 69;
/** File identification byte 2 index. */
export const EI_MAG2 = 2;
/** Magic number byte 2. */
export const ELFMAG2 = 76;
/** File identification byte 3 index. */
export const EI_MAG3 = 3;
/** Magic number byte 3. */
export const ELFMAG3 = 70;
/** File class byte index. */
export const EI_CLASS = 4;
/** Invalid class. */
export const ELFCLASSNONE = 0;
/** 32-bit objects. */
export const ELFCLASS32 = 1;
/** 64-bit objects. */
export const ELFCLASS64 = 2;
/** Data encoding byte index. */
export const EI_DATA = 5;
/** Invalid data encoding. */
export const ELFDATANONE = 0;
/** 2's complement, little endian. */
export const ELFDATA2LSB = 1;
/** 2's complement, big endian. */
export const ELFDATA2MSB = 2;
/** File version byte index. */
export const EI_VERSION = 6;
/** Invalid ELF version. */
export const EV_NONE = 0;
/** Current version. */
export const EV_CURRENT = 1;
/** OS ABI identification. */
export const EI_OSABI = 7;
/** UNIX System V ABI. */
export const ELFOSABI_NONE = 0;
/** Alias of `ELFOSABI_NONE`. */
export const ELFOSABI_SYSV = 0;
/** HP-UX. */
export const ELFOSABI_HPUX = 1;
/** Object uses GNU ELF extensions. */
export const ELFOSABI_GNU = 3;
/** Compatibility alias. */
export const ELFOSABI_LINUX = 3;
/** ABI version. */
export const EI_ABIVERSION = 8;
/** Byte index of padding bytes. */
export const EI_PAD = 9;

// ---- Object file types (`e_type`).

/** No file type. */
export const ET_NONE = 0;
/** Relocatable file. */
export const ET_REL = 1;
/** Executable file. */
export const ET_EXEC = 2;
/** Shared object file. */
export const ET_DYN = 3;
/** Core file. */
export const ET_CORE = 4;
/** OS-specific range start. */
export const ET_LOOS = 0xfe00;
/** OS-specific range end. */
export const ET_HIOS = 0xfeff;
/** Processor-specific range start. */
export const ET_LOPROC = 0xff00;
/** Processor-specific range end. */
export const ET_HIPROC = 0xffff;

// ---- Machines (`e_machine`) — the ones a module loader meets.

/** No machine. */
export const EM_NONE = 0;
/** SUN SPARC. */
export const EM_SPARC = 2;
/** Intel 80386. */
export const EM_386 = 3;
/** Motorola m68k family. */
export const EM_68K = 4;
/** MIPS R3000 big-endian. */
export const EM_MIPS = 8;
/** HPPA. */
export const EM_PARISC = 15;
/** PowerPC. */
export const EM_PPC = 20;
/** PowerPC 64-bit. */
export const EM_PPC64 = 21;
/** IBM S390. */
export const EM_S390 = 22;
/** ARM. */
export const EM_ARM = 40;
/** Hitachi SH. */
export const EM_SH = 42;
/** SPARC v9 64-bit. */
export const EM_SPARCV9 = 43;
/** Intel Merced. */
export const EM_IA_64 = 50;
/** AMD x86-64 architecture. */
export const EM_X86_64 = 62;
/** ARM AARCH64. */
export const EM_AARCH64 = 183;
/** RISC-V. */
export const EM_RISCV = 243;
/** LoongArch. */
export const EM_LOONGARCH = 258;

// ---- Special section indices (`st_shndx`).

/** Undefined section. */
export const SHN_UNDEF = 0;
/** Start of reserved indices. */
export const SHN_LORESERVE = 0xff00;
/** Start of processor-specific. */
export const SHN_LOPROC = 0xff00;
/** Order section before all others (Solaris). */
export const SHN_BEFORE = 0xff00;
/** Order section after all others (Solaris). */
export const SHN_AFTER = 0xff01;
/** End of processor-specific. */
export const SHN_HIPROC = 0xff1f;
/** Start of OS-specific. */
export const SHN_LOOS = 0xff20;
/** End of OS-specific. */
export const SHN_HIOS = 0xff3f;
/** Associated symbol is absolute. */
export const SHN_ABS = 0xfff1;
/** Associated symbol is common. */
export const SHN_COMMON = 0xfff2;
/** Index is in extra table. */
export const SHN_XINDEX = 0xffff;
/** End of reserved indices. */
export const SHN_HIRESERVE = 0xffff;

// ---- Section types (`sh_type`).

/** Section header table entry unused. */
export const SHT_NULL = 0;
/** Program data. */
export const SHT_PROGBITS = 1;
/** Symbol table. */
export const SHT_SYMTAB = 2;
/** String table. */
export const SHT_STRTAB = 3;
/** Relocation entries with addends. */
export const SHT_RELA = 4;
/** Symbol hash table. */
export const SHT_HASH = 5;
/** Dynamic linking information. */
export const SHT_DYNAMIC = 6;
/** Notes. */
export const SHT_NOTE = 7;
/** Program space with no data (bss). */
export const SHT_NOBITS = 8;
/** Relocation entries, no addends. */
export const SHT_REL = 9;
/** Reserved. */
export const SHT_SHLIB = 10;
/** Dynamic linker symbol table. */
export const SHT_DYNSYM = 11;
/** Array of constructors. */
export const SHT_INIT_ARRAY = 14;
/** Array of destructors. */
export const SHT_FINI_ARRAY = 15;
/** Array of pre-constructors. */
export const SHT_PREINIT_ARRAY = 16;
/** Section group. */
export const SHT_GROUP = 17;
/** Extended section indices. */
export const SHT_SYMTAB_SHNDX = 18;
/** RELR relative relocations. */
export const SHT_RELR = 19;
/** Start OS-specific. */
export const SHT_LOOS = 0x60000000;
/** Object attributes. */
export const SHT_GNU_ATTRIBUTES = 0x6ffffff5;
/** GNU-style hash table. */
export const SHT_GNU_HASH = 0x6ffffff6;
/** Prelink library list. */
export const SHT_GNU_LIBLIST = 0x6ffffff7;
/** Checksum for DSO content. */
export const SHT_CHECKSUM = 0x6ffffff8;
/** Version definition section. */
export const SHT_GNU_verdef = 0x6ffffffd;
/** Version needs section. */
export const SHT_GNU_verneed = 0x6ffffffe;
/** Version symbol table. */
export const SHT_GNU_versym = 0x6fffffff;
/** End OS-specific type. */
export const SHT_HIOS = 0x6fffffff;
/** Start of processor-specific. */
export const SHT_LOPROC = 0x70000000;
/** End of processor-specific. */
export const SHT_HIPROC = 0x7fffffff;
/** Start of application-specific. */
export const SHT_LOUSER = 0x80000000;
/** End of application-specific. */
export const SHT_HIUSER = 0x8fffffff;
/** Extension bits. */
export const SHT_IA_64_EXT = 1879048192;
/** Unwind bits. */
export const SHT_IA_64_UNWIND = 1879048193;
/** Unwind information. */
export const SHT_X86_64_UNWIND = 0x70000001;

// ---- Section flags (`sh_flags`).

/** Writable. */
export const SHF_WRITE = 1;
/** Occupies memory during execution. */
export const SHF_ALLOC = 2;
/** Executable. */
export const SHF_EXECINSTR = 4;
/** Might be merged. */
export const SHF_MERGE = 0x10;
/** Contains nul-terminated strings. */
export const SHF_STRINGS = 0x20;
/** `sh_info` contains SHT index. */
export const SHF_INFO_LINK = 0x40;
/** Preserve order after combining. */
export const SHF_LINK_ORDER = 0x80;
/** Non-standard OS specific handling required. */
export const SHF_OS_NONCONFORMING = 0x100;
/** Section is member of a group. */
export const SHF_GROUP = 0x200;
/** Section hold thread-local data. */
export const SHF_TLS = 0x400;
/** Section with compressed data. */
export const SHF_COMPRESSED = 0x800;
/** OS-specific. */
export const SHF_MASKOS = 0xff00000;
/** Processor-specific. */
export const SHF_MASKPROC = 0xf0000000;
/** Not to be GCed by linker. */
export const SHF_GNU_RETAIN = 0x200000;
/** Special ordering requirement (Solaris). */
export const SHF_ORDERED = 0x40000000;
/** Section is excluded unless referenced or allocated (Solaris). */
export const SHF_EXCLUDE = 0x80000000;
/** Section near gp. */
export const SHF_IA_64_SHORT = 0x10000000;
/** Spec insns w/o recovery. */
export const SHF_IA_64_NORECOV = 0x20000000;

// ---- Symbol bindings (`ELF_ST_BIND(st_info)`).

/** Local symbol. */
export const STB_LOCAL = 0;
/** Global symbol. */
export const STB_GLOBAL = 1;
/** Weak symbol. */
export const STB_WEAK = 2;
/** Number of defined types. */
export const STB_NUM = 3;
/** Start of OS-specific. */
export const STB_LOOS = 10;
/** Unique symbol. */
export const STB_GNU_UNIQUE = 10;
/** End of OS-specific. */
export const STB_HIOS = 12;
/** Start of processor-specific. */
export const STB_LOPROC = 13;
/** End of processor-specific. */
export const STB_HIPROC = 15;

// ---- Symbol types (`ELF_ST_TYPE(st_info)`).

/** Symbol type is unspecified. */
export const STT_NOTYPE = 0;
/** Symbol is a data object. */
export const STT_OBJECT = 1;
/** Symbol is a code object. */
export const STT_FUNC = 2;
/** Symbol associated with a section. */
export const STT_SECTION = 3;
/** Symbol's name is file name. */
export const STT_FILE = 4;
/** Symbol is a common data object. */
export const STT_COMMON = 5;
/** Symbol is thread-local data object. */
export const STT_TLS = 6;
/** Number of defined types. */
export const STT_NUM = 7;
/** Start of OS-specific. */
export const STT_LOOS = 10;
/** Symbol is indirect code object. */
export const STT_GNU_IFUNC = 10;
/** End of OS-specific. */
export const STT_HIOS = 12;
/** Start of processor-specific. */
export const STT_LOPROC = 13;
/** End of processor-specific. */
export const STT_HIPROC = 15;

// ---- Symbol visibility (`ELF_ST_VISIBILITY(st_other)`).

/** Default symbol visibility rules. */
export const STV_DEFAULT = 0;
/** Processor specific hidden class. */
export const STV_INTERNAL = 1;
/** Sym unavailable in other modules. */
export const STV_HIDDEN = 2;
/** Not preemptible, not exported. */
export const STV_PROTECTED = 3;

// ---- x86_64 relocation types (`ELF64_R_TYPE(r_info)`).

/** No reloc. */
export const R_X86_64_NONE = 0;
/** Direct 64 bit. */
export const R_X86_64_64 = 1;
/** PC relative 32 bit signed. */
export const R_X86_64_PC32 = 2;
/** 32 bit GOT entry. */
export const R_X86_64_GOT32 = 3;
/** 32 bit PLT address. */
export const R_X86_64_PLT32 = 4;
/** Copy symbol at runtime. */
export const R_X86_64_COPY = 5;
/** Create GOT entry. */
export const R_X86_64_GLOB_DAT = 6;
/** Create PLT entry. */
export const R_X86_64_JUMP_SLOT = 7;
/** Adjust by program base. */
export const R_X86_64_RELATIVE = 8;
/** 32 bit signed PC relative offset to GOT. */
export const R_X86_64_GOTPCREL = 9;
/** Direct 32 bit zero extended. */
export const R_X86_64_32 = 10;
/** Direct 32 bit sign extended. */
export const R_X86_64_32S = 11;
/** Direct 16 bit zero extended. */
export const R_X86_64_16 = 12;
/** 16 bit sign extended pc relative. */
export const R_X86_64_PC16 = 13;
/** Direct 8 bit sign extended. */
export const R_X86_64_8 = 14;
/** 8 bit sign extended pc relative. */
export const R_X86_64_PC8 = 15;
/** ID of module containing symbol. */
export const R_X86_64_DTPMOD64 = 16;
/** Offset in module's TLS block. */
export const R_X86_64_DTPOFF64 = 17;
/** Offset in initial TLS block. */
export const R_X86_64_TPOFF64 = 18;
/** 32 bit signed PC relative offset to two GOT entries for GD symbol. */
export const R_X86_64_TLSGD = 19;
/** 32 bit signed PC relative offset to two GOT entries for LD symbol. */
export const R_X86_64_TLSLD = 20;
/** Offset in TLS block. */
export const R_X86_64_DTPOFF32 = 21;
/** 32 bit signed PC relative offset to GOT entry for IE symbol. */
export const R_X86_64_GOTTPOFF = 22;
/** Offset in initial TLS block. */
export const R_X86_64_TPOFF32 = 23;
/** PC relative 64 bit. */
export const R_X86_64_PC64 = 24;
/** 64 bit offset to GOT. */
export const R_X86_64_GOTOFF64 = 25;
/** 32 bit signed pc relative offset to GOT. */
export const R_X86_64_GOTPC32 = 26;
/** 64-bit GOT entry offset. */
export const R_X86_64_GOT64 = 27;
/** 64-bit PC relative offset to GOT entry. */
export const R_X86_64_GOTPCREL64 = 28;
/** 64-bit PC relative offset to GOT. */
export const R_X86_64_GOTPC64 = 29;
/** Like GOT64, says PLT entry needed. */
export const R_X86_64_GOTPLT64 = 30;
/** 64-bit GOT relative offset to PLT entry. */
export const R_X86_64_PLTOFF64 = 31;
/** Size of symbol plus 32-bit addend. */
export const R_X86_64_SIZE32 = 32;
/** Size of symbol plus 64-bit addend. */
export const R_X86_64_SIZE64 = 33;
/** GOT offset for TLS descriptor. */
export const R_X86_64_GOTPC32_TLSDESC = 34;
/** Marker for call through TLS descriptor. */
export const R_X86_64_TLSDESC_CALL = 35;
/** TLS descriptor. */
export const R_X86_64_TLSDESC = 36;
/** Adjust indirectly by program base. */
export const R_X86_64_IRELATIVE = 37;
/** 64-bit adjust by program base. */
export const R_X86_64_RELATIVE64 = 38;
/** Load from 32 bit signed pc relative offset to GOT entry without REX prefix, relaxable. */
export const R_X86_64_GOTPCRELX = 41;
/** Load from 32 bit signed pc relative offset to GOT entry with REX prefix, relaxable. */
export const R_X86_64_REX_GOTPCRELX = 42;

// ---- i386 relocation types (`ELF32_R_TYPE(r_info)`).

/** No reloc. */
export const R_386_NONE = 0;
/** Direct 32 bit. */
export const R_386_32 = 1;
/** PC relative 32 bit. */
export const R_386_PC32 = 2;
/** 32 bit GOT entry. */
export const R_386_GOT32 = 3;
/** 32 bit PLT address. */
export const R_386_PLT32 = 4;
/** Copy symbol at runtime. */
export const R_386_COPY = 5;
/** Create GOT entry. */
export const R_386_GLOB_DAT = 6;
/** Create PLT entry. */
export const R_386_JMP_SLOT = 7;
/** Adjust by program base. */
export const R_386_RELATIVE = 8;
/** 32 bit offset to GOT. */
export const R_386_GOTOFF = 9;
/** 32 bit PC relative offset to GOT. */
export const R_386_GOTPC = 10;
/** `R_386_32PLT` relocation. */
export const R_386_32PLT = 11;
/** Offset in static TLS block. */
export const R_386_TLS_TPOFF = 14;
/** Address of GOT entry for static TLS block offset. */
export const R_386_TLS_IE = 15;
/** GOT entry for static TLS block offset. */
export const R_386_TLS_GOTIE = 16;
/** Offset relative to static TLS block. */
export const R_386_TLS_LE = 17;
/** Direct 32 bit for GNU version of general dynamic thread local data. */
export const R_386_TLS_GD = 18;
/** Direct 32 bit for GNU version of local dynamic thread local data in LE code. */
export const R_386_TLS_LDM = 19;
/** `R_386_16` relocation. */
export const R_386_16 = 20;
/** `R_386_PC16` relocation. */
export const R_386_PC16 = 21;
/** `R_386_8` relocation. */
export const R_386_8 = 22;
/** `R_386_PC8` relocation. */
export const R_386_PC8 = 23;
/** Direct 32 bit for general dynamic thread local data. */
export const R_386_TLS_GD_32 = 24;
/** Tag for pushl in GD TLS code. */
export const R_386_TLS_GD_PUSH = 25;
/** Relocation for call to __tls_get_addr(). */
export const R_386_TLS_GD_CALL = 26;
/** Tag for popl in GD TLS code. */
export const R_386_TLS_GD_POP = 27;
/** Direct 32 bit for local dynamic thread local data in LE code. */
export const R_386_TLS_LDM_32 = 28;
/** Tag for pushl in LDM TLS code. */
export const R_386_TLS_LDM_PUSH = 29;
/** Relocation for call to __tls_get_addr() in LDM code. */
export const R_386_TLS_LDM_CALL = 30;
/** Tag for popl in LDM TLS code. */
export const R_386_TLS_LDM_POP = 31;
/** Offset relative to TLS block. */
export const R_386_TLS_LDO_32 = 32;
/** GOT entry for negated static TLS block offset. */
export const R_386_TLS_IE_32 = 33;
/** Negated offset relative to static TLS block. */
export const R_386_TLS_LE_32 = 34;
/** ID of module containing symbol. */
export const R_386_TLS_DTPMOD32 = 35;
/** Offset in TLS block. */
export const R_386_TLS_DTPOFF32 = 36;
/** Negated offset in static TLS block. */
export const R_386_TLS_TPOFF32 = 37;
/** 32-bit symbol size. */
export const R_386_SIZE32 = 38;
/** GOT offset for TLS descriptor. */
export const R_386_TLS_GOTDESC = 39;
/** Marker of call through TLS descriptor for relaxation. */
export const R_386_TLS_DESC_CALL = 40;
/** TLS descriptor containing pointer to code and to argument, returning the TLS offset for the symbol. */
export const R_386_TLS_DESC = 41;
/** Adjust indirectly by program base. */
export const R_386_IRELATIVE = 42;
/** Load from 32 bit GOT entry, relaxable. */
export const R_386_GOT32X = 43;

// ---- IA-64 relocation types (`ELF64_R_TYPE(r_info)`), for HP-UX DLKM objects on Itanium.

/** None. */
export const R_IA64_NONE = 0;
/** Symbol + addend, add imm14. */
export const R_IA64_IMM14 = 0x21;
/** Symbol + addend, add imm22. */
export const R_IA64_IMM22 = 0x22;
/** Symbol + addend, mov imm64. */
export const R_IA64_IMM64 = 0x23;
/** Symbol + addend, data4 MSB. */
export const R_IA64_DIR32MSB = 0x24;
/** Symbol + addend, data4 LSB. */
export const R_IA64_DIR32LSB = 0x25;
/** Symbol + addend, data8 MSB. */
export const R_IA64_DIR64MSB = 0x26;
/** Symbol + addend, data8 LSB. */
export const R_IA64_DIR64LSB = 0x27;
/** \@gprel(sym + add), add imm22. */
export const R_IA64_GPREL22 = 0x2a;
/** \@gprel(sym + add), mov imm64. */
export const R_IA64_GPREL64I = 0x2b;
/** \@gprel(sym + add), data4 MSB. */
export const R_IA64_GPREL32MSB = 0x2c;
/** \@gprel(sym + add), data4 LSB. */
export const R_IA64_GPREL32LSB = 0x2d;
/** \@gprel(sym + add), data8 MSB. */
export const R_IA64_GPREL64MSB = 0x2e;
/** \@gprel(sym + add), data8 LSB. */
export const R_IA64_GPREL64LSB = 0x2f;
/** \@ltoff(sym + add), add imm22. */
export const R_IA64_LTOFF22 = 0x32;
/** \@ltoff(sym + add), mov imm64. */
export const R_IA64_LTOFF64I = 0x33;
/** \@pltoff(sym + add), add imm22. */
export const R_IA64_PLTOFF22 = 0x3a;
/** \@pltoff(sym + add), mov imm64. */
export const R_IA64_PLTOFF64I = 0x3b;
/** \@pltoff(sym + add), data8 MSB. */
export const R_IA64_PLTOFF64MSB = 0x3e;
/** \@pltoff(sym + add), data8 LSB. */
export const R_IA64_PLTOFF64LSB = 0x3f;
/** \@fptr(sym + add), mov imm64. */
export const R_IA64_FPTR64I = 0x43;
/** \@fptr(sym + add), data4 MSB. */
export const R_IA64_FPTR32MSB = 0x44;
/** \@fptr(sym + add), data4 LSB. */
export const R_IA64_FPTR32LSB = 0x45;
/** \@fptr(sym + add), data8 MSB. */
export const R_IA64_FPTR64MSB = 0x46;
/** \@fptr(sym + add), data8 LSB. */
export const R_IA64_FPTR64LSB = 0x47;
/** \@pcrel(sym + add), brl. */
export const R_IA64_PCREL60B = 0x48;
/** \@pcrel(sym + add), ptb, call. */
export const R_IA64_PCREL21B = 0x49;
/** \@pcrel(sym + add), chk.s. */
export const R_IA64_PCREL21M = 0x4a;
/** \@pcrel(sym + add), fchkf. */
export const R_IA64_PCREL21F = 0x4b;
/** \@pcrel(sym + add), data4 MSB. */
export const R_IA64_PCREL32MSB = 0x4c;
/** \@pcrel(sym + add), data4 LSB. */
export const R_IA64_PCREL32LSB = 0x4d;
/** \@pcrel(sym + add), data8 MSB. */
export const R_IA64_PCREL64MSB = 0x4e;
/** \@pcrel(sym + add), data8 LSB. */
export const R_IA64_PCREL64LSB = 0x4f;
/** \@ltoff(\@fptr(s+a)), imm22. */
export const R_IA64_LTOFF_FPTR22 = 0x52;
/** \@ltoff(\@fptr(s+a)), imm64. */
export const R_IA64_LTOFF_FPTR64I = 0x53;
/** \@ltoff(\@fptr(s+a)), data4 MSB. */
export const R_IA64_LTOFF_FPTR32MSB = 0x54;
/** \@ltoff(\@fptr(s+a)), data4 LSB. */
export const R_IA64_LTOFF_FPTR32LSB = 0x55;
/** \@ltoff(\@fptr(s+a)), data8 MSB. */
export const R_IA64_LTOFF_FPTR64MSB = 0x56;
/** \@ltoff(\@fptr(s+a)), data8 LSB. */
export const R_IA64_LTOFF_FPTR64LSB = 0x57;
/** \@segrel(sym + add), data4 MSB. */
export const R_IA64_SEGREL32MSB = 0x5c;
/** \@segrel(sym + add), data4 LSB. */
export const R_IA64_SEGREL32LSB = 0x5d;
/** \@segrel(sym + add), data8 MSB. */
export const R_IA64_SEGREL64MSB = 0x5e;
/** \@segrel(sym + add), data8 LSB. */
export const R_IA64_SEGREL64LSB = 0x5f;
/** \@secrel(sym + add), data4 MSB. */
export const R_IA64_SECREL32MSB = 0x64;
/** \@secrel(sym + add), data4 LSB. */
export const R_IA64_SECREL32LSB = 0x65;
/** \@secrel(sym + add), data8 MSB. */
export const R_IA64_SECREL64MSB = 0x66;
/** \@secrel(sym + add), data8 LSB. */
export const R_IA64_SECREL64LSB = 0x67;
/** Data 4 + REL. */
export const R_IA64_REL32MSB = 0x6c;
/** Data 4 + REL. */
export const R_IA64_REL32LSB = 0x6d;
/** Data 8 + REL. */
export const R_IA64_REL64MSB = 0x6e;
/** Data 8 + REL. */
export const R_IA64_REL64LSB = 0x6f;
/** Symbol + addend, data4 MSB. */
export const R_IA64_LTV32MSB = 0x74;
/** Symbol + addend, data4 LSB. */
export const R_IA64_LTV32LSB = 0x75;
/** Symbol + addend, data8 MSB. */
export const R_IA64_LTV64MSB = 0x76;
/** Symbol + addend, data8 LSB. */
export const R_IA64_LTV64LSB = 0x77;
/** \@pcrel(sym + add), 21bit inst. */
export const R_IA64_PCREL21BI = 0x79;
/** \@pcrel(sym + add), 22bit inst. */
export const R_IA64_PCREL22 = 0x7a;
/** \@pcrel(sym + add), 64bit inst. */
export const R_IA64_PCREL64I = 0x7b;
/** Dynamic reloc, imported PLT, MSB. */
export const R_IA64_IPLTMSB = 0x80;
/** Dynamic reloc, imported PLT, LSB. */
export const R_IA64_IPLTLSB = 0x81;
/** Copy relocation. */
export const R_IA64_COPY = 0x84;
/** Addend and symbol difference. */
export const R_IA64_SUB = 0x85;
/** LTOFF22, relaxable. */
export const R_IA64_LTOFF22X = 0x86;
/** Use of LTOFF22X. */
export const R_IA64_LDXMOV = 0x87;
/** \@tprel(sym + add), imm14. */
export const R_IA64_TPREL14 = 0x91;
/** \@tprel(sym + add), imm22. */
export const R_IA64_TPREL22 = 0x92;
/** \@tprel(sym + add), imm64. */
export const R_IA64_TPREL64I = 0x93;
/** \@tprel(sym + add), data8 MSB. */
export const R_IA64_TPREL64MSB = 0x96;
/** \@tprel(sym + add), data8 LSB. */
export const R_IA64_TPREL64LSB = 0x97;
/** \@ltoff(\@tprel(s+a)), imm2. */
export const R_IA64_LTOFF_TPREL22 = 0x9a;
/** \@dtpmod(sym + add), data8 MSB. */
export const R_IA64_DTPMOD64MSB = 0xa6;
/** \@dtpmod(sym + add), data8 LSB. */
export const R_IA64_DTPMOD64LSB = 0xa7;
/** \@ltoff(\@dtpmod(sym + add)), imm22. */
export const R_IA64_LTOFF_DTPMOD22 = 0xaa;
/** \@dtprel(sym + add), imm14. */
export const R_IA64_DTPREL14 = 0xb1;
/** \@dtprel(sym + add), imm22. */
export const R_IA64_DTPREL22 = 0xb2;
/** \@dtprel(sym + add), imm64. */
export const R_IA64_DTPREL64I = 0xb3;
/** \@dtprel(sym + add), data4 MSB. */
export const R_IA64_DTPREL32MSB = 0xb4;
/** \@dtprel(sym + add), data4 LSB. */
export const R_IA64_DTPREL32LSB = 0xb5;
/** \@dtprel(sym + add), data8 MSB. */
export const R_IA64_DTPREL64MSB = 0xb6;
/** \@dtprel(sym + add), data8 LSB. */
export const R_IA64_DTPREL64LSB = 0xb7;
/** \@ltoff(\@dtprel(s+a)), imm22. */
export const R_IA64_LTOFF_DTPREL22 = 0xba;

// ---- Name tables (C spelling, as readelf prints relocation types).

/** x86_64 relocation type → C name. */
export const R_X86_64_NAMES: Readonly<Record<number, string>> = {
  0: 'R_X86_64_NONE',
  1: 'R_X86_64_64',
  2: 'R_X86_64_PC32',
  3: 'R_X86_64_GOT32',
  4: 'R_X86_64_PLT32',
  5: 'R_X86_64_COPY',
  6: 'R_X86_64_GLOB_DAT',
  7: 'R_X86_64_JUMP_SLOT',
  8: 'R_X86_64_RELATIVE',
  9: 'R_X86_64_GOTPCREL',
  10: 'R_X86_64_32',
  11: 'R_X86_64_32S',
  12: 'R_X86_64_16',
  13: 'R_X86_64_PC16',
  14: 'R_X86_64_8',
  15: 'R_X86_64_PC8',
  16: 'R_X86_64_DTPMOD64',
  17: 'R_X86_64_DTPOFF64',
  18: 'R_X86_64_TPOFF64',
  19: 'R_X86_64_TLSGD',
  20: 'R_X86_64_TLSLD',
  21: 'R_X86_64_DTPOFF32',
  22: 'R_X86_64_GOTTPOFF',
  23: 'R_X86_64_TPOFF32',
  24: 'R_X86_64_PC64',
  25: 'R_X86_64_GOTOFF64',
  26: 'R_X86_64_GOTPC32',
  27: 'R_X86_64_GOT64',
  28: 'R_X86_64_GOTPCREL64',
  29: 'R_X86_64_GOTPC64',
  30: 'R_X86_64_GOTPLT64',
  31: 'R_X86_64_PLTOFF64',
  32: 'R_X86_64_SIZE32',
  33: 'R_X86_64_SIZE64',
  34: 'R_X86_64_GOTPC32_TLSDESC',
  35: 'R_X86_64_TLSDESC_CALL',
  36: 'R_X86_64_TLSDESC',
  37: 'R_X86_64_IRELATIVE',
  38: 'R_X86_64_RELATIVE64',
  41: 'R_X86_64_GOTPCRELX',
  42: 'R_X86_64_REX_GOTPCRELX',
};

/** i386 relocation type → C name. */
export const R_386_NAMES: Readonly<Record<number, string>> = {
  0: 'R_386_NONE',
  1: 'R_386_32',
  2: 'R_386_PC32',
  3: 'R_386_GOT32',
  4: 'R_386_PLT32',
  5: 'R_386_COPY',
  6: 'R_386_GLOB_DAT',
  7: 'R_386_JMP_SLOT',
  8: 'R_386_RELATIVE',
  9: 'R_386_GOTOFF',
  10: 'R_386_GOTPC',
  11: 'R_386_32PLT',
  14: 'R_386_TLS_TPOFF',
  15: 'R_386_TLS_IE',
  16: 'R_386_TLS_GOTIE',
  17: 'R_386_TLS_LE',
  18: 'R_386_TLS_GD',
  19: 'R_386_TLS_LDM',
  20: 'R_386_16',
  21: 'R_386_PC16',
  22: 'R_386_8',
  23: 'R_386_PC8',
  24: 'R_386_TLS_GD_32',
  25: 'R_386_TLS_GD_PUSH',
  26: 'R_386_TLS_GD_CALL',
  27: 'R_386_TLS_GD_POP',
  28: 'R_386_TLS_LDM_32',
  29: 'R_386_TLS_LDM_PUSH',
  30: 'R_386_TLS_LDM_CALL',
  31: 'R_386_TLS_LDM_POP',
  32: 'R_386_TLS_LDO_32',
  33: 'R_386_TLS_IE_32',
  34: 'R_386_TLS_LE_32',
  35: 'R_386_TLS_DTPMOD32',
  36: 'R_386_TLS_DTPOFF32',
  37: 'R_386_TLS_TPOFF32',
  38: 'R_386_SIZE32',
  39: 'R_386_TLS_GOTDESC',
  40: 'R_386_TLS_DESC_CALL',
  41: 'R_386_TLS_DESC',
  42: 'R_386_IRELATIVE',
  43: 'R_386_GOT32X',
};

/** IA-64 relocation type → C name. */
export const R_IA64_NAMES: Readonly<Record<number, string>> = {
  0: 'R_IA64_NONE',
  33: 'R_IA64_IMM14',
  34: 'R_IA64_IMM22',
  35: 'R_IA64_IMM64',
  36: 'R_IA64_DIR32MSB',
  37: 'R_IA64_DIR32LSB',
  38: 'R_IA64_DIR64MSB',
  39: 'R_IA64_DIR64LSB',
  42: 'R_IA64_GPREL22',
  43: 'R_IA64_GPREL64I',
  44: 'R_IA64_GPREL32MSB',
  45: 'R_IA64_GPREL32LSB',
  46: 'R_IA64_GPREL64MSB',
  47: 'R_IA64_GPREL64LSB',
  50: 'R_IA64_LTOFF22',
  51: 'R_IA64_LTOFF64I',
  58: 'R_IA64_PLTOFF22',
  59: 'R_IA64_PLTOFF64I',
  62: 'R_IA64_PLTOFF64MSB',
  63: 'R_IA64_PLTOFF64LSB',
  67: 'R_IA64_FPTR64I',
  68: 'R_IA64_FPTR32MSB',
  69: 'R_IA64_FPTR32LSB',
  70: 'R_IA64_FPTR64MSB',
  71: 'R_IA64_FPTR64LSB',
  72: 'R_IA64_PCREL60B',
  73: 'R_IA64_PCREL21B',
  74: 'R_IA64_PCREL21M',
  75: 'R_IA64_PCREL21F',
  76: 'R_IA64_PCREL32MSB',
  77: 'R_IA64_PCREL32LSB',
  78: 'R_IA64_PCREL64MSB',
  79: 'R_IA64_PCREL64LSB',
  82: 'R_IA64_LTOFF_FPTR22',
  83: 'R_IA64_LTOFF_FPTR64I',
  84: 'R_IA64_LTOFF_FPTR32MSB',
  85: 'R_IA64_LTOFF_FPTR32LSB',
  86: 'R_IA64_LTOFF_FPTR64MSB',
  87: 'R_IA64_LTOFF_FPTR64LSB',
  92: 'R_IA64_SEGREL32MSB',
  93: 'R_IA64_SEGREL32LSB',
  94: 'R_IA64_SEGREL64MSB',
  95: 'R_IA64_SEGREL64LSB',
  100: 'R_IA64_SECREL32MSB',
  101: 'R_IA64_SECREL32LSB',
  102: 'R_IA64_SECREL64MSB',
  103: 'R_IA64_SECREL64LSB',
  108: 'R_IA64_REL32MSB',
  109: 'R_IA64_REL32LSB',
  110: 'R_IA64_REL64MSB',
  111: 'R_IA64_REL64LSB',
  116: 'R_IA64_LTV32MSB',
  117: 'R_IA64_LTV32LSB',
  118: 'R_IA64_LTV64MSB',
  119: 'R_IA64_LTV64LSB',
  121: 'R_IA64_PCREL21BI',
  122: 'R_IA64_PCREL22',
  123: 'R_IA64_PCREL64I',
  128: 'R_IA64_IPLTMSB',
  129: 'R_IA64_IPLTLSB',
  132: 'R_IA64_COPY',
  133: 'R_IA64_SUB',
  134: 'R_IA64_LTOFF22X',
  135: 'R_IA64_LDXMOV',
  145: 'R_IA64_TPREL14',
  146: 'R_IA64_TPREL22',
  147: 'R_IA64_TPREL64I',
  150: 'R_IA64_TPREL64MSB',
  151: 'R_IA64_TPREL64LSB',
  154: 'R_IA64_LTOFF_TPREL22',
  166: 'R_IA64_DTPMOD64MSB',
  167: 'R_IA64_DTPMOD64LSB',
  170: 'R_IA64_LTOFF_DTPMOD22',
  177: 'R_IA64_DTPREL14',
  178: 'R_IA64_DTPREL22',
  179: 'R_IA64_DTPREL64I',
  180: 'R_IA64_DTPREL32MSB',
  181: 'R_IA64_DTPREL32LSB',
  182: 'R_IA64_DTPREL64MSB',
  183: 'R_IA64_DTPREL64LSB',
  186: 'R_IA64_LTOFF_DTPREL22',
};

// ---- Structure sizes (sizeof in C).

/** `sizeof(Elf32_Ehdr)`. */
export const SIZEOF_ELF32_EHDR = 52;
/** `sizeof(Elf64_Ehdr)`. */
export const SIZEOF_ELF64_EHDR = 64;
/** `sizeof(Elf32_Shdr)`. */
export const SIZEOF_ELF32_SHDR = 40;
/** `sizeof(Elf64_Shdr)`. */
export const SIZEOF_ELF64_SHDR = 64;
/** `sizeof(Elf32_Sym)`. */
export const SIZEOF_ELF32_SYM = 16;
/** `sizeof(Elf64_Sym)`. */
export const SIZEOF_ELF64_SYM = 24;
/** `sizeof(Elf32_Rel)`. */
export const SIZEOF_ELF32_REL = 8;
/** `sizeof(Elf32_Rela)`. */
export const SIZEOF_ELF32_RELA = 12;
/** `sizeof(Elf64_Rel)`. */
export const SIZEOF_ELF64_REL = 16;
/** `sizeof(Elf64_Rela)`. */
export const SIZEOF_ELF64_RELA = 24;
