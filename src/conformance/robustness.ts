import fc from 'fast-check';
import { MODULE_OFFSETS } from '../abi/linux/v24.js';
import type { JsonValue } from '../core/snapshot.js';
import { mutateImage } from '../elf/mutate/random-mutation.js';
import type { PersonalityId } from '../personalities/personality.js';
import type { CoverageRecorder } from './coverage.js';
import { isDocumented } from './documented-errnos.js';
import { MODEL_PARAMS, MODULE_ERRNOS, SUITE_MODULES } from './model.js';
import { scenarioFor } from './replay.js';
import type { PropertyOptions, PropertyReport } from './suite.js';
import { imagesOf } from './suite-images.js';
import {
  type ConformanceOp,
  type KernelSettings,
  type Observation,
  type OpOutcome,
  opToLine,
  type SysOpArgs,
  type Target,
} from './target.js';

/** A raw syscall op. */
export type SysOp = Extract<ConformanceOp, { op: 'sys' }>;

/** One robustness probe: ops that set a state up (not checked), then one hostile syscall (checked). */
export interface RobustnessCase {
  /** Setup: neutral loads, a created module, a staged mutated image, a privilege drop. */
  readonly setup: readonly ConformanceOp[];
  /** The call under test. */
  readonly probe: SysOp;
}

/** How to probe one personality: its hostile calls, and the kernel configuration they need. */
export interface RobustnessSpec {
  /** Configuration for {@link Target.reset} (ignored by targets that cannot be configured). */
  readonly config?: KernelSettings;
  /** The probes, given the personality's images of the suite's modules. */
  readonly cases: (image: (module: string) => Uint8Array) => fc.Arbitrary<RobustnessCase>;
}

const sys = (call: string, args: Record<string, JsonValue | undefined>): SysOp => ({
  op: 'sys',
  call,
  args: Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined)) as SysOpArgs,
});

const opt = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.option(arb, { nil: undefined, freq: 2 });

/**
 * The suite's modules a probe may name: not the one whose init never returns, since an interrupted load leaves
 * its module in the loading state by design (the targeted cases check that answer).
 */
const SUITE_NAMES = SUITE_MODULES.map((m) => m.spec.name).filter((n) => n !== 'cf_hang');

/** First code point of the UTF-16 surrogate range, and the range's size. */
const SURROGATES = 0xd800;
const SURROGATE_COUNT = 0x800;

/**
 * Text of any Unicode scalar values (control characters, NUL, astral planes), up to `maxLength` code points: what
 * `fc.string({ unit: 'binary' })` generates. That one builds a reverse map of every code point (1.1 M entries,
 * ~60 MB, ~0.9 s) when it is constructed, i.e. whenever this module is imported; this one needs no unmapping.
 */
export const arbBinaryText = (maxLength: number): fc.Arbitrary<string> =>
  fc
    .array(
      fc
        .integer({ min: 0, max: 0x10ffff - SURROGATE_COUNT })
        .map((cp) => String.fromCodePoint(cp < SURROGATES ? cp : cp + SURROGATE_COUNT)),
      { maxLength },
    )
    .map((chars) => chars.join(''));

/** Module names: the suite's, unknown ones, random text, names at and past the eras' limits, empty. */
export const arbName: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SUITE_NAMES, 'nosuch') },
  { weight: 2, arbitrary: fc.string({ maxLength: 70 }) },
  { weight: 1, arbitrary: arbBinaryText(12) },
  { weight: 1, arbitrary: fc.integer({ min: 54, max: 66 }).map((n) => `cf_base${'m'.repeat(n - 7)}`) },
  { weight: 1, arbitrary: fc.constantFrom('', 'm'.repeat(1023), 'm'.repeat(1024), 'm'.repeat(4096)) },
);

