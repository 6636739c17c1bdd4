/**
 * `apply_relocations`: every REL/RELA section whose target is SHF_ALLOC, in section order; stops at the first
 * error. x86-64 has RELA only (`apply_relocate` for REL is the generic "unsupported").
 * @see kernel/module/main.c apply_relocations; arch/x86/kernel/module.c apply_relocate_add
 * @module
 */
import { SHT_REL, SHT_RELA } from '../../../abi/elf.js';
import { step } from '../../../core/pipeline.js';
import { err, OK_VOID, type Result } from '../../../core/result.js';
import type { LoadInfo } from '../load-info.js';
import { applyRelocateAdd } from '../relocate-x86-64.js';

/** Runs the relocations. */
export function runApplyRelocations(info: LoadInfo): Result<void> {
  const k = info.k;
  const secs = info.sechdrs ?? [];
  const alloc = info.alloc as Uint8Array;
  const placed = info.placed ?? [];
  const values = info.symValues ?? new Float64Array(0);
  const image = new DataView(info.hdr.buffer, info.hdr.byteOffset, info.len);
  const opts = { pc32OverflowCheck: k.era.pc32OverflowCheck, plt32: k.era.plt32, pc64: k.era.pc64 };
  for (let i = 1; i < secs.length; i++) {
    const s = secs[i];
    const target = s.info;
    if (target >= secs.length || !alloc[target]) continue;
    if (s.type === SHT_REL) {
      const text = `module ${info.modName}: REL relocation unsupported`;
      k.core.log.err(text);
      return err('ENOEXEC', text);
    }
    if (s.type !== SHT_RELA) continue;
    const dst = placed[target];
    if (dst === undefined) continue;
    const r = applyRelocateAdd(info.modName, image, s.offset, s.size, values, dst, opts, info.relocations);
    if (!r.ok) {
      k.core.log.err(r.error.reason);
      return r;
    }
  }
  return OK_VOID;
}

/** The pipeline step. */
export const applyRelocations = step<LoadInfo>('applyRelocations', (info) => runApplyRelocations(info));
