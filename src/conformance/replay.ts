import { stringify } from 'yaml';
import type { PersonalityId } from '../personalities/personality.js';
import { apply, initialModel, predict, SUITE_MODULES } from './model.js';
import type { ConformanceOp } from './target.js';

/**
 * Writes a command sequence as a scenario (the experiments format), with the contract's expected outcome on
 * every step, so `kmodsim run` replays a shrunk counterexample against kmodsim or shows it to a person.
 */
export function replayScenario(personality: PersonalityId, ops: readonly ConformanceOp[]): string {
  const model = initialModel();
  const steps = ops.map((op) => {
    const expect = predict(personality, model, op);
    apply(model, op, expect);
    switch (op.op) {
      case 'load':
        return { load: op.module, ...(op.params === undefined ? {} : { params: op.params }), expect };
      case 'privileged':
        return { cred: op.on ? { uid: 0, caps: 'all' } : { uid: 1000, caps: [] }, expect };
      case 'disable-modules':
        return { sysctl: { 'kernel.modules_disabled': 1 }, expect };
      default:
        return { [op.op]: op.module, expect };
    }
  });
  const modules = Object.fromEntries(SUITE_MODULES.map(({ spec: { name, ...rest } }) => [name, rest]));
  return stringify({
    name: `conformance counterexample (${personality})`,
    personalities: [personality],
    modules,
    steps,
  });
}
