/**
 * The typed syscall facade of a linux-v26 kernel (`k.sys`): raw calls returning the Linux convention (`ret`,
 * `errno`, `errnoNumber`) with convenient or raw arguments, and throwing conveniences.
 * @module
 */
import { KmodsimError } from '../../core/kernel-error.js';
import type { SyscallArgs, SyscallReturn, SyscallTable } from '../../core/syscall-table.js';
import type { UserArg } from '../../core/user-memory.js';

export type { UserArg };

/** Flags: a number, `'O_TRUNC|O_NONBLOCK'`, or a list of names. */
export type FlagsArg = number | string | readonly string[];

/** `k.sys` of linux-v26. Every call goes through the syscall table (and its trace). */
export class LinuxV26Sys {
  /** @internal */
  constructor(private readonly table: SyscallTable) {}

  /**
   * `init_module(umod, len, uargs)`. `image` is mapped for the call (a number is a raw pointer); `len` defaults
   * to the image's length; `params` defaults to `""` — pass `null` for a NULL pointer.
   */
  init_module(image: UserArg<Uint8Array>, len?: number, params?: UserArg<string> | null): SyscallReturn {
    const args: Record<string, SyscallArgs[string]> = { umod: image };
    if (len !== undefined) args.len = len;
    args.uargs = params === null ? undefined : (params ?? '');
    return this.table.invoke('init_module', args);
  }

  /** `finit_module(fd, uargs, flags)`; a path string is opened read-only for the call. */
  finit_module(fd: number | string, params?: UserArg<string> | null, flags: FlagsArg = 0): SyscallReturn {
    return this.table.invoke('finit_module', {
      fd,
      uargs: params === null ? undefined : (params ?? ''),
      flags: typeof flags === 'object' ? [...flags] : flags,
    });
  }

  /** `delete_module(name_user, flags)`. */
  delete_module(name: UserArg<string>, flags: FlagsArg = 0): SyscallReturn {
    return this.table.invoke('delete_module', {
      name_user: name,
      flags: typeof flags === 'object' ? [...flags] : flags,
    });
  }

  /** `open(pathname, flags, mode)`. */
  open(path: UserArg<string>, flags: FlagsArg = 0, mode = 0o644): SyscallReturn {
    return this.table.invoke('open', {
      pathname: path,
      flags: typeof flags === 'object' ? [...flags] : flags,
      mode,
    });
  }

  /** `close(fd)`. */
  close(fd: number): SyscallReturn {
    return this.table.invoke('close', { fd });
  }

  /** Loads an image; throws {@link KmodsimError} on failure. */
  load(image: Uint8Array, params = ''): void {
    check('init_module', this.init_module(image, undefined, params));
  }

  /** Loads a file of the VFS with `finit_module`; throws on failure. */
  loadFile(path: string, params = '', flags: FlagsArg = 0): void {
    check('finit_module', this.finit_module(path, params, flags));
  }

  /** Unloads a module; throws on failure. */
  unload(name: string, flags: FlagsArg = 'O_NONBLOCK'): void {
    check('delete_module', this.delete_module(name, flags));
  }
}

function check(call: string, r: SyscallReturn): void {
  if (r.errno !== undefined) throw new KmodsimError(call, r.errno, r.errnoNumber ?? 0, `${call} failed`);
}
