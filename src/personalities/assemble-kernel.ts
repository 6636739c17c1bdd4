/**
 * The kernel object and its composition from one personality definition. `createKernel` (src/kernel.ts) picks the
 * definition from the registry of all personalities; the CLI loads only the one it needs and assembles it here.
 * @module
 */
import { Container } from 'inversify';
import type { HpuxPrivilege, LinuxCapability } from '../abi/capabilities.js';
import { coreModule } from '../core/core-module.js';
import type { KernelConfig } from '../core/kernel-config.js';
import { KernelCore } from '../core/kernel-core.js';
import { KmodsimError } from '../core/kernel-error.js';
import { fail, ok, type Result } from '../core/result.js';
import { asObject, type JsonValue } from '../core/snapshot.js';
import { populateStandardTree } from '../core/standard-tree.js';
import type { SyscallArgs, SyscallReturn } from '../core/syscall-table.js';
import { SYSCTL } from '../core/sysctl.js';
import { TOKENS } from '../core/tokens.js';
import type { PersonalitySys } from './index.js';
import {
  isPersonalityId,
  type NeutralActions,
  type NeutralModuleSpec,
  type Personality,
  type PersonalityDefinition,
  type PersonalityId,
  type ToolResult,
} from './personality.js';

/** Options of {@link createKernel}. */
export interface CreateKernelOptions<P extends PersonalityId> {
  /** Which API the kernel speaks. */
  readonly personality: P;
  /** Kernel configuration (era, features, credentials…). */
  readonly config?: KernelConfig;
}

/** Version tag of saved kernel states. */
export const STATE_FORMAT = 'kmodsim-state/1';

/**
 * One simulated kernel with one personality in front of it: the library's main object.
 *
 * ```ts
 * const k = createKernel({ personality: 'linux-v26' });
 * k.vfs.writeFile('/root/a.ko', bytes);
 * k.run('insmod', ['/root/a.ko']);
 * console.log(k.read('/proc/modules'));
 * ```
 */
export class Kernel<P extends PersonalityId = PersonalityId> {
  /** @internal */
  constructor(
    /** Personality id. */
    readonly personality: P,
    /** The configuration it was created with. */
    readonly config: KernelConfig,
    /** The common kernel services. */
    readonly core: KernelCore,
    private readonly impl: Personality,
  ) {}

  /** The personality's typed syscalls, returning the raw convention (`ret`, `errno`). */
  get sys(): PersonalitySys[P] {
    return this.impl.sys as PersonalitySys[P];
  }

  /** Neutral actions (load/unload/use/unuse/list) as the era's tools do them. */
  get actions(): NeutralActions {
    return this.impl.actions;
  }

  /** The in-memory file system (place module files here). */
  get vfs(): KernelCore['vfs'] {
    return this.core.vfs;
  }

  /** Names of the era's user-space tools. */
  get tools(): string[] {
    return Object.keys(this.impl.tools);
  }

  /** Calls a syscall by name with named arguments (recorded in the trace). */
  syscall(name: string, args: SyscallArgs = {}): SyscallReturn {
    return this.core.syscalls.invoke(name, args);
  }

  /** Like {@link Kernel.syscall} but throws {@link KmodsimError} on failure and returns the value. */
  call(name: string, args: SyscallArgs = {}): number | bigint {
    const r = this.syscall(name, args);
    if (r.errno !== undefined) throw new KmodsimError(name, r.errno, r.errnoNumber ?? 0, `${name} failed`);
    return r.ret;
  }

  /** Runs one of the era's tools (`insmod`, `lsmod`…). An unknown tool exits 127 like a shell. */
  run(tool: string, argv: readonly string[] = []): ToolResult {
    const t = this.impl.tools[tool];
    if (t === undefined) return { exitCode: 127, stdout: '', stderr: `${tool}: command not found\n` };
    return t.run(argv);
  }

  /** Reads a simulated file as text (`/proc/modules`), or `undefined` when it does not exist. */
  read(path: string): string | undefined {
    const r = this.core.vfs.readFile(path);
    return r.ok ? new TextDecoder().decode(r.value) : undefined;
  }

