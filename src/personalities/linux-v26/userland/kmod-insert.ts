/**
 * `kmod_module_insert_module`: opens the module file and hands it to the kernel — `finit_module` on the file
 * descriptor for an uncompressed file (falling back to `init_module` only when the kernel answers ENOSYS, i.e.
 * before Linux 3.8), `init_module` on the decompressed bytes otherwise. With force flags the fallback copy has
 * `__versions` unmarked `SHF_ALLOC` and `vermagic=` blanked, as kmod does.
 * @see libkmod/libkmod-module.c (kmod 30) kmod_module_insert_module; libkmod/libkmod-elf.c kmod_elf_strip_*
 * @module
 */
import type { ErrnoName } from '../../../abi/errno.js';
import { fail, OK_VOID, type Result } from '../../../core/result.js';
import { KmodElf } from './kmod-elf.js';
import { type KmodDecompressor, kmodFileOpen } from './kmod-file.js';
import type { KmodFs } from './kmod-fs.js';
import {
  type KmodKernel,
  MODULE_INIT_IGNORE_MODVERSIONS,
  MODULE_INIT_IGNORE_VERMAGIC,
} from './kmod-kernel.js';

/** `KMOD_INSERT_FORCE_VERMAGIC` / `KMOD_PROBE_FORCE_VERMAGIC`. Source: libkmod/libkmod.h. */
export const KMOD_INSERT_FORCE_VERMAGIC = 0x1;
/** `KMOD_INSERT_FORCE_MODVERSION` / `KMOD_PROBE_FORCE_MODVERSION`. Source: libkmod/libkmod.h. */
export const KMOD_INSERT_FORCE_MODVERSION = 0x2;

/** Where and how to insert. */
export interface InsertRequest {
  /** Files. */
  readonly fs: KmodFs;
  /** Kernel calls. */
  readonly kernel: KmodKernel;
  /** Absolute path of the module file. */
  readonly path: string;
  /** `KMOD_INSERT_FORCE_*` flags. */
  readonly flags: number;
  /** Parameter string (`""` when none). */
  readonly args: string;
  /** Decompressor for `.ko.xz` / `.ko.zst`. */
  readonly decompress?: KmodDecompressor;
}

/** Inserts a module; the error is the errno kmod returns (from the file open or from the kernel). */
export function kmodInsertModule(req: InsertRequest): Result<void, ErrnoName> {
  const { fs, kernel, path, flags, args } = req;
  const fd = kernel.open(path);
  if (!fd.ok) return fd;
  try {
    const file = kmodFileOpen(fs, path, req.decompress);
    if (!file.ok) return file;
    if (file.value.direct) {
      let kernelFlags = 0;
      if (flags & KMOD_INSERT_FORCE_VERMAGIC) kernelFlags |= MODULE_INIT_IGNORE_VERMAGIC;
      if (flags & KMOD_INSERT_FORCE_MODVERSION) kernelFlags |= MODULE_INIT_IGNORE_MODVERSIONS;
      const r = kernel.finitModule(fd.value, args, kernelFlags);
      if (r.ok || r.error !== 'ENOSYS') return r;
    }
    let mem = file.value.memory;
    if (flags & (KMOD_INSERT_FORCE_VERMAGIC | KMOD_INSERT_FORCE_MODVERSION)) {
      const elf = KmodElf.open(mem);
      if (!elf.ok) return fail(elf.error);
      const changed = Uint8Array.from(mem);
      // Failures to strip are only logged at INFO by kmod; the insert goes on.
      if (flags & KMOD_INSERT_FORCE_MODVERSION) elf.value.stripSection('__versions', changed);
      if (flags & KMOD_INSERT_FORCE_VERMAGIC) elf.value.stripVermagic(changed);
      mem = changed;
    }
    const r = kernel.initModule(mem, args);
    return r.ok ? OK_VOID : r;
  } finally {
    kernel.close(fd.value);
  }
}
