/**
 * The typed syscall facade of `hpux-dlkm` (`kernel.sys`): raw calls returning the `-1` + errno convention, and
 * convenience methods that throw `KmodsimError`.
 * @module
 */
import { KmodsimError } from '../../core/kernel-error.js';
import type { SyscallReturn, SyscallTable } from '../../core/syscall-table.js';
import type { UserMemory, UserPtr } from '../../core/user-memory.js';
import { decodeModStatus, type ModStatus, modstatusSize } from './modstatus.js';

/** What `modstat` returns through the facade: the raw return plus the decoded buffer on success. */
export interface ModstatReturn extends SyscallReturn {
  /** The decoded `struct modstatus`, when the call succeeded. */
  readonly status?: ModStatus;
}

/** The HP-UX DLKM calls. */
export class HpuxDlkmSys {
  /** @internal */
  constructor(
    private readonly table: SyscallTable,
    private readonly user: UserMemory,
    private readonly v1: boolean,
  ) {}

  /** `modload(pathname)`: a module name, an absolute path, or a raw pointer. Returns the module id. */
  modload(pathname: string | UserPtr): SyscallReturn {
    return this.table.invoke('modload', { pathname });
  }

  /** `moduload(module_id)`; 0 unloads every unloadable module. */
  moduload(moduleId: number): SyscallReturn {
    return this.table.invoke('moduload', { module_id: moduleId });
  }

  /**
   * `modstat(module_id, stbuf, get_next_module)`. Without `stbuf` a buffer of the release's
   * `sizeof(struct modstatus)` is allocated and decoded into `status`.
   */
  modstat(moduleId: number, stbuf?: UserPtr, getNext: boolean | number = false): ModstatReturn {
    const buf = stbuf ?? this.user.alloc(modstatusSize(this.v1));
    try {
      const r = this.table.invoke('modstat', { module_id: moduleId, stbuf: buf, get_next_module: getNext });
      if (r.errno !== undefined || stbuf !== undefined) return r;
      const bytes = this.user.read(buf, modstatusSize(this.v1));
      return bytes.ok ? { ...r, status: decodeModStatus(bytes.value, this.v1) } : r;
    } finally {
      if (stbuf === undefined) this.user.unmap(buf);
    }
  }

  /** `modpath(pathname)`; `undefined` (NULL) resets the search path to its default. */
  modpath(pathname?: string | UserPtr): SyscallReturn {
    return this.table.invoke('modpath', { pathname });
  }

  /** `open(path, O_RDONLY)`: opening `/dev/<module>` holds (and if needed autoloads) the module. */
  open(path: string | UserPtr): SyscallReturn {
    return this.table.invoke('open', { path, oflag: 0 });
  }

  /** `close(fd)`. */
  close(fd: number): SyscallReturn {
    return this.table.invoke('close', { fd });
  }

  /** Loads a module and returns its id; throws `KmodsimError` on failure. */
  load(pathname: string): number {
    return Number(this.check('modload', this.modload(pathname)));
  }

  /** Unloads a module by id; throws `KmodsimError` on failure. */
  unload(moduleId: number): void {
    this.check('moduload', this.moduload(moduleId));
  }

  /** The status of a module; throws `KmodsimError` on failure. */
  stat(moduleId: number, getNext = false): ModStatus {
    const r = this.modstat(moduleId, undefined, getNext);
    this.check('modstat', r);
    return r.status!;
  }

  /** Every registered module, by walking `modstat(id, buf, TRUE)` from id 1 until EINVAL. */
  list(): ModStatus[] {
    const out: ModStatus[] = [];
    for (let id = 1; ; ) {
      const r = this.modstat(id, undefined, true);
      if (r.status === undefined) return out;
      out.push(r.status);
      id = r.status.id + 1;
    }
  }

  private check(call: string, r: SyscallReturn): number | bigint {
    if (r.errno !== undefined) throw new KmodsimError(call, r.errno, r.errnoNumber ?? 0, `${call} failed`);
    return r.ret;
  }
}
