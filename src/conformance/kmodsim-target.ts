import { ALL_CAPABILITIES } from '../core/credentials.js';
import { KERNEL_OWNER } from '../core/symbol-table.js';
import { SYSCTL } from '../core/sysctl.js';
import { runStep } from '../experiments/run-scenario.js';
import type { Scenario } from '../experiments/scenario.js';
import { newSysState, type SysState } from '../experiments/sys-args.js';
import { createKernel, type Kernel } from '../kernel.js';
import type { NeutralModuleSpec, PersonalityId } from '../personalities/personality.js';
import type { ConformanceOp, KernelSettings, Observation, OpOutcome, Target } from './target.js';

/** A {@link Target} backed by one of kmodsim's own personalities. */
export class KmodsimTarget implements Target {
  /** kmodsim builds a fresh kernel with any configuration. */
  readonly configurable = true;
  private kernel: Kernel | undefined;
  private bootSymbols = '';
  private scenario: Scenario | undefined;
  private sysState: SysState = newSysState();

  constructor(
    /** The personality to run. */
    readonly personality: PersonalityId,
    private readonly config: KernelSettings = {},
  ) {}

  /** The kernel under test (after {@link KmodsimTarget.reset}). */
  get current(): Kernel {
    if (this.kernel === undefined) throw new Error('KmodsimTarget: reset() first');
    return this.kernel;
  }

  /** @inheritDoc */
  async reset(modules: readonly NeutralModuleSpec[], config: KernelSettings = {}): Promise<void> {
    const k = createKernel({ personality: this.personality, config: { ...this.config, ...config } });
    for (const spec of modules) {
      const image = k.buildImage(spec);
      if (!image.ok) throw new Error(`cannot build ${spec.name} for ${this.personality}: ${image.error}`);
      k.vfs.writeFile(k.modulePath(spec.name), image.value);
    }
    this.kernel = k;
    this.sysState = newSysState();
    // `sys` ops run as scenario steps, so a counterexample replays with `kmodsim run` exactly as it ran here.
    this.scenario = {
      name: 'conformance',
      personalities: [this.personality],
      kernel: {},
      modules: Object.fromEntries(modules.map(({ name, ...rest }) => [name, rest])),
      files: {},
      steps: [],
      baseDir: '/',
    };
    this.bootSymbols = JSON.stringify(
      k.core.symbols.exportsOf(KERNEL_OWNER).map((s) => [s.name, String(s.value)]),
    );
  }

  /** @inheritDoc */
  async exec(op: ConformanceOp): Promise<OpOutcome> {
    const k = this.current;
    switch (op.op) {
      case 'load':
        return k.actions.load(k.modulePath(op.module), op.params).result as OpOutcome;
      case 'unload':
      case 'use':
      case 'unuse':
        return k.actions[op.op](op.module).result as OpOutcome;
      case 'privileged':
        k.core.creds.set(
          op.on
            ? { uid: 0, euid: 0, capabilities: new Set(ALL_CAPABILITIES) }
            : { uid: 1000, euid: 1000, capabilities: new Set(), privileges: new Set() },
        );
        return 'ok';
      case 'disable-modules':
        return this.sysctl(SYSCTL.modulesDisabled, 1);
      case 'sysctl':
        return this.sysctl(op.name, op.value);
      case 'stage':
        k.vfs.writeFile(op.path, op.bytes);
        return 'ok';
      case 'cred': {
        const step = { index: 0, action: 'cred' as const, target: op.cred };
        return runStep(this.scenario as Scenario, k, step, [], this.sysState).result as OpOutcome;
      }
      case 'sys': {
        if (k.core.syscalls.entry(op.call) === undefined)
          throw new Error(`${this.personality} has no syscall ${op.call}`);
        const step = { index: 0, action: 'sys' as const, target: op.call, args: op.args };
        const r = runStep(this.scenario as Scenario, k, step, [], this.sysState);
        return r.result as OpOutcome;
      }
    }
  }

  private sysctl(name: string, value: number): OpOutcome {
    const r = this.current.core.sysctl.set(name, value);
    return r.ok ? 'ok' : r.error.errno;
  }

  /** @inheritDoc */
  async observe(): Promise<Observation> {
    const k = this.current;
    const modules = k.core.modules
      .list()
      .map((m) => ({ name: m.name, refcount: m.refcount, holders: k.core.modules.usedBy(m.name) }));
    const listing = k.actions.list().output ?? '';
    const listed = modules
      .filter((m) => new RegExp(`(^|\\W)${escapeRegExp(m.name)}(\\W|$)`, 'm').test(listing))
      .map((m) => m.name);
    return {
      modules,
      listed,
      allocationOwners: k.core.memory.allocations().map((a) => a.owner),
      moduleSymbols: [...k.core.symbols.all()].filter((s) => s.owner !== KERNEL_OWNER).map((s) => s.name),
      kernelSymbolsIntact:
        JSON.stringify(k.core.symbols.exportsOf(KERNEL_OWNER).map((s) => [s.name, String(s.value)])) ===
        this.bootSymbols,
    };
  }

  /** @inheritDoc */
  async close(): Promise<void> {
    this.kernel = undefined;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
