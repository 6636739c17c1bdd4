/**
 * The kernel calls libkmod makes (`finit_module`, `init_module`, `delete_module`) and the files it reads to
 * learn the kernel's state (`/proc/modules`, `/sys/module/<name>/{initstate,refcnt,coresize,holders}`).
 * @see libkmod/libkmod-module.c (kmod 30) kmod_module_insert_module, kmod_module_remove_module,
 *   kmod_module_get_initstate, kmod_module_get_refcnt, kmod_module_get_size, kmod_module_get_holders
 * @module
 */
import type { ErrnoName } from '../../../abi/errno.js';
import { fail, ok, type Result } from '../../../core/result.js';
import type { KmodFs } from './kmod-fs.js';

/** `O_NONBLOCK` (x86). Source: include/uapi/asm-generic/fcntl.h. kmod passes it as `KMOD_REMOVE_NOWAIT`. */
export const O_NONBLOCK = 0o4000;
/** `O_TRUNC` (x86). Source: include/uapi/asm-generic/fcntl.h. kmod passes it as `KMOD_REMOVE_FORCE`. */
export const O_TRUNC = 0o1000;
/** `O_EXCL`: module-init-tools' rmmod always passed it. Source: include/uapi/asm-generic/fcntl.h. */
export const O_EXCL = 0o200;
/** `MODULE_INIT_IGNORE_MODVERSIONS`. Source: include/uapi/linux/module.h. */
export const MODULE_INIT_IGNORE_MODVERSIONS = 1;
/** `MODULE_INIT_IGNORE_VERMAGIC`. Source: include/uapi/linux/module.h. */
export const MODULE_INIT_IGNORE_VERMAGIC = 2;

/** The calls that reach the (simulated) kernel; each failure is the syscall's errno. */
export interface KmodKernel {
  /** `open(path, O_RDONLY|O_CLOEXEC)` as the calling process. */
  open(path: string): Result<number, ErrnoName>;
  /** `close(fd)`. */
  close(fd: number): void;
  /** `finit_module(fd, args, flags)`. */
  finitModule(fd: number, args: string, flags: number): Result<void, ErrnoName>;
  /** `init_module(image, len, args)`. */
  initModule(image: Uint8Array, args: string): Result<void, ErrnoName>;
  /** `delete_module(name, flags)`. */
  deleteModule(name: string, flags: number): Result<void, ErrnoName>;
}

/** `enum kmod_module_initstate`. */
export type KmodInitstate = 'builtin' | 'live' | 'coming' | 'going';

/**
 * `kmod_module_get_initstate` for a module that is not built in: `/sys/module/<name>/initstate`; a module
 * directory without that file counts as coming; anything else is the open's errno (or EINVAL for an unknown
 * word).
 */
export function readInitstate(fs: KmodFs, name: string): Result<KmodInitstate, ErrnoName> {
  const data = fs.readFile(`/sys/module/${name}/initstate`);
  if (!data.ok) {
    const dir = fs.stat(`/sys/module/${name}`);
    if (dir.ok && dir.value.type === 'dir') return ok('coming');
    return data;
  }
  const text = new TextDecoder().decode(data.value.subarray(0, 31));
  if (text === 'live\n') return ok('live');
  if (text === 'coming\n') return ok('coming');
  if (text === 'going\n') return ok('going');
  return fail('EINVAL');
}

/** `read_str_long(fd, &v, 10)`: strtol of the file's first line; EINVAL when it is not a number. */
function readLong(fs: KmodFs, path: string): Result<number, ErrnoName> {
  const data = fs.readFile(path);
  if (!data.ok) return data;
  const text = new TextDecoder().decode(data.value.subarray(0, 31));
  const m = /^\s*([+-]?\d+)/.exec(text);
  if (m === null) return fail('EINVAL');
  const rest = text.slice(m[0].length);
  if (rest !== '' && rest !== '\n') return fail('EINVAL');
  return ok(Number(m[1]));
}

/** `kmod_module_get_refcnt`: `/sys/module/<name>/refcnt`. */
export function readRefcnt(fs: KmodFs, name: string): Result<number, ErrnoName> {
  return readLong(fs, `/sys/module/${name}/refcnt`);
}

/**
 * `kmod_module_get_size`: `/sys/module/<name>/coresize` (Linux ≥ 3.3), else the size column of
 * `/proc/modules`; the errno of opening `/sys/module/<name>` when the module is not loaded.
 */
export function readSize(fs: KmodFs, name: string): Result<number, ErrnoName> {
  const dir = fs.stat(`/sys/module/${name}`);
  if (!dir.ok) return dir;
  const core = fs.readFile(`/sys/module/${name}/coresize`);
  if (core.ok) {
    const v = readLong(fs, `/sys/module/${name}/coresize`);
    return v.ok ? v : ok(-2);
  }
  const proc = fs.readFile('/proc/modules');
  if (!proc.ok) return proc;
  for (const line of new TextDecoder().decode(proc.value).split('\n')) {
    const tok = line.split(/[ \t]+/);
    if (tok[0] !== name) continue;
    const n = /^[+-]?\d+$/.exec(tok[1] ?? '');
    return n === null ? ok(-2) : ok(Number(tok[1]));
  }
  return ok(-2);
}

/** `kmod_module_get_holders`: the names in `/sys/module/<name>/holders`, or the errno of opening it. */
export function readHolders(fs: KmodFs, name: string): Result<string[], ErrnoName> {
  const ents = fs.readdir(`/sys/module/${name}/holders`);
  if (!ents.ok) return ents;
  return ok(ents.value.map((e) => e.name));
}

/** `kmod_module_new_from_loaded`: module names from `/proc/modules`, in its order. */
export function readLoaded(fs: KmodFs): Result<string[], ErrnoName> {
  const proc = fs.readFile('/proc/modules');
  if (!proc.ok) return proc;
  const names: string[] = [];
  for (const line of new TextDecoder().decode(proc.value).split('\n')) {
    const name = line.split(/[ \t]+/)[0];
    if (name !== undefined && name !== '') names.push(name);
  }
  return ok(names);
}
