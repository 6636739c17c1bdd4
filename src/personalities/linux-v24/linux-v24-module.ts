import { ContainerModule, injectable, injectFromBase } from 'inversify';
import { TOKENS } from '../../core/tokens.js';
import type { PersonalityDefinition } from '../personality.js';
import { UnimplementedPersonality } from '../unimplemented.js';

@injectable()
@injectFromBase()
class LinuxV24Personality extends UnimplementedPersonality {
  readonly id = 'linux-v24' as const;
}

/** DI unit of the `linux-v24` personality. */
export const linuxV24Module = new ContainerModule(({ bind }) => {
  bind(TOKENS.Personality).to(LinuxV24Personality).inSingletonScope();
});

/** Registry entry of the `linux-v24` personality. */
export const linuxV24Definition: PersonalityDefinition = {
  id: 'linux-v24',
  title: 'Linux 2.2/2.4',
  api: 'create_module, init_module(name, struct module *), query_module, delete_module, get_kernel_syms',
  family: 'linux',
  module: linuxV24Module,
};

/** The typed syscall facade of `linux-v24` (`kernel.sys`). */
export type LinuxV24Sys = object;
