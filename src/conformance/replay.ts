import { stringify } from 'yaml';
import type { JsonValue } from '../core/snapshot.js';
import type { PersonalityId } from '../personalities/personality.js';
import { apply, initialModel, predict, SUITE_MODULES } from './model.js';
import type { ConformanceOp, KernelSettings, OpOutcome } from './target.js';

/** One step of a replay: the op and, when known, the outcome the contract wants. */
export interface ReplayStep {
  /** The op. */
  readonly op: ConformanceOp;
  /** The outcome the contract wants (the scenario's `expect:`), when known. */
  readonly expect?: OpOutcome;
}

/** A file a replay needs next to the scenario (a mutated image), referenced as `from: ./NAME`. */
export interface ReplayFile {
  /** File name, relative to the scenario's folder. */
  readonly name: string;
  /** Its bytes. */
  readonly bytes: Uint8Array;
}

/** A replayable scenario (the experiments format) and the files it reads. */
export interface Replay {
  /** The scenario, as YAML. */
  readonly text: string;
  /** Files to write next to it. */
  readonly files: readonly ReplayFile[];
}

/** What a replay is called and why it exists. */
export interface ReplayInfo {
  /** Scenario name. */
  readonly name: string;
  /** Free text: what went wrong. */
  readonly description?: string;
  /** Kernel configuration the steps ran under. */
  readonly config?: KernelSettings;
  /** Prefix of sidecar file names (default: the scenario name). */
  readonly filePrefix?: string;
}

/**
 * Writes ops as a scenario (the experiments format) that `kmodsim run` replays: neutral ops become `load`,
 * `unload`, `use`, `unuse`; `privileged` a `cred`; `sys` the same `sys:` step; a staged image a file read from
 * a sidecar next to the scenario.
 */
export function scenarioFor(
  personality: PersonalityId,
  steps: readonly ReplayStep[],
  info: ReplayInfo,
): Replay {
  const files: Record<string, JsonValue> = {};
  const sidecars: ReplayFile[] = [];
  const prefix = (info.filePrefix ?? info.name).replace(/[^A-Za-z0-9_.-]+/g, '-');
  const out: JsonValue[] = [];
  for (const { op, expect } of steps) {
    const want: Record<string, JsonValue> = expect === undefined ? {} : { expect };
    switch (op.op) {
      case 'load':
        out.push({ load: op.module, ...(op.params === undefined ? {} : { params: op.params }), ...want });
        break;
      case 'privileged':
        out.push({
          cred: op.on
            ? { uid: 0, caps: 'all', privileges: ['PRIV_DLKM'] }
            : { uid: 1000, caps: [], privileges: [] },
          ...want,
        });
        break;
      case 'disable-modules':
        out.push({ sysctl: { 'kernel.modules_disabled': 1 }, ...want });
        break;
      case 'sysctl':
        out.push({ sysctl: { [op.name]: op.value }, ...want });
        break;
      case 'cred':
        out.push({ cred: op.cred, ...want });
        break;
      case 'sys':
        out.push({ sys: op.call, args: op.args, ...want });
        break;
      case 'stage': {
        const name = `${prefix}-${sidecars.length + 1}.bin`;
        sidecars.push({ name, bytes: op.bytes });
        files[op.path] = { from: `./${name}` };
        break;
      }
      default:
        out.push({ [op.op]: op.module, ...want });
    }
  }
  const modules = Object.fromEntries(SUITE_MODULES.map(({ spec: { name, ...rest } }) => [name, rest]));
  const doc: Record<string, JsonValue> = {
    name: info.name,
    ...(info.description === undefined ? {} : { description: info.description }),
    personalities: [personality],
    ...(info.config === undefined || Object.keys(info.config).length === 0 ? {} : { kernel: info.config }),
    modules,
    ...(Object.keys(files).length === 0 ? {} : { files }),
    steps: out,
  };
  return { text: stringify(doc), files: sidecars };
}

/**
 * Writes a model-suite command sequence as a scenario, with the contract's expected outcome on every step, so
 * `kmodsim run` replays a shrunk counterexample against kmodsim and shows the step that differs.
 */
export function replayScenario(
  personality: PersonalityId,
  ops: readonly ConformanceOp[],
  description?: string,
): Replay {
  const model = initialModel();
  const steps = ops.map((op) => {
    const expect = predict(personality, model, op);
    apply(model, op, expect);
    return { op, expect };
  });
  return scenarioFor(personality, steps, {
    name: `conformance counterexample (${personality}, model)`,
    ...(description === undefined ? {} : { description }),
  });
}
