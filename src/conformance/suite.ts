import fc from 'fast-check';
import type { PersonalityId } from '../personalities/personality.js';
import { ERA_EXPECTATIONS } from './expectations.js';
import {
  apply,
  type ConformanceModel,
  checkInvariants,
  initialModel,
  MODEL_MODULE_SPECS,
  MODEL_PARAMS,
  predict,
  SUITE_MODULES,
} from './model.js';
import { type Replay, replayScenario } from './replay.js';
import { type ConformanceOp, opToLine, type Target } from './target.js';

/** Options shared by the property runners. */
export interface PropertyOptions {
  /** Number of runs (default 1000). */
  readonly runs?: number;
  /** fast-check seed, for replaying a failure. */
  readonly seed?: number;
  /** Called after each run (progress bars). */
  readonly onRun?: (done: number, total: number) => void;
}

/** Options of {@link runModelSuite}. */
export interface SuiteOptions extends PropertyOptions {
  /** Longest command sequence (default 25). */
  readonly maxCommands?: number;
}

/** The outcome of one property (the model suite, robustness, the targeted cases). */
export interface PropertyReport {
  /** The contract checked. */
  readonly personality: PersonalityId;
  /** Which property: `model`, `robustness`, `cases`. */
  readonly property: string;
  /** Runs made. */
  readonly runs: number;
  /** Seed used. */
  readonly seed: number;
  /** Whether every run held. */
  readonly pass: boolean;
  /** On failure: the shrunk op sequence, one op per line of the script protocol. */
  readonly counterexample?: readonly string[];
  /** On failure: what went wrong. */
  readonly message?: string;
  /** On failure: the counterexample as a replayable scenario (the experiments format) and its files. */
  readonly replay?: Replay;
}

/** The report of {@link runModelSuite}. */
export type SuiteReport = PropertyReport;

class OpCommand implements fc.AsyncCommand<ConformanceModel, Target> {
  constructor(readonly op: ConformanceOp) {}

  check(m: Readonly<ConformanceModel>): boolean {
    if (this.op.op === 'use') return m.loaded.has(this.op.module);
    if (this.op.op === 'unuse') return (m.loaded.get(this.op.module)?.users ?? 0) > 0;
    return true;
  }

  async run(m: ConformanceModel, target: Target): Promise<void> {
    const want = predict(target.personality, m, this.op);
    const got = await target.exec(this.op);
    if (got !== want) throw new Error(`${opToLine(this.op)}: expected ${want}, got ${got}`);
    apply(m, this.op, got);
    const broken = checkInvariants(target.personality, m, await target.observe());
    if (broken.length > 0) throw new Error(`after ${opToLine(this.op)}: ${broken.join('; ')}`);
  }

  toString(): string {
    return opToLine(this.op);
  }
}

/**
 * The command arbitraries for a personality: load (with good, bad and unknown parameters), duplicate load,
 * unload (with users), use/unuse, privilege, modules_disabled.
 */
export function commandArbitraries(
  personality: PersonalityId,
): fc.Arbitrary<fc.AsyncCommand<ConformanceModel, Target>>[] {
  const name = fc.constantFrom(...SUITE_MODULES.filter((m) => m.inModel).map((m) => m.spec.name));
  const arbs: fc.Arbitrary<fc.AsyncCommand<ConformanceModel, Target>>[] = [
    name.map((module) => new OpCommand({ op: 'load', module })),
    fc
      .tuple(name, fc.constantFrom(...MODEL_PARAMS))
      .map(([module, params]) => new OpCommand({ op: 'load', module, params })),
    name.map((module) => new OpCommand({ op: 'unload', module })),
    name.map((module) => new OpCommand({ op: 'use', module })),
    name.map((module) => new OpCommand({ op: 'unuse', module })),
    fc.boolean().map((on) => new OpCommand({ op: 'privileged', on })),
  ];
  if (ERA_EXPECTATIONS[personality].modulesDisabled !== undefined) {
    arbs.push(fc.constant(new OpCommand({ op: 'disable-modules' })));
  }
  return arbs;
}

/**
 * Model-based conformance: random command sequences against the target, each result compared with the
 * contract's prediction and the invariants checked after every command. A failure is shrunk and returned as a
 * replayable scenario.
 */
export async function runModelSuite(target: Target, options: SuiteOptions = {}): Promise<SuiteReport> {
  const runs = options.runs ?? 1000;
  const seed = options.seed ?? Date.now() ^ (Math.random() * 0x7fffffff);
  let done = 0;
  const property = fc.asyncProperty(
    fc.commands(commandArbitraries(target.personality), { maxCommands: options.maxCommands ?? 25 }),
    async (cmds) => {
      await target.reset(MODEL_MODULE_SPECS);
      await fc.asyncModelRun(() => ({ model: initialModel(), real: target }), cmds);
    },
  );
  const details = await fc.check(
    property.afterEach(async () => options.onRun?.(++done, runs)),
    { numRuns: runs, seed },
  );
  if (!details.failed)
    return { personality: target.personality, property: 'model', runs: details.numRuns, seed, pass: true };
  // fast-check hands back its command wrappers: keep the commands that ran, in order.
  const cmds = details.counterexample?.[0] ?? [];
  const ops = [...cmds]
    .map((c) => c as unknown as { cmd?: OpCommand; hasRan?: boolean })
    .filter((c) => c.hasRan !== false)
    .map((c) => (c.cmd ?? (c as OpCommand)).op)
    .filter((op) => op !== undefined);
  const error = details.errorInstance;
  const message = error instanceof Error ? error.message : String(error);
  return {
    personality: target.personality,
    property: 'model',
    runs: details.numRuns,
    seed,
    pass: false,
    counterexample: ops.map(opToLine),
    message,
    replay: replayScenario(target.personality, ops, `The model-based suite failed: ${message}`),
  };
}
