/**
 * HP-UX DLKM system calls.
 * Source: modload(2), moduload(2), modstat(2), modpath(2) (HP-UX 11i). HP does not publish the numbers of these
 * calls; the simulator addresses them by name only, and the values below are INVENTED placeholders so the
 * syscall table has the same shape as the Linux ones.
 * @module
 */

/** HP-UX DLKM call "numbers" (INVENTED; see the module comment). */
export const SYSCALLS_HPUX = {
  modload: 1001,
  moduload: 1002,
  modstat: 1003,
  modpath: 1004,
} as const;
