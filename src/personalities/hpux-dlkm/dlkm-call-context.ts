/**
 * What the DLKM syscall handlers share: the services they use, the privilege rule of the release and the
 * pathname copy-in.
 * @module
 */
import type { KernelCore } from '../../core/kernel-core.js';
import { err, ok, type Result } from '../../core/result.js';
import type { SyscallArg } from '../../core/syscall-table.js';
import type { DeviceTable } from './dlkm-devices.js';
import type { DlkmEra } from './dlkm-era.js';
import type { DlkmFacility } from './dlkm-facility.js';
import type { DlkmKernel } from './dlkm-kernel.js';

/** Sysctl switch: kernel profiling is enabled (`moduload` then answers EBUSY). */
export const SYSCTL_HPUX_PROFILING = 'hpux.kernel_profiling';

/** The services behind the DLKM calls. */
export interface DlkmCallContext {
  /** Common core. */
  readonly core: KernelCore;
  /** The DLKM subsystem. */
  readonly dlkm: DlkmKernel;
  /** Release facts. */
  readonly era: DlkmEra;
  /** The ENOSYS gate. */
  readonly facility: DlkmFacility;
  /** The open-file table (device holds). */
  readonly devices: DeviceTable;
}

/**
 * "Appropriate privilege": the superuser; from 11i v3 also a process holding `PRIV_DLKM`.
 * @see hpux-dlkm.md §2.5
 */
export function dlkmPrivileged(c: Pick<DlkmCallContext, 'core' | 'era'>): boolean {
  return c.era.privDlkm ? c.core.creds.hasPrivilege('PRIV_DLKM') : c.core.creds.isSuperuser();
}

/** The EPERM of a caller without privilege, worded per release. */
export function notPrivileged(c: Pick<DlkmCallContext, 'era'>, call: string): Result<never> {
  return err(
    'EPERM',
    c.era.privDlkm
      ? `${call}: the caller is not a superuser process or a privileged process (PRIV_DLKM)`
      : `${call}: the calling process does not have appropriate privilege`,
  );
}

/**
 * Copies a pathname argument in: a string is placed in the caller's memory first (as a C caller's literal
 * would be), a number is used as the pointer. EFAULT for a bad pointer; ENAMETOOLONG when no NUL comes within
 * `MAXPATHLEN` bytes (`strlen(pathname) >= MAXPATHLEN`: `ms_path` holds `MAXPATHLEN - 1` characters).
 * @see hpux-dlkm.md §2.1 (ENAMETOOLONG boundary), §3.2 rows 2–3
 */
export function copyInPath(c: DlkmCallContext, arg: SyscallArg, call: string): Result<string> {
  const user = c.core.user;
  let ptr: number;
  let mapped: number | undefined;
  if (typeof arg === 'string') {
    mapped = user.mapString(arg);
    ptr = mapped;
  } else if (typeof arg === 'number') ptr = arg;
  else if (typeof arg === 'bigint') ptr = Number(arg);
  else ptr = 0;
  try {
    const s = user.strncpyFromUser(ptr, c.era.maxPathLen);
    if (!s.ok) return s;
    if (s.value.truncated) return err('ENAMETOOLONG', `${call}: pathname is longer than MAXPATHLEN`);
    return ok(s.value.value);
  } finally {
    if (mapped !== undefined) user.unmap(mapped);
  }
}

/** A numeric argument (`long module_id`), or undefined when it is not an integer. */
export function intArg(arg: SyscallArg): number | undefined {
  const n = typeof arg === 'bigint' ? Number(arg) : typeof arg === 'number' ? arg : Number.NaN;
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A C truth value (`int get_next_module`). */
export function boolArg(arg: SyscallArg): boolean {
  if (typeof arg === 'boolean') return arg;
  if (typeof arg === 'number') return arg !== 0;
  if (typeof arg === 'bigint') return arg !== 0n;
  if (typeof arg === 'string') return arg !== '' && arg !== '0' && arg !== 'false';
  return false;
}
