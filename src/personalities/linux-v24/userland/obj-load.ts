/**
 * `obj_load(fp, ET_REL, filename)`: reads an i386 ELF relocatable into an {@link ObjFile} — header checks with
 * modutils' messages, section contents, `.modinfo` loses `SHF_ALLOC`, allocated sections enter the load order,
 * every symbol enters the hash table (a nameless one is named after its section), and relocation entries with a
 * symbol index past the table are reported. Where the C code would crash on a hostile file (an index out of
 * range), this reader reports an error instead.
 * @see modutils obj/obj_load.c obj_load
 * @module
 */
import {
  ELFCLASS32,
  ELFDATA2LSB,
  EM_386,
  ET_REL,
  EV_CURRENT,
  SHF_ALLOC,
  SHT_LOPROC,
  SHT_NOBITS,
  SHT_NOTE,
  SHT_NULL,
  SHT_PROGBITS,
  SHT_REL,
  SHT_RELA,
  SHT_STRTAB,
  SHT_SYMTAB,
} from '../../../abi/elf.js';
import { fail, ok, type Result } from '../../../core/result.js';
import { latin1 } from '../kernel-memory.js';
import { ObjFile, type ObjSection } from './obj-file.js';

const SIZEOF_EHDR = 52;
const SIZEOF_SHDR = 40;
const SIZEOF_SYM = 16;
const SIZEOF_REL = 8;

function cstringAt(bytes: Uint8Array | undefined, at: number): string {
  if (bytes === undefined || at < 0 || at >= bytes.length) return '';
  const end = bytes.indexOf(0, at);
  return latin1(bytes.subarray(at, end < 0 ? bytes.length : end));
}

/** Reads `bytes` (the file `filename`); a failure is modutils' error line. */
export function objLoad(bytes: Uint8Array, filename: string): Result<ObjFile, string> {
  if (bytes.length < SIZEOF_EHDR) return fail(`cannot read ELF header from ${filename}`);
  if (bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46)
    return fail(`${filename} is not an ELF file`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const machine = v.getUint16(18, true);
  if (bytes[4] !== ELFCLASS32 || bytes[5] !== ELFDATA2LSB || bytes[6] !== EV_CURRENT || machine !== EM_386)
    return fail(`ELF file ${filename} not for this architecture`);
  if (v.getUint16(16, true) !== ET_REL) return fail(`ELF file ${filename} not a relocatable object`);
  const shentsize = v.getUint16(46, true);
  if (shentsize !== SIZEOF_SHDR)
    return fail(`section header size mismatch ${filename}: ${shentsize} != ${SIZEOF_SHDR}`);
  const shoff = v.getUint32(32, true);
  const shnum = v.getUint16(48, true);
  const shstrndx = v.getUint16(50, true);
  if (shoff + shnum * SIZEOF_SHDR > bytes.length)
    return fail(`error reading ELF section headers ${filename}: Success`);
  const f = new ObjFile(filename, bytes);
  const nameOffsets: number[] = [];
  for (let i = 0; i < shnum; i++) {
    const h = shoff + i * SIZEOF_SHDR;
    const sec: ObjSection = {
      idx: i,
      name: '',
      type: v.getUint32(h + 4, true),
      flags: v.getUint32(h + 8, true),
      addr: v.getUint32(h + 12, true),
      offset: v.getUint32(h + 16, true),
      size: v.getUint32(h + 20, true),
      link: v.getUint32(h + 24, true),
      info: v.getUint32(h + 28, true),
      addralign: v.getUint32(h + 32, true),
      entsize: v.getUint32(h + 36, true),
      contents: undefined,
    };
    nameOffsets.push(v.getUint32(h, true));
    f.sections.push(sec);
    switch (sec.type) {
      case SHT_NULL:
      case SHT_NOTE:
      case SHT_NOBITS:
        break;
      case SHT_PROGBITS:
      case SHT_SYMTAB:
      case SHT_STRTAB:
      case SHT_REL:
        if (sec.size > 0) {
          if (sec.offset + sec.size > bytes.length)
            return fail(`error reading ELF section data ${filename}: Success`);
          sec.contents = bytes.slice(sec.offset, sec.offset + sec.size);
        }
        break;
      case SHT_RELA:
        if (sec.size > 0) return fail(`RELA relocations not supported on this architecture ${filename}`);
        break;
      default:
        if (sec.type >= SHT_LOPROC) break; // arch_load_proc_section: a debugging section, ignored
        return fail(`can't handle sections of type ${sec.type} ${filename}`);
    }
  }
  const shstrtab = f.sections[shstrndx]?.contents;
  f.sections.forEach((s, i) => {
    s.name = cstringAt(shstrtab, nameOffsets[i]);
  });
  for (const sec of f.sections) {
    if (sec.name === '.modinfo' || sec.name === '.modstring') sec.flags &= ~SHF_ALLOC;
    if (sec.flags & SHF_ALLOC) f.insertLoadOrder(sec);
    if (sec.type !== SHT_SYMTAB) continue;
    if (sec.entsize !== SIZEOF_SYM)
      return fail(`symbol size mismatch ${filename}: ${sec.entsize} != ${SIZEOF_SYM}`);
    const strtab = f.sections[sec.link]?.contents;
    const c = sec.contents;
    const n = Math.floor(sec.size / SIZEOF_SYM);
    f.localSymtab = new Array(sec.info).fill(undefined);
    if (c === undefined) continue;
    const sv = new DataView(c.buffer, c.byteOffset, c.byteLength);
    for (let j = 1; j < n; j++) {
      const e = j * SIZEOF_SYM;
      const stName = sv.getUint32(e, true);
      const shndx = sv.getUint16(e + 14, true);
      const name = stName !== 0 ? cstringAt(strtab, stName) : (f.sections[shndx]?.name ?? '');
      f.addSymbol(name, j, c[e + 12], shndx, sv.getUint32(e + 4, true), sv.getUint32(e + 8, true));
    }
  }
  for (const sec of f.sections) {
    if (sec.type !== SHT_REL) continue;
    if (sec.entsize !== SIZEOF_REL)
      return fail(`relocation entry size mismatch ${filename}: ${sec.entsize} != ${SIZEOF_REL}`);
    const symtab = f.sections[sec.link];
    const nsyms = symtab === undefined || symtab.entsize === 0 ? 0 : Math.floor(symtab.size / symtab.entsize);
    const c = sec.contents;
    if (c === undefined) continue;
    const rv = new DataView(c.buffer, c.byteOffset, c.byteLength);
    for (let j = 0; j + SIZEOF_REL <= c.length; j += SIZEOF_REL) {
      const symndx = rv.getUint32(j + 4, true) >>> 8;
      if (symndx !== 0 && symndx >= nsyms)
        f.errors.push(
          `${filename}: Bad symbol index: ${symndx.toString(16).padStart(8, '0')} >= ${nsyms.toString(16).padStart(8, '0')}`,
        );
    }
  }
  return ok(f);
}
