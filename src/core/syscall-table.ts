import { injectable } from 'inversify';
import type { ErrnoName } from '../abi/errno.js';

/** An argument of a simulated syscall as callers pass it (pointers as numbers, images as bytes, names as strings). */
export type SyscallArg = number | bigint | string | boolean | Uint8Array | readonly string[] | undefined;

/** Named arguments of one call. */
export type SyscallArgs = Readonly<Record<string, SyscallArg>>;

/** What a syscall returns at the user/kernel edge. */
export interface SyscallReturn {
  /** The raw return value: Linux `-errno` on failure; HP-UX `-1` on failure; otherwise the call's value. */
  readonly ret: number | bigint;
  /** The errno name on failure. */
  readonly errno?: ErrnoName;
  /** The errno number in the personality's family on failure. */
  readonly errnoNumber?: number;
  /** Names of the pipeline steps the call ran, in order (see `runPipeline`'s trace), when it has a pipeline. */
  readonly pipeline?: readonly string[];
}

/** One entry of a personality's syscall table (gVisor style: number, name, handler). */
export interface SyscallEntry {
  /** The syscall number of the personality's era and architecture. */
  readonly nr: number;
  /** The syscall's name (`init_module`). */
  readonly name: string;
  /** Argument names in C order, for tracing and scenario files. */
  readonly argNames: readonly string[];
  /** The handler. Must never throw: failures are returned as errno values. */
  readonly handler: (args: SyscallArgs) => SyscallReturn;
}

/** A record of one call, for experiments and traces. */
export interface SyscallRecord {
  /** Syscall name. */
  readonly name: string;
  /** Arguments, summarised (bytes as their length). */
  readonly args: Readonly<Record<string, string | number | boolean>>;
  /** Raw return value, as a string when it is a bigint. */
  readonly ret: number | string;
  /** errno name on failure. */
  readonly errno?: ErrnoName;
  /** Pipeline steps the call ran, when it has a pipeline. */
  readonly pipeline?: readonly string[];
}

/**
 * The personality's syscall table. Every call from the library, a tool or a scenario goes through
 * {@link SyscallTable.invoke}, so each one is recorded in order.
 */
@injectable()
export class SyscallTable {
  private byName = new Map<string, SyscallEntry>();
  private byNr = new Map<number, SyscallEntry>();
  private records: SyscallRecord[] = [];

  /** Adds an entry (a personality's boot does this for every call of its era). */
  register(entry: SyscallEntry): void {
    this.byName.set(entry.name, entry);
    this.byNr.set(entry.nr, entry);
  }

  /** The entry for a name or number. */
  entry(key: string | number): SyscallEntry | undefined {
    return typeof key === 'number' ? this.byNr.get(key) : this.byName.get(key);
  }

  /** Every entry, in number order. */
  entries(): SyscallEntry[] {
    return [...this.byNr.values()].sort((a, b) => a.nr - b.nr);
  }

  /**
   * Calls a syscall by name or number and records it. An unknown call is the caller's bug in the library API
   * (the CLI and scenarios check names first), so it throws.
   */
  invoke(key: string | number, args: SyscallArgs): SyscallReturn {
    const e = this.entry(key);
    if (e === undefined) throw new Error(`unknown syscall ${key}`);
    const r = e.handler(args);
    this.records.push({
      name: e.name,
      args: summarise(args),
      ret: typeof r.ret === 'bigint' ? `0x${r.ret.toString(16)}` : r.ret,
      ...(r.errno === undefined ? {} : { errno: r.errno }),
      ...(r.pipeline === undefined ? {} : { pipeline: r.pipeline }),
    });
    return r;
  }

  /** Calls recorded since `since` (a value of {@link SyscallTable.cursor}). */
  trace(since = 0): readonly SyscallRecord[] {
    return this.records.slice(since);
  }

  /** Position of the next record: take it before an action to get the calls that action made. */
  get cursor(): number {
    return this.records.length;
  }
}

function summarise(args: SyscallArgs): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(args)) {
    if (v === undefined) continue;
    if (v instanceof Uint8Array) out[k] = `<${v.length} bytes>`;
    else if (typeof v === 'bigint') out[k] = `0x${v.toString(16)}`;
    else if (Array.isArray(v)) out[k] = v.join('|');
    else out[k] = v as string | number | boolean;
  }
  return out;
}
