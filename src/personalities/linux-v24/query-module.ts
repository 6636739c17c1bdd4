/**
 * `query_module(name, which, buf, bufsize, ret)` with the kernel's buffer layouts: NUL-terminated names packed
 * back to back (QM_MODULES/DEPS/REFS), `struct module_symbol { value; offset-of-name-in-buf }[nsyms]` followed
 * by the strings (QM_SYMBOLS), `struct module_info` (QM_INFO). When a string does not fit, what did fit stays
 * written, `*ret` gets the bytes the whole answer needs and the call fails with ENOSPC. No privilege is needed.
 * @see kernel/module.c sys_query_module, qm_modules, qm_deps, qm_refs, qm_symbols, qm_info (2.2.1, 2.4.27)
 * @module
 */
import {
  MOD_RUNNING,
  MODULE_INFO,
  MODULE_REF,
  QM_DEPS,
  QM_INFO,
  QM_MODULES,
  QM_REFS,
  QM_SYMBOLS,
} from '../../abi/linux/v24.js';
import { err, ok, type Result } from '../../core/result.js';
import { latin1Bytes } from './kernel-memory.js';
import type { LinuxV24Kernel, V24Symbol } from './linux-v24-kernel.js';
import { type ModuleStruct, moduleRef } from './module-struct.js';
import { accessOk, copyToUser, getModName, putUser32, u32Bytes } from './user-access.js';

/** The queried module, or `kernel_module` (NULL name). */
type Target = ModuleStruct | 'kernel';

/** The syscall body; `which` is the C `int`, `bufsize` the `size_t`. */
export function queryModule(
  k: LinuxV24Kernel,
  namePtr: number,
  which: number,
  buf: number,
  bufsize: number,
  retPtr: number,
): Result<number> {
  let target: Target = 'kernel';
  if (namePtr !== 0) {
    const n = getModName(k.core.user, namePtr, k.era.checksTaskSize);
    if (!n.ok) return n;
    const m = k.findModule(n.value.name);
    if (m === undefined) return err('ENOENT', `query_module: no module ${n.value.name}`);
    target = m;
  }
  const size = bufsize >>> 0;
  // 2.4.27 pins the target while it answers ("__MOD_ touches the flags. We must avoid that").
  const pinned = k.era.queryPins && target !== 'kernel' ? target : undefined;
  if (pinned !== undefined) pinned.usecount = pinned.usecount + 1;
  try {
    switch (which) {
      case 0:
        return ok(0);
      case QM_MODULES:
        return qmModules(k, buf, size, retPtr);
      case QM_DEPS:
        return target === 'kernel'
          ? err('EINVAL', 'QM_DEPS of the kernel')
          : qmDeps(k, target, buf, size, retPtr);
      case QM_REFS:
        return target === 'kernel'
          ? err('EINVAL', 'QM_REFS of the kernel')
          : qmRefs(k, target, buf, size, retPtr);
      case QM_SYMBOLS:
        return qmSymbols(k, target, buf, size, retPtr);
      case QM_INFO:
        return target === 'kernel'
          ? err('EINVAL', 'QM_INFO of the kernel')
          : qmInfo(k, target, buf, size, retPtr);
      default:
        return err('EINVAL', `query_module: unknown which ${which}`);
    }
  } finally {
    if (pinned !== undefined) pinned.usecount = pinned.usecount - 1;
  }
}

function put(k: LinuxV24Kernel, retPtr: number, value: number): Result<void> {
  return putUser32(k.core.user, retPtr, value);
}

function finish(k: LinuxV24Kernel, retPtr: number, value: number, answer: Result<number>): Result<number> {
  const r = put(k, retPtr, value);
  return r.ok ? answer : err('EFAULT', 'query_module: ret is not writable');
}

function cstr(name: string): Uint8Array {
  const b = latin1Bytes(name);
  const out = new Uint8Array(b.length + 1);
  out.set(b);
  return out;
}

/** Copies names back to back; on the first that does not fit, `*ret` = all the space needed and ENOSPC. */
function packNames(
  k: LinuxV24Kernel,
  names: () => Iterable<string>,
  buf: number,
  bufsize: number,
  retPtr: number,
) {
  let space = 0;
  let count = 0;
  let left = bufsize;
  let at = buf;
  let overflow = false;
  for (const name of names()) {
    const bytes = cstr(name);
    if (!overflow && bytes.length > left) overflow = true;
    if (overflow) {
      space += bytes.length;
      continue;
    }
    const w = copyToUser(k.core.user, at, bytes);
    if (!w.ok) return err('EFAULT', 'query_module: buffer is not writable');
    at += bytes.length;
    left -= bytes.length;
    space += bytes.length;
    count++;
  }
  return overflow
    ? finish(k, retPtr, space, err('ENOSPC', `query_module: ${space} bytes needed`))
    : finish(k, retPtr, count, ok(0));
}

