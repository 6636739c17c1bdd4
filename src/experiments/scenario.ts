import type { ErrnoName } from '../abi/errno.js';
import type { JsonValue } from '../core/snapshot.js';
import type { PersonalityId } from '../personalities/personality.js';

/** What a step may expect: `ok`, an errno name, or `n/a` (the step does not apply to that personality). */
export type Outcome = 'ok' | 'n/a' | ErrnoName;

/** A step's expectation, already resolved per personality by {@link expectationFor}. */
export interface Expectation {
  /** Expected outcome per personality, with `default` for the rest. */
  readonly results?: Readonly<Partial<Record<PersonalityId | 'default', Outcome>>>;
  /** A substring the kernel log must contain after the step. */
  readonly log?: string;
  /** A substring the output (`read`, `list`) must contain. */
  readonly content?: string;
}

/** Neutral and raw actions a step can take. */
export const STEP_ACTIONS = [
  'load',
  'unload',
  'use',
  'unuse',
  'list',
  'read',
  'cred',
  'sysctl',
  'register',
  'sys',
] as const;

/** One action name. */
export type StepAction = (typeof STEP_ACTIONS)[number];

/** One step of a scenario, validated. */
export interface ScenarioStep {
  /** Position in the file (0-based). */
  readonly index: number;
  /** The action. */
  readonly action: StepAction;
  /** The action's operand: module name or path, syscall name, or an object (cred, sysctl, register). */
  readonly target: JsonValue;
  /** `params` of a `load`. */
  readonly params?: string;
  /** `args` of a `sys` step. */
  readonly args?: { readonly [key: string]: JsonValue };
  /** Personalities the step runs on; the others report `n/a`. */
  readonly on?: readonly PersonalityId[];
  /** What the step expects. */
  readonly expect?: Expectation;
}

/** What a staged file's module returns from init and cleanup, overriding what its image says. */
export interface FileBehaviour {
  /** init's return: 0 or an errno name. */
  readonly init?: ErrnoName | 0;
  /** cleanup's return: 0 or an errno name. */
  readonly cleanup?: ErrnoName | 0;
}

/** A host or generated file placed in every kernel's file system before the steps run. */
export interface ScenarioFile {
  /** Host path (resolved against the scenario's folder). */
  readonly from?: string;
  /** Literal text content. */
  readonly content?: string;
  /** Name of a module spec of the scenario: the file is that personality's image of it. */
  readonly module?: string;
  /** Permission bits. */
  readonly mode?: number;
  /** Overrides what the module's init/cleanup return, e.g. `{ init: ENODEV }`. */
  readonly behaviour?: FileBehaviour;
}

/** A validated scenario. */
export interface Scenario {
  /** Name shown in reports. */
  readonly name: string;
  /** Free text. */
  readonly description?: string;
  /** Personalities to run under, in column order. */
  readonly personalities: readonly PersonalityId[];
  /** Kernel configuration: shared keys, and per-personality blocks that override them. */
  readonly kernel: { readonly [key: string]: JsonValue };
  /** Personality-neutral module specs by name. */
  readonly modules: { readonly [name: string]: { readonly [key: string]: JsonValue } };
  /** Files by absolute path. */
  readonly files: { readonly [path: string]: ScenarioFile };
  /** The steps, in order. */
  readonly steps: readonly ScenarioStep[];
  /** Folder relative host paths are resolved against. */
  readonly baseDir: string;
}

/** The outcome a step expects from one personality (`undefined`: no expectation). */
export function expectationFor(step: ScenarioStep, personality: PersonalityId): Outcome | undefined {
  const r = step.expect?.results;
  if (r === undefined) return undefined;
  return r[personality] ?? r.default;
}
