/**
 * `/proc/modules` (`get_module_list`, one page at most, cut mid-line when full) and `/proc/ksyms`
 * (`get_ksyms_list` / the 2.4.27 seq_file), generated from the structs in module memory.
 * @see kernel/module.c get_module_list, get_ksyms_list, s_show (2.2.1, 2.4.0, 2.4.27); linux-legacy.md §B.10
 * @module
 */
import {
  MOD_AUTOCLEAN,
  MOD_DELETED,
  MOD_INITIALIZING,
  MOD_RUNNING,
  MOD_USED_ONCE,
  PAGE_SIZE_I386,
} from '../../abi/linux/v24.js';
import { hex8, KernelOops, latin1Bytes } from './kernel-memory.js';
import type { LinuxV24Kernel } from './linux-v24-kernel.js';
import { moduleRef } from './module-struct.js';

/** A page-sized output buffer: `safe_copy_str` stops everything once a piece does not fit. */
class PageBuffer {
  private readonly bytes = new Uint8Array(PAGE_SIZE_I386);
  private used = 0;
  full = false;

  put(text: string): boolean {
    const b = latin1Bytes(text);
    if (this.full || PAGE_SIZE_I386 - this.used < b.length) {
      this.full = true;
      return false;
    }
    this.bytes.set(b, this.used);
    this.used += b.length;
    return true;
  }

  result(): Uint8Array {
    return this.bytes.slice(0, this.used);
  }
}

/** `/proc/modules`. */
export function procModules(k: LinuxV24Kernel): Uint8Array {
  k.mem.invalidate();
  const out = new PageBuffer();
  try {
    for (const m of k.list()) {
      const name = m.name();
      if (!out.put(name)) break;
      if (name.length < 20 && !out.put(' '.repeat(20 - name.length))) break;
      if (!out.put(String(m.get('size')).padStart(8))) break;
      const f = m.flags;
      if (f & MOD_RUNNING && !out.put(String(m.canUnload() !== 0 ? -1 : m.usecount).padStart(4))) break;
      const words: string[] = [];
      if (f & MOD_DELETED) words.push(' (deleted)');
      else if (f & MOD_RUNNING) {
        if (f & MOD_AUTOCLEAN) words.push(' (autoclean)');
        if (!(f & MOD_USED_ONCE)) words.push(' (unused)');
      } else if (k.era.hasInitializing && f & MOD_INITIALIZING) words.push(' (initializing)');
      else words.push(' (uninitialized)');
      if (!words.every((w) => out.put(w))) break;
      let ref = m.get('refs');
      if (ref !== 0) {
        if (!out.put(' [')) break;
        for (;;) {
          if (!out.put(k.struct(moduleRef.ref(k.mem, ref)).name())) break;
          ref = moduleRef.next(k.mem, ref);
          if (ref === 0 || !out.put(' ')) break;
        }
        if (out.full || !out.put(']')) break;
      }
      if (!out.put('\n')) break;
    }
  } catch (e) {
    if (!(e instanceof KernelOops)) throw e;
    k.oops(e, 'get_module_list');
  }
  return out.result();
}

/** `/proc/ksyms`: queryable modules' symbols with `[module]`, then the kernel's. */
export function procKsyms(k: LinuxV24Kernel): Uint8Array {
  k.mem.invalidate();
  const lines: string[] = [];
  try {
    for (const m of k.list()) {
      if (!k.era.canQuery(m.flags)) continue;
      const name = m.name();
      for (const s of k.moduleSymbols(m)) lines.push(`${hex8(s.value)} ${s.name}\t[${name}]\n`);
    }
    for (const s of k.kernelSymbols()) lines.push(`${hex8(s.value)} ${s.name}\n`);
  } catch (e) {
    if (!(e instanceof KernelOops)) throw e;
    k.oops(e, 'get_ksyms_list');
  }
  return latin1Bytes(lines.join(''));
}
