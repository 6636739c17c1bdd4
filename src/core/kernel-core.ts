import { inject, injectable } from 'inversify';
import { AddressSpace } from './address-space.js';
import { Behaviours } from './behaviours.js';
import { Credentials } from './credentials.js';
import { KernelCrypto } from './kernel-crypto.js';
import { KernelLog } from './kernel-log.js';
import { ModuleRegistry } from './module-registry.js';
import { asObject, type JsonValue } from './snapshot.js';
import { SymbolTable } from './symbol-table.js';
import { SyscallTable } from './syscall-table.js';
import { Sysctl } from './sysctl.js';
import { UserMemory } from './user-memory.js';
import { Vfs } from './vfs.js';

/** Every core service of one simulated kernel, in one injectable bundle, with whole-kernel snapshot/restore. */
@injectable()
export class KernelCore {
  constructor(
    /** The kernel log (dmesg). */
    @inject(KernelLog) readonly log: KernelLog,
    /** The module area. */
    @inject(AddressSpace) readonly memory: AddressSpace,
    /** Exported symbols. */
    @inject(SymbolTable) readonly symbols: SymbolTable,
    /** The module list. */
    @inject(ModuleRegistry) readonly modules: ModuleRegistry,
    /** The caller's credentials. */
    @inject(Credentials) readonly creds: Credentials,
    /** Kernel switches. */
    @inject(Sysctl) readonly sysctl: Sysctl,
    /** The file system. */
    @inject(Vfs) readonly vfs: Vfs,
    /** The caller's memory. */
    @inject(UserMemory) readonly user: UserMemory,
    /** Module behaviours. */
    @inject(Behaviours) readonly behaviours: Behaviours,
    /** The syscall table. */
    @inject(SyscallTable) readonly syscalls: SyscallTable,
    /** Digests and public-key operations. */
    @inject(KernelCrypto) readonly crypto: KernelCrypto,
  ) {}

  /** The state of every service. */
  snapshot(): JsonValue {
    return {
      log: this.log.snapshot(),
      memory: this.memory.snapshot(),
      symbols: this.symbols.snapshot(),
      modules: this.modules.snapshot(),
      creds: this.creds.snapshot(),
      sysctl: this.sysctl.snapshot(),
      vfs: this.vfs.snapshot(),
      user: this.user.snapshot(),
      behaviours: this.behaviours.snapshot(),
    };
  }

  /** Restores every service from {@link KernelCore.snapshot}'s output. */
  restore(state: JsonValue): void {
    const o = asObject(state, 'core');
    this.log.restore(o.log);
    this.memory.restore(o.memory);
    this.symbols.restore(o.symbols);
    this.modules.restore(o.modules);
    this.creds.restore(o.creds);
    this.sysctl.restore(o.sysctl);
    this.vfs.restore(o.vfs);
    this.user.restore(o.user);
    this.behaviours.restore(o.behaviours);
  }
}
