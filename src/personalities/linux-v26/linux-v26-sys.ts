/**
 * The typed syscall facade of a linux-v26 kernel (`k.sys`).
 * @module
 */
import type { SyscallReturn } from '../../core/syscall-table.js';

/** A user pointer (number) or a value the facade maps into user memory for the call. */
export type UserArg<T> = T | number;

/** `k.sys` of linux-v26: raw calls returning the syscall convention, and throwing conveniences. */
export interface LinuxV26Sys {
  /** `init_module(umod, len, uargs)`: an image is mapped for the call; a number is a raw user pointer. */
  init_module(image: UserArg<Uint8Array>, len?: number, params?: UserArg<string>): SyscallReturn;
  /** `finit_module(fd, uargs, flags)`. */
  finit_module(fd: number, params?: UserArg<string>, flags?: number): SyscallReturn;
  /** `delete_module(name_user, flags)`. */
  delete_module(name: UserArg<string>, flags?: number): SyscallReturn;
}