function qmModules(k: LinuxV24Kernel, buf: number, bufsize: number, retPtr: number): Result<number> {
  return packNames(k, () => k.list().map((m) => m.name()), buf, bufsize, retPtr);
}

function notQueryable(k: LinuxV24Kernel, m: ModuleStruct, retPtr: number): Result<number> | undefined {
  return k.era.canQuery(m.flags) ? undefined : finish(k, retPtr, 0, ok(0));
}

function qmDeps(
  k: LinuxV24Kernel,
  m: ModuleStruct,
  buf: number,
  bufsize: number,
  retPtr: number,
): Result<number> {
  const early = notQueryable(k, m, retPtr);
  if (early !== undefined) return early;
  const names = function* () {
    const n = m.get('ndeps');
    for (let i = 0; i < n; i++) yield k.struct(k.mem.u32(m.depAt(i) + MODULE_REF.dep)).name();
  };
  return packNames(k, names, buf, bufsize, retPtr);
}

function qmRefs(
  k: LinuxV24Kernel,
  m: ModuleStruct,
  buf: number,
  bufsize: number,
  retPtr: number,
): Result<number> {
  const early = notQueryable(k, m, retPtr);
  if (early !== undefined) return early;
  const names = function* () {
    for (let ref = m.get('refs'); ref !== 0; ref = moduleRef.next(k.mem, ref))
      yield k.struct(moduleRef.ref(k.mem, ref)).name();
  };
  return packNames(k, names, buf, bufsize, retPtr);
}

function qmSymbols(
  k: LinuxV24Kernel,
  t: Target,
  buf: number,
  bufsize: number,
  retPtr: number,
): Result<number> {
  const flags = t === 'kernel' ? MOD_RUNNING : t.flags;
  if (!k.era.canQuery(flags)) return finish(k, retPtr, 0, ok(0));
  const syms: V24Symbol[] = t === 'kernel' ? k.kernelSymbols() : k.moduleSymbols(t);
  let space = syms.length * 8;
  let i = 0;
  let left = bufsize;
  if (space <= left) {
    if (!accessOk(buf, space)) return err('EFAULT', 'query_module: buffer outside user space');
    left -= space;
    let strings = buf + space;
    for (; i < syms.length; i++) {
      const bytes = cstr(syms[i].name);
      if (bytes.length > left) break;
      const entry = new Uint8Array(8);
      entry.set(u32Bytes(syms[i].value), 0);
      entry.set(u32Bytes(space), 4);
      if (!copyToUser(k.core.user, strings, bytes).ok || !copyToUser(k.core.user, buf + i * 8, entry).ok)
        return err('EFAULT', 'query_module: buffer is not writable');
      strings += bytes.length;
      left -= bytes.length;
      space += bytes.length;
    }
    if (i === syms.length) return finish(k, retPtr, i, ok(0));
  }
  for (; i < syms.length; i++) space += latin1Bytes(syms[i].name).length + 1;
  return finish(k, retPtr, space, err('ENOSPC', `query_module: ${space} bytes needed`));
}

function qmInfo(
  k: LinuxV24Kernel,
  m: ModuleStruct,
  buf: number,
  bufsize: number,
  retPtr: number,
): Result<number> {
  let answer: Result<number> = ok(0);
  if (bufsize >= MODULE_INFO.sizeof) {
    const usecount = m.canUnload() !== 0 ? -1 : m.usecount - (k.era.queryPins ? 1 : 0);
    const info = new Uint8Array(MODULE_INFO.sizeof);
    info.set(u32Bytes(m.addr), MODULE_INFO.addr);
    info.set(u32Bytes(m.get('size')), MODULE_INFO.size);
    info.set(u32Bytes(m.flags), MODULE_INFO.flags);
    info.set(u32Bytes(usecount), MODULE_INFO.usecount);
    if (!copyToUser(k.core.user, buf, info).ok) return err('EFAULT', 'query_module: buffer is not writable');
  } else answer = err('ENOSPC', 'query_module: module_info does not fit');
  return finish(k, retPtr, MODULE_INFO.sizeof, answer);
}
