import { ContainerModule } from 'inversify';
import type { KernelConfig } from '../../core/kernel-config.js';
import { TOKENS } from '../../core/tokens.js';
import type { PersonalityDefinition } from '../personality.js';
import { type LinuxV24Config, readLinuxV24Config } from './linux-v24-config.js';
import { linuxV24Era } from './linux-v24-era.js';
import { LinuxV24Kernel } from './linux-v24-kernel.js';
import { LinuxV24Personality } from './linux-v24-personality.js';
import { V24_TOKENS } from './linux-v24-tokens.js';

/** DI unit of the `linux-v24` personality: the parsed configuration, its era's rules, the kernel, the personality. */
export const linuxV24Module = new ContainerModule(({ bind }) => {
  bind(V24_TOKENS.Config).toDynamicValue((ctx) =>
    readLinuxV24Config(ctx.get<KernelConfig>(TOKENS.KernelConfig)),
  );
  bind(V24_TOKENS.Era).toDynamicValue((ctx) => linuxV24Era(ctx.get<LinuxV24Config>(V24_TOKENS.Config)));
  bind(LinuxV24Kernel).toSelf().inSingletonScope();
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
export type { LinuxV24Sys } from './linux-v24-sys.js';
