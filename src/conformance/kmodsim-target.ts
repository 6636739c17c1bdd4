import { ALL_CAPABILITIES } from '../core/credentials.js';
import { KERNEL_OWNER } from '../core/symbol-table.js';
import { SYSCTL } from '../core/sysctl.js';
import { createKernel, type Kernel } from '../kernel.js';
import type { NeutralModuleSpec, PersonalityId } from '../personalities/personality.js';
import type { ConformanceOp, Observation, OpOutcome, Target } from './target.js';

/** A {@link Target} backed by one of kmodsim's own personalities. */
export class KmodsimTarget implements Target {
  private kernel: Kernel | undefined;
  private bootSymbols = '';

  constructor(
    /** The personality to run. */
    readonly personality: PersonalityId,
    private readonly config: Readonly<Record<string, unknown>> = {},
  ) {}

  /** The kernel under test (after {@link KmodsimTarget.reset}). */
  get current(): Kernel {
    if (this.kernel === undefined) throw new Error('KmodsimTarget: reset() first');
    return this.kernel;
  }

  /** @inheritDoc */
  async reset(modules: readonly NeutralModuleSpec[]): Promise<void> {
    const k = createKernel({ personality: this.personality, config: this.config });
    for (const spec of modules) {
      const image = k.buildImage(spec);
      if (!image.ok) throw new Error(`cannot build ${spec.name} for ${this.personality}: ${image.error}`);
      k.vfs.writeFile(k.modulePath(spec.name), image.value);
    }
    this.kernel = k;
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
            : { uid: 1000, euid: 1000, capabilities: new Set() },
        );
        return 'ok';
      case 'disable-modules': {
        const r = k.core.sysctl.set(SYSCTL.modulesDisabled, 1);
        return r.ok ? 'ok' : r.error.errno;
      }
    }
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