/** Parameter strings: the model's, malformed ones, random text and random `name=value` lists. */
export const arbParams: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    ...MODEL_PARAMS,
    '',
    'level=',
    'level',
    'level=1 level=2',
    'level="3"',
    'level=99999999999999999999',
    '--',
    '"',
  ),
  fc.string({ maxLength: 40 }),
  fc
    .array(fc.tuple(fc.constantFrom('level', 'nosuch', 'x', ''), fc.string({ maxLength: 8 })), {
      maxLength: 4,
    })
    .map((kv) => kv.map(([k, v]) => `${k}=${v}`).join(' ')),
);

/** Lengths, sizes and ids around the interesting boundaries. */
const arbNumber = (around: readonly number[]): fc.Arbitrary<number> =>
  fc.oneof(
    fc.constantFrom(...around, 0, 1, -1, 0x7fffffff, 0xffffffff, 2 ** 40),
    fc.integer({ min: -16, max: 4096 }),
  );

/** Neutral setup: some of the model's modules loaded (in dependency order), one used, maybe a privilege drop. */
const arbSetup: fc.Arbitrary<ConformanceOp[]> = fc
  .record({
    loads: fc.subarray(['cf_base', 'cf_user', 'cf_solo']),
    use: fc.boolean(),
    drop: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
  })
  .map(({ loads, use, drop }): ConformanceOp[] => [
    ...loads.map((module): ConformanceOp => ({ op: 'load', module })),
    ...(use && loads.includes('cf_solo') ? [{ op: 'use', module: 'cf_solo' } as const] : []),
    ...(drop ? [{ op: 'privileged', on: false } as const] : []),
  ]);

/** A staged mutated copy of one of the suite's images: the stage op and the path it was written to. */
function arbMutant(
  image: (module: string) => Uint8Array,
  path: string,
): fc.Arbitrary<ConformanceOp & { op: 'stage' }> {
  return fc
    .record({
      base: fc.constantFrom('cf_base', 'cf_user', 'cf_solo'),
      seed: fc.integer({ min: 0, max: 0x7fffffff }),
      count: fc.integer({ min: 1, max: 3 }),
    })
    .map(({ base, seed, count }) => ({
      op: 'stage',
      path,
      bytes: mutateImage(image(base), seed, count).image,
    }));
}

const V26_MUTANT = '/tmp/cf-mutant.ko';
const HPUX_MUTANT = 'cf_mut';

/**
 * The hostile calls per personality. Every syscall of each documented table is probed: mutated images, random
 * lengths, flags and parameter strings, unmapped pointers (`fault:`), long and odd names.
 */
