/**
 * `open(2)` and `close(2)` for the simulated process. Opening a running module's device `/dev/<name>` runs the
 * driver's `open`, which does `MOD_INC_USE_COUNT` on the word in module memory (2.0: with `MOD_VISITED`); its
 * `release` on the last close does `MOD_DEC_USE_COUNT`. A module not running has no open driver: ENODEV.
 * @see include/linux/module.h MOD_INC_USE_COUNT (1.2.13, 2.0.40); fs/devices.c chrdev_open
 * @module
 */
import { MOD_RUNNING } from '../../abi/linux/v1.js';
import { err, ok, type Result } from '../../core/result.js';
import { accessMode, getname } from '../linux-v24/user-access.js';
import type { LinuxV1Kernel } from './linux-v1-kernel.js';

/** `open(pathname, flags)`. */
export function openFile(k: LinuxV1Kernel, pathPtr: number, flags: number): Result<number> {
  const name = getname(k.core.user, pathPtr);
  if (!name.ok) return name;
  const path = name.value;
  const st = k.core.vfs.stat(path);
  if (!st.ok) return st;
  const dev = /^\/dev\/([^/]+)$/.exec(path);
  const m = dev !== null && st.value.type === 'chr' ? k.findModule(dev[1]) : undefined;
  if (dev !== null && st.value.type === 'chr' && (m === undefined || m.state !== MOD_RUNNING))
    return err('ENODEV', `${path}: no driver`);
  const fd = k.core.vfs.open(path, accessMode(flags));
  if (!fd.ok) return fd;
  if (m !== undefined) {
    k.incUseCount(m);
    k.devFds.set(fd.value, m.struct);
  }
  return ok(fd.value);
}

/** `close(fd)`. */
export function closeFile(k: LinuxV1Kernel, fd: number): Result<number> {
  const r = k.core.vfs.close(fd);
  if (!r.ok) return r;
  const struct = k.devFds.get(fd);
  if (struct !== undefined) {
    k.devFds.delete(fd);
    const m = k.byStruct(struct);
    if (m !== undefined) k.decUseCount(m);
  }
  return ok(0);
}
