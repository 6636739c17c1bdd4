/**
 * The 5.x – 6.3 form of the ELF checks: `elf_validity_check` (the name table is checked before section 0,
 * section names only for SHF_ALLOC sections) and `setup_load_info` (the first SHT_SYMTAB wins, the module
 * structure is the first SHF_ALLOC `.gnu.linkonce.this_module`, found by `find_sec`, with no size check and no
 * symbol string table checks).
 * @see kernel/module/main.c (6.1) elf_validity_check, validate_section_offset, setup_load_info
 * @module
 */
import { SHF_ALLOC, SHT_NOBITS, SHT_NULL, SHT_SYMTAB } from '../../../abi/elf.js';
import { MODULE_INIT_IGNORE_MODVERSIONS } from '../../../abi/linux/v26.js';
import { step } from '../../../core/pipeline.js';
import { OK_VOID, type Result } from '../../../core/result.js';
import { readModinfo } from '../../../elf/modinfo.js';
import { SymbolTable } from '../../../elf/symbols.js';
import { readVersions } from '../../../elf/versions.js';
import type { LoadInfo } from '../load-info.js';
import { elfHeaderChecks, findSec, noexec, readModName } from './elf-validity-cache-copy.js';

/** `elf_validity_check` (6.1). */
export function runElfValidityCheck(info: LoadInfo): Result<void> {
  const head = elfHeaderChecks(info);
  if (!head.ok) return head;
  const { elf, secs, shnum, v } = head.value;
  const b = info.hdr;
  const len = info.len;
  const shstrndx = v.getUint16(62, true);
  if (shstrndx === 0 || shstrndx >= shnum)
    return noexec(
      info,
      `Invalid ELF section name index: ${shstrndx} || e_shstrndx (${shstrndx}) >= e_shnum (${shnum})`,
    );
  const strhdr = secs[shstrndx];
  const strEnd = strhdr.offset + strhdr.size;
  if (!Number.isSafeInteger(strEnd) || strEnd > len)
    return noexec(info, `Invalid ELF section hdr(type ${strhdr.type})`);
  if (strhdr.size === 0 || b[strEnd - 1] !== 0)
    return noexec(info, "ELF Spec violation: section name table isn't null terminated");
  const s0 = secs[0];
  if (s0.type !== SHT_NULL || s0.size !== 0 || s0.addr !== 0n)
    return noexec(info, `ELF Spec violation: section 0 type(${s0.type})!=SH_NULL or non-zero len or addr`);
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
    if ((s.flags & SHF_ALLOC) !== 0 && s.nameOffset >= strhdr.size)
      return noexec(info, `Invalid ELF section name in module (section ${i} type ${s.type})`);
  }
  const alloc = new Uint8Array(shnum);
  for (let i = 0; i < shnum; i++) alloc[i] = secs[i].flags & SHF_ALLOC ? 1 : 0;
  info.alloc = alloc;
  info.elf = elf;
  info.sechdrs = secs;
  return OK_VOID;
}

/** `setup_load_info` (6.1). */
export function runSetupLoadInfo(info: LoadInfo): Result<void> {
  const elf = info.elf;
  const secs = info.sechdrs ?? [];
  const alloc = info.alloc as Uint8Array;
  if (elf === undefined) return OK_VOID;
  const infoIdx = findSec(secs, alloc, '.modinfo');
  if (infoIdx !== 0) {
    const mi = readModinfo(elf, secs[infoIdx]);
    if (mi.ok) info.modinfo = mi.value;
  }
  const infoName = info.modinfo?.get('name');
  const shown = infoName ?? '(missing .modinfo section or name field)';
  let symIdx = 0;
  for (let i = 1; i < secs.length; i++) {
    if (secs[i].type === SHT_SYMTAB) {
      symIdx = i;
      break;
    }
  }
  if (symIdx === 0) return noexec(info, `${shown}: module has no symbols (stripped?)`, 'warn');
  const modIdx = findSec(secs, alloc, '.gnu.linkonce.this_module');
  if (modIdx === 0) return noexec(info, `${shown}: No module found in object`, 'warn');
  const st = SymbolTable.read(elf, symIdx);
  if (!st.ok) return noexec(info, `${shown}: module has no symbols (stripped?)`, 'warn');
  info.symtab = st.value;
  info.modName = readModName(info, secs[modIdx]);
  info.name = infoName ?? info.modName;
  info.index.sym = symIdx;
  info.index.str = secs[symIdx].link;
  info.index.mod = modIdx;
  info.index.info = infoIdx;
  info.index.vers =
    (info.flags & MODULE_INIT_IGNORE_MODVERSIONS) !== 0 ? 0 : findSec(secs, alloc, '__versions');
  if (info.index.vers !== 0) {
    const vr = readVersions(elf, secs[info.index.vers]);
    if (vr.ok && vr.value !== undefined) info.versions = vr.value;
  }
  info.index.pcpu = findSec(secs, alloc, '.data..percpu');
  return OK_VOID;
}

/** The pipeline step `elf_validity_check`. */
export const elfValidityCheck = step<LoadInfo>('elfValidityCheck', (info) => runElfValidityCheck(info));

/** The pipeline step `setup_load_info`. */
export const setupLoadInfo = step<LoadInfo>('setupLoadInfo', (info) => runSetupLoadInfo(info));