export const ROBUSTNESS: Readonly<Partial<Record<PersonalityId, RobustnessSpec>>> = {
  'linux-v26': {
    cases: (image) => {
      const flags = fc.oneof(
        fc.constantFrom<JsonValue>([], ['O_NONBLOCK'], ['O_TRUNC'], ['O_NONBLOCK', 'O_TRUNC']),
        fc.integer({ min: -1, max: 0xfff }),
      );
      const initModule = fc
        .record({
          mutant: opt(arbMutant(image, V26_MUTANT)),
          module: fc.constantFrom(...SUITE_NAMES),
          len: opt(arbNumber([64, 63, image('cf_base').length])),
          params: opt(arbParams),
          fault: opt(fc.constantFrom('image', 'params')),
        })
        .map(({ mutant, module, len, params, fault }) => ({
          setup: mutant === undefined ? [] : [mutant],
          probe: sys('init_module', {
            ...(mutant === undefined ? { module } : { file: V26_MUTANT }),
            len,
            params,
            fault,
          }),
        }));
      const finitModule = fc
        .record({
          mutant: opt(arbMutant(image, V26_MUTANT)),
          file: fc.constantFrom(...SUITE_NAMES, '/dev/null', '/tmp', '/nonexistent'),
          fd: opt(fc.integer({ min: -2, max: 8 })),
          params: opt(arbParams),
          flags: opt(
            fc.oneof(
              fc.constantFrom<JsonValue>(
                ['MODULE_INIT_IGNORE_MODVERSIONS'],
                ['MODULE_INIT_IGNORE_VERMAGIC'],
                ['MODULE_INIT_COMPRESSED_FILE'],
              ),
              fc.integer({ min: -1, max: 16 }),
            ),
          ),
          fault: opt(fc.constant('params')),
        })
        .map(({ mutant, file, fd, params, flags, fault }) => ({
          setup: mutant === undefined ? [] : [mutant],
          probe: sys('finit_module', {
            ...(fd !== undefined ? { fd } : { file: mutant === undefined ? file : V26_MUTANT }),
            params,
            flags,
            fault,
          }),
        }));
      const deleteModule = fc
        .record({ name: opt(arbName), flags: opt(flags), fault: opt(fc.constant('name')) })
        .map(({ name, flags, fault }) => ({
          setup: [],
          probe: sys('delete_module', { name, flags, fault }),
        }));
      const obsolete = fc
        .constantFrom('create_module', 'query_module', 'get_kernel_syms')
        .map((call) => ({ setup: [], probe: sys(call, {}) }));
      return withSetup(fc.oneof(initModule, initModule, finitModule, deleteModule, obsolete));
    },
  },
  'linux-v24': {
    // The reference-documented residue of a refused re-initialisation (docs/personalities/linux-v24.md, "What
    // error paths leave": a header longer than the struct overwrites a running module's bytes past it) is undone
    // here, so that every refusal can be held to "state as before"; the residue itself is a unit test.
    config: { residue: 'clean' },
    cases: () => {
      const created = fc.option(
        fc.record({ name: fc.constantFrom('cf_raw', 'cf_base'), size: opt(arbNumber([96, 100, 160])) }),
        { nil: undefined },
      );
      const createModule = fc
        .record({
          name: opt(arbName),
          size: opt(arbNumber([95, 96, 97, 4096])),
          fault: opt(fc.constant('name')),
        })
        .map(({ name, size, fault }) => ({ setup: [], probe: sys('create_module', { name, size, fault }) }));
      // `name`, `size` and `flags` are the step's own keys; `size_of_struct` also sizes the image the step lays out.
      const members = (Object.keys(MODULE_OFFSETS) as (keyof typeof MODULE_OFFSETS)[]).filter(
        (m) => m !== 'name' && m !== 'size' && m !== 'flags',
      );
      const override = fc
        .constantFrom(...members)
        .chain((member) =>
          (member === 'size_of_struct'
            ? fc.constantFrom(0, 59, 60, 72, 96, 136, 160, 161, 4096)
            : fc.oneof(fc.constantFrom(0, 1, 4, 59, 60, 96, 160, 161, 0xc0000000, 0xffffffff), fc.nat())
          ).map((value) => [member, value] as const),
        );
      const initModule = fc
        .record({
          created,
          name: fc.oneof(fc.constantFrom('cf_raw', 'cf_base'), arbName),
          overrides: fc.array(override, { maxLength: 3 }).map((kv) => Object.fromEntries(kv)),
          flags: opt(fc.constantFrom(0, 4, 8, 0x10, 0xffffffff)),
          fault: opt(fc.constantFrom('name', 'image')),
        })
        .map(({ created, name, overrides, flags, fault }) => ({
          setup: created === undefined ? [] : [sys('create_module', { ...created })],
          probe: sys('init_module', { name, ...overrides, flags, fault }),
        }));
      const deleteModule = fc
        .record({ name: opt(arbName), fault: opt(fc.constant('name')) })
        .map(({ name, fault }) => ({ setup: [], probe: sys('delete_module', { name, fault }) }));
      const queryModule = fc
        .record({
          name: opt(arbName),
          which: fc.oneof(
            fc.constantFrom('QM_MODULES', 'QM_DEPS', 'QM_REFS', 'QM_SYMBOLS', 'QM_INFO'),
            fc.integer({ min: -1, max: 8 }),
          ),
          bufsize: opt(fc.oneof(fc.constantFrom(0, 1, 15, 16, 4096), fc.nat(64))),
          fault: opt(fc.constantFrom('name', 'buf')),
        })
        .map((a) => ({ setup: [], probe: sys('query_module', { ...a }) }));
      const others = fc
        .record({ call: fc.constantFrom('get_kernel_syms', 'finit_module'), table: opt(fc.boolean()) })
        .map(({ call, table }) => ({
          setup: [],
          probe: sys(call, call === 'get_kernel_syms' ? { table } : {}),
        }));
      return withSetup(fc.oneof(createModule, initModule, initModule, deleteModule, queryModule, others));
    },
  },
  'linux-v1': {
    // The reference-documented residue of a rejected module reference (linux-legacy.md Part D.1) is undone
    // here, so that every refusal can be held to "state as before"; the residue itself is a unit test.
    config: { residue: 'clean' },
    cases: () => {
      const createModule = fc
        .record({
          name: opt(arbName),
          size: opt(arbNumber([1, 4092, 4093, 0xfffffffc])),
          fault: opt(fc.constant('name')),
        })
        .map(({ name, size, fault }) => ({ setup: [], probe: sys('create_module', { name, size, fault }) }));
      const created = fc.option(
        fc.record({ name: fc.constantFrom('cf_raw', 'cf_base'), size: opt(arbNumber([100, 4092, 8000])) }),
        { nil: undefined },
      );
      const word = fc.oneof(fc.constantFrom(-1, 0, 8, 12, 0x7fffffff, 0x20000000, -0x80000000), fc.nat(256));
      const symtab = fc.oneof(
        fc.constantFrom<JsonValue>(0, 0xb0000004, 0x7000_0000),
        fc
          .record({
            symbols: fc.array(fc.tuple(fc.nat(), fc.string({ maxLength: 70 })), { maxLength: 3 }),
            refs: fc.array(fc.oneof(fc.nat(), fc.constantFrom(0x001a0000, 0x00200000)), { maxLength: 2 }),
            size: opt(word),
            n_symbols: opt(word),
            n_refs: opt(word),
          })
          .map((t) => Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined)) as JsonValue),
      );
      const initModule = fc
        .record({
          created,
          name: fc.oneof(fc.constantFrom('cf_raw', 'cf_base'), arbName),
          code: opt(fc.constantFrom(...SUITE_NAMES)),
          codesize: opt(arbNumber([0, 100, 4092, 4093, 0x40000000, 0x40000064])),
          autoclean: opt(fc.boolean()),
          routines: opt(fc.constantFrom(0, 0x7000_0000)),
          symtab: opt(symtab),
          fault: opt(fc.constantFrom('name', 'code')),
        })
        .map(({ created, ...args }) => ({
          setup: created === undefined ? [] : [sys('create_module', { ...created })],
          probe: sys('init_module', args),
        }));
      const deleteModule = fc
        .record({ name: opt(arbName), fault: opt(fc.constant('name')) })
        .map(({ name, fault }) => ({ setup: [], probe: sys('delete_module', { name, fault }) }));
      const others = fc
        .record({
          call: fc.constantFrom('get_kernel_syms', 'query_module', 'finit_module'),
          table: opt(fc.oneof(fc.boolean(), fc.constantFrom(0, 0x7000_0000, 0x10000))),
        })
        .map(({ call, table }) => ({
          setup: [],
          probe: sys(call, call === 'get_kernel_syms' ? { table } : {}),
        }));
      return withSetup(fc.oneof(createModule, initModule, initModule, deleteModule, others));
    },
  },
  'hpux-dlkm': {
    config: { registeredModules: [HPUX_MUTANT] },
    cases: (image) => {
      const path = fc.oneof(
        { weight: 3, arbitrary: arbName },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            '/usr/conf/mod/cf_base',
            '/nonexistent/cf_base',
            '/usr/conf/mod',
            `/${'d'.repeat(1100)}/cf_base`,
          ),
        },
      );
      const modload = fc
        .record({
          mutant: opt(arbMutant(image, `/usr/conf/mod/${HPUX_MUTANT}`)),
          path,
          fault: opt(fc.constant('path')),
        })
        .map(({ mutant, path, fault }) => ({
          setup: mutant === undefined ? [] : [mutant],
          probe: sys('modload', { path: mutant === undefined ? path : HPUX_MUTANT, fault }),
        }));
      const moduload = fc
        .oneof(
          fc.integer({ min: -3, max: 12 }).map((id): SysOpArgs => ({ id })),
          fc.constantFrom(...SUITE_NAMES).map((name): SysOpArgs => ({ name })),
        )
        .map((args) => ({ setup: [], probe: sys('moduload', args) }));
      const modstat = fc
        .record({
          id: fc.integer({ min: -3, max: 12 }),
          next: fc.boolean(),
          stbuf: opt(fc.constantFrom(0, 1, 0xdead0000)),
        })
        .map((a) => ({ setup: [], probe: sys('modstat', { ...a }) }));
      const modpath = fc
        .record({
          path: fc.oneof(
            fc.constantFrom<JsonValue>(
              null,
              '/a:/b',
              '/usr/conf/mod',
              '',
              '/a::/b',
              '/a:',
              'a',
              `/${'p'.repeat(1100)}`,
            ),
            fc.string({ maxLength: 30 }),
          ),
          fault: opt(fc.constant('path')),
        })
        .map(({ path, fault }) => ({ setup: [], probe: sys('modpath', { path, fault }) }));
      return withSetup(fc.oneof(modload, modload, moduload, modstat, modpath));
    },
  },
};

