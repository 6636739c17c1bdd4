/**
 * `layout_and_allocate`: `module_enforce_rwx_sections`, per-cpu and ro-after-init flags, `layout_sections`
 * (text → rodata → ro_after_init → data, each page aligned with `CONFIG_STRICT_MODULE_RWX`; `.init*` to the init
 * region) and `move_module` (allocate the regions in the module area and copy the sections).
 * @see kernel/module/main.c layout_and_allocate, __layout_sections, module_get_offset, move_module;
 *   kernel/module/strict_rwx.c module_enforce_rwx_sections
 * @module
 */
import { SHF_EXECINSTR, SHF_WRITE, SHT_NOBITS } from '../../../abi/elf.js';
import type { UndoStack } from '../../../core/pipeline.js';
import { step } from '../../../core/pipeline.js';
import { err, OK_VOID, type Result } from '../../../core/result.js';
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
  const placement: SectionPlacement[] = new Array(n);
  for (let i = 0; i < n; i++) placement[i] = NOT_PLACED;
  const exitIsInit = !k.config.moduleUnload;
  const isInit = (name: string) => name.startsWith('.init') || (exitIsInit && name.startsWith('.exit'));
  const sizes = { core: 0, init: 0 };
  // Indexed loops: a for-of with destructuring compiles to iterator protocol and exception handling, which made
  // this function one of the costliest the JIT compiles in a whole-tree load.
  for (let r = 0; r < REGIONS.length; r++) {
    const region = REGIONS[r];
    let size = 0;
    for (let m = 0; m < MASK_WANT.length; m++) {
      const want = MASK_WANT[m];
      const not = MASK_NOT[m];
      for (let i = 0; i < n; i++) {
        const f = flags[i];
        if ((f & want) !== want || (f & not) !== 0 || placement[i].region !== undefined) continue;
        if (isInit(secs[i].name) !== (region === 'init')) continue;
        const align = secs[i].addralign || 1;
        const at = Math.ceil(size / align) * align;
        placement[i] = { region, offset: at };
        size = at + secs[i].size;
      }
      if (k.config.strictModuleRwx) size = pageAlign(size);
    }
    sizes[region] = pageAlign(size);
  }
  info.placement = placement;
  info.coreSize = sizes.core;
  info.initSize = sizes.init;
  // move_module: allocate and copy.
  const mem = k.core.memory;
  const core = sizes.core > 0 ? mem.alloc(sizes.core, info.modName) : undefined;
  if (core !== undefined && !core.ok)
    return err('ENOMEM', `${info.modName}: cannot allocate ${sizes.core} bytes`);
  if (core?.ok) undo.push('free core region', () => mem.free(core.value.address));
  const init = sizes.init > 0 ? mem.alloc(sizes.init, info.modName) : undefined;
  if (init !== undefined && !init.ok)
    return err('ENOMEM', `${info.modName}: cannot allocate ${sizes.init} bytes`);
  if (init?.ok) undo.push('free init region', () => mem.free(init.value.address));
  const regions = {
    core: core?.ok ? core.value : undefined,
    init: init?.ok ? init.value : undefined,
  };
  const views = {
    core:
      regions.core &&
      new DataView(regions.core.bytes.buffer, regions.core.bytes.byteOffset, regions.core.size),
    init:
      regions.init &&
      new DataView(regions.init.bytes.buffer, regions.init.bytes.byteOffset, regions.init.size),
  };
  const placed: (PlacedSection | undefined)[] = new Array(n);
  const src = info.hdr;
  const bases = {
    core: regions.core === undefined ? 0 : addrToNumber(regions.core.address),
    init: regions.init === undefined ? 0 : addrToNumber(regions.init.address),
  };
  for (let i = 0; i < n; i++) {
    const p = placement[i];
    if (p.region === undefined) continue;
    const a = regions[p.region];
    const view = views[p.region];
    if (a === undefined || view === undefined) continue;
    const s = secs[i];
    if (s.type !== SHT_NOBITS && s.size > 0) a.bytes.set(src.subarray(s.offset, s.offset + s.size), p.offset);
    placed[i] = {
      bytes: a.bytes,
      view,
      offset: p.offset,
      size: s.size,
      addr: bases[p.region] + p.offset,
    };
  }
  info.placed = placed;
  info.regions = regions;
  return OK_VOID;
}

/** The pipeline step. */
export const layoutAndAllocate = step<LoadInfo>('layoutAndAllocate', (info, undo) =>
  runLayoutAndAllocate(info, undo),
);
