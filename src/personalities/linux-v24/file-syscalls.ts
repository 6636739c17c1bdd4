/**
 * `open(2)` and `close(2)` for the simulated process. Opening a running module's device `/dev/<name>` does what
 * a 2.4 `chrdev_open` does through `fops_get`: `try_inc_mod_count(owner)`, i.e. `__MOD_INC_USE_COUNT` (count up,
 * `MOD_VISITED | MOD_USED_ONCE`), refused with ENODEV for a module being deleted; closing it is
 * `__MOD_DEC_USE_COUNT` (count down, `MOD_VISITED`) — the marks autoclean reaping reads.
 * @see fs/devices.c chrdev_open, get_chrfops (2.4); include/linux/module.h __MOD_INC_USE_COUNT
 * @module
 */
import { MOD_DELETED } from '../../abi/linux/v24.js';
import { err, ok, type Result } from '../../core/result.js';
import type { LinuxV24Kernel } from './linux-v24-kernel.js';
import { accessMode, getname } from './user-access.js';

/** `open(pathname, flags, mode)`. */
export function openFile(k: LinuxV24Kernel, pathPtr: number, flags: number): Result<number> {
  const name = getname(k.core.user, pathPtr);
  if (!name.ok) return name;
  const path = name.value;
  const st = k.core.vfs.stat(path);
  if (!st.ok) return st;
  const fd = k.core.vfs.open(path, accessMode(flags));
  if (!fd.ok) return fd;
  const dev = /^\/dev\/([^/]+)$/.exec(path);
  if (dev !== null && st.value.type === 'chr') {
    const rec = k.core.modules.get(dev[1]);
    if (rec !== undefined) {
      const m = k.struct(Number(rec.address));
      if (m.flags & MOD_DELETED) {
        k.core.vfs.close(fd.value);
        return err('ENODEV', `${path}: module is being deleted`);
      }
      k.incUseCount(m);
      k.devFds.set(fd.value, m.addr);
    }
  }
  return ok(fd.value);
}

/** `close(fd)`. */
export function closeFile(k: LinuxV24Kernel, fd: number): Result<number> {
  const r = k.core.vfs.close(fd);
  if (!r.ok) return r;
  const addr = k.devFds.get(fd);
  if (addr !== undefined) {
    k.devFds.delete(fd);
    k.decUseCount(k.struct(addr));
  }
  return ok(0);
}
