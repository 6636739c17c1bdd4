/**
 * The `linux-v1` personality: the Linux 1.x / 2.0 module interface (`get_kernel_syms`, `create_module`,
 * `init_module(name, code, codesize, routines, symtab)`, `delete_module`) over the core, with the era's
 * `insmod`, `rmmod`, `lsmod` and `ksyms` (modutils' old-kernel paths) as its userland.
 * @module
 */
import { inject, injectable } from 'inversify';
import { KernelCore } from '../../core/kernel-core.js';
import { EXACT_NAMES } from '../../core/module-registry.js';
import { err, OK_VOID } from '../../core/result.js';
import { asObject, type JsonValue } from '../../core/snapshot.js';
import { KERNEL_OWNER } from '../../core/symbol-table.js';
import { buildI386Object } from '../../elf/builder/i386-object-builder.js';
import { moduleSpecFromJson } from '../../elf/builder/module-spec-json.js';
import { reopenHeldDevices, saveHeldDevices } from '../held-devices.js';
import { latin1Bytes } from '../linux-v24/kernel-memory.js';
import { withParamList } from '../neutral-spec.js';
import type { NeutralActions, NeutralModuleSpec, Personality, Tool } from '../personality.js';
import { defaultKernelExports, residentSymbols } from './kernel-symbols.js';
import type { LinuxV1Config } from './linux-v1-config.js';
import { LinuxV1Kernel } from './linux-v1-kernel.js';
import { LinuxV1Sys } from './linux-v1-sys.js';
import { V1_TOKENS } from './linux-v1-tokens.js';
import { procKsyms, procModules } from './proc-files.js';
import { registerLinuxV1Syscalls } from './syscalls.js';
import { createV1Actions, createV1Tools } from './userland/index.js';
import { insmodV1Detailed } from './userland/insmod.js';
import type { V1ToolsContext } from './userland/v1-tools-context.js';

/** `VMALLOC_START` of i386 1.x: `(high_memory + 8 MiB) & ~(8 MiB - 1)`. @see include/asm-i386/pgtable.h (1.2.13) */
export function vmallocStart(memory: number): bigint {
  const mb8 = 8 * 1024 * 1024;
  return BigInt(Math.floor((memory + mb8) / mb8) * mb8);
}

/** Linux 1.x / 2.0. */
@injectable()
export class LinuxV1Personality implements Personality {
  /** @inheritDoc */
  readonly id = 'linux-v1' as const;
  /** @inheritDoc */
  readonly family = 'linux' as const;
  /** @inheritDoc */
  readonly sys: LinuxV1Sys;
  /** @inheritDoc */
  readonly tools: Readonly<Record<string, Tool>>;
  /** @inheritDoc */
  readonly actions: NeutralActions;
  /** What the userland runs on. */
  readonly context: V1ToolsContext;

  constructor(
    @inject(KernelCore) private readonly core: KernelCore,
    @inject(V1_TOKENS.Config) private readonly config: LinuxV1Config,
    @inject(LinuxV1Kernel) readonly kernel: LinuxV1Kernel,
  ) {
    this.sys = new LinuxV1Sys(core.syscalls, core.user);
    this.context = {
      core,
      sys: this.sys,
      release: config.release,
      moduleDir: `/lib/modules/${config.release}`,
      paramStyle: kernel.era.line === '2.0' ? 'modutils' : 'insmod-1.1',
      deviceFds: new Map(),
    };
    this.tools = createV1Tools(this.context);
    this.actions = createV1Actions(this.context);
    kernel.requestModule = (name) => {
      // kerneld (1.3.57+) runs `modprobe -k -s name`; the simulated daemon loads `<name>.o` with insmod -k.
      if (!kernel.era.autoclean) return err('ENOSYS', 'request_module: no kerneld before 1.3.57');
      const r = insmodV1Detailed(['-k', name], this.context);
      return r.result.exitCode === 0 ? OK_VOID : err(r.errno ?? 'ENOENT', `request_module(${name}) failed`);
    };
  }

