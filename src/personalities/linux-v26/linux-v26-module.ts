import { ContainerModule, injectable, injectFromBase } from 'inversify';
import { TOKENS } from '../../core/tokens.js';
import type { PersonalityDefinition } from '../personality.js';
import { UnimplementedPersonality } from '../unimplemented.js';

@injectable()
@injectFromBase()
class LinuxV26Personality extends UnimplementedPersonality {
  readonly id = 'linux-v26' as const;
}

/** DI unit of the `linux-v26` personality. */
export const linuxV26Module = new ContainerModule(({ bind }) => {
  bind(TOKENS.Personality).to(LinuxV26Personality).inSingletonScope();
});

/** Registry entry of the `linux-v26` personality. */
export const linuxV26Definition: PersonalityDefinition = {
  id: 'linux-v26',
  title: 'Linux 2.6 → 6.x',
  api: 'init_module(image, len, params), finit_module(fd, params, flags), delete_module(name, flags)',
  family: 'linux',
  module: linuxV26Module,
};

/** The typed syscall facade of `linux-v26` (`kernel.sys`). */
export type LinuxV26Sys = object;
