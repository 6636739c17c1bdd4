import type { ServiceIdentifier } from 'inversify';
import type { KernelConfig } from './kernel-config.js';

/**
 * DI identifiers for services that are not bound to their own class. Core services (`KernelLog`, `AddressSpace`,
 * …) are bound to their class and injected with `@inject(Class)`.
 */
export const TOKENS = {
  /** The {@link KernelConfig} of this kernel. */
  KernelConfig: Symbol.for('kmodsim.KernelConfig') as ServiceIdentifier<KernelConfig>,
  /** The personality in front of this kernel. */
  Personality: Symbol.for('kmodsim.Personality'),
  /** Relocation engines, named by `e_machine`. */
  Relocator: Symbol.for('kmodsim.Relocator'),
} as const;
