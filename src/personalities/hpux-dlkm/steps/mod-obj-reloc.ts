/**
 * Applies the object's relocations to the placed sections (hpux-dlkm.md §3.2 row 15).
 * @module
 */
import { SHT_REL } from '../../../abi/elf.js';
import { step } from '../../../core/pipeline.js';
import { err, OK_VOID } from '../../../core/result.js';
import { readRelocationSections } from '../../../elf/relocations.js';
import type { DlkmLoadInfo } from '../load-info.js';
import { sectionAddress } from './mod-alloc.js';

/**
 * Every REL/RELA section whose target is an allocated section is applied through the machine's relocation
 * engine; relocations of non-allocated sections (metadata) are skipped. A relocation section that does not
 * refer to the symbol table, a bad symbol index, a field outside its section or a type the engine cannot apply
 * is ERELOC ("a relocation error occurred").
 * @see hpux-dlkm.md §3.2 row 15, §2.1 load step 4
 */
export const modObjReloc = step<DlkmLoadInfo>('modObjReloc', (ctx) => {
  const elf = ctx.elf!;
  const symtab = ctx.symtab!;
  const values = ctx.symbolValues!;
  const layout = ctx.layout!;
  const relocator = ctx.k.relocator;
  const sections = readRelocationSections(elf);
  if (!sections.ok) return err('ERELOC', `${ctx.name}: ${sections.error.message}`);
  for (const rs of sections.value) {
    const placed = layout.sections.get(rs.targetSection);
    if (placed === undefined) continue;
    if (rs.symbolTableSection !== symtab.section.index)
      return err('ERELOC', `${ctx.name}: ${rs.section.name} does not use the symbol table`);
    if (placed.area !== 'core')
      return err('ERELOC', `${ctx.name}: ${rs.section.name} relocates a section without contents`);
    const target = ctx.core!.bytes.subarray(placed.offset, placed.offset + placed.size);
    const base = sectionAddress(ctx, placed);
    for (let i = 0; i < rs.count; i++) {
      const sym = rs.symbolIndex(i);
      if (sym >= symtab.count)
        return err(
          'ERELOC',
          `${ctx.name}: relocation ${i} of ${rs.section.name} names symbol ${sym} (of ${symtab.count})`,
        );
      const offset = rs.offset(i);
      const r = relocator.apply({
        type: rs.type(i),
        target,
        offset,
        place: base + BigInt(offset),
        symbol: values[sym],
        addend: rs.section.type === SHT_REL ? 0n : rs.addend(i),
        symbolName: symtab.name(sym) || `#${sym}`,
      });
      if (!r.ok) return err('ERELOC', `${ctx.name}: ${r.error.reason}`);
    }
  }
  return OK_VOID;
});
