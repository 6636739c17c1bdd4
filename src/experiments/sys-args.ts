/**
 * The `sys:` step's argument forms: what a scenario writes (`init_module { module: base, params: "x=1" }`) turned
 * into the named arguments of the personality's syscall handler (`umod`, `len`, `uargs`…). The forms are per
 * personality, because the calls are: a 2.6 `init_module` takes an ELF image, a 2.4 one a `struct module`, a
 * 1.x one code plus a symbol table, and HP-UX calls take path strings and module ids.
 * @module
 */
import { MODULE_OFFSETS, type ModuleMember, QM_NAMES } from '../abi/linux/v24.js';
import type { JsonValue } from '../core/snapshot.js';
import type { SyscallArg } from '../core/syscall-table.js';
import type { Kernel } from '../kernel.js';
import { encodeSymbolTable } from '../personalities/linux-v1/linux-v1-sys.js';
import { buildModuleImage } from '../personalities/linux-v24/module-image-encoder.js';
import type { PersonalityId } from '../personalities/personality.js';

/** What a `sys` step remembers between steps of one run on one kernel. */
export interface SysState {
  /** File descriptors by the name an `open { as: NAME }` gave them. */
  readonly fds: Map<string, number>;
  /** Addresses `create_module` returned, by module name (legacy Linux). */
  readonly created: Map<string, number>;
}

/** A fresh {@link SysState}. */
export function newSysState(): SysState {
  return { fds: new Map(), created: new Map() };
}

/** One documented argument form: the keys a `sys` step may give for a syscall of a personality. */
export interface SysForm {
  /** Accepted keys, with a one-line meaning. */
  readonly keys: Readonly<Record<string, string>>;
}

/** A `sys` step's `args` as the scenario file gives them. */
export type SysStepArgs = { readonly [key: string]: JsonValue };
/** Named arguments for a syscall handler, as {@link prepareSys} builds them. */
export type HandlerArgs = Record<string, SyscallArg>;
type Out = HandlerArgs;

/** The arguments after conversion, and what to do with the return value. */
export interface PreparedCall {
  /** Arguments for the handler. */
  readonly args: HandlerArgs;
  /** Called with the raw return on success (records named fds and addresses). */
  readonly after?: (ret: number | bigint) => void;
  /** Frees user memory mapped for the call (buffers), after it returned. */
  readonly release?: () => void;
  /** A problem with the step's arguments (reported as EINVAL by the runner, without a call). */
  readonly problem?: string;
}

/** `open` modes of the `mode:` key: O_RDONLY, O_WRONLY, O_RDWR, O_PATH (generic Linux numbers; HP-UX agrees on the first three). */
const OPEN_MODES: Readonly<Record<string, number>> = { r: 0, w: 1, rw: 2, path: 0o10000000 };

const COMMON_OPEN: SysForm = {
  keys: {
    file: 'path to open (or `path`)',
    mode: 'r | w | rw | path (O_RDONLY, O_WRONLY, O_RDWR, O_PATH)',
    flags: 'extra open flags (numbers or names)',
    as: 'name for the returned fd, usable as `fd: NAME` later',
    fault: 'path: pass an unmapped pointer instead',
  },
};
const COMMON_CLOSE: SysForm = { keys: { fd: 'a number (raw, e.g. -1) or the name an open gave with `as`' } };

/**
 * Every documented form, by personality and syscall. Syscalls of a personality's table not listed here take
 * their argument names as the handler declares them (`argNames`), passed through.
 */
