/**
 * The era behaviours that are more than a switch, as small strategy objects: what `add_unformed_module` does
 * with a module of the same name, how `finit_module` reads its fd, what `module_sig_check` does with a soft
 * failure, and whether `delete_module` waits. `linuxV26Era` picks one of each by kernel version.
 * @module
 */
import type { ErrnoName } from '../../abi/errno.js';
import {
  MODULE_INIT_IGNORE_MODVERSIONS,
  MODULE_INIT_IGNORE_VERMAGIC,
  O_NONBLOCK,
} from '../../abi/linux/v26.js';
import type { KernelError } from '../../core/kernel-error.js';
import { err, OK_VOID, type Result } from '../../core/result.js';
import type { LinuxV26Kernel } from './linux-v26-kernel.js';
import type { LoadedModule, V26State } from './loaded-module.js';

/** What `add_unformed_module` answers when a module of the same name is on the list (§2.7). */
export interface DuplicateStrategy {
  /** The errno for an existing module in `state`. A module still COMING never finishes here: a wait is EINTR. */
  onExisting(state: V26State, name: string): Result<void>;
}

/** ≥ 6.2 (`module_patient_check_exists`): wait for a loading one, then EEXIST if LIVE, else EBUSY. */
export const DUPLICATE_6_2: DuplicateStrategy = {
  onExisting(state, name) {
    if (state === 'LIVE') return err('EEXIST', `module ${name} already loaded`);
    if (state === 'GOING') return err('EBUSY', `module ${name} is going away`);
    return err('EINTR', `waiting for ${name} to finish loading interrupted`);
  },
};

/** 3.9 – 6.1: wait for a loading or going module, then retry. */
export const DUPLICATE_RETRY: DuplicateStrategy = {
  onExisting(state, name) {
    if (state === 'LIVE') return err('EEXIST', `module ${name} already loaded`);
    return err('EINTR', `waiting for ${name} interrupted`);
  },
};

/** ≤ 3.8: any module of that name is EEXIST. */
export const DUPLICATE_EEXIST: DuplicateStrategy = {
  onExisting: (_state, name) => err('EEXIST', `module ${name} already loaded`),
};

/** The file behind a `finit_module` fd. */
export interface FdView {
  /** Opened with read access (`FMODE_READ`). */
  readonly readable: boolean;
  /** Its inode type. */
  readonly type: string;
  /** `i_size`. */
  readonly size: number;
  /** Open-for-writing count (`i_writecount`). */
  readonly writers: number;
  /** Reads the whole file. */
  read(): Result<Uint8Array>;
}

/** How `finit_module` turns an fd into the image (§2.2 era table). */
export interface FdStrategy {
  /** The errno of an fd that is not open. */
  readonly badFd: ErrnoName;
  /** Checks and reads the file. */
  read(f: FdView): Result<Uint8Array>;
}

const INT_MAX = 2147483647;

/** 3.8 – 4.5 `copy_module_from_fd`: stat, size checks, then `kernel_read` (EBADF, EISDIR from the read). */
export const FD_COPY_MODULE_FROM_FD: FdStrategy = {
  badFd: 'ENOEXEC',
  read(f) {
    if (f.size > INT_MAX) return err('EFBIG', 'finit_module: file too large');
    if (f.size === 0) return err('EINVAL', 'finit_module: empty file');
    if (f.type === 'dir') return err('EISDIR', 'finit_module: is a directory');
    if (!f.readable) return err('EBADF', 'finit_module: fd not open for reading');
    return f.read();
  },
};

function kernelReadFile(f: FdView): Result<Uint8Array> {
  if (f.type !== 'file') return err('EINVAL', 'kernel_read_file: not a regular file');
  if (f.writers > 0) return err('ETXTBSY', 'kernel_read_file: file is open for writing');
  if (f.size <= 0) return err('EINVAL', 'kernel_read_file: empty file');
  if (f.size > INT_MAX) return err('EFBIG', 'kernel_read_file: file too large');
  if (!f.readable) return err('EBADF', 'kernel_read_file: fd not open for reading');
  return f.read();
}

/** 4.6 – 5.14 `kernel_read_file_from_fd`: no read-mode check first, so an `O_WRONLY` fd is ETXTBSY. */
export const FD_KERNEL_READ_FILE_4_6: FdStrategy = { badFd: 'EBADF', read: kernelReadFile };

