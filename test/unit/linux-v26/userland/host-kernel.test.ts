/**
 * The userland over a simulated kernel's own services: syscalls through the table (traced, arguments in user
 * memory), files through the VFS, and the neutral actions.
 */
import { describe, expect, it } from 'vitest';
import type { SyscallArgs } from '../../../../src/core/syscall-table.js';
import { createKernel } from '../../../../src/kernel.js';
import {
  createLinuxV26Actions,
  createLinuxV26Tools,
} from '../../../../src/personalities/linux-v26/userland/index.js';
import { miniModule } from './support/mini-elf.js';

/** A kernel whose module calls are stand-ins that read their arguments from user memory as the kernel would. */
function kernelWithFakeCalls() {
  const k = createKernel({ personality: 'linux-v26' });
  const core = k.core;
  const seen: { name: string; image?: number; args?: string; flags?: number; target?: string }[] = [];
  const str = (p: unknown) => {
    const r = core.user.strncpyFromUser(Number(p), 4096);
    return r.ok ? r.value.value : '<EFAULT>';
  };
  core.syscalls.register({
    nr: 313,
    name: 'finit_module',
    argNames: ['fd', 'uargs', 'flags'],
    handler: (a: SyscallArgs) => {
      seen.push({
        name: 'finit_module',
        args: str(a.uargs),
        flags: Number(a.flags),
        target: core.vfs.file(Number(a.fd))?.path,
      });
      return { ret: 0 };
    },
  });
  core.syscalls.register({
    nr: 175,
    name: 'init_module',
    argNames: ['umod', 'len', 'uargs'],
    handler: (a: SyscallArgs) => {
      const img = core.user.read(Number(a.umod), Number(a.len));
      seen.push({ name: 'init_module', image: img.ok ? img.value.length : -1, args: str(a.uargs) });
      return { ret: 0 };
    },
  });
  core.syscalls.register({
    nr: 176,
    name: 'delete_module',
    argNames: ['name_user', 'flags'],
    handler: (a: SyscallArgs) => {
      seen.push({ name: 'delete_module', target: str(a.name_user), flags: Number(a.flags) });
      return { ret: -2, errno: 'ENOENT', errnoNumber: 2 };
    },
  });
  return { k, core, seen };
}

describe('userland over a simulated kernel', () => {
  it('insmod passes the fd and the parameter string through user memory and the trace records the call', () => {
    const { core, seen } = kernelWithFakeCalls();
    core.vfs.writeFile('/root/a.ko', miniModule({ modinfo: ['name=a'] }));
    const tools = createLinuxV26Tools({ core, release: '6.1.0-test' });
    const cursor = core.syscalls.cursor;
    expect(tools.insmod.run(['/root/a.ko', 'level=3'])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(seen).toEqual([{ name: 'finit_module', args: 'level=3', flags: 0, target: '/root/a.ko' }]);
    // The personality registers open/close: the file is opened and closed through the table too.
    expect(core.syscalls.trace(cursor).map((r) => r.name)).toEqual(['open', 'finit_module', 'close']);
    // The user-memory regions used for the call are gone again (nothing leaks into a saved state).
    expect(core.user.isMapped(0x10000, 1)).toBe(false);
  });

  it('falls back to init_module when finit_module answers ENOSYS (before Linux 3.8)', () => {
    const k = createKernel({ personality: 'linux-v26', config: { kernelVersion: '3.7', release: '3.7.10' } });
    const seen: number[] = [];
    k.core.syscalls.register({
      nr: 175,
      name: 'init_module',
      argNames: ['umod', 'len', 'uargs'],
      handler: (a) => {
        seen.push(Number(a.len));
        return { ret: 0 };
      },
    });
    const image = miniModule({ modinfo: ['name=a'] });
    k.core.vfs.writeFile('/root/a.ko', image);
    const cursor = k.core.syscalls.cursor;
    expect(createLinuxV26Tools({ core: k.core, release: '3.7.10' }).insmod.run(['/root/a.ko']).exitCode).toBe(
      0,
    );
    expect(seen).toEqual([image.length]);
    expect(k.core.syscalls.trace(cursor).map((r) => [r.name, r.errno])).toEqual([
      ['open', undefined],
      ['finit_module', 'ENOSYS'],
      ['init_module', undefined],
      ['close', undefined],
    ]);
  });

  it('actions report the errno that made the tool fail, with the calls made', () => {
    const { core } = kernelWithFakeCalls();
    core.vfs.writeFile('/sys/module/gone/initstate', 'live\n');
    core.vfs.writeFile('/sys/module/gone/refcnt', '0\n');
    core.vfs.mkdirp('/sys/module/gone/holders');
    const actions = createLinuxV26Actions({ core, release: '6.1.0-test' });
    const unload = actions.unload('gone');
    expect(unload.result).toBe('ENOENT');
    expect(unload.syscalls.map((s) => [s.name, s.errno])).toEqual([['delete_module', 'ENOENT']]);
    const missing = actions.load('/root/none.ko');
    expect(missing.result).toBe('ENOENT');
    expect(missing.syscalls).toEqual([]);
    expect(actions.unuse('gone').result).toBe('EBADF');
    expect(actions.use('gone').result).toBe('ENOENT');
  });
});
