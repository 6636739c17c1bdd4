/**
 * `init_module(name, code, codesize, routines, symtab)`: copies the relocated code behind the use-count word,
 * zero-fills the rest of the pages (the module's BSS), takes the routines, installs insmod's symbol table (names
 * as offsets from the table start, then `module_ref`s whose `module` is the `struct module` address of each module
 * used, as `get_kernel_syms` gave it) and calls `init`. Checks in the kernel's order; no state check, so a running
 * module of that name gets its code overwritten (a real quirk). A failed init leaves the module on the list,
 * uninitialized, for insmod to delete.
 * @see kernel/module.c sys_init_module (1.2.13, 1.3.89, 2.0.40); linux-legacy.md §A.6, Part D
 * @module
 */
import {
  INTERNAL_SYMBOL,
  MOD_AUTOCLEAN,
  MOD_ROUTINES,
  MOD_RUNNING,
  MODULE_REF_V1,
  OLD_INSMOD_SYMTAB_LIMIT,
  PAGE_SIZE_V1,
  SYMBOL_TABLE,
} from '../../abi/linux/v1.js';
import type { PipelineTrace } from '../../core/pipeline.js';
import { err, ok, type Result } from '../../core/result.js';
import { latin1 } from '../linux-v24/kernel-memory.js';
import { getModName } from './get-mod-name.js';
import type { V1Symbol } from './kernel-symbols.js';
import type { LinuxV1Kernel, V1Module } from './linux-v1-kernel.js';
import { checkSuser } from './privilege.js';

/** Largest block the era's `kmalloc` hands out (the 128 KiB bucket minus its header; inferred). */
export const KMALLOC_MAX = 131072 - 16;

/** The arguments as raw registers. */
export interface InitModuleArgs {
  /** `module_name`. */
  readonly name: number;
  /** `code`: the relocated image without its use-count word. */
  readonly code: number;
  /** `codesize` (1.3.57+: or'ed with `MOD_AUTOCLEAN`). */
  readonly codesize: number;
  /** `routines`: `struct mod_routines *`. */
  readonly routines: number;
  /** `symtab`: `struct symbol_table *`, or 0. */
  readonly symtab: number;
}

