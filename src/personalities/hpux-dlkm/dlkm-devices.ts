/**
 * Open files of the calling process as the simulated HP-UX `open(2)`/`close(2)` see them. Opening
 * `/dev/<module>` of a registered module is a use of the module: it is autoloaded if needed and its hold count
 * (`ms_holdcnt`) rises until the file is closed. The table is kernel state (saved with `--state`), so a hold taken
 * in one CLI invocation can be released in the next.
 * @module
 */
import { injectable } from 'inversify';
import { asArray, type JsonValue } from '../../core/snapshot.js';

/** Directory of the simulated device files of modules. */
export const DEVICE_DIR = '/dev';

/** The module whose device file `path` is, if it has the `/dev/<name>` form. */
export function deviceModule(path: string): string | undefined {
  const m = /^\/dev\/([^/]+)$/.exec(path);
  return m === null ? undefined : m[1];
}

/** The open-file table. */
@injectable()
export class DeviceTable {
  private files = new Map<number, string | undefined>();

  /** Records an open file (of `module`, or of no module) under the lowest free descriptor ≥ 3. */
  open(module: string | undefined): number {
    let fd = 3;
    while (this.files.has(fd)) fd++;
    this.files.set(fd, module);
    return fd;
  }

  /** Whether `fd` is open. */
  has(fd: number): boolean {
    return this.files.has(fd);
  }

  /** Forgets `fd`; returns the module it held, if any. */
  close(fd: number): string | undefined {
    const m = this.files.get(fd);
    this.files.delete(fd);
    return m;
  }

  /** The most recently opened descriptor holding `module`. */
  lastOf(module: string): number | undefined {
    let found: number | undefined;
    for (const [fd, m] of this.files) if (m === module) found = fd;
    return found;
  }

  /** Empties the table. */
  reset(): void {
    this.files.clear();
  }

  /** The table as JSON. */
  snapshot(): JsonValue {
    return [...this.files].map(([fd, m]) => [fd, m ?? null]);
  }

  /** Restores {@link DeviceTable.snapshot}'s output. */
  restore(state: JsonValue): void {
    this.files.clear();
    for (const pair of asArray(state, 'devices')) {
      const [fd, m] = asArray(pair, 'device');
      this.files.set(Number(fd), m === null ? undefined : String(m));
    }
  }
}