/** Puts the neutral setup before a probe's own setup. */
function withSetup(arb: fc.Arbitrary<RobustnessCase>): fc.Arbitrary<RobustnessCase> {
  return fc.tuple(arbSetup, arb).map(([pre, c]) => ({ setup: [...pre, ...c.setup], probe: c.probe }));
}

/** A consistent state whatever the model: listing = modules, allocations ↔ loaded modules, counts ≥ 0. */
export function consistencyProblems(obs: Observation): string[] {
  const broken: string[] = [];
  const names = obs.modules.map((m) => m.name).sort();
  if (JSON.stringify([...obs.listed].sort()) !== JSON.stringify(names))
    broken.push(
      `listing ${JSON.stringify(obs.listed)} disagrees with the module list ${JSON.stringify(names)}`,
    );
  for (const m of obs.modules) if (m.refcount < 0) broken.push(`${m.name}: negative use count ${m.refcount}`);
  const owners = new Set(obs.allocationOwners);
  for (const o of owners)
    if (!names.includes(o)) broken.push(`allocation owned by ${o}, which is not loaded`);
  for (const n of names) if (!owners.has(n)) broken.push(`${n} is loaded but owns no memory`);
  if (!obs.kernelSymbolsIntact) broken.push("the kernel's own symbol table changed");
  return broken;
}

