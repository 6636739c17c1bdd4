/**
 * `open(2)` and `close(2)` for the simulated process: files for `finit_module`, and module device nodes —
 * opening `/dev/<module>` takes a reference on the module (`fops_get` → `try_module_get`), closing drops it.
 * @see fs/open.c do_sys_open; fs/char_dev.c chrdev_open
 * @module
 */
import { O_ACCMODE, O_CREAT, O_DIRECTORY, O_PATH, O_RDONLY, O_WRONLY } from '../../abi/linux/v26.js';
import { err, ok, type Result } from '../../core/result.js';
import type { LinuxV26Kernel } from './linux-v26-kernel.js';

/** `open(pathname, flags, mode)`. */
export function openFile(k: LinuxV26Kernel, pathPtr: number, flags: number, mode: number): Result<number> {
  const vfs = k.core.vfs;
  const p = k.core.user.strncpyFromUser(pathPtr, 4096);
  if (!p.ok) return err('EFAULT', p.error.reason);
  if (p.value.truncated) return err('ENAMETOOLONG', 'path too long');
  const path = p.value.value;
  if (path === '') return err('ENOENT', 'empty path');
  const acc = flags & O_ACCMODE;
  // O_PATH: a location only (build_open_flags drops the access mode); no f_op->open, so a device takes no
  // module reference, and fdget() refuses the file later (finit_module: EBADF).
  const pathOnly = (flags & O_PATH) !== 0;
  const read = !pathOnly && acc !== O_WRONLY;
  const write = !pathOnly && acc !== O_RDONLY;
  let st = vfs.stat(path);
  if (!st.ok && st.error.errno === 'ENOENT' && !pathOnly && (flags & O_CREAT) !== 0) {
    const made = vfs.writeFile(path, new Uint8Array(0), { mode: mode & 0o7777 });
    if (!made.ok) return made;
    st = vfs.stat(path);
  }
  if (!st.ok) return st;
  if ((flags & O_DIRECTORY) !== 0 && st.value.type !== 'dir')
    return err('ENOTDIR', `${path}: not a directory`);
  const fd = vfs.open(path, { read, write });
  if (!fd.ok) return fd;
  const m = pathOnly ? null : /^\/dev\/([^/]+)$/.exec(path);
  if (m !== null && st.value.type === 'chr') {
    const mod = k.find(m[1]);
    if (mod !== undefined) {
      if (!k.tryModuleGet(mod)) {
        vfs.close(fd.value);
        return err('ENXIO', `${path}: module is going away`);
      }
      k.devFds.set(fd.value, mod.record.name);
    }
  }
  return ok(fd.value);
}

/** `close(fd)`. */
export function closeFile(k: LinuxV26Kernel, fd: number): Result<number> {
  const r = k.core.vfs.close(fd);
  if (!r.ok) return r;
  const name = k.devFds.get(fd);
  if (name !== undefined) {
    k.devFds.delete(fd);
    const mod = k.find(name, true);
    if (mod !== undefined) k.modulePut(mod);
  }
  return ok(0);
}
