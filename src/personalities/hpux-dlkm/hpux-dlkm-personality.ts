/**
 * The `hpux-dlkm` personality: HP-UX 11.0 – 11i v3 Dynamically Loadable Kernel Modules.
 * @module
 */
import { inject, injectable } from 'inversify';
import { MAXPATHLEN } from '../../abi/hpux/dlkm.js';
import type { AddressSpaceConfig } from '../../core/address-space.js';
import type { KernelConfig } from '../../core/kernel-config.js';
import { KernelCore } from '../../core/kernel-core.js';
import { EXACT_NAMES } from '../../core/module-registry.js';
import { asObject, type JsonValue } from '../../core/snapshot.js';
import { KERNEL_OWNER } from '../../core/symbol-table.js';
import { TOKENS } from '../../core/tokens.js';
import { buildDlkmObject } from '../../elf/builder/dlkm-object-builder.js';
import { moduleSpecFromJson } from '../../elf/builder/module-spec-json.js';
import type { NeutralActions, NeutralModuleSpec, Personality, Tool } from '../personality.js';
import { type DlkmCallContext, SYSCTL_HPUX_PROFILING } from './dlkm-call-context.js';
import { type DlkmConfig, readDlkmConfig } from './dlkm-config.js';
import { DeviceTable } from './dlkm-devices.js';
import type { DlkmEra } from './dlkm-era.js';
import type { DlkmFacility } from './dlkm-facility.js';
import { DlkmKernel } from './dlkm-kernel.js';
import { DLKM_TOKENS } from './dlkm-tokens.js';
import { dlkmActions } from './hpux-dlkm-actions.js';
import { HpuxDlkmSys } from './hpux-dlkm-sys.js';
import { HPUX_KERNEL_SYMBOLS, HPUX_KERNEL_TEXT } from './hpux-kernel-symbols.js';
import { parseModpathList } from './module-search-path.js';
import { registerDlkmSyscalls } from './syscalls.js';
import { dlkmTools } from './userland/dlkm-tools.js';

/**
 * Where loadable modules are placed: a 256 MiB window of IA-64 region 7 (kernel space), 4 KiB pages (HP-UX's
 * default base page size), no guard pages. INVENTED placement: HP does not document its module area.
 */
export const HPUX_IA64_MODULE_AREA: AddressSpaceConfig = {
  base: 0xe000000004000000n,
  size: 0x10000000,
  pageSize: 4096,
  guardPages: 0,
};

/** HP-UX DLKM: `modload`, `moduload`, `modstat`, `modpath`, kcmodule / kmadmin, the configuration store. */
@injectable()
export class HpuxDlkmPersonality implements Personality {
  /** @inheritDoc */
  readonly id = 'hpux-dlkm' as const;
  /** @inheritDoc */
  readonly family = 'hpux' as const;
  /** @inheritDoc */
  readonly sys: HpuxDlkmSys;
  /** @inheritDoc */
  readonly tools: Readonly<Record<string, Tool>>;
  /** @inheritDoc */
  readonly actions: NeutralActions;
  private readonly cfg: DlkmConfig;
  private readonly calls: DlkmCallContext;

  constructor(
    @inject(KernelCore) private readonly core: KernelCore,
    @inject(TOKENS.KernelConfig) config: KernelConfig,
    @inject(DlkmKernel) private readonly dlkm: DlkmKernel,
    @inject(DLKM_TOKENS.Era) private readonly era: DlkmEra,
    @inject(DLKM_TOKENS.Facility) facility: DlkmFacility,
    @inject(DeviceTable) private readonly devices: DeviceTable,
  ) {
    this.cfg = readDlkmConfig(config);
    this.calls = { core, dlkm, era, facility, devices };
    this.sys = new HpuxDlkmSys(core.syscalls, core.user, era.v1);
    this.tools = dlkmTools(this.calls);
    this.actions = dlkmActions(this.calls, this.tools, this.cfg.actionsRegister ?? !era.v1);
  }

  /** @inheritDoc */
  boot(): void {
    const core = this.core;
    core.memory.configure(HPUX_IA64_MODULE_AREA);
    core.modules.setNameNormaliser(EXACT_NAMES);
    core.vfs.setLimits({ pathMax: MAXPATHLEN, nameMax: 255 });
    core.sysctl.define(SYSCTL_HPUX_PROFILING, {
      value: this.cfg.profiling ? 1 : 0,
      latch: 'none',
      min: 0,
      max: 1,
    });
    const store = this.dlkm.store;
    store.reset();
    this.devices.reset();
    this.dlkm.searchPath.reset(this.era.defaultModpath);
    if (this.cfg.modpath !== undefined) {
      const dirs = parseModpathList(this.cfg.modpath);
      if (!dirs.ok) throw new TypeError(`hpux-dlkm: config modpath: ${dirs.error.reason}`);
      this.dlkm.searchPath.prepend(dirs.value);
    }
    registerDlkmSyscalls(this.calls);
    const names = [...new Set([...HPUX_KERNEL_SYMBOLS, ...this.cfg.kernelSymbols])];
    core.symbols.addAll(
      names.map((name, i) => ({
        name,
        value: HPUX_KERNEL_TEXT + BigInt(i * 0x40),
        owner: KERNEL_OWNER,
        gplOnly: false,
      })),
      true,
    );
    for (const m of this.cfg.staticModules) {
      const e = store.setState(m.name, 'static', m.required ? 'required' : 'explicit');
      e.info = {
        desc: m.desc,
        version: '',
        type: 'misc',
        capable: m.required ? ['static'] : ['unused', 'static'],
        best: 'static',
        depends: [],
        exports: [],
        required: m.required,
      };
    }
    for (const name of this.cfg.registeredModules) store.setState(name, 'auto', 'explicit');
    core.vfs.mkdirp(this.era.defaultModpath);
    core.log.info(
      `DLKM: HP-UX ${this.era.release} (${this.era.title}), module path ${this.dlkm.searchPath.toString()}`,
    );
  }

  /**
   * The DLKM object of a neutral module spec (JSON, as scenarios give it), written by the shared builder
   * (`buildDlkmObject`: ELF64 MSB, IA-64, wrapper, `.modmeta`, behaviour). Throws for a spec it cannot build.
   * See docs/personalities/hpux-dlkm.md for the fields a DLKM object uses.
   */
  buildImage(spec: NeutralModuleSpec): Uint8Array {
    const s = moduleSpecFromJson(spec);
    if (!s.ok) throw new TypeError(`module spec ${spec.name}: ${s.error}`);
    return buildDlkmObject(s.value);
  }

  /** @inheritDoc — the release's default module directory (`/stand/dlkm/mod.d` in 11i v1, `/usr/conf/mod` later). */
  modulePath(name: string): string {
    return `${this.era.defaultModpath}/${name}`;
  }

  /** @inheritDoc */
  snapshot(): JsonValue {
    return {
      store: this.dlkm.store.snapshot(),
      modpath: this.dlkm.searchPath.snapshot(),
      devices: this.devices.snapshot(),
    };
  }

  /** @inheritDoc */
  restore(state: JsonValue): void {
    const o = asObject(state, 'hpux-dlkm');
    this.dlkm.store.restore(o.store);
    this.dlkm.searchPath.restore(o.modpath);
    this.devices.restore(o.devices);
  }
}
