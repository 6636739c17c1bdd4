import type { ErrnoName } from '../abi/errno.js';
import type { PersonalityId } from '../personalities/personality.js';
import type { OpOutcome } from './target.js';

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
  /** Unloading a module other modules depend on. */
  readonly unloadWithHolders: ErrnoName;
  /** Unloading a module with a non-zero use count. */
  readonly unloadInUse: ErrnoName;
  /** Unloading a module that is not loaded. */
  readonly unloadMissing: ErrnoName;
  /** Loading or unloading without privilege. */
  readonly unprivileged: ErrnoName;
  /** Loading after `modules_disabled` was set, when the era has the switch. */
  readonly modulesDisabled?: ErrnoName;
}

/**
 * The table. Sources: linux-legacy.md §A.6 (1.x: a failing init gives EBUSY), §A.7, §B.5 (2.4 returns the init's
 * own error), §B.6; linux-v26.md §2.10 (unknown symbol → ENOENT), §3.1 (holders or references → EWOULDBLOCK
 * with O_NONBLOCK, which every rmmod passes); hpux-dlkm.md §3.2 (#7: an already loaded name succeeds with the
 * existing id; #13/#14: missing dependency → EINVAL for a declared one, ERELOC for an undefined symbol),
 * §3.3 (unknown or unloaded id → EINVAL; dependents → EBUSY).
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
  },
  'linux-v24': {
    duplicateLoad: 'EEXIST',
    failingInit: 'ENODEV',
    missingDependency: 'ENOENT',
    unloadWithHolders: 'EBUSY',
    unloadInUse: 'EBUSY',
    unloadMissing: 'ENOENT',
    unprivileged: 'EPERM',
  },
  'linux-v26': {
    duplicateLoad: 'EEXIST',
    failingInit: 'ENODEV',
    missingDependency: 'ENOENT',
    unloadWithHolders: 'EWOULDBLOCK',
    unloadInUse: 'EWOULDBLOCK',
    unloadMissing: 'ENOENT',
    unprivileged: 'EPERM',
    modulesDisabled: 'EPERM',
  },
  'hpux-dlkm': {
    duplicateLoad: 'ok',
    failingInit: 'ENODEV',
    missingDependency: 'EINVAL',
    unloadWithHolders: 'EBUSY',
    unloadInUse: 'EBUSY',
    unloadMissing: 'EINVAL',
    unprivileged: 'EPERM',
  },
};
