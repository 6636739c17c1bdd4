/**
 * The neutral `use` / `unuse` actions of the Linux personalities whose module devices count uses in the kernel
 * (`open("/dev/<name>")` takes a use, `close` drops it), and the record every neutral action returns.
 * @module
 */
import type { ErrnoName } from '../abi/errno.js';
import type { KernelCore } from '../core/kernel-core.js';
import type { SyscallReturn } from '../core/syscall-table.js';
import type { ActionResult, NeutralActions, ToolResult } from './personality.js';

/** What the actions need of a tools context. */
export interface DeviceUseContext {
  /** Core services (the syscall table's trace). */
  readonly core: KernelCore;
  /** The personality's `open` and `close`. */
  readonly sys: {
    open(path: string): SyscallReturn;
    close(fd: number): SyscallReturn;
  };
  /** Device fds held open, by module name. */
  readonly deviceFds: Map<string, number[]>;
}

/** The action's result: `ok` or an errno, the syscalls made since `cursor`, what the tool printed. */
function actionResult(
  core: KernelCore,
  cursor: number,
  result: 'ok' | ErrnoName,
  output?: string,
): ActionResult {
  return { result, syscalls: core.syscalls.trace(cursor), ...(output === undefined ? {} : { output }) };
}

/** The result of an action done by running a tool: `ok` on exit status 0, else the errno behind the failure. */
function toolActionResult(core: KernelCore, cursor: number, r: ToolOutcome): ActionResult {
  const result = r.result.exitCode === 0 ? 'ok' : (r.errno ?? 'EINVAL');
  return actionResult(core, cursor, result, r.result.stdout + r.result.stderr);
}

/** `use` opens `/dev/<name>` and keeps the fd; `unuse` closes the last one kept (EBADF when none). */
export function deviceUseActions(ctx: DeviceUseContext): Pick<NeutralActions, 'use' | 'unuse'> {
  const fds = ctx.deviceFds;
  return {
    use(name: string): ActionResult {
      const cursor = ctx.core.syscalls.cursor;
      const r = ctx.sys.open(`/dev/${name}`);
      if (r.errno !== undefined) return actionResult(ctx.core, cursor, r.errno);
      fds.set(name, [...(fds.get(name) ?? []), Number(r.ret)]);
      return actionResult(ctx.core, cursor, 'ok');
    },
    unuse(name: string): ActionResult {
      const cursor = ctx.core.syscalls.cursor;
      const fd = fds.get(name)?.pop();
      if (fd === undefined) return actionResult(ctx.core, cursor, 'EBADF');
      const r = ctx.sys.close(fd);
      return actionResult(ctx.core, cursor, r.errno ?? 'ok');
    },
  };
}

/** A tool run's result and the errno behind a failure. */
export interface ToolOutcome {
  /** The process result. */
  readonly result: ToolResult;
  /** Why it failed. */
  readonly errno?: ErrnoName;
}

/** The era's module tools the neutral actions run. */
export interface EraTools {
  /** `insmod ARGV…`. */
  insmod(argv: readonly string[]): ToolOutcome;
  /** `rmmod ARGV…`. */
  rmmod(argv: readonly string[]): ToolOutcome;
  /** `lsmod`. */
  lsmod(): ToolResult;
}

/**
 * The neutral actions of a Linux era whose tools are insmod/rmmod/lsmod and whose module devices count uses:
 * `load` is `insmod PATH PARAMS…`, `unload` is `rmmod NAME`, `use`/`unuse` open and close `/dev/NAME`, `list` is
 * `lsmod` (EIO when it fails).
 */
export function linuxToolActions(ctx: DeviceUseContext, tools: EraTools): NeutralActions {
  const table = ctx.core.syscalls;
  return {
    load(path: string, params?: string): ActionResult {
      const cursor = table.cursor;
      const argv = [path, ...(params ?? '').split(/\s+/).filter((p) => p !== '')];
      return toolActionResult(ctx.core, cursor, tools.insmod(argv));
    },
    unload(name: string): ActionResult {
      const cursor = table.cursor;
      return toolActionResult(ctx.core, cursor, tools.rmmod([name]));
    },
    ...deviceUseActions(ctx),
    list(): ActionResult {
      const cursor = table.cursor;
      const r = tools.lsmod();
      return actionResult(ctx.core, cursor, r.exitCode === 0 ? 'ok' : 'EIO', r.stdout + r.stderr);
    },
  };
}