  /** The kernel log as `dmesg` prints it. */
  dmesg(): string {
    return this.core.log.dmesg();
  }

  /**
   * Builds this personality's image of a neutral module spec, or explains why it cannot.
   */
  buildImage(spec: NeutralModuleSpec): Result<Uint8Array, string> {
    if (this.impl.buildImage === undefined) return fail(`${this.personality} cannot build module images`);
    try {
      return ok(this.impl.buildImage(spec));
    } catch (e) {
      return fail(e instanceof Error ? e.message : String(e));
    }
  }

  /** Where this personality keeps a module named `name`. */
  modulePath(name: string): string {
    return this.impl.modulePath(name);
  }

  /** @internal Restores the core and the personality from a saved state (see {@link restoreKernel}). */
  restoreState(core: JsonValue, personalityState: JsonValue): void {
    this.core.restore(core);
    this.impl.restore(personalityState);
  }

  /** The whole kernel as JSON (for `--state FILE`). */
  snapshot(): JsonValue {
    return {
      format: STATE_FORMAT,
      personality: this.personality,
      config: JSON.parse(JSON.stringify(this.config)) as JsonValue,
      core: this.core.snapshot(),
      personalityState: this.impl.snapshot(),
    };
  }
}

/**
 * Builds a simulated kernel from its personality's definition: one DI container with the core, the personality's
 * unit and the configuration, then boots it.
 */
export function assembleKernel<P extends PersonalityId>(
  def: PersonalityDefinition,
  options: CreateKernelOptions<P>,
): Kernel<P> {
  const config = options.config ?? {};
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(TOKENS.KernelConfig).toConstantValue(config);
  container.load(coreModule, def.module);
  const core = container.get(KernelCore);
  const impl = container.get<Personality>(TOKENS.Personality);
  applyCommonConfig(core, config);
  populateStandardTree(
    core.vfs,
    `${def.title} kernel ${config.release ?? config.kernelVersion ?? ''} (kmodsim)`.replace('  ', ' '),
  );
  impl.boot();
  if (config.modulesDisabled === true) core.sysctl.set(SYSCTL.modulesDisabled, 1);
  return new Kernel(options.personality, config, core, impl);
}

/** A saved kernel state, checked for its format and personality but not yet restored. */
export interface SavedKernelState {
  /** Which personality the kernel had. */
  readonly personality: PersonalityId;
  /** The configuration it was created with. */
  readonly config: KernelConfig;
  /** The core's snapshot. */
  readonly core: JsonValue;
  /** The personality's snapshot. */
  readonly personalityState: JsonValue;
}

/** Reads the envelope of a {@link Kernel.snapshot}. Throws a `TypeError` on a malformed state. */
export function readKernelState(state: JsonValue): SavedKernelState {
  const o = asObject(state, 'state');
  if (o.format !== STATE_FORMAT) throw new TypeError(`state: not a ${STATE_FORMAT} file`);
  const personality = String(o.personality);
  if (!isPersonalityId(personality)) throw new TypeError(`state: unknown personality ${personality}`);
  return {
    personality,
    config: asObject(o.config, 'config'),
    core: o.core,
    personalityState: o.personalityState,
  };
}

/** Assembles a saved kernel with its personality's definition and restores its state. */
export function reassembleKernel(def: PersonalityDefinition, saved: SavedKernelState): Kernel {
  const k = assembleKernel(def, { personality: saved.personality, config: saved.config });
  k.restoreState(saved.core, saved.personalityState);
  return k;
}

function applyCommonConfig(core: KernelCore, config: KernelConfig): void {
  const c = config.credentials;
  if (c === undefined) return;
  core.creds.set({
    ...(c.uid === undefined ? {} : { uid: c.uid }),
    ...(c.euid === undefined ? {} : { euid: c.euid }),
    ...(c.gid === undefined ? {} : { gid: c.gid }),
    ...(c.capabilities === undefined ? {} : { capabilities: new Set(c.capabilities as LinuxCapability[]) }),
    ...(c.privileges === undefined ? {} : { privileges: new Set(c.privileges as HpuxPrivilege[]) }),
  });
}
