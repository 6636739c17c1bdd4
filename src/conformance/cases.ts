import type { JsonValue } from '../core/snapshot.js';
import type { PersonalityId } from '../personalities/personality.js';
import type { CoverageRecorder } from './coverage.js';
import { SUITE_MODULES } from './model.js';
import { scenarioFor } from './replay.js';
import { execWithDeadline } from './robustness.js';
import type { PropertyReport } from './suite.js';
import { type ConformanceOp, type KernelSettings, type OpOutcome, opToLine, type Target } from './target.js';

/** One targeted case: ops whose last one must answer `expect` (an LTP-style row of the contract). */
export interface ContractCase {
  /** Unique name (`init_module: unknown symbol`). */
  readonly name: string;
  /** Kernel configuration the case needs; skipped on targets that cannot be configured. */
  readonly config?: KernelSettings;
  /** The ops; every one runs, only the last one's outcome is checked. */
  readonly ops: readonly ConformanceOp[];
  /** What the last op must answer. */
  readonly expect: OpOutcome;
  /**
   * The syscall whose documented errno the last op shows, when the last op is a neutral action (whose first
   * failing call on the era's tools is this one); a `sys` op names its own call.
   */
  readonly call?: string;
}

const sys = (call: string, args: { readonly [key: string]: JsonValue } = {}): ConformanceOp => ({
  op: 'sys',
  call,
  args,
});
const load = (module: string, params?: string): ConformanceOp =>
  params === undefined ? { op: 'load', module } : { op: 'load', module, params };
const unprivileged: ConformanceOp = { op: 'privileged', on: false };
const stage = (path: string, bytes: Uint8Array): ConformanceOp => ({ op: 'stage', path, bytes });

