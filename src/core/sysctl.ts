import { injectable } from 'inversify';
import { err, OK_VOID, type Result } from './result.js';
import { asObject, type JsonValue, type Snapshottable } from './snapshot.js';

/** How a switch may change once set. */
export type LatchKind = 'none' | 'one-way';

/** Definition of one sysctl-style switch. */
export interface SwitchDefinition {
  /** Initial value. */
  readonly value: number;
  /** `one-way`: once non-zero it can never return to zero (`modules_disabled`, `sig_enforce`). */
  readonly latch: LatchKind;
  /** Smallest accepted value. */
  readonly min: number;
  /** Largest accepted value. */
  readonly max: number;
}

/** Well-known switch names. */
export const SYSCTL = {
  /** `/proc/sys/kernel/modules_disabled` @see kernel/sysctl.c (proc_dointvec_minmax, extra1=one, extra2=one). */
  modulesDisabled: 'kernel.modules_disabled',
  /** `/sys/module/module/parameters/sig_enforce` @see kernel/module/signing.c `sig_enforce`. */
  sigEnforce: 'module.sig_enforce',
  /** `/proc/sys/kernel/tainted`. */
  tainted: 'kernel.tainted',
} as const;

/**
 * Kernel switches (`/proc/sys`, module parameters of the kernel itself), with the one-way latches the kernel
 * enforces: once `modules_disabled` is 1 it stays 1 until reboot.
 */
@injectable()
export class Sysctl implements Snapshottable {
  private defs = new Map<string, SwitchDefinition>();
  private values = new Map<string, number>();

  constructor() {
    this.define(SYSCTL.modulesDisabled, { value: 0, latch: 'one-way', min: 0, max: 1 });
    this.define(SYSCTL.sigEnforce, { value: 0, latch: 'one-way', min: 0, max: 1 });
    this.define(SYSCTL.tainted, { value: 0, latch: 'none', min: 0, max: 2 ** 31 - 1 });
  }

  /** Declares (or redeclares, resetting) a switch. */
  define(name: string, def: SwitchDefinition): void {
    this.defs.set(name, def);
    this.values.set(name, def.value);
  }

  /** Current value; 0 for an unknown switch. */
  get(name: string): number {
    return this.values.get(name) ?? 0;
  }

  /** Whether the switch exists. */
  has(name: string): boolean {
    return this.defs.has(name);
  }

  /**
   * Writes a value as a privileged writer would: EINVAL outside [min, max] or when it would undo a one-way latch,
   * ENOENT for an unknown switch.
   */
  set(name: string, value: number): Result<void> {
    const def = this.defs.get(name);
    if (def === undefined) return err('ENOENT', `no such switch ${name}`);
    if (!Number.isInteger(value) || value < def.min || value > def.max)
      return err('EINVAL', `${name}: ${value} out of range`);
    if (def.latch === 'one-way' && this.get(name) !== 0 && value === 0)
      return err('EINVAL', `${name} is latched`);
    this.values.set(name, value);
    return OK_VOID;
  }

  /** ORs bits into a switch (used for `tainted`). */
  orBits(name: string, bits: number): void {
    this.values.set(name, (this.get(name) | bits) >>> 0);
  }

  /** @inheritDoc */
  snapshot(): JsonValue {
    return Object.fromEntries(this.values);
  }

  /** @inheritDoc */
  restore(state: JsonValue): void {
    for (const [k, v] of Object.entries(asObject(state, 'sysctl'))) this.values.set(k, Number(v));
  }
}
