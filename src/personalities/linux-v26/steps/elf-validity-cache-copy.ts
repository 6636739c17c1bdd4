/**
 * `elf_validity_cache_copy`: every structural check of the image, in the kernel's order (E1–E26 of the
 * reference), caching the section indices and the module names on the way. All failures are ENOEXEC.
 * @see kernel/module/main.c elf_validity_cache_copy, elf_validity_ehdr, elf_validity_cache_sechdrs,
 *   elf_validity_cache_secstrings, elf_validity_cache_index, elf_validity_cache_strtab
 * @module
 */
import { EM_X86_64, ET_REL, SHF_ALLOC, SHT_NOBITS, SHT_NULL, SHT_SYMTAB } from '../../../abi/elf.js';
import {
  MODULE_INIT_IGNORE_MODVERSIONS,
  MODULE_NAME_LEN,
  SIZEOF_ELF64_EHDR,
  STRUCT_MODULE_NAME_OFFSET,
} from '../../../abi/linux/v26.js';
import type { KernelError } from '../../../core/kernel-error.js';
import { step } from '../../../core/pipeline.js';
import { err, type Fail, OK_VOID, ok, type Result } from '../../../core/result.js';
import { ElfFile, type ElfSection, readU64Number } from '../../../elf/elf-file.js';
import { readModinfo } from '../../../elf/modinfo.js';
import { SymbolTable } from '../../../elf/symbols.js';
import { readExtendedVersions, readVersions } from '../../../elf/versions.js';
import type { LoadInfo } from '../load-info.js';

const SIZEOF_SHDR = 64;

/** Logs `text` (pr_err, or pr_warn) and fails with ENOEXEC. */
export function noexec(info: LoadInfo, text: string, level: 'err' | 'warn' = 'err'): Fail<KernelError> {
  info.k.core.log[level](text);
  return err('ENOEXEC', text);
}

/** `find_any_unique_sec`: index of the only section called `name` (any flags), 0 when none, -1 when several. */
export function findAnyUniqueSec(secs: readonly ElfSection[], name: string): number {
  let idx = 0;
  let count = 0;
  for (let i = 1; i < secs.length; i++) {
    if (secs[i].name === name) {
      idx = i;
      count++;
    }
  }
  return count === 1 ? idx : count === 0 ? 0 : -1;
}

/** `find_sec`: the first SHF_ALLOC section called `name`, or 0. */
export function findSec(secs: readonly ElfSection[], alloc: Uint8Array, name: string): number {
  for (let i = 1; i < secs.length; i++) if (alloc[i] && secs[i].name === name) return i;
  return 0;
}

/** What the header checks leave: the parsed file, its sections and the header view. */
export interface CheckedHeader {
  /** The ELF file over the checked bytes. */
  readonly elf: ElfFile;
  /** Its sections. */
  readonly secs: readonly ElfSection[];
  /** `e_shnum`. */
  readonly shnum: number;
  /** A view of the header. */
  readonly v: DataView;
}

/** E1–E7, the same in every era that prints them (`elf_validity_ehdr` and the section table bounds). */
export function elfHeaderChecks(info: LoadInfo): Result<CheckedHeader> {
  const b = info.hdr;
  const len = info.len;
  if (len < SIZEOF_ELF64_EHDR) return noexec(info, `Invalid ELF header len ${len}`);
  if (b[0] !== 0x7f || b[1] !== 0x45 || b[2] !== 0x4c || b[3] !== 0x46)
    return noexec(info, 'Invalid ELF header magic: != \x7fELF');
  const v = new DataView(b.buffer, b.byteOffset, len);
  const type = v.getUint16(16, true);
  if (type !== ET_REL) return noexec(info, `Invalid ELF header type: ${type} != ${ET_REL}`);
  const machine = v.getUint16(18, true);
  if (machine !== EM_X86_64) return noexec(info, `Invalid architecture in ELF header: ${machine}`);
  const shentsize = v.getUint16(58, true);
  if (shentsize !== SIZEOF_SHDR) return noexec(info, 'Invalid ELF section header size');
  const shoff = readU64Number(v, 40, true);
  const shnum = v.getUint16(60, true);
  if (shoff >= len || shnum * SIZEOF_SHDR > len - shoff)
    return noexec(info, 'Invalid ELF section header overflow');
  const parsed = ElfFile.parse(b.subarray(0, len), { assumeClass: 64, assumeLittleEndian: true });
  if (!parsed.ok) return noexec(info, 'Invalid ELF section header overflow');
  return ok({ elf: parsed.value, secs: parsed.value.sections, shnum, v });
}

