import { ContainerModule } from 'inversify';
import type { KernelConfig } from '../../core/kernel-config.js';
import { TOKENS } from '../../core/tokens.js';
import type { PersonalityDefinition } from '../personality.js';
import { type LinuxV1Config, readLinuxV1Config } from './linux-v1-config.js';
import { linuxV1Era } from './linux-v1-era.js';
import { LinuxV1Kernel } from './linux-v1-kernel.js';
import { LinuxV1Personality } from './linux-v1-personality.js';
import { V1_TOKENS } from './linux-v1-tokens.js';

/** DI unit of the `linux-v1` personality: the parsed configuration, its era's rules, the kernel, the personality. */
export const linuxV1Module = new ContainerModule(({ bind }) => {
  bind(V1_TOKENS.Config).toDynamicValue((ctx) =>
    readLinuxV1Config(ctx.get<KernelConfig>(TOKENS.KernelConfig)),
  );
  bind(V1_TOKENS.Era).toDynamicValue((ctx) => linuxV1Era(ctx.get<LinuxV1Config>(V1_TOKENS.Config)));
  bind(LinuxV1Kernel).toSelf().inSingletonScope();
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
export type { LinuxV1Sys } from './linux-v1-sys.js';
