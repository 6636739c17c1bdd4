/**
 * The per-call state of `init_module(name, image)` that its steps share (the C function's locals).
 * @module
 */
import type { LinuxV24Kernel } from './linux-v24-kernel.js';
import type { ModuleStruct } from './module-struct.js';

/** Locals of `sys_init_module`. */
export interface InitContext {
  /** The kernel. */
  readonly k: LinuxV24Kernel;
  /** `name_user`. */
  readonly namePtr: number;
  /** `mod_user`: the image in the caller's memory. */
  readonly imagePtr: number;
  /** `name` from the first `get_mod_name`. */
  name: string;
  /** Its bytes. */
  nameBytes: Uint8Array;
  /** `mod`: the module `create_module` made. */
  mod: ModuleStruct | undefined;
  /** `mod_user_size`: the image's `size_of_struct`. */
  userSize: number;
  /** `mod_tmp`: the kernel's header before the copy (the kernel's `sizeof(struct module)` bytes). */
  saved: Uint8Array;
  /** 2.4 `name_tmp`. */
  savedName: Uint8Array;
  /** 2.2 `mod_tmp.next` and 2.4.0 likewise: the link restored once the body is in. */
  savedNext: number;
}

/** A fresh context. */
export function initContext(k: LinuxV24Kernel, namePtr: number, imagePtr: number): InitContext {
  return {
    k,
    namePtr,
    imagePtr,
    name: '',
    nameBytes: new Uint8Array(0),
    mod: undefined,
    userSize: 0,
    saved: new Uint8Array(0),
    savedName: new Uint8Array(0),
    savedNext: 0,
  };
}

/** The module of a context past `findModule` (a step ordering bug otherwise). */
export function modOf(ctx: InitContext): ModuleStruct {
  if (ctx.mod === undefined) throw new Error('init_module: step ran before findModule');
  return ctx.mod;
}
