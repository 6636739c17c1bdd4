/**
 * Plans the module's memory and allocates it: text and data in one area (`ms_base`, `ms_size`), BSS in another
 * (`ms_bss`, `ms_bss_size`), then copies the section contents in (hpux-dlkm.md §2.1 load steps 2–3).
 * @module
 */
import { SHF_ALLOC, SHN_COMMON, SHT_NOBITS } from '../../../abi/elf.js';
import { step } from '../../../core/pipeline.js';
import { err, OK_VOID, ok, type Result } from '../../../core/result.js';
import type { ElfFile } from '../../../elf/elf-file.js';
import type { SymbolTable } from '../../../elf/symbols.js';
import type { DlkmLayout, DlkmLoadInfo, PlacedSection } from '../load-info.js';

function alignUp(n: number, a: number): number {
  return a <= 1 ? n : Math.ceil(n / a) * a;
}

/** Lays out every `SHF_ALLOC` section and COMMON symbol; EINVAL for a COMMON symbol with a bad alignment. */
export function layoutModule(elf: ElfFile, symtab: SymbolTable): Result<DlkmLayout> {
  const sections = new Map<number, PlacedSection>();
  let coreSize = 0;
  let coreAlign = 1;
  let bssSize = 0;
  let bssAlign = 1;
  for (const s of elf.sections) {
    if ((s.flags & SHF_ALLOC) === 0) continue;
    const align = Math.max(1, s.addralign);
    if (s.type === SHT_NOBITS) {
      bssSize = alignUp(bssSize, align);
      sections.set(s.index, { index: s.index, area: 'bss', offset: bssSize, size: s.size });
      bssSize += s.size;
      bssAlign = Math.max(bssAlign, align);
    } else {
      coreSize = alignUp(coreSize, align);
      sections.set(s.index, { index: s.index, area: 'core', offset: coreSize, size: s.size });
      coreSize += s.size;
      coreAlign = Math.max(coreAlign, align);
    }
  }
  const commons = new Map<number, number>();
  for (let i = 1; i < symtab.count; i++) {
    if (symtab.shndx(i) !== SHN_COMMON) continue;
    const align = Math.max(1, symtab.valueNumber(i));
    const size = symtab.size(i);
    if ((align & (align - 1)) !== 0 || align > 1 << 20 || size > 1 << 30)
      return err('EINVAL', `COMMON symbol ${symtab.name(i) ?? i} has a bad size or alignment`);
    bssSize = alignUp(bssSize, align);
    commons.set(i, bssSize);
    bssSize += size;
    bssAlign = Math.max(bssAlign, align);
  }
  return ok({ sections, coreSize, coreAlign, bssSize, bssAlign, commons });
}

/**
 * Allocates the two areas in the module address space (ENOMEM when they do not fit) and copies each section's
 * bytes to its place; BSS stays zero.
 * @see hpux-dlkm.md §2.1 (HP load steps 2 "allocate space in active memory" and 3 "load the object")
 */
export const modAlloc = step<DlkmLoadInfo>('modAlloc', (ctx, undo) => {
  const elf = ctx.elf!;
  const layout = layoutModule(elf, ctx.symtab!);
  if (!layout.ok) return layout;
  const l = layout.value;
  const memory = ctx.k.core.memory;
  const core = memory.alloc(Math.max(l.coreSize, 1), ctx.name!, l.coreAlign);
  if (!core.ok) return core;
  undo.push('free module memory', () => memory.free(core.value.address));
  if (l.bssSize > 0) {
    const bss = memory.alloc(l.bssSize, ctx.name!, l.bssAlign);
    if (!bss.ok) return bss;
    undo.push('free module BSS', () => memory.free(bss.value.address));
    ctx.bss = bss.value;
  }
  for (const placed of l.sections.values()) {
    if (placed.area !== 'core') continue;
    const data = elf.sectionData(elf.sections[placed.index]);
    if (!data.ok) return err('EINVAL', data.error.message);
    core.value.bytes.set(data.value, placed.offset);
  }
  ctx.layout = l;
  ctx.core = core.value;
  return OK_VOID;
});

/** Kernel address of a placed section. */
export function sectionAddress(ctx: DlkmLoadInfo, placed: PlacedSection): bigint {
  const base = placed.area === 'core' ? ctx.core!.address : (ctx.bss?.address ?? 0n);
  return base + BigInt(placed.offset);
}
