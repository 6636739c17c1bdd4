import type { ContainerModule } from 'inversify';
import type { ErrnoName } from '../abi/errno.js';
import { HPUX_ERRNO } from '../abi/hpux/errno.js';
import { LINUX_ERRNO } from '../abi/linux/errno.js';
import type { Result } from '../core/result.js';
import type { JsonValue } from '../core/snapshot.js';
import type { SyscallRecord, SyscallReturn } from '../core/syscall-table.js';

/** The four personalities. */
export const PERSONALITY_IDS = ['linux-v1', 'linux-v24', 'linux-v26', 'hpux-dlkm'] as const;

/** One personality id: the same spelling in folders, DI names, tests and CLI flags. */
export type PersonalityId = (typeof PERSONALITY_IDS)[number];

/** Type guard for {@link PersonalityId}. */
export function isPersonalityId(s: string): s is PersonalityId {
  return (PERSONALITY_IDS as readonly string[]).includes(s);
}

/** errno numbering family: decides the raw return convention at the edge. */
export type ErrnoFamily = 'linux' | 'hpux';

/** What a user-space tool run returns, like a process exit. */
export interface ToolResult {
  /** Exit status. */
  readonly exitCode: number;
  /** Standard output. */
  readonly stdout: string;
  /** Standard error. */
  readonly stderr: string;
}

/** A user-space tool of the era (`insmod`, `lsmod`, `kcmodule`…). Reads files from the simulated VFS. */
export interface Tool {
  /** One-line description for `--help`. */
  readonly summary: string;
  /** Runs the tool with its own argument vector (without the tool name). */
  run(argv: readonly string[]): ToolResult;
}

/** The result of a personality-neutral action: the first failing syscall's errno, or ok, and the calls made. */
export interface ActionResult {
  /** `'ok'` or the errno of the first syscall the era's tool made that failed. */
  readonly result: 'ok' | ErrnoName;
  /** Every syscall the action made, in order. */
  readonly syscalls: readonly SyscallRecord[];
  /** What the era's tool printed (for `list`). */
  readonly output?: string;
}

/** Personality-neutral actions used by comparative experiments; each runs the era's own tool or mechanism. */
export interface NeutralActions {
  /** Loads the module image at `path` (in the VFS) with the era's insmod/modload, passing `params`. */
  load(path: string, params?: string): ActionResult;
  /** Unloads a module by name with the era's rmmod/moduload. */
  unload(name: string): ActionResult;
  /** Takes a user-space reference on a module (opening its device): its use count goes up. */
  use(name: string): ActionResult;
  /** Drops a reference taken by {@link NeutralActions.use}. */
  unuse(name: string): ActionResult;
  /** The era's module listing (lsmod / modstat / kcmodule). */
  list(): ActionResult;
}

/** A personality-neutral module description as scenario files and the CLI give it (see the ELF builder's `ModuleSpec`). */
export interface NeutralModuleSpec {
  /** Module name. */
  readonly name: string;
  /** Other fields of the builder's `ModuleSpec` (license, exports, imports, params, behaviour…). */
  readonly [key: string]: JsonValue;
}

/** What every personality provides to the kernel facade. */
export interface Personality {
  /** Its id. */
  readonly id: PersonalityId;
  /** errno family for the raw return convention. */
  readonly family: ErrnoFamily;
  /** Sets the kernel up: address space geometry, syscalls, kernel symbols, /proc files. Called once. */
  boot(): void;
  /** The typed syscall facade (`k.sys.init_module(...)`). */
  readonly sys: object;
  /** The era's user-space tools by name. */
  readonly tools: Readonly<Record<string, Tool>>;
  /** Neutral actions for experiments. */
  readonly actions: NeutralActions;
  /**
   * Builds the image the era's tools take (`.ko`, 2.x/1.x `.o`, DLKM object) from a personality-neutral module
   * spec. Throws on a spec the builder rejects (a caller error).
   */
  buildImage?(spec: NeutralModuleSpec): Uint8Array;
  /** Where the era keeps a module image built for it (`/lib/modules/<release>/extra/<name>.ko`…). */
  modulePath(name: string): string;
  /** Personality state beyond the core services, for `--state`. */
  snapshot(): JsonValue;
  /** Restores {@link Personality.snapshot}'s output (after boot). */
  restore(state: JsonValue): void;
}

/** A registry entry: how to compose a personality into a kernel container. */
export interface PersonalityDefinition {
  /** Its id. */
  readonly id: PersonalityId;
  /** Short title (`Linux 2.6 → 6.x`). */
  readonly title: string;
  /** The API it implements, one line. */
  readonly api: string;
  /** errno family. */
  readonly family: ErrnoFamily;
  /** Its DI unit: binds `TOKENS.Personality` and its own services. */
  readonly module: ContainerModule;
}

/** errno number of `name` in `family`; `undefined` when that family has no such errno. */
export function errnoNumber(family: ErrnoFamily, name: ErrnoName): number | undefined {
  const table = family === 'linux' ? LINUX_ERRNO : HPUX_ERRNO;
  return table[name];
}

/**
 * Turns an internal result into the raw syscall return: Linux returns `-errno`; HP-UX returns `-1` and sets errno.
 * The success value is the call's own return (an address, a count, an id, or 0).
 */
export function toSyscallReturn(family: ErrnoFamily, r: Result<number | bigint>): SyscallReturn {
  if (r.ok) return { ret: r.value };
  const errno = r.error.errno;
  const n = errnoNumber(family, errno);
  if (n === undefined) throw new Error(`${errno} does not exist in the ${family} errno family`);
  return { ret: family === 'linux' ? -n : -1, errno, errnoNumber: n };
}
