/**
 * A `struct module` living in module memory, read and written member by member at its i386 offsets — the
 * kernel's own bookkeeping (flags, use count, `refs` chain, `next` link) is these bytes, so a saved kernel state
 * restores it and an experiment can inspect it.
 * @see include/linux/module.h (2.2.1, 2.4.27)
 * @module
 */
import {
  MODULE_OFFSETS,
  MODULE_REF,
  MODULE_SYMBOL,
  type ModuleMember,
  modMemberPresent,
} from '../../abi/linux/v24.js';
import type { KernelMemory } from './kernel-memory.js';

/** Accessors of one `struct module` at `addr`. */
export class ModuleStruct {
  constructor(
    /** The kernel memory. */
    readonly mem: KernelMemory,
    /** Address of the struct (the module's base address). */
    readonly addr: number,
  ) {}

  /** A member as an unsigned 32-bit value. */
  get(member: ModuleMember): number {
    return this.mem.u32(this.addr + MODULE_OFFSETS[member]);
  }

  /** Stores a member. */
  set(member: ModuleMember, value: number): void {
    this.mem.setU32(this.addr + MODULE_OFFSETS[member], value >>> 0);
  }

  /** `mod->flags`. */
  get flags(): number {
    return this.get('flags');
  }

  set flags(v: number) {
    this.set('flags', v);
  }

  /** `atomic_read(&mod->uc.usecount)` (signed). */
  get usecount(): number {
    return this.get('usecount') | 0;
  }

  set usecount(v: number) {
    this.set('usecount', v);
  }

  /** `mod->next`. */
  get next(): number {
    return this.get('next');
  }

  /** `mod->name` as a string (read through the pointer). */
  name(): string {
    return this.mem.cstring(this.get('name'));
  }

  /** `mod_member_present(mod, member)` for this image's `size_of_struct`. */
  present(member: ModuleMember): boolean {
    return modMemberPresent(this.get('size_of_struct'), member);
  }

  /** `mod->can_unload`, or 0 when the member is not present. */
  canUnload(): number {
    return this.present('can_unload') ? this.get('can_unload') : 0;
  }

  /** Address of `deps[i]`. */
  depAt(i: number): number {
    return (this.get('deps') + i * MODULE_REF.size) >>> 0;
  }

  /** `deps[i].dep`. */
  depTarget(i: number): number {
    return this.mem.u32(this.depAt(i) + MODULE_REF.dep);
  }

  /** Address of `syms[i]`. */
  symAt(i: number): number {
    return (this.get('syms') + i * MODULE_SYMBOL.size) >>> 0;
  }
}

/** `module_ref` accessors. */
export const moduleRef = {
  /** `ref->dep`. */
  dep: (mem: KernelMemory, ref: number): number => mem.u32(ref + MODULE_REF.dep),
  /** `ref->ref`. */
  ref: (mem: KernelMemory, ref: number): number => mem.u32(ref + MODULE_REF.ref),
  /** `ref->next_ref`. */
  next: (mem: KernelMemory, ref: number): number => mem.u32(ref + MODULE_REF.next_ref),
  /** Sets `ref->ref`. */
  setRef: (mem: KernelMemory, ref: number, v: number): void => mem.setU32(ref + MODULE_REF.ref, v),
  /** Sets `ref->next_ref`. */
  setNext: (mem: KernelMemory, ref: number, v: number): void => mem.setU32(ref + MODULE_REF.next_ref, v),
} as const;
