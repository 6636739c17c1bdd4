import { inject, injectable } from 'inversify';
import { KernelCore } from '../core/kernel-core.js';
import type { JsonValue } from '../core/snapshot.js';
import type { ActionResult, NeutralActions, Personality, PersonalityId, Tool } from './personality.js';

const NOT_YET: ActionResult = { result: 'ENOSYS', syscalls: [], output: 'not implemented yet' };

/** Stand-in used while a personality's implementation is being written: every action answers ENOSYS. */
@injectable()
export abstract class UnimplementedPersonality implements Personality {
  abstract readonly id: PersonalityId;
  readonly family = 'linux' as const;
  readonly sys = {};
  readonly tools: Readonly<Record<string, Tool>> = {};
  readonly actions: NeutralActions = {
    load: () => NOT_YET,
    unload: () => NOT_YET,
    use: () => NOT_YET,
    unuse: () => NOT_YET,
    list: () => NOT_YET,
  };

  constructor(@inject(KernelCore) protected readonly core: KernelCore) {}

  /** @inheritDoc */
  boot(): void {
    this.core.log.info(`${this.id}: personality not implemented yet`);
  }

  /** @inheritDoc */
  modulePath(name: string): string {
    return `/lib/modules/${name}.o`;
  }

  /** @inheritDoc */
  snapshot(): JsonValue {
    return {};
  }

  /** @inheritDoc */
  restore(_state: JsonValue): void {}
}
