/**
 * The userland of the `linux-v26` personality: kmod 30's `insmod`, `rmmod`, `lsmod`, `modinfo`, `modprobe` and
 * `depmod` with their real flags, messages and output formats, as the personality's tools and neutral actions,
 * plus the host fast path (`depmodHost`, `modinfoHost`) for real module trees.
 * @module
 */
import type { ErrnoName } from '../../../abi/errno.js';
import type { KernelCore } from '../../../core/kernel-core.js';
import type { ActionResult, NeutralActions, Tool } from '../../personality.js';
import type { LinuxV26UserlandContext } from '../userland-context.js';
import { depmod } from './depmod.js';
import { insmodDetailed } from './insmod.js';
import type { KmodDecompressor } from './kmod-file.js';
import type { KmodKernel } from './kmod-kernel.js';
import type { KmodKernelEnv } from './kmod-tool.js';
import { lsmod } from './lsmod.js';
import { modinfo } from './modinfo.js';
import { modprobe } from './modprobe.js';
import { rmmodDetailed } from './rmmod.js';
import { type ModuleSyscallFacade, syscallKernel } from './syscall-kernel.js';
import { VfsKmodFs } from './vfs-fs.js';

export { type DepmodRunResult, depmodRun } from './depmod.js';
export { depmodHost, type HostToolOptions, modinfoHost } from './host.js';
export type { KmodDecompressor } from './kmod-file.js';
export type { KmodFs } from './kmod-fs.js';
export type { KmodKernel } from './kmod-kernel.js';
export type { KmodEnv, KmodKernelEnv } from './kmod-tool.js';

/**
 * What the userland needs from a booted linux-v26 kernel: its core services (VFS, user memory, syscall table),
 * `uname -r`, and optionally the typed facade and a decompressor. {@link LinuxV26UserlandContext} satisfies it.
 */
export interface LinuxV26UserlandHost {
  /** The kernel's core services. */
  readonly core: KernelCore;
  /** `uname -r` (the `release` config key). */
  readonly release: string;
  /** The typed syscall facade (`k.sys`); without it the tools call the table directly. */
  readonly sys?: ModuleSyscallFacade;
  /** Decompressor for `.ko.xz` / `.ko.zst` files (kmod 30 decompresses in user space). */
  readonly decompress?: KmodDecompressor;
}

/** The tools' environment over a simulated kernel: its VFS as the files, its syscalls as the kernel. */
export function linuxV26KmodEnv(
  ctx: LinuxV26UserlandContext | LinuxV26UserlandHost,
  kernel: KmodKernel = syscallKernel(ctx.core, ctx.sys),
): KmodKernelEnv {
  return {
    fs: new VfsKmodFs(ctx.core.vfs),
    release: ctx.release,
    kernel,
    ...(ctx.decompress === undefined ? {} : { decompress: ctx.decompress }),
  };
}

/** kmod's tools as the personality's `tools` record (each run reads and writes the simulated VFS). */
export function createLinuxV26Tools(
  ctx: LinuxV26UserlandContext | LinuxV26UserlandHost,
): Record<string, Tool> {
  const env = (): KmodKernelEnv => linuxV26KmodEnv(ctx);
  return {
    insmod: { summary: 'insert a module file (kmod 30)', run: (argv) => insmodDetailed(argv, env()).result },
    rmmod: { summary: 'remove a module (kmod 30)', run: (argv) => rmmodDetailed(argv, env()).result },
    lsmod: { summary: 'list loaded modules (kmod 30)', run: (argv) => lsmod(argv, env()) },
    modinfo: { summary: 'show module information (kmod 30)', run: (argv) => modinfo(argv, env()) },
    modprobe: {
      summary: 'load or remove a module with its dependencies (kmod 30)',
      run: (argv) => modprobe(argv, env()),
    },
    depmod: {
      summary: 'write modules.dep and the module indexes (kmod 30)',
      run: (argv) => depmod(argv, env()),
    },
  };
}

/**
 * The neutral actions, done with kmod's tools: `load` is `insmod PATH PARAMS`, `unload` is `rmmod NAME` (whose
 * sysfs checks may refuse without any syscall), `use`/`unuse` open and close `/dev/NAME` (the module's device:
 * the kernel takes a reference for each open file), `list` is `lsmod`. The result is `ok`, or the errno that
 * made the tool fail (the kernel's, or the file's or rmmod's own check when no call was made).
 */
export function createLinuxV26Actions(ctx: LinuxV26UserlandContext | LinuxV26UserlandHost): NeutralActions {
  const table = ctx.core.syscalls;
  const kernel = syscallKernel(ctx.core, ctx.sys);
  const done = (cursor: number, result: 'ok' | ErrnoName, output?: string): ActionResult => ({
    result,
    syscalls: table.trace(cursor),
    ...(output === undefined ? {} : { output }),
  });
  const firstFailure = (cursor: number): ErrnoName | undefined =>
    table.trace(cursor).find((r) => r.errno)?.errno;
  const outcome = (cursor: number, r: { result: { exitCode: number }; errno: ErrnoName | undefined }) =>
    r.result.exitCode === 0 ? 'ok' : (r.errno ?? firstFailure(cursor) ?? 'EIO');
  return {
    load(path: string, params?: string): ActionResult {
      const cursor = table.cursor;
      const argv = params === undefined || params === '' ? [path] : [path, params];
      const r = insmodDetailed(argv, linuxV26KmodEnv(ctx, kernel));
      return done(cursor, outcome(cursor, r), r.result.stdout + r.result.stderr);
    },
    unload(name: string): ActionResult {
      const cursor = table.cursor;
      const r = rmmodDetailed([name], linuxV26KmodEnv(ctx, kernel));
      return done(cursor, outcome(cursor, r), r.result.stdout + r.result.stderr);
    },
    use(name: string): ActionResult {
      const cursor = table.cursor;
      const fd = kernel.open(`/dev/${name}`);
      return done(cursor, fd.ok ? 'ok' : fd.error);
    },
    unuse(name: string): ActionResult {
      const cursor = table.cursor;
      // The device's newest open file; the fd table is part of the saved kernel, so this survives --state.
      const fd = ctx.core.vfs.fdsOpenOn(`/dev/${name}`).pop();
      if (fd === undefined) return done(cursor, 'EBADF');
      kernel.close(fd);
      return done(cursor, firstFailure(cursor) ?? 'ok');
    },
    list(): ActionResult {
      const cursor = table.cursor;
      const r = lsmod([], linuxV26KmodEnv(ctx, kernel));
      return done(cursor, r.exitCode === 0 ? 'ok' : (firstFailure(cursor) ?? 'EIO'), r.stdout + r.stderr);
    },
  };
}
