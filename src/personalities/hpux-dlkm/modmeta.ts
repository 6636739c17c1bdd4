/**
 * The module metadata section (`.modmeta`): what HP-UX 11i v3 calls "module metadata" (the master file's role in
 * 11i v1) — name, version, type, dependencies, exported interfaces, capable and best states, description.
 *
 * HP never published the layout; this is the reference's proposal (hpux-dlkm.md §8.3): ASCII lines
 * `key value`, keys `name`, `version`, `type`, `desc`, `depend module <n>:<v>`, `depend interface <n>:<v>`,
 * `exports <i>:<v>`, `capable <state>…`, `best <state>`, plus `timestamp <unix seconds>`, `cmajor <n>` and
 * `bmajor <n>` (driver major numbers, `-1` = assigned by the kernel). Unknown keys are ignored, as a newer
 * tool's metadata would be; NUL padding and blank lines are skipped.
 * @module
 */
import { KC_STATES, type KcState, MODULE_TYPES, type ModuleType } from '../../abi/hpux/dlkm.js';
import { fail, ok, type Result } from '../../core/result.js';

/** One declared dependency. */
export interface ModDependency {
  /** On a module by name, or on an interface some module (or the kernel) exports. */
  readonly kind: 'module' | 'interface';
  /** Module or interface name. */
  readonly name: string;
  /** Version as written (informational: the simulator matches names only). */
  readonly version: string;
}

/** Parsed `.modmeta` contents. */
export interface ModMeta {
  /** `name`. */
  readonly name: string | undefined;
  /** `version` (HP default for loadable modules: 0.1.0). */
  readonly version: string | undefined;
  /** `type` as written (validated by the loader: an unknown one is "not a supported type"). */
  readonly type: string | undefined;
  /** `desc`. */
  readonly desc: string | undefined;
  /** `timestamp` (seconds since the epoch). */
  readonly timestamp: number | undefined;
  /** `depend` lines, in order. */
  readonly depends: readonly ModDependency[];
  /** `exports` lines as `<interface>:<version>`, in order. */
  readonly exports: readonly string[];
  /** `capable` states (all lines merged), or undefined when absent. */
  readonly capable: readonly KcState[] | undefined;
  /** `best` state, or undefined when absent. */
  readonly best: KcState | undefined;
  /** `bmajor` (undefined or -1: none / dynamic). */
  readonly bmajor: number | undefined;
  /** `cmajor` (undefined or -1: dynamic for drivers). */
  readonly cmajor: number | undefined;
}

/** Whether `t` is a module type the kernel supports. */
export function isModuleType(t: string | undefined): t is ModuleType {
  return t !== undefined && (MODULE_TYPES as readonly string[]).includes(t);
}

function isKcState(s: string): s is KcState {
  return (KC_STATES as readonly string[]).includes(s);
}

/** Splits `name:version` (version may be empty when there is no colon). */
function nameVersion(s: string): { name: string; version: string } {
  const at = s.indexOf(':');
  return at < 0 ? { name: s, version: '' } : { name: s.slice(0, at), version: s.slice(at + 1) };
}

/** Parses the section bytes; fails with a reason on a line the kernel could not make sense of. */
export function parseModMeta(bytes: Uint8Array): Result<ModMeta, string> {
  const text = new TextDecoder('latin1').decode(bytes);
  let name: string | undefined;
  let version: string | undefined;
  let type: string | undefined;
  let desc: string | undefined;
  let timestamp: number | undefined;
  let capable: KcState[] | undefined;
  let best: KcState | undefined;
  let bmajor: number | undefined;
  let cmajor: number | undefined;
  const depends: ModDependency[] = [];
  const exports: string[] = [];
  for (const rawLine of text.split(/[\n\0]/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const sp = line.search(/[ \t]/);
    const key = sp < 0 ? line : line.slice(0, sp);
    const value = sp < 0 ? '' : line.slice(sp + 1).trim();
    switch (key) {
      case 'name':
        name ??= value;
        break;
      case 'version':
        version ??= value;
        break;
      case 'type':
        type ??= value;
        break;
      case 'desc':
        desc ??= value;
        break;
      case 'timestamp': {
        const n = Number(value);
        if (!Number.isSafeInteger(n) || n < 0) return fail(`bad timestamp "${value}"`);
        timestamp ??= n;
        break;
      }
      case 'depend': {
        const parts = value.split(/[ \t]+/);
        const kind = parts[0];
        if ((kind !== 'module' && kind !== 'interface') || parts.length !== 2 || parts[1] === '')
          return fail(`bad dependency "${value}"`);
        const nv = nameVersion(parts[1]);
        if (nv.name === '') return fail(`bad dependency "${value}"`);
        depends.push({ kind, ...nv });
        break;
      }
      case 'exports':
        for (const e of value.split(/[ \t]+/)) if (e !== '') exports.push(e);
        break;
      case 'capable':
        capable ??= [];
        for (const s of value.split(/[ \t]+/)) {
          if (s === '') continue;
          if (!isKcState(s)) return fail(`bad capable state "${s}"`);
          if (!capable.includes(s)) capable.push(s);
        }
        break;
      case 'best':
        if (!isKcState(value)) return fail(`bad best state "${value}"`);
        best ??= value;
        break;
      case 'bmajor':
      case 'cmajor': {
        const n = Number(value);
        if (!Number.isInteger(n) || n < -1 || n > 0xffffff) return fail(`bad ${key} "${value}"`);
        if (key === 'bmajor') bmajor ??= n;
        else cmajor ??= n;
        break;
      }
      default:
        break;
    }
  }
  return ok({ name, version, type, desc, timestamp, depends, exports, capable, best, bmajor, cmajor });
}
