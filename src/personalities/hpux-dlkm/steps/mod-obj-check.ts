/**
 * Checks that the file is an ELF64 big-endian IA-64 relocatable object the loader can walk
 * (hpux-dlkm.md §3.2 row 10: "The file must be an ELF64 relocatable object file").
 * @module
 */
import { ELFCLASS64, ELFDATA2MSB, EM_IA_64, ET_REL, SHF_ALLOC } from '../../../abi/elf.js';
import { step } from '../../../core/pipeline.js';
import { err, OK_VOID } from '../../../core/result.js';
import { ElfFile } from '../../../elf/elf-file.js';
import { SymbolTable } from '../../../elf/symbols.js';
import type { DlkmLoadInfo } from '../load-info.js';

/**
 * Header, class, byte order, type and machine, then every section's range and the symbol table. Any failure is
 * EINVAL: HP-UX names no other errno for a file that is not a loadable object.
 * @see hpux-dlkm.md §3.2 row 10 (SVR4.2 lineage `mod_obj_load` header checks)
 */
export const modObjCheck = step<DlkmLoadInfo>('modObjCheck', (ctx) => {
  const parsed = ElfFile.parse(ctx.bytes!);
  if (!parsed.ok) return err('EINVAL', `${ctx.path}: not an ELF object: ${parsed.error.message}`);
  const elf = parsed.value;
  const h = elf.header;
  if (h.elfClass !== ELFCLASS64) return err('EINVAL', `${ctx.path}: not an ELF64 object`);
  if (h.dataEncoding !== ELFDATA2MSB) return err('EINVAL', `${ctx.path}: not a big-endian (MSB) object`);
  if (h.type !== ET_REL) return err('EINVAL', `${ctx.path}: not a relocatable object (e_type ${h.type})`);
  if (h.machine !== EM_IA_64) return err('EINVAL', `${ctx.path}: e_machine ${h.machine} is not EM_IA_64`);
  for (const s of elf.sections) {
    if (!elf.sectionInBounds(s))
      return err('EINVAL', `${ctx.path}: section ${s.index} lies outside the file`);
    if ((s.flags & SHF_ALLOC) !== 0) {
      const a = s.addralign;
      if (!Number.isSafeInteger(a) || (a > 1 && (a & (a - 1)) !== 0) || a > 1 << 20)
        return err('EINVAL', `${ctx.path}: section ${s.name} has a bad alignment ${a}`);
      if (!Number.isSafeInteger(s.size) || s.size > 1 << 30)
        return err('EINVAL', `${ctx.path}: section ${s.name} is too large`);
    }
  }
  const symtab = SymbolTable.read(elf);
  if (!symtab.ok) return err('EINVAL', `${ctx.path}: ${symtab.error.message}`);
  ctx.elf = elf;
  ctx.symtab = symtab.value;
  return OK_VOID;
});