/** What changed between two observations (empty when nothing did). */
export function stateDifferences(before: Observation, after: Observation): string[] {
  const norm = (o: Observation) => ({
    modules: [...o.modules]
      .map((m) => ({ name: m.name, refcount: m.refcount, holders: [...m.holders].sort() }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    listed: [...o.listed].sort(),
    allocationOwners: [...o.allocationOwners].sort(),
    moduleSymbols: [...o.moduleSymbols].sort(),
    kernelSymbolsIntact: o.kernelSymbolsIntact,
  });
  const a = norm(before);
  const b = norm(after);
  return (Object.keys(a) as (keyof typeof a)[])
    .filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]))
    .map((key) => `${key}: ${JSON.stringify(a[key])} → ${JSON.stringify(b[key])}`);
}

/** Runs `op` on `target`, failing if it does not answer within `ms` (a hang), and naming any exception. */
export async function execWithDeadline(target: Target, op: ConformanceOp, ms: number): Promise<OpOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${opToLine(op).slice(0, 120)}: no answer within ${ms} ms (hang)`)),
      ms,
    );
  });
  try {
    return await Promise.race([
      target.exec(op).catch((e: unknown) => {
        throw new Error(`${opToLine(op).slice(0, 120)}: threw ${e instanceof Error ? e.message : String(e)}`);
      }),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Options of {@link runRobustness}. */
export interface RobustnessOptions extends PropertyOptions {
  /** Where observed errnos are counted for the coverage table. */
  readonly recorder?: CoverageRecorder;
  /** Longest a call may take before it counts as a hang (default 10 s). */
  readonly deadlineMs?: number;
}

/**
 * Robustness: hostile calls never throw, never hang, answer `ok` or an errno documented for that call, and a
 * refused call leaves the visible state exactly as before it (a successful one leaves it consistent). A failure
 * is shrunk and returned with a replayable scenario.
 */
export async function runRobustness(
  target: Target,
  options: RobustnessOptions = {},
): Promise<PropertyReport> {
  const personality = target.personality;
  const spec = ROBUSTNESS[personality];
  const runs = options.runs ?? 1000;
  const seed = options.seed ?? Date.now() ^ (Math.random() * 0x7fffffff);
  if (spec === undefined)
    return {
      personality,
      property: 'robustness',
      runs: 0,
      seed,
      pass: false,
      message: `no robustness probes for ${personality}`,
    };
  const deadline = options.deadlineMs ?? 10_000;
  const config = target.configurable === true ? spec.config : undefined;
  let done = 0;
  const property = fc.asyncProperty(spec.cases(imagesOf(personality)), async (c) => {
    await target.reset(
      SUITE_MODULES.map((m) => m.spec),
      config,
    );
    for (const op of c.setup) {
      const r = await execWithDeadline(target, op, deadline);
      if (op.op === 'sys') options.recorder?.record(op.call, r, 'robustness');
    }
    const before = await target.observe();
    const got = await execWithDeadline(target, c.probe, deadline);
    options.recorder?.record(c.probe.call, got, 'robustness');
    const line = opToLine(c.probe).slice(0, 200);
    if (got !== 'ok' && !isDocumented(personality, c.probe.call, got, MODULE_ERRNOS))
      throw new Error(`${line}: ${got} is not documented for ${c.probe.call}`);
    const after = await target.observe();
    const problems = got === 'ok' ? consistencyProblems(after) : stateDifferences(before, after);
    if (problems.length > 0)
      throw new Error(
        `${line} → ${got}, ${got === 'ok' ? 'inconsistent' : 'state changed'}: ${problems.join('; ')}`,
      );
  });
  const details = await fc.check(
    property.afterEach(async () => options.onRun?.(++done, runs)),
    { numRuns: runs, seed },
  );
  if (!details.failed)
    return { personality, property: 'robustness', runs: details.numRuns, seed, pass: true };
  const c = details.counterexample?.[0];
  const error = details.errorInstance;
  const message = error instanceof Error ? error.message : String(error);
  const ops = c === undefined ? [] : [...c.setup, c.probe];
  return {
    personality,
    property: 'robustness',
    runs: details.numRuns,
    seed,
    pass: false,
    message,
    counterexample: ops.map((op) => opToLine(op).slice(0, 300)),
    replay: scenarioFor(
      personality,
      ops.map((op) => ({ op })),
      {
        name: `conformance counterexample (${personality}, robustness)`,
        description: `The last step broke the robustness property: ${message}`,
        ...(config === undefined ? {} : { config }),
        filePrefix: `${personality}-robustness`,
      },
    ),
  };
}
