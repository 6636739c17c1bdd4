/**
 * The HP-UX DLKM syscall table.
 * @module
 */
import { SYSCALLS_HPUX } from '../../abi/hpux/syscalls.js';
import type { DlkmCallContext } from './dlkm-call-context.js';
import { hpuxClose, hpuxOpen } from './hpux-open.js';
import { modload } from './modload.js';
import { modpath } from './modpath.js';
import { modstat } from './modstat.js';
import { moduload } from './moduload.js';

/**
 * `open(2)` and `close(2)` numbers. Source: HP-UX <sys/scall_define.h> (`SYS_OPEN 5`, `SYS_CLOSE 6`, the
 * System V numbering HP-UX kept).
 */
export const HPUX_FILE_SYSCALLS = { open: 5, close: 6 } as const;

/** Registers modload, moduload, modstat, modpath, and the open/close pair module use goes through. */
export function registerDlkmSyscalls(c: DlkmCallContext): void {
  const t = c.core.syscalls;
  t.register({
    nr: SYSCALLS_HPUX.modload,
    name: 'modload',
    argNames: ['pathname'],
    handler: (a) => modload(c, a),
  });
  t.register({
    nr: SYSCALLS_HPUX.moduload,
    name: 'moduload',
    argNames: ['module_id'],
    handler: (a) => moduload(c, a),
  });
  t.register({
    nr: SYSCALLS_HPUX.modstat,
    name: 'modstat',
    argNames: ['module_id', 'stbuf', 'get_next_module'],
    handler: (a) => modstat(c, a),
  });
  t.register({
    nr: SYSCALLS_HPUX.modpath,
    name: 'modpath',
    argNames: ['pathname'],
    handler: (a) => modpath(c, a),
  });
  t.register({
    nr: HPUX_FILE_SYSCALLS.open,
    name: 'open',
    argNames: ['path', 'oflag'],
    handler: (a) => hpuxOpen(c, a),
  });
  t.register({
    nr: HPUX_FILE_SYSCALLS.close,
    name: 'close',
    argNames: ['fd'],
    handler: (a) => hpuxClose(c, a),
  });
}