/** 5.15+ (032146cda855, and `idempotent_init_module`): an fd without read access is EBADF first. */
export const FD_KERNEL_READ_FILE_5_15: FdStrategy = {
  badFd: 'EBADF',
  read(f) {
    if (!f.readable) return err('EBADF', 'finit_module: fd not open for reading');
    return kernelReadFile(f);
  },
};

/** What `module_sig_check` does (§2.3). */
export interface SigPolicy {
  /** Whether the signature is looked at for these flags. */
  look(flags: number): boolean;
  /** The error when there is no signature to look at. */
  readonly unsigned: ErrnoName;
  /** The result for a failed or missing verification `e`. */
  outcome(k: LinuxV26Kernel, e: ErrnoName): Result<void>;
}

const IGNORE_FLAGS = MODULE_INIT_IGNORE_MODVERSIONS | MODULE_INIT_IGNORE_VERMAGIC;

const SOFT_REASONS: Partial<Record<ErrnoName, string>> = {
  ENODATA: 'unsigned module',
  ENOPKG: 'module with unsupported crypto',
  ENOKEY: 'module with unavailable key',
};

function hard(e: ErrnoName): Result<void> {
  return err(e, `module signature check failed: ${e}`);
}

function lockdownOutcome(k: LinuxV26Kernel, e: ErrnoName): Result<void> {
  const reason = SOFT_REASONS[e];
  if (reason === undefined) return hard(e);
  if (k.sigEnforced) {
    k.core.log.notice(`Loading of ${reason} is rejected`);
    return err('EKEYREJECTED', `Loading of ${reason} is rejected`);
  }
  if (k.config.lockdown !== 'none') {
    const text = `Lockdown: ${k.comm}: unsigned module loading is restricted; see man kernel_lockdown.7`;
    k.core.log.notice(text);
    return err('EPERM', text);
  }
  return OK_VOID;
}

/** 3.7 – 5.3: only `flags == 0` loads are checked; a missing key is fine unless enforced, else returned. */
export const SIG_3_7: SigPolicy = {
  look: (flags) => flags === 0,
  unsigned: 'ENOKEY',
  outcome: (k, e) => (e === 'ENOKEY' && !k.sigEnforced ? OK_VOID : hard(e)),
};

/** 5.4 – 6.3: soft errors become EKEYREJECTED when enforced (lockdown otherwise); still `flags == 0` only. */
export const SIG_5_4: SigPolicy = {
  look: (flags) => flags === 0,
  unsigned: 'ENODATA',
  outcome: lockdownOutcome,
};

/** 6.4+: only the two IGNORE flags keep the signature from being looked at. */
export const SIG_MAINLINE: SigPolicy = {
  look: (flags) => (flags & IGNORE_FLAGS) === 0,
  unsigned: 'ENODATA',
  outcome: lockdownOutcome,
};

/** Whether `delete_module` waits for the references to go (§3.2). */
export interface DeleteWaitStrategy {
  /**
   * Called when the module still has references and is not forced: an errno to return, after doing what the
   * era does (the 2.6 – 3.12 wait leaves the module GOING and unloads it at the last `module_put`).
   */
  referenced(k: LinuxV26Kernel, mod: LoadedModule, flags: number): KernelError;
  /** Called before the reference check (3.13's warning). */
  before(k: LinuxV26Kernel, flags: number): void;
}

/** 2.6 – 3.12: without O_NONBLOCK the caller sleeps until the last reference goes. */
export const DELETE_BLOCKING: DeleteWaitStrategy = {
  referenced(k, mod, flags) {
    const name = mod.record.name;
    if ((flags & O_NONBLOCK) !== 0)
      return { errno: 'EWOULDBLOCK', reason: `delete_module: ${name} is in use` };
    k.setState(mod, 'GOING');
    k.pendingUnload.add(name);
    return { errno: 'EINTR', reason: `delete_module: waiting for ${name} to become unused` };
  },
  before: () => {},
};

/** 3.13 – 3.x: the wait is gone; without O_NONBLOCK the kernel says so. */
export const DELETE_WARN: DeleteWaitStrategy = {
  referenced: (_k, mod) => ({ errno: 'EWOULDBLOCK', reason: `delete_module: ${mod.record.name} is in use` }),
  before(k, flags) {
    if ((flags & O_NONBLOCK) === 0) k.core.log.warn('waiting module removal not supported: please upgrade');
  },
};

/** 4.0+: always non-blocking, silently. */
export const DELETE_NONBLOCKING: DeleteWaitStrategy = {
  referenced: DELETE_WARN.referenced,
  before: () => {},
};