export const SYS_FORMS: Readonly<Record<PersonalityId, Readonly<Record<string, SysForm>>>> = {
  'linux-v26': {
    init_module: {
      keys: {
        module: 'a module spec of the scenario: its .ko image',
        file: 'a file in the simulated file system: its bytes',
        len: 'length passed (default: the image length)',
        params: 'the parameter string (uargs)',
        fault: 'image | params: pass an unmapped pointer for that argument',
      },
    },
    finit_module: {
      keys: {
        fd: 'a raw number or an fd name from `open { as }`',
        file: 'a path: opened read-only for the call',
        params: 'the parameter string',
        flags: 'MODULE_INIT_* names or a number',
        fault: 'params',
      },
    },
    delete_module: {
      keys: { name: 'module name', flags: 'O_NONBLOCK, O_TRUNC or a number', fault: 'name' },
    },
    open: COMMON_OPEN,
    close: COMMON_CLOSE,
  },
  'linux-v24': {
    create_module: {
      keys: {
        name: 'module name',
        size: 'bytes (default: the size of the image `init_module { module }` would build)',
        module: 'a module spec whose image sizes the call',
        fault: 'name',
      },
    },
    init_module: {
      keys: {
        name: 'module name (name_user)',
        module: 'a module spec: a well-formed struct module image at the address create_module returned',
        base: 'address the image is laid out for (default: what create_module returned for `name`)',
        size: 'the image size (default: its laid-out length)',
        flags: 'struct module flags (MOD_AUTOCLEAN is 4)',
        '<member>': 'any struct module member, e.g. size_of_struct, nsyms, init, kernel_data: overrides',
        fault: 'name | image',
      },
    },
    delete_module: { keys: { name: 'module name; absent: delete_module(NULL) (autoclean)', fault: 'name' } },
    query_module: {
      keys: {
        name: 'module name; absent: the kernel',
        which: 'QM_MODULES, QM_DEPS, QM_REFS, QM_SYMBOLS, QM_INFO or a number',
        bufsize: 'size of the buffer allocated for the answer (default 4096; 0: NULL buffer)',
        fault: 'name | buf',
      },
    },
    get_kernel_syms: { keys: { table: 'true: a buffer for every symbol; absent: NULL (the count)' } },
    open: COMMON_OPEN,
    close: COMMON_CLOSE,
  },
  'linux-v1': {
    create_module: { keys: { name: 'module name', size: 'bytes', fault: 'name' } },
    init_module: {
      keys: {
        name: 'module name',
        code: 'a module spec (its image) or a file path',
        codesize: 'bytes of code (default: the image length); may carry MOD_AUTOCLEAN (0x40000000)',
        autoclean: 'true: or MOD_AUTOCLEAN into codesize',
        routines: 'raw pointer to struct mod_routines (default: a zeroed struct in process memory)',
        symtab:
          'raw pointer to struct symbol_table (0: none), or { symbols: [[addr, name]…], refs: [addr…], size?, n_symbols?, n_refs? } laid out in process memory',
        fault: 'name | code',
      },
    },
    delete_module: { keys: { name: 'module name; absent: delete_module(NULL)', fault: 'name' } },
    get_kernel_syms: {
      keys: { table: 'true: a buffer for every symbol; a number: a raw pointer; absent: NULL (the count)' },
    },
  },
  'hpux-dlkm': {
    modload: {
      keys: {
        path: 'a module name (searched along modpath) or an absolute path',
        module: 'a module spec of the scenario: its name',
        fault: 'path',
      },
    },
    moduload: { keys: { id: 'a module id (0: every unloadable module)', name: 'a loaded module: its id' } },
    modstat: {
      keys: {
        id: 'module id',
        name: 'a loaded module: its id',
        next: 'get_next_module (true/false)',
        stbuf: 'raw pointer (default: a buffer)',
      },
    },
    modpath: { keys: { path: 'colon-separated directories; absent or null: reset to the default' } },
    open: COMMON_OPEN,
    close: COMMON_CLOSE,
  },
};

/** Generic argument names that become a personality's own (`name` is `name_user`…). */
const FAULT_TARGETS: Readonly<Record<string, readonly string[]>> = {
  image: ['umod', 'mod_user', 'code'],
  code: ['code'],
  params: ['uargs'],
  name: ['name_user', 'name'],
  path: ['pathname', 'path'],
  buf: ['buf'],
};

/** An address nothing is mapped at: mapped, then unmapped, so every access faults. */
function badPointer(k: Kernel): number {
  const p = k.core.user.alloc(1);
  k.core.user.unmap(p);
  return p;
}

function num(v: JsonValue | undefined): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?(0x[0-9a-f]+|\d+)$/i.test(v)) return Number(v);
  return undefined;
}

function passThrough(v: JsonValue): SyscallArg {
  if (Array.isArray(v)) return v.map(String);
  if (v === null) return undefined;
  if (typeof v === 'object') return JSON.stringify(v);
  return v;
}

/**
 * A linux-v1 `struct symbol_table` from a step's `symtab: { symbols: [[addr, name]…], refs: [addr…], size?,
 * n_symbols?, n_refs? }`: laid out as insmod does, then the named header fields overwritten (to stage hostile
 * tables); a string is the problem with the form.
 */
function v1SymbolTable(spec: { readonly [key: string]: JsonValue }): Uint8Array | string {
  const symbols: { addr: number; name: string }[] = [];
  for (const e of Array.isArray(spec.symbols) ? spec.symbols : []) {
    if (!Array.isArray(e) || typeof e[0] !== 'number' || typeof e[1] !== 'string')
      return 'symtab.symbols entries are [address, name]';
    symbols.push({ addr: e[0], name: e[1] });
  }
  const refs: number[] = [];
  for (const r of Array.isArray(spec.refs) ? spec.refs : []) {
    if (typeof r !== 'number') return 'symtab.refs entries are struct module addresses';
    refs.push(r);
  }
  const table = encodeSymbolTable({ symbols, refs });
  const view = new DataView(table.buffer, table.byteOffset, table.byteLength);
  for (const [key, at] of [
    ['size', 0],
    ['n_symbols', 4],
    ['n_refs', 8],
  ] as const) {
    const v = spec[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isInteger(v)) return `symtab.${key} must be an integer`;
    view.setUint32(at, v >>> 0, true);
  }
  return table;
}

