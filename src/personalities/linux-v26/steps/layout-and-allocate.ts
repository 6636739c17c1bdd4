/**
 * `layout_and_allocate`: `module_enforce_rwx_sections`, per-cpu and ro-after-init flags, `layout_sections`
 * (text → rodata → ro_after_init → data, each page aligned with `CONFIG_STRICT_MODULE_RWX`; `.init*` to the init
 * region) and `move_module` (allocate the regions in the module area and copy the sections).
 * @see kernel/module/main.c layout_and_allocate, __layout_sections, module_get_offset, move_module;
 *   kernel/module/strict_rwx.c module_enforce_rwx_sections
 * @module
 */
import { SHF_EXECINSTR, SHF_WRITE, SHT_NOBITS } from '../../../abi/elf.js';
import type { Allocation } from '../../../core/address-space.js';
import type { UndoStack } from '../../../core/pipeline.js';
import { step } from '../../../core/pipeline.js';
import { err, OK_VOID, ok, type Result } from '../../../core/result.js';
import type { LoadInfo, SectionPlacement } from '../load-info.js';
import { addrToNumber } from '../loaded-module.js';
import type { PlacedSection } from '../relocate-x86-64.js';

const PAGE = 4096;
const RO_AFTER_INIT = 1 << 21;
const ALLOC = 2;

/** `masks[][2]` of `__layout_sections`: flags wanted, flags refused — text, rodata, ro_after_init, data. */
const MASK_WANT: readonly number[] = [SHF_EXECINSTR | ALLOC, ALLOC, RO_AFTER_INIT | ALLOC, SHF_WRITE | ALLOC];
const MASK_NOT: readonly number[] = [0, SHF_WRITE, 0, 0];
/** The two regions, core first. */
const REGIONS: readonly ('core' | 'init')[] = ['core', 'init'];

/** The placement of every section not (yet) laid out; shared, so never changed. */
const NOT_PLACED: SectionPlacement = Object.freeze({ region: undefined, offset: 0 });

function pageAlign(n: number): number {
  return Math.ceil(n / PAGE) * PAGE;
}

/**
 * `__layout_sections` for both regions: each section's region and offset, and the regions' page-aligned sizes.
 * @see kernel/module/main.c layout_sections, __layout_sections, module_get_offset
 */
function layoutSections(info: LoadInfo, flags: readonly number[]): void {
  const k = info.k;
  const secs = info.sechdrs ?? [];
  const n = secs.length;
  const placement: SectionPlacement[] = new Array(n);
  for (let i = 0; i < n; i++) placement[i] = NOT_PLACED;
  const exitIsInit = !k.config.moduleUnload;
  // Indexed loops: a for-of with destructuring compiles to iterator protocol and exception handling, which made
  // this step one of the costliest the JIT compiles in a whole-tree load.
  for (let r = 0; r < REGIONS.length; r++) {
    const region = REGIONS[r];
    const wantInit = region === 'init';
    let size = 0;
    for (let m = 0; m < MASK_WANT.length; m++) {
      const want = MASK_WANT[m];
      const not = MASK_NOT[m];
      for (let i = 0; i < n; i++) {
        const f = flags[i];
        if ((f & want) !== want || (f & not) !== 0 || placement[i].region !== undefined) continue;
        const name = secs[i].name;
        const init = name.startsWith('.init') || (exitIsInit && name.startsWith('.exit'));
        if (init !== wantInit) continue;
        const align = secs[i].addralign || 1;
        const at = Math.ceil(size / align) * align;
        placement[i] = { region, offset: at };
        size = at + secs[i].size;
      }
      if (k.config.strictModuleRwx) size = pageAlign(size);
    }
    if (wantInit) info.initSize = pageAlign(size);
    else info.coreSize = pageAlign(size);
  }
  info.placement = placement;
}

/**
 * `move_module`: allocates the core and init regions and copies every placed section into its region.
 * @see kernel/module/main.c move_module
 */
function moveModule(info: LoadInfo, undo: UndoStack): Result<void> {
  const mem = info.k.core.memory;
  const secs = info.sechdrs ?? [];
  const placement = info.placement ?? [];
  const n = secs.length;
  // Each region allocated (none when empty) with its free on the undo stack: core, then init.
  const allocRegion = (size: number, what: string): Result<Allocation | undefined> => {
    if (size === 0) return ok(undefined);
    const a = mem.alloc(size, info.modName);
    if (!a.ok) return err('ENOMEM', `${info.modName}: cannot allocate ${size} bytes`);
    undo.push(`free ${what} region`, () => mem.free(a.value.address));
    return a;
  };
  const core = allocRegion(info.coreSize, 'core');
  if (!core.ok) return core;
  const init = allocRegion(info.initSize, 'init');
  if (!init.ok) return init;
  const regions = { core: core.value, init: init.value };
  // One placement per region, found once: the allocation, a view of it and its address.
  const coreTarget = regions.core === undefined ? undefined : regionTarget(regions.core);
  const initTarget = regions.init === undefined ? undefined : regionTarget(regions.init);
  const placed: (PlacedSection | undefined)[] = new Array(n);
  const src = info.hdr;
  for (let i = 0; i < n; i++) {
    const p = placement[i];
    if (p.region === undefined) continue;
    const t = p.region === 'core' ? coreTarget : initTarget;
    if (t === undefined) continue;
    const s = secs[i];
    if (s.type !== SHT_NOBITS && s.size > 0) t.bytes.set(src.subarray(s.offset, s.offset + s.size), p.offset);
    placed[i] = { bytes: t.bytes, view: t.view, offset: p.offset, size: s.size, addr: t.addr + p.offset };
  }
  info.placed = placed;
  info.regions = regions;
  return OK_VOID;
}

/** An allocated region as sections are placed in it. */
function regionTarget(a: Allocation): { bytes: Uint8Array; view: DataView; addr: number } {
  return {
    bytes: a.bytes,
    view: new DataView(a.bytes.buffer, a.bytes.byteOffset, a.size),
    addr: addrToNumber(a.address),
  };
}

/** Runs the layout and allocation. */
export function runLayoutAndAllocate(info: LoadInfo, undo: UndoStack): Result<void> {
  const k = info.k;
  const secs = info.sechdrs ?? [];
  const alloc = info.alloc as Uint8Array;
  const n = secs.length;
  if (k.config.strictModuleRwx) {
    for (let i = 0; i < n; i++) {
      const f = secs[i].flags;
      if ((f & SHF_WRITE) !== 0 && (f & SHF_EXECINSTR) !== 0) {
        const text = `${info.modName}: section ${secs[i].name} (index ${i}) has invalid WRITE|EXEC flags`;
        k.core.log.err(text);
        return err('ENOEXEC', text);
      }
    }
  }
  if (info.index.pcpu !== 0) alloc[info.index.pcpu] = 0;
  const flags = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let f = (secs[i].flags & ~ALLOC) | (alloc[i] ? ALLOC : 0);
    if (secs[i].name === '.data..ro_after_init' || secs[i].name === '__jump_table') f |= RO_AFTER_INIT;
    flags[i] = f;
  }
  layoutSections(info, flags);
  return moveModule(info, undo);
}

/** The pipeline step. */
export const layoutAndAllocate = step<LoadInfo>('layoutAndAllocate', (info, undo) =>
  runLayoutAndAllocate(info, undo),
);
