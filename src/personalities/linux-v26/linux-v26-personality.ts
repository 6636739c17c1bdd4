/**
 * The `linux-v26` personality: Linux 2.6 → 6.x `init_module` / `finit_module` / `delete_module` over the core,
 * with kmod's tools as its userland.
 * @module
 */
import { readFileSync } from 'node:fs';
import { inject, injectable } from 'inversify';
import { X86_64_MODULE_AREA } from '../../core/address-space.js';
import { KernelCore } from '../../core/kernel-core.js';
import { DASH_UNDERSCORE_NAMES } from '../../core/module-registry.js';
import { asArray, asObject, type JsonValue } from '../../core/snapshot.js';
import { SYSCTL } from '../../core/sysctl.js';
import { buildKo } from '../../elf/builder/ko-builder.js';
import type { ModuleSpec } from '../../elf/builder/module-spec.js';
import type { NeutralActions, NeutralModuleSpec, Personality, Tool } from '../personality.js';
import {
  defaultKernelExports,
  kernelSymbols,
  parseKernelSymbolSpec,
  readSymversFile,
} from './kernel-exports.js';
import type { LinuxV26Config } from './linux-v26-config.js';
import { LinuxV26Kernel } from './linux-v26-kernel.js';
import { LinuxV26Sys } from './linux-v26-sys.js';
import { V26_TOKENS } from './linux-v26-tokens.js';
import { registerLinuxV26Syscalls } from './syscalls.js';
import { createLinuxV26Actions, createLinuxV26Tools } from './userland/index.js';
import type { LinuxV26UserlandContext } from './userland-context.js';

/** Linux 2.6 → 6.x. */
@injectable()
export class LinuxV26Personality implements Personality {
  /** @inheritDoc */
  readonly id = 'linux-v26' as const;
  /** @inheritDoc */
  readonly family = 'linux' as const;
  /** @inheritDoc */
  readonly sys: LinuxV26Sys;
  /** @inheritDoc */
  readonly tools: Readonly<Record<string, Tool>>;
  /** @inheritDoc */
  readonly actions: NeutralActions;
  /** What the userland is built on. */
  readonly context: LinuxV26UserlandContext;

  constructor(
    @inject(KernelCore) private readonly core: KernelCore,
    @inject(V26_TOKENS.Config) private readonly config: LinuxV26Config,
    @inject(LinuxV26Kernel) readonly kernel: LinuxV26Kernel,
  ) {
    this.sys = new LinuxV26Sys(core.syscalls);
    this.context = { core, sys: this.sys, config, release: config.release };
    this.tools = createLinuxV26Tools(this.context);
    this.actions = createLinuxV26Actions(this.context);
  }

  /** @inheritDoc */
  boot(): void {
    const core = this.core;
    const cfg = this.config;
    core.memory.configure(X86_64_MODULE_AREA);
    core.modules.setNameNormaliser(DASH_UNDERSCORE_NAMES);
    registerLinuxV26Syscalls(this.kernel);
    const specs = cfg.symvers === undefined ? defaultKernelExports() : readSymversFile(cfg.symvers);
    for (const s of cfg.kernelSymbols) specs.push(parseKernelSymbolSpec(s));
    core.symbols.addAll(kernelSymbols(specs), true);
    if (cfg.sigEnforce) core.sysctl.set(SYSCTL.sigEnforce, 1);
    const vfs = core.vfs;
    vfs.registerGenerated('/proc/modules', () => this.kernel.procModules());
    vfs.registerGenerated('/proc/sys/kernel/tainted', () => `${this.kernel.tainted}\n`, 0o644);
    vfs.registerGenerated(
      '/proc/sys/kernel/modules_disabled',
      () => `${core.sysctl.get(SYSCTL.modulesDisabled)}\n`,
      0o644,
    );
    vfs.registerGenerated('/proc/sys/kernel/osrelease', () => `${cfg.release}\n`);
    vfs.registerGenerated('/proc/cmdline', () => `${this.cmdline()}\n`);
    vfs.registerGenerated('/sys/module/module/parameters/sig_enforce', () =>
      this.kernel.sigEnforced ? 'Y\n' : 'N\n',
    );
    vfs.mkdirp(`/lib/modules/${cfg.release}/kernel`);
    vfs.mkdirp(`/lib/modules/${cfg.release}/extra`);
    core.log.info(`Linux version ${cfg.release} (kmodsim linux-v26, ${cfg.version.join('.')})`);
  }

  /** The simulated `/proc/cmdline`. */
  private cmdline(): string {
    const cfg = this.config;
    const parts = [`BOOT_IMAGE=/boot/vmlinuz-${cfg.release}`, 'root=/dev/sda1', 'ro'];
    if (cfg.sigEnforce) parts.push('module.sig_enforce=1');
    if (cfg.moduleBlacklist.length > 0) parts.push(`module_blacklist=${cfg.moduleBlacklist.join(',')}`);
    return parts.join(' ');
  }

  /** A `.ko` for this kernel (vermagic of its release, modversions as configured) from a neutral spec. */
  buildImage(spec: NeutralModuleSpec): Uint8Array {
    const s = spec as unknown as ModuleSpec;
    return buildKo(
      {
        ...s,
        kernelRelease: s.kernelRelease ?? this.config.release,
        vermagic: s.vermagic ?? this.config.vermagic,
      },
      { modversions: this.config.modversions },
    );
  }

  /** @inheritDoc */
  modulePath(name: string): string {
    return `/lib/modules/${this.config.release}/extra/${name}.ko`;
  }

  /**
   * @inheritDoc — the print-once keys, and the module devices the simulated process holds open, in the order it
   * opened them (in fd order, a restored kernel, whose fds are renumbered, would list later opens differently).
   */
  snapshot(): JsonValue {
    return {
      printedOnce: [...this.kernel.printedOnce],
      devices: [...this.kernel.devFds.values()],
    };
  }

  /**
   * @inheritDoc — the VFS keeps no open files across a save, so each held device is opened again (its fd number
   * may change, as in a new process) without taking a second reference: the module's refcount already counts it.
   */
  restore(state: JsonValue): void {
    const o = asObject(state, 'linux-v26');
    this.kernel.printedOnce.clear();
    if (Array.isArray(o.printedOnce)) for (const k of o.printedOnce) this.kernel.printedOnce.add(String(k));
    this.kernel.rebuild();
    this.kernel.devFds.clear();
    for (const raw of asArray(o.devices ?? [], 'linux-v26.devices')) {
      const name = String(raw);
      const fd = this.core.vfs.open(`/dev/${name}`, { read: true, write: false });
      if (fd.ok) this.kernel.devFds.set(fd.value, name);
    }
  }
}

/** Reads a trusted certificate given as a PEM text or a host path. */
export function readCertificate(spec: string): Uint8Array {
  if (spec.includes('-----BEGIN')) return new TextEncoder().encode(spec);
  return new Uint8Array(readFileSync(spec));
}