/** A signature trailer whose `sig_len` runs past the file: `mod_check_sig` answers EBADMSG. */
function badlySigned(image: Uint8Array): Uint8Array {
  const marker = new TextEncoder().encode('~Module signature appended~\n');
  const info = new Uint8Array([0, 0, 2, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
  const out = new Uint8Array(image.length + info.length + marker.length);
  out.set(image);
  out.set(info, image.length);
  out.set(marker, image.length + info.length);
  return out;
}

const JUNK = new TextEncoder().encode('this is not an ELF object, just some text long enough to be read\n');

/** The cases of one personality, given its images of the suite's modules. */
export type CaseList = (image: (module: string) => Uint8Array) => readonly ContractCase[];

function v26Cases(image: (module: string) => Uint8Array): ContractCase[] {
  const c = (
    name: string,
    ops: ConformanceOp[],
    expect: OpOutcome,
    config?: KernelSettings,
  ): ContractCase => ({
    name,
    ops,
    expect,
    ...(config === undefined ? {} : { config }),
  });
  const enforce: ConformanceOp = { op: 'sysctl', name: 'module.sig_enforce', value: 1 };
  const loaders: [string, (module: string, extra?: { readonly [k: string]: JsonValue }) => ConformanceOp][] =
    [
      ['init_module', (module, extra = {}) => sys('init_module', { module, ...extra })],
      ['finit_module', (file, extra = {}) => sys('finit_module', { file, ...extra })],
    ];
  const out: ContractCase[] = [];
  for (const [call, l] of loaders) {
    out.push(
      c(`${call}: no CAP_SYS_MODULE`, [unprivileged, l('cf_base')], 'EPERM'),
      c(`${call}: modules_disabled`, [{ op: 'disable-modules' }, l('cf_base')], 'EPERM'),
      c(`${call}: parameters outside the address space`, [l('cf_base', { fault: 'params' })], 'EFAULT'),
      c(
        `${call}: malformed signature`,
        [stage('/tmp/cf-badsig.ko', badlySigned(image('cf_base'))), l('/tmp/cf-badsig.ko')],
        'EBADMSG',
      ),
      c(`${call}: unsigned, signatures enforced`, [enforce, l('cf_base')], 'EKEYREJECTED'),
      c(`${call}: already loaded`, [load('cf_base'), l('cf_base')], 'EEXIST'),
      c(`${call}: symbol owner still in init`, [load('cf_hang'), l('cf_hang_user')], 'EBUSY'),
      c(`${call}: bad parameter value`, [l('cf_solo', { params: 'level=abc' })], 'EINVAL'),
      c(
        `${call}: parameter value out of range`,
        [l('cf_solo', { params: 'level=99999999999999999999' })],
        'ERANGE',
      ),
      c(`${call}: unknown symbol`, [l('cf_user')], 'ENOENT'),
      c(`${call}: init never returns`, [l('cf_hang')], 'EINTR'),
      c(`${call}: init fails`, [l('cf_fail')], 'ENODEV'),
    );
  }
  out.push(
    c(
      'init_module: image outside the address space',
      [sys('init_module', { module: 'cf_base', fault: 'image' })],
      'EFAULT',
    ),
    c(
      'init_module: len below an ELF header',
      [sys('init_module', { module: 'cf_base', len: 10 })],
      'ENOEXEC',
    ),
    c('init_module: len too large', [sys('init_module', { module: 'cf_base', len: 2 ** 40 })], 'ENOMEM'),
    c('finit_module: unknown flags', [sys('finit_module', { file: 'cf_base', flags: -1 })], 'EINVAL'),
    c('finit_module: not a regular file', [sys('finit_module', { file: '/dev/null' })], 'EINVAL'),
    c('finit_module: fd not open', [sys('finit_module', { fd: -1 })], 'EBADF'),
    c(
      'finit_module: file open for writing',
      [
        stage('/tmp/cf-copy.ko', image('cf_base')),
        sys('open', { file: '/tmp/cf-copy.ko', mode: 'rw', as: 'w' }),
        sys('finit_module', { fd: 'w' }),
      ],
      'ETXTBSY',
    ),
    c(
      'finit_module: compressed without decompression',
      [sys('finit_module', { file: 'cf_base', flags: ['MODULE_INIT_COMPRESSED_FILE'] })],
      'EOPNOTSUPP',
    ),
    c(
      'finit_module: not an ELF image',
      [stage('/tmp/cf-junk.ko', JUNK), sys('finit_module', { file: '/tmp/cf-junk.ko' })],
      'ENOEXEC',
    ),
    c(
      'delete_module: no CAP_SYS_MODULE',
      [load('cf_base'), unprivileged, sys('delete_module', { name: 'cf_base' })],
      'EPERM',
    ),
    c('delete_module: name outside the address space', [sys('delete_module', { fault: 'name' })], 'EFAULT'),
    c('delete_module: not loaded', [sys('delete_module', { name: 'nosuch' })], 'ENOENT'),
    c(
      'delete_module: used by another module',
      [load('cf_base'), load('cf_user'), sys('delete_module', { name: 'cf_base', flags: ['O_NONBLOCK'] })],
      'EWOULDBLOCK',
    ),
    c(
      'delete_module: open device',
      [
        load('cf_solo'),
        { op: 'use', module: 'cf_solo' },
        sys('delete_module', { name: 'cf_solo', flags: ['O_NONBLOCK'] }),
      ],
      'EWOULDBLOCK',
    ),
    c(
      'delete_module: init without exit',
      [load('cf_perm'), sys('delete_module', { name: 'cf_perm', flags: ['O_NONBLOCK'] })],
      'EBUSY',
    ),
    c(
      'delete_module: still in init',
      [load('cf_hang'), sys('delete_module', { name: 'cf_hang', flags: ['O_NONBLOCK'] })],
      'EBUSY',
    ),
    c(
      'delete_module: exit never returns',
      [load('cf_stuck'), sys('delete_module', { name: 'cf_stuck', flags: ['O_NONBLOCK'] })],
      'EINTR',
    ),
    c('create_module: removed in 2.6', [sys('create_module', { name: 'cf_base' })], 'ENOSYS'),
    c('query_module: removed in 2.6', [sys('query_module', { which: 'QM_MODULES' })], 'ENOSYS'),
    c('get_kernel_syms: removed in 2.6', [sys('get_kernel_syms')], 'ENOSYS'),
  );
  return out;
}

function v24Cases(): ContractCase[] {
  const create = (name: string, extra: { readonly [k: string]: JsonValue } = {}) =>
    sys('create_module', { name, ...extra });
  const long = 'm'.repeat(4096);
  return [
    { name: 'create_module: no CAP_SYS_MODULE', ops: [unprivileged, create('cf_raw')], expect: 'EPERM' },
    {
      name: 'create_module: name outside the address space',
      ops: [create('cf_raw', { fault: 'name' })],
      expect: 'EFAULT',
    },
    { name: 'create_module: empty name', ops: [create('', { size: 4096 })], expect: 'EINVAL' },
    { name: 'create_module: size below the header', ops: [create('cf_raw', { size: 10 })], expect: 'EINVAL' },
    { name: 'create_module: name fills a page', ops: [create(long, { size: 8192 })], expect: 'ENAMETOOLONG' },
    { name: 'create_module: exists', ops: [create('cf_raw'), create('cf_raw')], expect: 'EEXIST' },
    { name: 'create_module: too large', ops: [create('cf_raw', { size: 0x7fffffff })], expect: 'ENOMEM' },
    {
      name: 'init_module: no CAP_SYS_MODULE',
      ops: [create('cf_raw'), unprivileged, sys('init_module', { name: 'cf_raw' })],
      expect: 'EPERM',
    },
    {
      name: 'init_module: image outside the address space',
      ops: [create('cf_raw'), sys('init_module', { name: 'cf_raw', fault: 'image' })],
      expect: 'EFAULT',
    },
    {
      name: 'init_module: flags other than MOD_AUTOCLEAN',
      ops: [create('cf_raw'), sys('init_module', { name: 'cf_raw', flags: 8 })],
      expect: 'EINVAL',
    },
    {
      name: 'init_module: name fills a page',
      ops: [sys('init_module', { name: long })],
      expect: 'ENAMETOOLONG',
    },
    { name: 'init_module: never created', ops: [sys('init_module', { name: 'nosuch' })], expect: 'ENOENT' },
    {
      name: 'init_module: init fails (2.2)',
      config: { kernelVersion: '2.2.26' },
      ops: [load('cf_fail')],
      expect: 'EBUSY',
      call: 'init_module',
    },
    { name: 'init_module: init fails (2.4)', ops: [load('cf_fail')], expect: 'ENODEV', call: 'init_module' },
    { name: 'init_module: init never returns', ops: [load('cf_hang')], expect: 'EINTR', call: 'init_module' },
    {
      name: 'delete_module: no CAP_SYS_MODULE',
      ops: [load('cf_base'), unprivileged, sys('delete_module', { name: 'cf_base' })],
      expect: 'EPERM',
    },
    {
      name: 'delete_module: name outside the address space',
      ops: [sys('delete_module', { name: 'cf_base', fault: 'name' })],
      expect: 'EFAULT',
    },
    { name: 'delete_module: empty name', ops: [sys('delete_module', { name: '' })], expect: 'EINVAL' },
    {
      name: 'delete_module: name fills a page',
      ops: [sys('delete_module', { name: long })],
      expect: 'ENAMETOOLONG',
    },
    { name: 'delete_module: not loaded', ops: [sys('delete_module', { name: 'nosuch' })], expect: 'ENOENT' },
    {
      name: 'delete_module: used by another module',
      ops: [load('cf_base'), load('cf_user'), sys('delete_module', { name: 'cf_base' })],
      expect: 'EBUSY',
    },
    {
      name: 'delete_module: cleanup never returns',
      ops: [load('cf_stuck'), sys('delete_module', { name: 'cf_stuck' })],
      expect: 'EINTR',
    },
    {
      name: 'query_module: buffer outside the address space',
      ops: [load('cf_base'), sys('query_module', { which: 'QM_MODULES', fault: 'buf' })],
      expect: 'EFAULT',
    },
    { name: 'query_module: unknown which', ops: [sys('query_module', { which: 99 })], expect: 'EINVAL' },
    {
      name: 'query_module: name fills a page',
      ops: [sys('query_module', { name: long, which: 'QM_INFO' })],
      expect: 'ENAMETOOLONG',
    },
    {
      name: 'query_module: not loaded',
      ops: [sys('query_module', { name: 'nosuch', which: 'QM_INFO' })],
      expect: 'ENOENT',
    },
    {
      name: 'query_module: buffer too small',
      ops: [load('cf_base'), sys('query_module', { which: 'QM_MODULES', bufsize: 1 })],
      expect: 'ENOSPC',
    },
    { name: 'finit_module: not in 2.4', ops: [sys('finit_module', { file: 'cf_base' })], expect: 'ENOSYS' },
  ];
}

function v1Cases(): ContractCase[] {
  const create = (name: string, extra: { readonly [k: string]: JsonValue } = {}) =>
    sys('create_module', { name, size: 4096, ...extra });
  const long = 'm'.repeat(64);
  return [
    { name: 'create_module: not the superuser', ops: [unprivileged, create('cf_raw')], expect: 'EPERM' },
    {
      name: 'create_module: securelevel > 0 (2.0)',
      config: { kernelVersion: '2.0.40', securelevel: 1 },
      ops: [create('cf_raw')],
      expect: 'EPERM',
    },
    { name: 'create_module: size 0', ops: [create('cf_raw', { size: 0 })], expect: 'EINVAL' },
    { name: 'create_module: 64-byte name', ops: [create(long)], expect: 'E2BIG' },
    { name: 'create_module: name unreadable', ops: [create('cf_raw', { fault: 'name' })], expect: 'EFAULT' },
    { name: 'create_module: exists', ops: [create('cf_raw'), create('cf_raw')], expect: 'EEXIST' },
    { name: "create_module: the kernel's empty name", ops: [create('')], expect: 'EEXIST' },
    { name: 'create_module: too large', ops: [create('cf_raw', { size: 0x7fffffff })], expect: 'ENOMEM' },
    {
      name: 'init_module: not the superuser',
      ops: [create('cf_raw'), unprivileged, sys('init_module', { name: 'cf_raw', code: 'cf_base' })],
      expect: 'EPERM',
    },
    { name: 'init_module: 64-byte name', ops: [sys('init_module', { name: long })], expect: 'E2BIG' },
    {
      name: 'init_module: routines unreadable',
      ops: [create('cf_raw'), sys('init_module', { name: 'cf_raw', routines: 0x70000000 })],
      expect: 'EFAULT',
    },
    {
      name: 'init_module: code unreadable',
      ops: [create('cf_raw'), sys('init_module', { name: 'cf_raw', code: 'cf_base', fault: 'code' })],
      expect: 'EFAULT',
    },
    {
      name: 'init_module: never created',
      ops: [sys('init_module', { name: 'nosuch', code: 'cf_base' })],
      expect: 'ENOENT',
    },
    {
      name: 'init_module: code larger than the module',
      ops: [create('cf_raw', { size: 100 }), sys('init_module', { name: 'cf_raw', codesize: 9000 })],
      expect: 'EINVAL',
    },
    {
      name: 'init_module: illegal symbol table',
      ops: [create('cf_raw'), sys('init_module', { name: 'cf_raw', codesize: 0, symtab: { n_symbols: -1 } })],
      expect: 'EINVAL',
    },
    {
      name: 'init_module: non-module reference',
      ops: [create('cf_raw'), sys('init_module', { name: 'cf_raw', codesize: 0, symtab: { refs: [1234] } })],
      expect: 'EINVAL',
    },
    {
      name: 'init_module: symbol table kmalloc cannot hold',
      ops: [create('cf_raw'), sys('init_module', { name: 'cf_raw', codesize: 0, symtab: { size: 1 << 20 } })],
      expect: 'ENOMEM',
    },
    { name: 'init_module: init fails', ops: [load('cf_fail')], expect: 'EBUSY', call: 'init_module' },
    { name: 'init_module: init never returns', ops: [load('cf_hang')], expect: 'EINTR', call: 'init_module' },
    {
      name: 'delete_module: not the superuser',
      ops: [load('cf_base'), unprivileged, sys('delete_module', { name: 'cf_base' })],
      expect: 'EPERM',
    },
    { name: 'delete_module: 64-byte name', ops: [sys('delete_module', { name: long })], expect: 'E2BIG' },
    {
      name: 'delete_module: name unreadable',
      ops: [sys('delete_module', { name: 'cf_base', fault: 'name' })],
      expect: 'EFAULT',
    },
    { name: 'delete_module: not loaded', ops: [sys('delete_module', { name: 'nosuch' })], expect: 'ENOENT' },
    {
      name: 'delete_module: referred to by another module',
      ops: [load('cf_base'), load('cf_user'), sys('delete_module', { name: 'cf_base' })],
      expect: 'EBUSY',
    },
    {
      name: 'delete_module: in use',
      ops: [load('cf_solo'), { op: 'use', module: 'cf_solo' }, sys('delete_module', { name: 'cf_solo' })],
      expect: 'EBUSY',
    },
    {
      name: 'delete_module: cleanup never returns',
      ops: [load('cf_stuck'), sys('delete_module', { name: 'cf_stuck' })],
      expect: 'EINTR',
    },
    {
      name: 'get_kernel_syms: table unwritable',
      ops: [sys('get_kernel_syms', { table: 0x70000000 })],
      expect: 'EFAULT',
    },
    { name: 'query_module: not before 2.1.18', ops: [sys('query_module')], expect: 'ENOSYS' },
    { name: 'finit_module: not in 1.x', ops: [sys('finit_module', { file: 'cf_base' })], expect: 'ENOSYS' },
  ];
}

function hpuxCases(image: (module: string) => Uint8Array): ContractCase[] {
  const registered = { registeredModules: [...SUITE_MODULES.map((m) => m.spec.name), 'cf_junk'] };
  const off = { dlkmInitialized: false };
  const modload = (path: string, extra: { readonly [k: string]: JsonValue } = {}) =>
    sys('modload', { path, ...extra });
  const c = (
    name: string,
    ops: ConformanceOp[],
    expect: OpOutcome,
    config: KernelSettings = registered,
  ): ContractCase => ({
    name,
    ops,
    expect,
    config,
  });
  const long = `/${'p'.repeat(1100)}`;
  return [
    c('modload: no privilege', [unprivileged, modload('cf_base')], 'EPERM'),
    c('modload: path outside the address space', [modload('cf_base', { fault: 'path' })], 'EFAULT'),
    c('modload: path longer than MAXPATHLEN', [modload(long)], 'ENAMETOOLONG'),
    c('modload: DLKM not initialized', [modload('cf_base')], 'ENOSYS', off),
    c('modload: not an ELF object', [stage('/usr/conf/mod/cf_junk', JUNK), modload('cf_junk')], 'EINVAL'),
    c('modload: not registered', [modload('cf_base')], 'ENOREG', {}),
    c('modload: no such file', [modload('cf_nofile')], 'ENOENT', { registeredModules: ['cf_nofile'] }),
    c(
      'modload: directory denies search',
      [
        stage('/root/cf_base', image('cf_base')),
        { op: 'cred', cred: { uid: 1000, caps: [], privileges: ['PRIV_DLKM'] } },
        modload('/root/cf_base'),
      ],
      'EACCES',
    ),
    c('modload: undefined symbol', [modload('cf_unres')], 'ERELOC'),
    c('modload: wrong wrapper revision', [modload('cf_oldrev')], 'EBADVER'),
    c('modload: _load never returns', [modload('cf_hang')], 'EINTR'),
    c('modload: _load fails', [modload('cf_fail')], 'ENODEV'),
    c(
      'moduload: no privilege',
      [load('cf_base'), unprivileged, sys('moduload', { name: 'cf_base' })],
      'EPERM',
    ),
    c('moduload: DLKM not initialized', [sys('moduload', { id: 1 })], 'ENOSYS', off),
    c('moduload: no such id', [sys('moduload', { id: 999 })], 'EINVAL'),
    c(
      'moduload: depended on',
      [load('cf_base'), load('cf_user'), sys('moduload', { name: 'cf_base' })],
      'EBUSY',
    ),
    c('moduload: _unload never returns', [load('cf_stuck'), sys('moduload', { name: 'cf_stuck' })], 'EINTR'),
    c('modstat: no such id', [sys('modstat', { id: 999 })], 'EINVAL'),
    c('modstat: DLKM not initialized', [sys('modstat', { id: 1 })], 'ENOSYS', off),
    c(
      'modstat: buffer outside the address space',
      [load('cf_base'), sys('modstat', { name: 'cf_base', stbuf: 1 })],
      'EFAULT',
    ),
    c(
      'modstat: no privilege (11i v1)',
      [load('cf_base'), unprivileged, sys('modstat', { id: 1, next: true })],
      'EPERM',
      {
        kernelVersion: '11.11',
      },
    ),
    c('modpath: no privilege', [unprivileged, sys('modpath', { path: '/a' })], 'EPERM'),
    c('modpath: longer than MAXPATHLEN', [sys('modpath', { path: long })], 'ENAMETOOLONG'),
    c('modpath: malformed list', [sys('modpath', { path: 'a:/b' })], 'EINVAL'),
    c('modpath: DLKM not initialized', [sys('modpath', { path: '/a' })], 'ENOSYS', off),
    c('modpath: path outside the address space', [sys('modpath', { path: '/a', fault: 'path' })], 'EFAULT'),
  ];
}

/** The targeted cases per personality: at least one for every reachable documented errno. */
export const CONTRACT_CASES: Readonly<Partial<Record<PersonalityId, CaseList>>> = {
  'linux-v26': v26Cases,
  'linux-v24': v24Cases,
  'linux-v1': v1Cases,
  'hpux-dlkm': hpuxCases,
};

/** The call a case's answer is attributed to in the coverage table. */
export function caseCall(c: ContractCase): string | undefined {
  const last = c.ops[c.ops.length - 1];
  return c.call ?? (last?.op === 'sys' ? last.call : undefined);
}

/** `call errno` → the cases meant to produce it. */
export function casesByRow(cases: readonly ContractCase[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const c of cases) {
    const call = caseCall(c);
    if (call === undefined || c.expect === 'ok') continue;
    const key = `${call} ${c.expect}`;
    out.set(key, [...(out.get(key) ?? []), c.name]);
  }
  return out;
}

/** Options of {@link runCases}. */
export interface CaseOptions {
  /** Where observed errnos are counted. */
  readonly recorder?: CoverageRecorder;
  /** Called after each case. */
  readonly onRun?: (done: number, total: number) => void;
  /** Longest a call may take before it counts as a hang (default 10 s). */
  readonly deadlineMs?: number;
}

/** What {@link runCases} reports: the property, and one line per failing case. */
export interface CasesReport extends PropertyReport {
  /** `case name: expected X, got Y`, one per failing case. */
  readonly failures: readonly string[];
}

/**
 * Runs the targeted cases on `target`. A case whose last op answers otherwise fails the property; the first
 * failing case is returned as a replayable scenario. Cases needing a configuration are skipped on targets that
 * cannot be configured.
 */
export async function runCases(
  target: Target,
  cases: readonly ContractCase[],
  options: CaseOptions = {},
): Promise<CasesReport> {
  const personality = target.personality;
  const failures: string[] = [];
  let first: { c: ContractCase; got: string } | undefined;
  let done = 0;
  let ran = 0;
  for (const c of cases) {
    if (c.config !== undefined && Object.keys(c.config).length > 0 && target.configurable !== true) {
      options.recorder?.skip(c.name);
      options.onRun?.(++done, cases.length);
      continue;
    }
    let got: string;
    try {
      await target.reset(
        SUITE_MODULES.map((m) => m.spec),
        c.config,
      );
      let last: OpOutcome = 'ok';
      for (const op of c.ops) {
        last = await execWithDeadline(target, op, options.deadlineMs ?? 10_000);
        if (op.op === 'sys') options.recorder?.record(op.call, last, c.name);
      }
      const call = caseCall(c);
      if (c.call !== undefined && call !== undefined) options.recorder?.record(call, last, c.name);
      got = last;
    } catch (e) {
      got = `exception: ${e instanceof Error ? e.message : String(e)}`;
    }
    ran++;
    if (got !== c.expect) {
      failures.push(`${c.name}: expected ${c.expect}, got ${got}`);
      first ??= { c, got };
    }
    options.onRun?.(++done, cases.length);
  }
  const base = { personality, property: 'cases', runs: ran, seed: 0, failures };
  if (first === undefined) return { ...base, pass: true };
  const f = first.c;
  return {
    ...base,
    pass: false,
    message: failures.join('; '),
    counterexample: f.ops.map((op) => opToLine(op).slice(0, 300)),
    replay: scenarioFor(
      personality,
      f.ops.map((op, i) => (i === f.ops.length - 1 ? { op, expect: f.expect } : { op })),
      {
        name: `conformance case (${personality}): ${f.name}`,
        description: `Targeted case "${f.name}" answered ${first.got}, the contract says ${f.expect}.`,
        ...(f.config === undefined ? {} : { config: f.config }),
        filePrefix: `${personality}-case`,
      },
    ),
  };
}