/**
 * Converts a `sys` step's arguments for one kernel. `moduleFile(name)` is where the scenario's spec `name` was
 * staged (undefined for a name that is not a spec).
 */
export function prepareSys(
  k: Kernel,
  state: SysState,
  syscall: string,
  args: SysStepArgs,
  moduleFile: (name: string) => string | undefined,
): PreparedCall {
  const p = k.personality;
  const out: Out = {};
  const fdOf = (v: JsonValue | undefined): number | string | undefined => {
    if (typeof v === 'string' && state.fds.has(v)) return state.fds.get(v);
    return num(v) ?? (typeof v === 'string' ? v : undefined);
  };
  const bytesOf = (ref: string): Uint8Array | undefined => {
    const path = moduleFile(ref) ?? ref;
    const r = k.vfs.readFile(path);
    return r.ok ? r.value : undefined;
  };
  let after: PreparedCall['after'];
  let release: PreparedCall['release'];
  const given = new Set(Object.keys(args));
  const take = (key: string): JsonValue | undefined => {
    given.delete(key);
    return args[key];
  };
  const faults = ((): string[] => {
    const f = take('fault');
    return f === undefined ? [] : Array.isArray(f) ? f.map(String) : [String(f)];
  })();

  if (syscall === 'open') {
    const file = take('file') ?? take('path') ?? take('pathname');
    const mode = take('mode');
    const extra = take('flags');
    const as = take('as');
    const modeBits = mode === undefined ? 0 : OPEN_MODES[String(mode)];
    if (modeBits === undefined) return { args: {}, problem: `open: mode must be r, w, rw or path` };
    const extraBits = extra === undefined ? 0 : (num(extra) ?? Number.NaN);
    if (Number.isNaN(extraBits)) return { args: {}, problem: 'open: flags must be a number' };
    out[p === 'hpux-dlkm' ? 'path' : 'pathname'] = typeof file === 'string' ? file : undefined;
    out[p === 'hpux-dlkm' ? 'oflag' : 'flags'] = modeBits | extraBits;
    if (typeof as === 'string') after = (ret) => state.fds.set(as, Number(ret));
  } else if (syscall === 'close') {
    out.fd = fdOf(take('fd'));
  } else if (p === 'linux-v26') {
    if (syscall === 'init_module') {
      const ref = take('module') ?? take('file');
      if (typeof ref === 'string') {
        const image = bytesOf(ref);
        if (image === undefined) return { args: {}, problem: `init_module: no file for ${ref}` };
        out.umod = image;
      }
      // The length stays the image's when `fault: image` replaces the pointer.
      const len = take('len');
      if (len !== undefined) out.len = num(len);
      else if (out.umod instanceof Uint8Array) out.len = out.umod.length;
      const params = take('params');
      if (params !== undefined) out.uargs = String(params);
    } else if (syscall === 'finit_module') {
      const fd = take('fd');
      const file = take('file');
      out.fd =
        fd !== undefined ? fdOf(fd) : typeof file === 'string' ? (moduleFile(file) ?? file) : undefined;
      const params = take('params');
      if (params !== undefined) out.uargs = String(params);
      const flags = take('flags');
      if (flags !== undefined) out.flags = passThrough(flags);
    } else if (syscall === 'delete_module') {
      const name = take('name');
      if (name !== undefined) out.name_user = passThrough(name);
      const flags = take('flags');
      if (flags !== undefined) out.flags = passThrough(flags);
    }
  } else if (p === 'linux-v24') {
    const name = take('name');
    if (typeof name === 'string') out.name_user = name;
    if (syscall === 'create_module') {
      const spec = take('module');
      const size = num(take('size'));
      out.size =
        size ??
        (typeof spec === 'string' || typeof name === 'string'
          ? buildModuleImage({ base: 0, name: String(spec ?? name) }).length
          : 0);
      if (typeof name === 'string')
        after = (ret) => state.created.set(name, Number(BigInt.asUintN(32, BigInt(ret))));
    } else if (syscall === 'init_module') {
      take('module');
      const base = num(take('base')) ?? (typeof name === 'string' ? state.created.get(name) : undefined) ?? 0;
      const override: Partial<Record<ModuleMember, number>> = {};
      for (const key of [...given]) {
        if (key in MODULE_OFFSETS) {
          const v = num(take(key));
          if (v === undefined) return { args: {}, problem: `init_module: ${key} must be a number` };
          override[key as ModuleMember] = v;
        }
      }
      const size = num(take('size'));
      const flags = num(take('flags'));
      // The image is laid out in the process: a size no process could allocate is a problem with the step.
      try {
        out.mod_user = buildModuleImage({
          base,
          name: typeof name === 'string' ? name : '',
          ...(override.size_of_struct === undefined ? {} : { sizeOfStruct: override.size_of_struct }),
          ...(size === undefined ? {} : { size }),
          ...(flags === undefined ? {} : { flags }),
          override,
        }).bytes;
      } catch (e) {
        if (!(e instanceof RangeError)) throw e;
        return { args: {}, problem: `init_module: cannot lay out the image: ${e.message}` };
      }
    } else if (syscall === 'query_module') {
      const which = take('which');
      out.which = typeof which === 'string' && which in QM_NAMES ? QM_NAMES[which] : passThrough(which ?? 0);
      const size = num(take('bufsize')) ?? 4096;
      const buf = size > 0 ? k.core.user.alloc(size) : 0;
      const ret = k.core.user.alloc(4);
      Object.assign(out, { buf, bufsize: size, ret });
      release = () => {
        if (buf !== 0) k.core.user.unmap(buf);
        k.core.user.unmap(ret);
      };
    } else if (syscall === 'get_kernel_syms') {
      if (take('table') === true) {
        const count = Number(k.syscall('get_kernel_syms', {}).ret);
        const table = k.core.user.alloc(Math.max(1, count) * 64);
        out.table = table;
        release = () => k.core.user.unmap(table);
      }
    }
  } else if (p === 'linux-v1') {
    const name = take('name');
    if (typeof name === 'string') out.name = name;
    if (syscall === 'init_module') {
      const code = take('code');
      if (typeof code === 'string') {
        const image = bytesOf(code);
        if (image === undefined) return { args: {}, problem: `init_module: no file for ${code}` };
        out.code = image;
      }
      // insmod always passes its routines; a step that names none gets a zeroed struct, not a NULL pointer.
      if (!given.has('routines')) out.routines = new Uint8Array(8);
      const autoclean = take('autoclean') === true ? 0x40000000 : 0;
      const codesize = num(take('codesize')) ?? (out.code instanceof Uint8Array ? out.code.length : 0);
      out.codesize = (codesize | autoclean) >>> 0;
      const symtab = take('symtab');
      if (symtab !== null && typeof symtab === 'object' && !Array.isArray(symtab)) {
        const table = v1SymbolTable(symtab);
        if (typeof table === 'string') return { args: {}, problem: `init_module: ${table}` };
        out.symtab = table;
      } else if (symtab !== undefined) out.symtab = passThrough(symtab);
    } else if (syscall === 'get_kernel_syms') {
      const t = take('table');
      if (t === true) {
        const count = Number(k.syscall('get_kernel_syms', {}).ret);
        const table = k.core.user.alloc(Math.max(1, count) * 64);
        out.table = table;
        release = () => k.core.user.unmap(table);
      } else if (t !== undefined && t !== false) out.table = passThrough(t);
    }
  } else if (p === 'hpux-dlkm') {
    const idOf = (v: JsonValue | undefined): number | undefined => {
      if (typeof v !== 'string') return num(v);
      const rec = k.core.modules.list().find((m) => m.name === v);
      const id = rec?.extra.id;
      return typeof id === 'number' ? id : undefined;
    };
    if (syscall === 'modload') {
      const ref = take('module') ?? take('path') ?? take('pathname');
      out.pathname = typeof ref === 'string' ? ref : undefined;
    } else if (syscall === 'moduload' || syscall === 'modstat') {
      const id = take('id');
      const name = take('name');
      out.module_id = id !== undefined ? num(id) : name !== undefined ? (idOf(name) ?? -1) : 0;
      if (syscall === 'modstat') {
        const next = take('next');
        out.get_next_module = next === true || next === 1;
        const stbuf = num(take('stbuf'));
        const buf = stbuf ?? k.core.user.alloc(4096);
        out.stbuf = buf;
        if (stbuf === undefined) release = () => k.core.user.unmap(buf);
      }
    } else if (syscall === 'modpath') {
      const path = take('path') ?? take('pathname');
      out.pathname = typeof path === 'string' ? path : undefined;
    }
  }
  // Whatever is left goes through under its own name (raw handler arguments such as `umod: 0`).
  for (const key of given) out[key] = passThrough(args[key]);
  for (const f of faults) {
    const target = FAULT_TARGETS[f]?.find((t) => t in out) ?? FAULT_TARGETS[f]?.[0];
    if (target === undefined) return { args: {}, problem: `fault: unknown argument '${f}'` };
    out[target] = badPointer(k);
  }
  return {
    args: out,
    ...(after === undefined ? {} : { after }),
    ...(release === undefined ? {} : { release }),
  };
}
