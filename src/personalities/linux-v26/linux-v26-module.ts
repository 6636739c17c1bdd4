import { ContainerModule } from 'inversify';
import type { KernelConfig } from '../../core/kernel-config.js';
import { KernelCore } from '../../core/kernel-core.js';
import { TOKENS } from '../../core/tokens.js';
import { TrustedKeyring } from '../../elf/signature/index.js';
import type { PersonalityDefinition } from '../personality.js';
import { MODVERSIONS, NO_MODVERSIONS } from './check-version.js';
import { decompressSupport, NO_DECOMPRESS, NO_SIGNATURES, signatureSupport } from './features.js';
import { type LinuxV26Config, readLinuxV26Config } from './linux-v26-config.js';
import { linuxV26Era } from './linux-v26-era.js';
import { LinuxV26Kernel } from './linux-v26-kernel.js';
import { LinuxV26Personality, readCertificate } from './linux-v26-personality.js';
import { V26_TOKENS } from './linux-v26-tokens.js';

/**
 * DI unit of the `linux-v26` personality. The configuration is parsed once; each switched-off feature gets its
 * null implementation here (no signatures, no modversions, the decompression stub).
 */
export const linuxV26Module = new ContainerModule(({ bind }) => {
  bind(V26_TOKENS.Config).toDynamicValue((ctx) =>
    readLinuxV26Config(ctx.get<KernelConfig>(TOKENS.KernelConfig)),
  );
  bind(V26_TOKENS.Era).toDynamicValue((ctx) =>
    linuxV26Era(ctx.get<LinuxV26Config>(V26_TOKENS.Config).version),
  );
  bind(V26_TOKENS.Signatures).toDynamicValue((ctx) => {
    const cfg = ctx.get<LinuxV26Config>(V26_TOKENS.Config);
    if (!cfg.moduleSig) return NO_SIGNATURES;
    const ring = new TrustedKeyring();
    for (const c of cfg.trustedCerts) ring.addBlob(readCertificate(c));
    return signatureSupport(ring, ctx.get(KernelCore).crypto);
  });
  bind(V26_TOKENS.Versions).toDynamicValue((ctx) =>
    ctx.get<LinuxV26Config>(V26_TOKENS.Config).modversions ? MODVERSIONS : NO_MODVERSIONS,
  );
  bind(V26_TOKENS.Decompress).toDynamicValue((ctx) => {
    const alg = ctx.get<LinuxV26Config>(V26_TOKENS.Config).decompress;
    return alg === undefined ? NO_DECOMPRESS : decompressSupport(alg);
  });
  bind(LinuxV26Kernel).toSelf().inSingletonScope();
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
export type { LinuxV26Sys } from './linux-v26-sys.js';
