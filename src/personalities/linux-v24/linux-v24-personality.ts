/**
 * The `linux-v24` personality: the Linux 2.1.18 → 2.4 module interface (`create_module`, `init_module(name,
 * struct module *)`, `query_module`, `delete_module`, `get_kernel_syms`) over the core, with modutils 2.4's
 * `insmod` (the user-space linker), `rmmod`, `lsmod`, `ksyms` and `modprobe` as its userland.
 * @module
 */
import { inject, injectable } from 'inversify';
import { I386_VMALLOC_AREA } from '../../core/address-space.js';
import { KernelCore } from '../../core/kernel-core.js';
import { EXACT_NAMES } from '../../core/module-registry.js';
import { asObject, type JsonValue } from '../../core/snapshot.js';
import { SYSCTL } from '../../core/sysctl.js';
import { buildI386Object } from '../../elf/builder/i386-object-builder.js';
import { moduleSpecFromJson } from '../../elf/builder/module-spec-json.js';
import { reopenHeldDevices, saveHeldDevices } from '../held-devices.js';
import { withParamList } from '../neutral-spec.js';
import type { NeutralActions, NeutralModuleSpec, Personality, Tool } from '../personality.js';
import { defaultKernelExports, kernelSymbolTable, parseKernelExport } from './kernel-symbols.js';
import type { LinuxV24Config } from './linux-v24-config.js';
import { LinuxV24Kernel } from './linux-v24-kernel.js';
import { LinuxV24Sys } from './linux-v24-sys.js';
import { V24_TOKENS } from './linux-v24-tokens.js';
import { procKsyms, procModules } from './proc-files.js';
import { registerLinuxV24Syscalls } from './syscalls.js';
import { createModutilsTools, createV24Actions, modprobeQuiet } from './userland/index.js';
import type { ModutilsContext } from './userland/modutils-context.js';

/** Whether the kernel has `/proc/sys/kernel/tainted` (2.4.10, with modutils' tainting; inferred). */
function hasTaintedFile(config: LinuxV24Config): boolean {
  const [, minor, patch] = config.version;
  return minor > 4 || (minor === 4 && patch >= 10);
}

/** Linux 2.2 / 2.4. */
@injectable()
export class LinuxV24Personality implements Personality {
  /** @inheritDoc */
  readonly id = 'linux-v24' as const;
  /** @inheritDoc */
  readonly family = 'linux' as const;
  /** @inheritDoc */
  readonly sys: LinuxV24Sys;
  /** @inheritDoc */
  readonly tools: Readonly<Record<string, Tool>>;
  /** @inheritDoc */
  readonly actions: NeutralActions;
  /** What the userland runs on. */
  readonly context: ModutilsContext;

  constructor(
    @inject(KernelCore) private readonly core: KernelCore,
    @inject(V24_TOKENS.Config) private readonly config: LinuxV24Config,
    @inject(LinuxV24Kernel) readonly kernel: LinuxV24Kernel,
  ) {
    this.sys = new LinuxV24Sys(core.syscalls, core.user);
    this.context = {
      core,
      sys: this.sys,
      release: config.release,
      moduleDir: `/lib/modules/${config.release}`,
      hasTaintedFile: hasTaintedFile(config),
      deviceFds: new Map(),
    };
    this.tools = createModutilsTools(this.context);
    this.actions = createV24Actions(this.context);
    kernel.requestModule = (name) => modprobeQuiet(this.context, name);
  }

  /** @inheritDoc */
  boot(): void {
    const core = this.core;
    const cfg = this.config;
    core.memory.configure({ ...I386_VMALLOC_AREA, size: cfg.moduleAreaSize });
    core.modules.setNameNormaliser(EXACT_NAMES);
    registerLinuxV24Syscalls(this.kernel);
    const specs = cfg.replaceKernelSymbols
      ? []
      : defaultKernelExports(this.kernel.era).map(parseKernelExport);
    for (const s of cfg.kernelSymbols) specs.push(parseKernelExport(s));
    core.symbols.addAll(kernelSymbolTable(specs, this.kernel.era, cfg.modversions), true);
    const vfs = core.vfs;
    vfs.registerGenerated('/proc/modules', () => procModules(this.kernel));
    vfs.registerGenerated('/proc/ksyms', () => procKsyms(this.kernel));
    vfs.registerGenerated('/proc/sys/kernel/osrelease', () => `${cfg.release}\n`);
    if (this.context.hasTaintedFile)
      vfs.registerGenerated('/proc/sys/kernel/tainted', () => `${core.sysctl.get(SYSCTL.tainted)}\n`, 0o644);
    vfs.mkdirp(`${this.context.moduleDir}/misc`);
    core.log.info(`Linux version ${cfg.release} (kmodsim linux-v24, ${this.kernel.era.line} module rules)`);
  }

  /** An i386 `.o` for modutils 2.4 (built against this kernel's release, modversions as configured). */
  buildImage(spec: NeutralModuleSpec): Uint8Array {
    const s = moduleSpecFromJson(withParamList(spec));
    if (!s.ok) throw new TypeError(`module spec ${spec.name}: ${s.error}`);
    return buildI386Object(
      { ...s.value, kernelRelease: s.value.kernelRelease ?? this.config.release },
      { era: '2.4', modversions: this.config.modversions },
    );
  }

  /** @inheritDoc — out-of-tree modules of the era live in `misc/`. */
  modulePath(name: string): string {
    return `${this.context.moduleDir}/misc/${name}.o`;
  }

  /**
   * @inheritDoc — `module_list`, and the module devices the simulated process holds open (the use counts they
   * stand for are in module memory already), in the order it opened them (`[address, name]`): fd numbers are the
   * process's, not the kernel's, and a restored kernel's differ.
   */
  snapshot(): JsonValue {
    return {
      moduleList: this.kernel.moduleList,
      devices: saveHeldDevices(this.kernel.devFds, this.context.deviceFds),
    };
  }

  /**
   * @inheritDoc — the VFS keeps no open files across a save, so each held device is opened again (its fd number
   * may change, as in a new process) without counting a second use.
   */
  restore(state: JsonValue): void {
    const o = asObject(state, 'linux-v24');
    this.kernel.mem.invalidate();
    this.kernel.moduleList = Number(o.moduleList);
    reopenHeldDevices(
      o.devices,
      'linux-v24.devices',
      this.core.vfs,
      (addr) => this.kernel.recordName(addr),
      this.kernel.devFds,
      this.context.deviceFds,
    );
  }
}
