import { ContainerModule, injectable, injectFromBase } from 'inversify';
import { TOKENS } from '../../core/tokens.js';
import type { PersonalityDefinition } from '../personality.js';
import { UnimplementedPersonality } from '../unimplemented.js';

@injectable()
@injectFromBase()
class HpuxDlkmPersonality extends UnimplementedPersonality {
  readonly id = 'hpux-dlkm' as const;
}

/** DI unit of the `hpux-dlkm` personality. */
export const hpuxDlkmModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.Personality).to(HpuxDlkmPersonality).inSingletonScope();
});

/** Registry entry of the `hpux-dlkm` personality. */
export const hpuxDlkmDefinition: PersonalityDefinition = {
  id: 'hpux-dlkm',
  title: 'HP-UX DLKM',
  api: 'modload(pathname), moduload(id), modstat(id, buf, next), modpath(path)',
  family: 'hpux',
  module: hpuxDlkmModule,
};

/** The typed syscall facade of `hpux-dlkm` (`kernel.sys`). */
export type HpuxDlkmSys = object;
