import fc from 'fast-check';
import type { PersonalityId } from '../personalities/personality.js';
import { ERA_EXPECTATIONS } from './expectations.js';
import {
  apply,
  type ConformanceModel,
  checkInvariants,
  initialModel,
  predict,
  SUITE_MODULES,
} from './model.js';
import { replayScenario } from './replay.js';
import { type ConformanceOp, opToLine, type Target } from './target.js';

/** Options of {@link runModelSuite}. */
export interface SuiteOptions {
  /** Number of command sequences (default 1000). */
  readonly runs?: number;
  /** fast-check seed, for replaying a failure. */
  readonly seed?: number;
  /** Longest command sequence (default 25). */
  readonly maxCommands?: number;
  /** Called after each run (progress bars). */
  readonly onRun?: (done: number, total: number) => void;
}

/** The outcome of a suite. */
export interface SuiteReport {
  /** The contract checked. */
  readonly personality: PersonalityId;
  /** Runs made. */
  readonly runs: number;
  /** Seed used. */
  readonly seed: number;
  /** Whether every run held. */
  readonly pass: boolean;
  /** On failure: the shrunk command sequence, one op per line. */
  readonly counterexample?: readonly string[];
  /** On failure: what went wrong. */
  readonly message?: string;
  /** On failure: the counterexample as a replayable scenario (the experiments format). */
  readonly scenario?: string;
}

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
    const broken = checkInvariants(m, await target.observe());
    if (broken.length > 0) throw new Error(`after ${opToLine(this.op)}: ${broken.join('; ')}`);
  }

  toString(): string {
    return opToLine(this.op);
  }
}

/** The command arbitraries for a personality: load, duplicate load, unload (with users), use/unuse, privilege, modules_disabled. */
export function commandArbitraries(
  personality: PersonalityId,
): fc.Arbitrary<fc.AsyncCommand<ConformanceModel, Target>>[] {
  const name = fc.constantFrom(...SUITE_MODULES.map((m) => m.spec.name));
  const arbs: fc.Arbitrary<fc.AsyncCommand<ConformanceModel, Target>>[] = [
    name.map((module) => new OpCommand({ op: 'load', module })),
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
      await target.reset(SUITE_MODULES.map((m) => m.spec));
      await fc.asyncModelRun(() => ({ model: initialModel(), real: target }), cmds);
    },
  );
  const details = await fc.check(
    property.afterEach(async () => options.onRun?.(++done, runs)),
    { numRuns: runs, seed },
  );
  if (!details.failed) return { personality: target.personality, runs: details.numRuns, seed, pass: true };
  const cmds = details.counterexample?.[0];
  const ops =
    cmds === undefined
      ? []
      : [...cmds].map((c) => (c as unknown as OpCommand).op).filter((op) => op !== undefined);
  const error = details.errorInstance;
  return {
    personality: target.personality,
    runs: details.numRuns,
    seed,
    pass: false,
    counterexample: ops.map(opToLine),
    message: error instanceof Error ? error.message : String(error),
    scenario: replayScenario(target.personality, ops),
  };
}
