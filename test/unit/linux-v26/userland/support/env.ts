/**
 * A userland environment over a bare simulated VFS, with a recording fake kernel: enough to exercise kmod's
 * tools without a booted personality.
 */
import type { ErrnoName } from '../../../../../src/abi/errno.js';
import { Credentials } from '../../../../../src/core/credentials.js';
import { fail, OK_VOID, ok, type Result } from '../../../../../src/core/result.js';
import { Vfs } from '../../../../../src/core/vfs.js';
import type { KmodKernel } from '../../../../../src/personalities/linux-v26/userland/kmod-kernel.js';
import type { KmodKernelEnv } from '../../../../../src/personalities/linux-v26/userland/kmod-tool.js';
import { VfsKmodFs } from '../../../../../src/personalities/linux-v26/userland/vfs-fs.js';

/** One kernel call the fake recorded. */
export type KernelCall =
  | { readonly call: 'finit_module'; readonly path: string; readonly args: string; readonly flags: number }
  | { readonly call: 'init_module'; readonly len: number; readonly args: string; readonly image: Uint8Array }
  | { readonly call: 'delete_module'; readonly name: string; readonly flags: number };

/** A fake kernel: answers from `answer` (default ok) and records every call. */
export class FakeKernel implements KmodKernel {
  readonly calls: KernelCall[] = [];
  private readonly fds = new Map<number, string>();
  private next = 3;
  answer: (c: KernelCall) => Result<void, ErrnoName> = () => OK_VOID;

  constructor(private readonly vfs: Vfs) {}

  open(path: string): Result<number, ErrnoName> {
    const st = this.vfs.stat(path);
    if (!st.ok) return fail(st.error.errno);
    const fd = this.next++;
    this.fds.set(fd, path);
    return ok(fd);
  }

  close(fd: number): void {
    this.fds.delete(fd);
  }

  finitModule(fd: number, args: string, flags: number): Result<void, ErrnoName> {
    const c: KernelCall = { call: 'finit_module', path: this.fds.get(fd) ?? '?', args, flags };
    this.calls.push(c);
    return this.answer(c);
  }

  initModule(image: Uint8Array, args: string): Result<void, ErrnoName> {
    const c: KernelCall = { call: 'init_module', len: image.length, args, image };
    this.calls.push(c);
    return this.answer(c);
  }

  deleteModule(name: string, flags: number): Result<void, ErrnoName> {
    const c: KernelCall = { call: 'delete_module', name, flags };
    this.calls.push(c);
    return this.answer(c);
  }
}

/** A fresh environment: VFS, fake kernel, `uname -r` = `release`. */
export function makeEnv(release = '6.1.0-test'): { vfs: Vfs; kernel: FakeKernel; env: KmodKernelEnv } {
  const vfs = new Vfs(new Credentials());
  const kernel = new FakeKernel(vfs);
  return { vfs, kernel, env: { fs: new VfsKmodFs(vfs), release, kernel } };
}

/** Marks a module loaded in the fake sysfs/procfs views (what a real kernel would show). */
export function fakeLoaded(
  vfs: Vfs,
  mods: readonly { name: string; size: number; refcnt: number; holders?: readonly string[] }[],
): void {
  let proc = '';
  for (const m of mods) {
    proc += `${m.name} ${m.size} ${m.refcnt} ${(m.holders ?? []).map((h) => `${h},`).join('') || '-'} Live 0x0000000000000000\n`;
    vfs.writeFile(`/sys/module/${m.name}/initstate`, 'live\n');
    vfs.writeFile(`/sys/module/${m.name}/refcnt`, `${m.refcnt}\n`);
    vfs.writeFile(`/sys/module/${m.name}/coresize`, `${m.size}\n`);
    vfs.mkdirp(`/sys/module/${m.name}/holders`);
    for (const h of m.holders ?? []) vfs.writeFile(`/sys/module/${m.name}/holders/${h}`, '');
  }
  vfs.writeFile('/proc/modules', proc);
}