/** `struct module.name` from the image, byte for byte (latin1), as names come back from user memory. */
export function readModName(info: LoadInfo, modSection: ElfSection): string {
  const b = info.hdr;
  const nameAt = modSection.offset + STRUCT_MODULE_NAME_OFFSET;
  let nameEnd = nameAt;
  while (nameEnd < nameAt + MODULE_NAME_LEN && nameEnd < info.len && b[nameEnd] !== 0) nameEnd++;
  return Buffer.from(b.buffer, b.byteOffset + nameAt, Math.max(0, nameEnd - nameAt)).toString('latin1');
}

/** Runs the checks and fills `info.elf`, `info.index`, `info.name`, `info.modName`, `info.modinfo`. */
export function runElfValidityCacheCopy(info: LoadInfo): Result<void> {
  const b = info.hdr;
  const len = info.len;
  const head = elfHeaderChecks(info);
  if (!head.ok) return head;
  const { elf, secs, shnum, v } = head.value;
  // E8, E9: elf_validity_cache_sechdrs.
  const s0 = secs[0];
  if (s0 === undefined || s0.type !== SHT_NULL || s0.size !== 0 || s0.addr !== 0n)
    return noexec(
      info,
      `ELF Spec violation: section 0 type(${s0?.type ?? 0})!=SH_NULL or non-zero len or addr`,
    );
  for (let i = 1; i < shnum; i++) {
    const s = secs[i];
    if (s.type === SHT_NULL || s.type === SHT_NOBITS) continue;
    if (s.type === SHT_SYMTAB && (s.link === 0 || s.link >= shnum))
      return noexec(
        info,
        `Invalid ELF sh_link!=SHN_UNDEF(${s.link}) or (sh_link(${s.link}) >= hdr->e_shnum(${shnum})`,
      );
    const end = s.offset + s.size;
    if (!Number.isSafeInteger(end) || end > len)
      return noexec(info, `Invalid ELF section in module (section ${i} type ${s.type})`);
  }
  // E10–E13: elf_validity_cache_secstrings.
  const shstrndx = v.getUint16(62, true);
  if (shstrndx === 0 || shstrndx >= shnum)
    return noexec(
      info,
      `Invalid ELF section name index: ${shstrndx} || e_shstrndx (${shstrndx}) >= e_shnum (${shnum})`,
    );
  const strhdr = secs[shstrndx];
  if (strhdr.size === 0) return noexec(info, 'empty section name table');
  if (strhdr.type === SHT_NOBITS || b[strhdr.offset + strhdr.size - 1] !== 0)
    return noexec(info, "ELF Spec violation: section name table isn't null terminated");
  for (let i = 1; i < shnum; i++) {
    const s = secs[i];
    if (s.type !== SHT_NULL && s.nameOffset >= strhdr.size)
      return noexec(info, `Invalid ELF section name in module (section ${i} type ${s.type})`);
  }
  const alloc = new Uint8Array(shnum);
  for (let i = 0; i < shnum; i++) alloc[i] = secs[i].flags & SHF_ALLOC ? 1 : 0;
  info.alloc = alloc;
  // E14: .modinfo.
  const infoIdx = findAnyUniqueSec(secs, '.modinfo');
  if (infoIdx < 0) return noexec(info, 'Only one .modinfo section must exist.');
  const mi = readModinfo(elf, infoIdx === 0 ? undefined : secs[infoIdx]);
  const modinfo = infoIdx === 0 || !mi.ok ? undefined : mi.value;
  info.modinfo = modinfo;
  const infoName = modinfo?.get('name');
  // E15–E18: .gnu.linkonce.this_module.
  const modIdx = findAnyUniqueSec(secs, '.gnu.linkonce.this_module');
  const shown = infoName ?? '(missing .modinfo section or name field)';
  if (modIdx <= 0)
    return noexec(info, `module ${shown}: Exactly one .gnu.linkonce.this_module section must exist.`);
  const ms = secs[modIdx];
  if (ms.type === SHT_NOBITS)
    return noexec(info, `module ${shown}: .gnu.linkonce.this_module section must have a size set`);
  if ((ms.flags & SHF_ALLOC) === 0)
    return noexec(
      info,
      `module ${shown}: .gnu.linkonce.this_module must occupy memory during process execution`,
    );
  if (ms.size !== info.k.structModuleSize)
    return noexec(
      info,
      `module ${shown}: .gnu.linkonce.this_module section size must match the kernel's built struct module size at run time`,
    );
  // E19, E20: the symbol table.
  let symIdx = 0;
  let nsym = 0;
  for (let i = 1; i < shnum; i++) {
    if (secs[i].type === SHT_SYMTAB) {
      symIdx = i;
      nsym++;
    }
  }
  if (nsym !== 1) return noexec(info, `${infoName ?? ''}: module has no symbols (stripped?)`, 'warn');
  const symSec = secs[symIdx];
  // E21, E22: extended modversions (≥ 6.14).
  const ignoreVers = (info.flags & MODULE_INIT_IGNORE_MODVERSIONS) !== 0;
  if (!ignoreVers && info.k.era.extendedModversions) {
    const c = findSec(secs, alloc, '__version_ext_crcs');
    const n = findSec(secs, alloc, '__version_ext_names');
    if ((c === 0) !== (n === 0)) return noexec(info, 'extended version crc+name presence does not match');
    if (c !== 0) {
      const ext = readExtendedVersions(elf);
      if (!ext.ok) return noexec(info, 'extended version crc+name presence does not match');
      if (ext.value !== undefined) {
        if (ext.value.names.length < ext.value.crcs.length)
          return noexec(info, 'more extended version crcs than names');
        const m = new Map<string, number>();
        for (let i = 0; i < ext.value.crcs.length; i++) m.set(ext.value.names[i], ext.value.crcs[i]);
        info.extVersions = m;
      }
    }
  }
  info.index.vers = ignoreVers ? 0 : findSec(secs, alloc, '__versions');
  if (info.index.vers !== 0) {
    const vr = readVersions(elf, secs[info.index.vers]);
    if (vr.ok && vr.value !== undefined) info.versions = vr.value;
  }
  info.index.pcpu = findSec(secs, alloc, '.data..percpu');
  // E23–E26: the symbol string table.
  const strIdx = symSec.link;
  const strSec = secs[strIdx];
  if (strSec.size === 0) return noexec(info, 'empty symbol string table');
  if (strSec.type === SHT_NOBITS || !elf.sectionInBounds(strSec))
    return noexec(info, 'symbol string table missing leading NUL');
  if (b[strSec.offset] !== 0) return noexec(info, 'symbol string table missing leading NUL');
  if (b[strSec.offset + strSec.size - 1] !== 0)
    return noexec(info, "symbol string table isn't NUL terminated");
  const st = SymbolTable.read(elf, symIdx);
  if (!st.ok) return noexec(info, 'symbol name out of bounds in string table');
  const symtab = st.value;
  for (let i = 0; i < symtab.count; i++) {
    if (symtab.nameOffset(i) >= strSec.size) return noexec(info, 'symbol name out of bounds in string table');
  }
  info.modName = readModName(info, ms);
  info.name = infoName ?? info.modName;
  info.elf = elf;
  info.sechdrs = secs;
  info.symtab = symtab;
  info.index.sym = symIdx;
  info.index.str = strIdx;
  info.index.mod = modIdx;
  info.index.info = infoIdx;
  return OK_VOID;
}

/** The pipeline step. */
export const elfValidityCacheCopy = step<LoadInfo>('elfValidityCacheCopy', (info) =>
  runElfValidityCacheCopy(info),
);
