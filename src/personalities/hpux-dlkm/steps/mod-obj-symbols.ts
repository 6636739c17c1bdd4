/**
 * Resolves the object's symbols against the kernel and the module's declared dependencies
 * (hpux-dlkm.md §3.2 row 14, §2.1 load step 4).
 * @module
 */
import { SHN_ABS, SHN_COMMON, SHN_LORESERVE, SHN_UNDEF, STB_WEAK } from '../../../abi/elf.js';
import { step } from '../../../core/pipeline.js';
import { err, OK_VOID } from '../../../core/result.js';
import { KERNEL_OWNER } from '../../../core/symbol-table.js';
import type { DlkmLoadInfo } from '../load-info.js';
import { sectionAddress } from './mod-alloc.js';

/**
 * Gives every symbol its kernel address. An undefined symbol must be defined by the running kernel or by a
 * module this one declared as a dependency: a symbol nobody defines, or one only a loaded module that is not a
 * declared dependency defines, is ERELOC. An unresolved weak reference is 0.
 * @see hpux-dlkm.md §3.2 row 14 (ERELOC: "references symbols not defined in the running kernel, or … in another
 * loadable module but did not declare its dependence on that module")
 */
export const modObjSymbols = step<DlkmLoadInfo>('modObjSymbols', (ctx) => {
  const symtab = ctx.symtab!;
  const layout = ctx.layout!;
  const table = ctx.k.core.symbols;
  const allowed = ctx.allowedOwners!;
  const values: bigint[] = new Array(symtab.count).fill(0n);
  for (let i = 1; i < symtab.count; i++) {
    const shndx = symtab.shndx(i);
    if (shndx === SHN_UNDEF) {
      const name = symtab.name(i);
      if (name === undefined) return err('ERELOC', `${ctx.name}: symbol ${i} has a bad name`);
      if (name === '') continue;
      const candidates = table.lookupAll(name);
      const hit = candidates.find((s) => s.owner === KERNEL_OWNER || allowed.has(s.owner));
      if (hit !== undefined) {
        values[i] = hit.value;
        continue;
      }
      if (symtab.bind(i) === STB_WEAK) continue;
      if (candidates.length > 0)
        return err(
          'ERELOC',
          `${ctx.name}: symbol ${name} is defined in module ${candidates[0].owner}, which is not a declared dependency`,
        );
      return err('ERELOC', `${ctx.name}: undefined symbol ${name}`);
    }
    if (shndx === SHN_ABS) values[i] = symtab.value(i);
    else if (shndx === SHN_COMMON) values[i] = (ctx.bss?.address ?? 0n) + BigInt(layout.commons.get(i) ?? 0);
    else if (shndx >= SHN_LORESERVE)
      return err(
        'ERELOC',
        `${ctx.name}: symbol ${symtab.name(i) ?? i} has unsupported section index 0x${shndx.toString(16)}`,
      );
    else {
      const placed = layout.sections.get(shndx);
      if (shndx >= ctx.elf!.sections.length)
        return err(
          'ERELOC',
          `${ctx.name}: symbol ${symtab.name(i) ?? i} names section ${shndx}, which does not exist`,
        );
      values[i] = placed === undefined ? symtab.value(i) : sectionAddress(ctx, placed) + symtab.value(i);
    }
  }
  ctx.symbolValues = values;
  return OK_VOID;
});
