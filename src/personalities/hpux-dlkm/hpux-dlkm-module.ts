import { ContainerModule } from 'inversify';
import type { KernelConfig } from '../../core/kernel-config.js';
import { TOKENS } from '../../core/tokens.js';
import type { PersonalityDefinition } from '../personality.js';
import { DeviceTable } from './dlkm-devices.js';
import { dlkmEra } from './dlkm-era.js';
import { DLKM_INITIALISED, DLKM_UNINITIALISED } from './dlkm-facility.js';
import { DlkmKernel } from './dlkm-kernel.js';
import { IA64_DATA_RELOCATOR } from './dlkm-relocator.js';
import { DLKM_TOKENS } from './dlkm-tokens.js';
import { HpuxDlkmPersonality } from './hpux-dlkm-personality.js';
import { KcStore } from './kc-store.js';
import { ModuleSearchPath } from './module-search-path.js';

/**
 * DI unit of the `hpux-dlkm` personality. The release (`kernelVersion`) and `dlkmInitialized` are read here:
 * an uninitialised DLKM gets the null facility, whose every check is ENOSYS.
 */
export const hpuxDlkmModule = new ContainerModule(({ bind }) => {
  bind(DLKM_TOKENS.Era).toDynamicValue((ctx) =>
    dlkmEra(ctx.get<KernelConfig>(TOKENS.KernelConfig).kernelVersion),
  );
  bind(DLKM_TOKENS.Facility).toDynamicValue((ctx) =>
    ctx.get<KernelConfig>(TOKENS.KernelConfig).dlkmInitialized === false
      ? DLKM_UNINITIALISED
      : DLKM_INITIALISED,
  );
  bind(DLKM_TOKENS.Relocator).toConstantValue(IA64_DATA_RELOCATOR);
  bind(KcStore).toSelf().inSingletonScope();
  bind(ModuleSearchPath).toSelf().inSingletonScope();
  bind(DeviceTable).toSelf().inSingletonScope();
  bind(DlkmKernel).toSelf().inSingletonScope();
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
export type { HpuxDlkmSys } from './hpux-dlkm-sys.js';