  /** @inheritDoc */
  boot(): void {
    const core = this.core;
    const cfg = this.config;
    const k = this.kernel;
    // vmalloc takes physical pages: the area offered to modules is bounded by the machine's memory (inferred).
    core.memory.configure({
      base: vmallocStart(cfg.memory),
      size: cfg.memory - 2 * 1024 * 1024,
      pageSize: 4096,
      guardPages: 1,
    });
    core.modules.setNameNormaliser(EXACT_NAMES);
    registerLinuxV1Syscalls(k);
    const names = cfg.replaceKernelSymbols ? [] : defaultKernelExports(k.era);
    const kernelSyms = residentSymbols([...names, ...cfg.kernelSymbols], cfg.modversions, true);
    k.kernelModule.symtab = { size: 0, symbols: kernelSyms, refs: [] };
    // register_symtab from resident code links each pseudo module right after kernel_module: the last one
    // registered comes first.
    k.pseudo = cfg.residentSymtabs
      .map((syms, i) =>
        k.residentModule(
          k.allocStruct(),
          residentSymbols(syms, cfg.modversions, false, 0x00180000 + i * 0x1000),
        ),
      )
      .reverse();
    core.symbols.addAll(
      [k.kernelModule, ...k.pseudo].flatMap((m) =>
        (m.symtab?.symbols ?? []).map((s) => ({
          name: s.name,
          value: BigInt(s.addr),
          owner: KERNEL_OWNER,
          gplOnly: false,
        })),
      ),
      true,
    );
    const vfs = core.vfs;
    // The kernel writes names as the bytes user space gave it: the files are Latin-1 bytes, not UTF-8 text.
    vfs.registerGenerated('/proc/modules', () => latin1Bytes(procModules(k)));
    vfs.registerGenerated('/proc/ksyms', () => latin1Bytes(procKsyms(k)));
    vfs.registerGenerated('/proc/sys/kernel/osrelease', () => `${cfg.release}\n`);
    vfs.mkdirp(`${this.context.moduleDir}/misc`);
    core.log.info(`Linux version ${cfg.release} (kmodsim linux-v1, ${k.era.line} module rules)`);
  }

  /** An i386 ELF `.o` as modutils' old-kernel path links it (1.x/2.0 conventions). */
  buildImage(spec: NeutralModuleSpec): Uint8Array {
    const s = moduleSpecFromJson(withParamList(spec));
    if (!s.ok) throw new TypeError(`module spec ${spec.name}: ${s.error}`);
    return buildI386Object(
      { ...s.value, kernelRelease: s.value.kernelRelease ?? this.config.release },
      { era: this.kernel.era.line === '2.0' ? '2.0' : '1.x', modversions: this.config.modversions },
    );
  }

  /** @inheritDoc — out-of-tree modules of the era live in `misc/`. */
  modulePath(name: string): string {
    return `${this.context.moduleDir}/misc/${name}.o`;
  }

  /**
   * @inheritDoc — the module list and the module devices the simulated process holds open, in the order it opened
   * them (`[struct, name]`): fd numbers are the process's, not the kernel's, and a restored kernel's differ.
   */
  snapshot(): JsonValue {
    return {
      kernel: this.kernel.snapshot(),
      devices: saveHeldDevices(this.kernel.devFds, this.context.deviceFds),
    };
  }

  /** @inheritDoc — held devices are opened again (fd numbers may change) without counting a second use. */
  restore(state: JsonValue): void {
    const o = asObject(state, 'linux-v1');
    this.kernel.restore(o.kernel ?? {});
    reopenHeldDevices(
      o.devices,
      'linux-v1.devices',
      this.core.vfs,
      (struct) => this.kernel.byStruct(struct)?.name,
      this.kernel.devFds,
      this.context.deviceFds,
    );
  }
}
