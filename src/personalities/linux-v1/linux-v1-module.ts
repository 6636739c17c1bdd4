import { ContainerModule, injectable, injectFromBase } from 'inversify';
import { TOKENS } from '../../core/tokens.js';
import type { PersonalityDefinition } from '../personality.js';
import { UnimplementedPersonality } from '../unimplemented.js';

@injectable()
@injectFromBase()
class LinuxV1Personality extends UnimplementedPersonality {
  readonly id = 'linux-v1' as const;
}

/** DI unit of the `linux-v1` personality. */
export const linuxV1Module = new ContainerModule(({ bind }) => {
  bind(TOKENS.Personality).to(LinuxV1Personality).inSingletonScope();
});

/** Registry entry of the `linux-v1` personality. */
export const linuxV1Definition: PersonalityDefinition = {
  id: 'linux-v1',
  title: 'Linux 1.x',
  api: 'get_kernel_syms, create_module, init_module(name, code, codesize, routines, symtab), delete_module',
  family: 'linux',
  module: linuxV1Module,
};

/** The typed syscall facade of `linux-v1` (`kernel.sys`). */
export type LinuxV1Sys = object;