function u32(b: Uint8Array, at: number): number {
  if (at + 4 > b.length) return 0; // past the kmalloc'd copy: read as zero (inferred, see the module notes)
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

/** The syscall body. */
export function initModule(k: LinuxV1Kernel, a: InitModuleArgs, trace: PipelineTrace): Result<number> {
  const core = k.core;
  const step = (name: string) => trace.steps.push(name);
  step('suser');
  const perm = checkSuser(k, 'init_module');
  if (!perm.ok) return perm;
  let symtab = a.symtab >>> 0;
  if (symtab !== 0 && symtab > OLD_INSMOD_SYMTAB_LIMIT) {
    core.log.warn('warning: you are using an old insmod, no symbols will be inserted!');
    symtab = 0;
  }
  if (k.era.initFreesModules) {
    step('freeModules');
    k.freeModules();
  }
  step('getModName');
  const n = getModName(core.user, a.name);
  if (!n.ok) return n;
  step('copyRoutines');
  const rt = core.user.read(a.routines, MOD_ROUTINES.size);
  if (!rt.ok)
    return err('EFAULT', `init_module: routines at 0x${a.routines.toString(16)} unreadable (inferred)`);
  const cleanup = u32(rt.value, MOD_ROUTINES.cleanup);
  step('findModule');
  const mp = k.findModule(n.value);
  // `""` finds kernel_module (0 pages): the size check below refuses it with EINVAL.
  if (mp === undefined) return err('ENOENT', `init_module: no module ${n.value}`);
  let codesize = a.codesize >>> 0;
  if (k.era.autoclean && codesize & MOD_AUTOCLEAN) {
    codesize = (codesize & ~MOD_AUTOCLEAN) >>> 0;
    k.setUseWord(mp, MOD_AUTOCLEAN); // before the size check: it sticks even when that fails
  }
  step('checkSize');
  if (Math.floor(((codesize + 4 + PAGE_SIZE_V1 - 1) >>> 0) / PAGE_SIZE_V1) > mp.pages)
    return err('EINVAL', `init_module: ${codesize} bytes do not fit ${mp.pages} pages`);
  step('copyCode');
  const code = core.user.read(a.code, codesize);
  if (!code.ok) return err('EFAULT', `init_module: code at 0x${a.code.toString(16)} unreadable (inferred)`);
  const area = new Uint8Array(mp.pages * PAGE_SIZE_V1 - 4);
  area.set(code.value);
  k.mem.write(mp.addr + 4, area);
  mp.cleanup = cleanup;
  if (symtab !== 0) {
    step('installSymtab');
    const r = installSymtab(k, mp, symtab);
    if (!r.ok) return r;
  }
  step('callInit');
  const b = core.behaviours.resolve(mp.name);
  if (k.era.initHoldsCount) k.setUseWord(mp, k.useWord(mp) + 1);
  // The code is not executed: what `init` (at `init`) does is the module's declared behaviour.
  const out = b.init(k.behaviourHost(mp.name));
  // An init that never returns keeps the caller in the kernel; the simulated caller is interrupted (EINTR, as
  // linux-v24 answers) and the module stays uninitialized (2.0: with its count still raised), as on the real one.
  if (out.blocked) return err('EINTR', `init_module: ${mp.name}'s init never returned`);
  if (out.ret !== 0) {
    if (k.era.initHoldsCount) k.setUseWord(mp, 0);
    return err('EBUSY', `init_module: ${mp.name}'s init returned ${out.ret}`);
  }
  if (k.era.initHoldsCount) k.setUseWord(mp, k.useWord(mp) - 1);
  mp.state = MOD_RUNNING;
  core.vfs.mknod(`/dev/${mp.name}`, 'chr', 0o600);
  return ok(0);
}

/** The `if (symtab)` block: copy, sanity checks, name relocation, reference linking. */
function installSymtab(k: LinuxV1Kernel, mp: V1Module, ptr: number): Result<void> {
  const user = k.core.user;
  const head = user.read(ptr, 4);
  if (!head.ok) return err('EFAULT', 'init_module: verify_area(symtab, sizeof(int))');
  const size = u32(head.value, 0) | 0;
  if (size < 0 || size > KMALLOC_MAX) return err('ENOMEM', `init_module: kmalloc(${size}) failed`);
  const copy = user.read(ptr, size);
  if (!copy.ok) return err('EFAULT', `init_module: verify_area(symtab, ${size})`);
  const tab = copy.value.slice();
  const nSymbols = u32(tab, SYMBOL_TABLE.n_symbols) | 0;
  const nRefs = u32(tab, SYMBOL_TABLE.n_refs) | 0;
  // int legal_start = sizeof(struct symbol_table) + n_symbols * 8 + n_refs * 8, in 32-bit arithmetic.
  const legalStart =
    (SYMBOL_TABLE.header + Math.imul(nSymbols, INTERNAL_SYMBOL.size) + Math.imul(nRefs, MODULE_REF_V1.size)) |
    0;
  const illegal = () => {
    k.core.log.err(k.era.illegalSymtab(nSymbols, nRefs));
    return err('EINVAL', `init_module: illegal symbol table (n_symbols=${nSymbols}, n_refs=${nRefs})`);
  };
  if (nSymbols < 0 || nRefs < 0 || legalStart > size) return illegal();
  const symbols: V1Symbol[] = [];
  let at = SYMBOL_TABLE.header;
  for (let i = 0; i < nSymbols; i++, at += INTERNAL_SYMBOL.size) {
    const name = u32(tab, at + INTERNAL_SYMBOL.name);
    if (name < legalStart >>> 0 || size >>> 0 <= name) return illegal();
    const end = tab.indexOf(0, name);
    symbols.push({
      addr: u32(tab, at + INTERNAL_SYMBOL.addr),
      name: latin1(tab.subarray(name, end < 0 ? tab.length : end)),
    });
  }
  const refs: V1Module[] = [];
  const installed = { size, symbols, refs };
  const previous = mp.symtab;
  mp.symtab = installed;
  for (let i = 0; i < nRefs; i++, at += MODULE_REF_V1.size) {
    const target = k.byStruct(u32(tab, at + MODULE_REF_V1.module));
    if (target === undefined) {
      k.core.log.err('Non-module reference! Rejected!');
      if (k.config.residue === 'clean') {
        k.dropRefs(mp);
        mp.symtab = previous;
      }
      return err('EINVAL', 'init_module: a module_ref names no module on module_list');
    }
    target.referrers.unshift(mp);
    refs.push(target);
  }
  return ok(undefined);
}
