import { ContainerModule } from 'inversify';
import { AddressSpace } from './address-space.js';
import { Behaviours } from './behaviours.js';
import { Credentials } from './credentials.js';
import { KernelCore } from './kernel-core.js';
import { KernelCrypto } from './kernel-crypto.js';
import { KernelLog } from './kernel-log.js';
import { ModuleRegistry } from './module-registry.js';
import { SymbolTable } from './symbol-table.js';
import { SyscallTable } from './syscall-table.js';
import { Sysctl } from './sysctl.js';
import { UserMemory } from './user-memory.js';
import { Vfs } from './vfs.js';

/** Binds the common kernel core: one instance of each service per container (per simulated kernel). */
export const coreModule = new ContainerModule(({ bind }) => {
  bind(KernelLog).toSelf().inSingletonScope();
  bind(AddressSpace).toSelf().inSingletonScope();
  bind(SymbolTable).toSelf().inSingletonScope();
  bind(ModuleRegistry).toSelf().inSingletonScope();
  bind(Credentials).toSelf().inSingletonScope();
  bind(Sysctl).toSelf().inSingletonScope();
  bind(Vfs).toSelf().inSingletonScope();
  bind(UserMemory).toSelf().inSingletonScope();
  bind(Behaviours).toSelf().inSingletonScope();
  bind(SyscallTable).toSelf().inSingletonScope();
  bind(KernelCrypto).toSelf().inSingletonScope();
  bind(KernelCore).toSelf().inSingletonScope();
});
