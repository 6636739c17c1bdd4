import { injectable } from 'inversify';
import type { HpuxPrivilege, LinuxCapability } from '../abi/capabilities.js';
import { LINUX_CAPABILITIES } from '../abi/capabilities.js';
import { asArray, asObject, type JsonValue, type Snapshottable } from './snapshot.js';

/** The identity a simulated syscall runs as. */
export interface CredentialsState {
  /** Real user id. */
  uid: number;
  /** Effective user id (0 = superuser). */
  euid: number;
  /** Effective group id. */
  gid: number;
  /** Effective Linux capabilities. */
  capabilities: Set<LinuxCapability>;
  /** HP-UX fine-grained privileges (11i v3). */
  privileges: Set<HpuxPrivilege>;
}

/** Every Linux capability: what root holds by default. */
export const ALL_CAPABILITIES: readonly LinuxCapability[] = Object.keys(
  LINUX_CAPABILITIES,
) as LinuxCapability[];

/**
 * The calling process's credentials. Starts as root with every capability; experiments drop a capability or
 * switch to an ordinary user to exercise EPERM paths.
 */
@injectable()
export class Credentials implements Snapshottable {
  private state: CredentialsState = Credentials.root();

  /** Root: uid 0, every capability, no HP-UX privilege needed (superuser). */
  static root(): CredentialsState {
    return { uid: 0, euid: 0, gid: 0, capabilities: new Set(ALL_CAPABILITIES), privileges: new Set() };
  }

  /** The current credentials (read-only view). */
  get current(): Readonly<CredentialsState> {
    return this.state;
  }

  /** Replaces the credentials (e.g. `setuid(1000)` drops every capability, as Linux does for non-root). */
  set(next: Partial<CredentialsState>): void {
    const euid = next.euid ?? this.state.euid;
    const becameUser = this.state.euid === 0 && euid !== 0 && next.capabilities === undefined;
    this.state = {
      uid: next.uid ?? this.state.uid,
      euid,
      gid: next.gid ?? this.state.gid,
      capabilities: new Set(becameUser ? [] : (next.capabilities ?? this.state.capabilities)),
      privileges: new Set(next.privileges ?? this.state.privileges),
    };
  }

  /** Drops one capability from the effective set. */
  drop(cap: LinuxCapability): void {
    this.state.capabilities.delete(cap);
  }

  /** `capable(cap)`. @see kernel/capability.c `capable` */
  capable(cap: LinuxCapability): boolean {
    return this.state.capabilities.has(cap);
  }

  /** Whether the caller is the superuser (`suser()` of 1.x/2.0, HP-UX "appropriate privilege"). */
  isSuperuser(): boolean {
    return this.state.euid === 0;
  }

  /** HP-UX 11i v3: superuser or holder of `priv`. */
  hasPrivilege(priv: HpuxPrivilege): boolean {
    return this.isSuperuser() || this.state.privileges.has(priv);
  }

  /** @inheritDoc */
  snapshot(): JsonValue {
    const s = this.state;
    return {
      uid: s.uid,
      euid: s.euid,
      gid: s.gid,
      capabilities: [...s.capabilities],
      privileges: [...s.privileges],
    };
  }

  /** @inheritDoc */
  restore(state: JsonValue): void {
    const o = asObject(state, 'credentials');
    this.state = {
      uid: Number(o.uid),
      euid: Number(o.euid),
      gid: Number(o.gid),
      capabilities: new Set(asArray(o.capabilities, 'capabilities').map(String) as LinuxCapability[]),
      privileges: new Set(asArray(o.privileges, 'privileges').map(String) as HpuxPrivilege[]),
    };
  }
}
