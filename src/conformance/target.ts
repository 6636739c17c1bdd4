import type { ErrnoName } from '../abi/errno.js';
import type { NeutralModuleSpec, PersonalityId } from '../personalities/personality.js';

/** One operation a conformance suite drives a target with. */
export type ConformanceOp =
  | { readonly op: 'load'; readonly module: string; readonly params?: string }
  | { readonly op: 'unload'; readonly module: string }
  | { readonly op: 'use'; readonly module: string }
  | { readonly op: 'unuse'; readonly module: string }
  | { readonly op: 'privileged'; readonly on: boolean }
  | { readonly op: 'disable-modules' };

/** What an operation returned: `ok` or the errno name. */
export type OpOutcome = 'ok' | ErrnoName;

/** One loaded module as the target reports it. */
export interface ObservedModule {
  /** Module name. */
  readonly name: string;
  /** Use count. */
  readonly refcount: number;
  /** Names of the modules that use it. */
  readonly holders: readonly string[];
}

/** The target's visible state after an operation, for the suite's invariants. */
export interface Observation {
  /** Loaded modules, in any order. */
  readonly modules: readonly ObservedModule[];
  /** Names in the era's module listing (lsmod, /proc/modules, modstat…): must equal `modules`' names. */
  readonly listed: readonly string[];
  /** Owner of each live allocation in the module area: every owner must be a loaded module and vice versa. */
  readonly allocationOwners: readonly string[];
  /** Symbols exported by loaded modules (the kernel's own excluded). */
  readonly moduleSymbols: readonly string[];
  /** Whether the kernel's own symbol table is exactly as at boot. */
  readonly kernelSymbolsIntact: boolean;
}

/**
 * Something a conformance suite can check: kmodsim's own personalities ({@link KmodsimTarget}), a user's own
 * loader, or a real kernel behind a line protocol ({@link ScriptTarget}).
 */
export interface Target {
  /** Which API contract to check it against. */
  readonly personality: PersonalityId;
  /** Starts from a fresh kernel with these modules available (built and staged by the target). */
  reset(modules: readonly NeutralModuleSpec[]): Promise<void>;
  /** Runs one operation. */
  exec(op: ConformanceOp): Promise<OpOutcome>;
  /** Reports the visible state. */
  observe(): Promise<Observation>;
  /** Releases resources (the script target's process). */
  close(): Promise<void>;
}

/** The op as one line of the script protocol (`load a count=1`, `unload a`, `privileged off`…). */
export function opToLine(op: ConformanceOp): string {
  switch (op.op) {
    case 'load':
      return op.params === undefined || op.params === ''
        ? `load ${op.module}`
        : `load ${op.module} ${op.params}`;
    case 'privileged':
      return `privileged ${op.on ? 'on' : 'off'}`;
    case 'disable-modules':
      return 'disable-modules';
    default:
      return `${op.op} ${op.module}`;
  }
}
