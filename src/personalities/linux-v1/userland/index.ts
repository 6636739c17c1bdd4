/**
 * The userland of the `linux-v1` personality — `insmod`, `rmmod`, `lsmod`, `ksyms` on the old interface — and the
 * neutral actions done with them.
 * @module
 */
import type { ErrnoName } from '../../../abi/errno.js';
import type { ActionResult, NeutralActions, Tool } from '../../personality.js';
import { insmodV1, insmodV1Detailed } from './insmod.js';
import { ksymsV1, lsmodV1, rmmodV1Detailed } from './tools.js';
import type { V1ToolsContext } from './v1-tools-context.js';

/** The tools by name. */
export function createV1Tools(ctx: V1ToolsContext): Record<string, Tool> {
  return {
    insmod: {
      summary: 'link an object into the kernel (get_kernel_syms, create_module, init_module)',
      run: (argv) => insmodV1(argv, ctx),
    },
    rmmod: {
      summary: 'unload modules; -a reaps autoclean modules',
      run: (argv) => rmmodV1Detailed(argv, ctx).result,
    },
    lsmod: { summary: 'list loaded modules (/proc/modules)', run: () => lsmodV1(ctx) },
    ksyms: { summary: 'list exported symbols (get_kernel_syms)', run: (argv) => ksymsV1(argv, ctx) },
  };
}

/**
 * The neutral actions: `load` is `insmod PATH PARAMS…`, `unload` is `rmmod NAME`, `use`/`unuse` open and close
 * `/dev/NAME` (the driver's `MOD_INC_USE_COUNT` / `MOD_DEC_USE_COUNT`), `list` is `lsmod`.
 */
export function createV1Actions(ctx: V1ToolsContext): NeutralActions {
  const table = ctx.core.syscalls;
  const fds = ctx.deviceFds;
  const done = (cursor: number, result: 'ok' | ErrnoName, output?: string): ActionResult => ({
    result,
    syscalls: table.trace(cursor),
    ...(output === undefined ? {} : { output }),
  });
  const outcome = (
    cursor: number,
    r: { result: { exitCode: number; stdout: string; stderr: string }; errno?: ErrnoName },
  ) =>
    done(cursor, r.result.exitCode === 0 ? 'ok' : (r.errno ?? 'EINVAL'), r.result.stdout + r.result.stderr);
  return {
    load(path: string, params?: string): ActionResult {
      const cursor = table.cursor;
      const argv = [path, ...(params ?? '').split(/\s+/).filter((p) => p !== '')];
      return outcome(cursor, insmodV1Detailed(argv, ctx));
    },
    unload(name: string): ActionResult {
      const cursor = table.cursor;
      return outcome(cursor, rmmodV1Detailed([name], ctx));
    },
    use(name: string): ActionResult {
      const cursor = table.cursor;
      const r = ctx.sys.open(`/dev/${name}`);
      if (r.errno !== undefined) return done(cursor, r.errno);
      fds.set(name, [...(fds.get(name) ?? []), Number(r.ret)]);
      return done(cursor, 'ok');
    },
    unuse(name: string): ActionResult {
      const cursor = table.cursor;
      const fd = fds.get(name)?.pop();
      if (fd === undefined) return done(cursor, 'EBADF');
      const r = ctx.sys.close(fd);
      return done(cursor, r.errno ?? 'ok');
    },
    list(): ActionResult {
      const cursor = table.cursor;
      const r = lsmodV1(ctx);
      return done(cursor, r.exitCode === 0 ? 'ok' : 'EIO', r.stdout + r.stderr);
    },
  };
}
