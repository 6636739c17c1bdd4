/** Helpers for the linux-v26 unit tests: kernels, built images, a state digest. */
import { buildKo, type KoOptions } from '../../../src/elf/builder/ko-builder.js';
import type { ModuleSpec } from '../../../src/elf/builder/module-spec.js';
import { createKernel, type Kernel } from '../../../src/kernel.js';

/** A linux-v26 kernel with `config`. */
export function v26(config: Record<string, unknown> = {}): Kernel<'linux-v26'> {
  return createKernel({ personality: 'linux-v26', config });
}

/** A `.ko` of `spec` (GPL unless told otherwise). */
export function ko(spec: ModuleSpec, opts?: KoOptions): Uint8Array {
  return buildKo({ license: 'GPL', ...spec }, opts);
}

/**
 * What a failed call must leave unchanged: the module area (allocations and their bytes), the symbol table,
 * the module list with every record, the files (generated ones by their contents) and declared behaviours.
 * Not included: the log, taints and the registry's sequence counter, which the real kernel does not roll back.
 */
export function digest(k: Kernel): string {
  const modules = k.core.modules.snapshot() as { modules: unknown };
  return JSON.stringify({
    memory: k.core.memory.snapshot(),
    symbols: k.core.symbols.snapshot(),
    modules: modules.modules,
    vfs: k.core.vfs.snapshot(),
    behaviours: k.core.behaviours.snapshot(),
    proc: k.read('/proc/modules'),
    sys: k.core.vfs.readdir('/sys/module'),
    dev: k.core.vfs.readdir('/dev'),
  });
}

/** Kernel log lines written since `cursor`. */
export function logSince(k: Kernel, cursor: number): string[] {
  return k.core.log.lines(cursor).map((l) => l.text);
}

/**
 * The same image with every `R_X86_64_PLT32` turned into `R_X86_64_PC32` (same formula): what an older binutils
 * emits, and what kernels before 4.16 accept.
 */
export function withoutPlt32(image: Uint8Array): Uint8Array {
  const out = image.slice();
  const v = new DataView(out.buffer);
  const shoff = Number(v.getBigUint64(40, true));
  const shnum = v.getUint16(60, true);
  for (let i = 0; i < shnum; i++) {
    const sh = shoff + i * 64;
    if (v.getUint32(sh + 4, true) !== 4) continue;
    const off = Number(v.getBigUint64(sh + 24, true));
    const size = Number(v.getBigUint64(sh + 32, true));
    for (let e = off; e < off + size; e += 24)
      if (v.getUint32(e + 8, true) === 4) v.setUint32(e + 8, 2, true);
  }
  return out;
}
