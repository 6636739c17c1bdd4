import type { ErrnoName } from '../abi/errno.js';
import type { PersonalityId } from '../personalities/personality.js';
import type { OpOutcome } from './target.js';

/** A check the era's loader (kernel and tool together) makes before loading; the first failing one answers. */
export type LoadCheck = 'paramsRefused' | 'privilege' | 'disabled' | 'duplicate' | 'dependency' | 'params';

/** A check the era's unloader makes; the first failing one answers. */
export type UnloadCheck = 'privilege' | 'disabled' | 'missing' | 'holders' | 'inUse';

/**
 * Where the four APIs answer differently, in one table: the outcome each documented contract gives for the
 * situations the model-based suites produce. Everything else is common to all eras.
 */
export interface EraExpectations {
  /** Loading a module whose name is already loaded. */
  readonly duplicateLoad: OpOutcome;
  /** Loading a module whose init returns ENODEV. */
  readonly failingInit: ErrnoName;
  /** Loading a module that needs a symbol no loaded module exports. */
  readonly missingDependency: ErrnoName;
  /** Unloading, with the era's tool, a module other modules depend on. */
  readonly unloadWithHolders: ErrnoName;
  /** Unloading a module with a non-zero use count. */
  readonly unloadInUse: ErrnoName;
  /** Unloading a module that is not loaded. */
  readonly unloadMissing: ErrnoName;
  /** Loading or unloading without privilege. */
  readonly unprivileged: ErrnoName;
  /** Loading after `modules_disabled` was set, when the era has the switch. */
  readonly modulesDisabled?: ErrnoName;
  /** Loading with a parameter value of the wrong type (`level=abc` for an int). */
  readonly badParamValue: ErrnoName;
  /** Loading with a parameter the module does not have. */
  readonly unknownParam: OpOutcome;
  /** When the era's loader takes no parameters at all: what any non-empty parameter string gives. */
  readonly paramsRefused?: ErrnoName;
  /** The order of the load checks (user-space tools check some before the kernel sees the call). */
  readonly loadOrder: readonly LoadCheck[];
  /** The order of the unload checks. */
  readonly unloadOrder: readonly UnloadCheck[];
  /** Taking a user-space reference (opening the module's device) without privilege. */
  readonly unprivilegedUse: OpOutcome;
  /** Symbols the era's loader adds to a module's table besides its exports (2.4 insmod's ksymoops symbols). */
  readonly extraModuleSymbols?: RegExp;
}

/**
 * The table. Sources: linux-legacy.md §A.6 (1.x: a failing init gives EBUSY), §A.7, §B.5 (2.4 returns the init's
 * own error), §B.6, §B.11 (insmod refuses a loaded name, unresolved symbols and bad parameters in user space,
 * before create_module's privilege check); linux-v26.md §2.10 (unknown symbol → ENOENT), §3.1 (the raw call's
 * EWOULDBLOCK; kmod's rmmod refuses a missing or used module itself, from /proc/modules, with EBUSY/ENOENT
 * before calling it); hpux-dlkm.md §3.2 (#7: an already loaded name succeeds with the
 * existing id; #13/#14: missing dependency → EINVAL for a declared one, ERELOC for an undefined symbol),
 * §3.3 (unknown or unloaded id → EINVAL; dependents → EBUSY); parameters: linux-v26.md §2.12 (a bad value
 * fails, an unknown name only warns), linux-legacy.md §B.11 (modutils checks names against the object's
 * symbols), hpux-dlkm.md §2.1 (no load-time parameters); ksymoops symbols: linux-legacy.md §B.8.
 */
export const ERA_EXPECTATIONS: Readonly<Record<PersonalityId, EraExpectations>> = {
  'linux-v1': {
    duplicateLoad: 'EEXIST',
    failingInit: 'EBUSY',
    missingDependency: 'ENOENT',
    unloadWithHolders: 'EBUSY',
    unloadInUse: 'EBUSY',
    unloadMissing: 'ENOENT',
    unprivileged: 'EPERM',
    badParamValue: 'EINVAL',
    unknownParam: 'EINVAL',
    // The 1.x insmod refuses a loaded name, unresolved symbols and bad parameters in user space, before
    // create_module's suser() check; get_kernel_syms needs no privilege (linux-legacy.md §A.8, §A.10).
    loadOrder: ['duplicate', 'dependency', 'params', 'privilege'],
    unloadOrder: ['privilege', 'missing', 'holders', 'inUse'],
    unprivilegedUse: 'EACCES',
    // Every global of a 1.x object is exported: modutils' ksymoops symbols, and the parameters, which are
    // plain global variables in that era (the suite's only one is cf_solo's `level`).
    extraModuleSymbols: /^(__insmod_|level$)/,
  },
  'linux-v24': {
    duplicateLoad: 'EEXIST',
    failingInit: 'ENODEV',
    missingDependency: 'ENOENT',
    unloadWithHolders: 'EBUSY',
    unloadInUse: 'EBUSY',
    unloadMissing: 'ENOENT',
    unprivileged: 'EPERM',
    badParamValue: 'EINVAL',
    unknownParam: 'EINVAL',
    loadOrder: ['duplicate', 'dependency', 'params', 'privilege'],
    unloadOrder: ['privilege', 'missing', 'holders', 'inUse'],
    unprivilegedUse: 'EACCES',
    extraModuleSymbols: /^__insmod_/,
  },
  'linux-v26': {
    duplicateLoad: 'EEXIST',
    failingInit: 'ENODEV',
    missingDependency: 'ENOENT',
    unloadWithHolders: 'EBUSY',
    unloadInUse: 'EBUSY',
    unloadMissing: 'ENOENT',
    unprivileged: 'EPERM',
    modulesDisabled: 'EPERM',
    badParamValue: 'EINVAL',
    unknownParam: 'ok',
    loadOrder: ['privilege', 'disabled', 'duplicate', 'dependency', 'params'],
    unloadOrder: ['missing', 'holders', 'inUse', 'privilege', 'disabled'],
    unprivilegedUse: 'EACCES',
  },
  'hpux-dlkm': {
    duplicateLoad: 'ok',
    failingInit: 'ENODEV',
    missingDependency: 'EINVAL',
    unloadWithHolders: 'EBUSY',
    unloadInUse: 'EBUSY',
    unloadMissing: 'EINVAL',
    unprivileged: 'EPERM',
    badParamValue: 'EINVAL',
    unknownParam: 'EINVAL',
    paramsRefused: 'EINVAL',
    loadOrder: ['paramsRefused', 'privilege', 'duplicate', 'dependency'],
    unloadOrder: ['privilege', 'missing', 'holders', 'inUse'],
    unprivilegedUse: 'ok',
    // The DLKM wrapper (`<name>_wrapper`) is a symbol of every module.
    extraModuleSymbols: /_wrapper$/,
  },
};
