import { type ErrnoName, isErrnoName } from '../abi/errno.js';
import type { JsonValue } from '../core/snapshot.js';
import type { NeutralModuleSpec, PersonalityId } from '../personalities/personality.js';

/** Arguments of a raw `sys` operation: the `sys:` step forms of the experiments format (`{ name: x, fault: name }`). */
export type SysOpArgs = { readonly [key: string]: JsonValue };

/** Kernel configuration keys for a case (`{ dlkmInitialized: false }`), as `createKernel` takes them. */
export type KernelSettings = { readonly [key: string]: JsonValue };

/** One operation a conformance suite drives a target with. */
export type ConformanceOp =
  | {
      /** Loads a suite module with the era's own loader (insmod, modload…). */
      readonly op: 'load';
      /** The module's name. */
      readonly module: string;
      /** Its parameter string, if any. */
      readonly params?: string;
    }
  | {
      /** Unloads a module with the era's own tool. */
      readonly op: 'unload';
      /** The module's name. */
      readonly module: string;
    }
  | {
      /** Takes a user-space reference (opens the module's device). */
      readonly op: 'use';
      /** The module's name. */
      readonly module: string;
    }
  | {
      /** Drops a reference taken by `use`. */
      readonly op: 'unuse';
      /** The module's name. */
      readonly module: string;
    }
  | {
      /** Gives the caller, or takes away, the privilege module calls need. */
      readonly op: 'privileged';
      /** Whether the caller is privileged from now on. */
      readonly on: boolean;
    }
  | {
      /** Sets linux-v26 `kernel.modules_disabled`. */
      readonly op: 'disable-modules';
    }
  | {
      /** Sets the caller's credentials: the experiments' `cred:` step (`uid`, `caps`, HP-UX `privileges`). */
      readonly op: 'cred';
      /** The credentials, as the `cred:` step writes them. */
      readonly cred: SysOpArgs;
    }
  | {
      /** Writes a kernel switch (`module.sig_enforce` 1): the experiments' `sysctl:` step. */
      readonly op: 'sysctl';
      /** The switch. */
      readonly name: string;
      /** Its new value. */
      readonly value: number;
    }
  | {
      /** One raw syscall of the personality, with the arguments of the experiments' `sys:` step. */
      readonly op: 'sys';
      /** The syscall's name. */
      readonly call: string;
      /** Its arguments. */
      readonly args: SysOpArgs;
    }
  | {
      /** Places a file (a mutated image) in the target's file system. */
      readonly op: 'stage';
      /** Where. */
      readonly path: string;
      /** The contents. */
      readonly bytes: Uint8Array;
    };

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
  /**
   * Whether {@link Target.reset} honours a kernel configuration (kmodsim does; a real kernel cannot be
   * reconfigured between cases, so cases that need one are skipped).
   */
  readonly configurable?: boolean;
  /**
   * Starts from a fresh kernel with these modules available (built and staged by the target), configured with
   * `config` (kmodsim's `KernelConfig` keys) when the target is {@link Target.configurable}.
   */
  reset(modules: readonly NeutralModuleSpec[], config?: KernelSettings): Promise<void>;
  /** Runs one operation. */
  exec(op: ConformanceOp): Promise<OpOutcome>;
  /** Reports the visible state. */
  observe(): Promise<Observation>;
  /** Releases resources (the script target's process). */
  close(): Promise<void>;
}

/**
 * The op as one line of the script protocol: `load a count=1`, `unload a`, `privileged off`,
 * `sys delete_module {"name":"a"}` (the arguments as one JSON object), `stage /tmp/x BASE64`.
 */
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
    case 'sysctl':
      return `sysctl ${op.name} ${op.value}`;
    case 'cred':
      return `cred ${JSON.stringify(op.cred)}`;
    case 'sys':
      return `sys ${op.call} ${JSON.stringify(op.args)}`;
    case 'stage':
      return `stage ${op.path} ${Buffer.from(op.bytes).toString('base64')}`;
    default:
      return `${op.op} ${op.module}`;
  }
}

/** Parses one line of the script protocol back into an op (the inverse of {@link opToLine}); undefined if it is not one. */
export function lineToOp(line: string): ConformanceOp | undefined {
  const m = /^(\S+)(?: (\S+))?(?: (.*))?$/s.exec(line);
  if (m === null) return undefined;
  const [, verb, first, rest] = m;
  switch (verb) {
    case 'load':
      if (first === undefined) return undefined;
      return rest === undefined ? { op: 'load', module: first } : { op: 'load', module: first, params: rest };
    case 'unload':
    case 'use':
    case 'unuse':
      return first === undefined || rest !== undefined ? undefined : { op: verb, module: first };
    case 'privileged':
      return first === 'on' || first === 'off' ? { op: 'privileged', on: first === 'on' } : undefined;
    case 'disable-modules':
      return first === undefined ? { op: 'disable-modules' } : undefined;
    case 'sysctl': {
      const value = Number(rest);
      return first === undefined || rest === undefined || !Number.isInteger(value)
        ? undefined
        : { op: 'sysctl', name: first, value };
    }
    case 'cred': {
      const cred = jsonObject(`${first ?? ''}${rest === undefined ? '' : ` ${rest}`}`);
      return cred === undefined ? undefined : { op: 'cred', cred };
    }
    case 'sys': {
      if (first === undefined) return undefined;
      const args = jsonObject(rest ?? '{}');
      return args === undefined ? undefined : { op: 'sys', call: first, args };
    }
    case 'stage':
      if (first === undefined) return undefined;
      return { op: 'stage', path: first, bytes: new Uint8Array(Buffer.from(rest ?? '', 'base64')) };
    default:
      return undefined;
  }
}

function jsonObject(text: string): SysOpArgs | undefined {
  try {
    const v = JSON.parse(text) as JsonValue;
    return v === null || typeof v !== 'object' || Array.isArray(v) ? undefined : v;
  } catch {
    return undefined;
  }
}

/** Parses a target's answer to an op: `ok` or an errno name; undefined for anything else. */
export function parseOutcome(answer: string): OpOutcome | undefined {
  const a = answer.trim();
  return a === 'ok' || isErrnoName(a) ? a : undefined;
}
