import { injectable } from 'inversify';
import { asArray, asObject, type JsonValue, type Snapshottable } from './snapshot.js';

/** printk levels. Source: include/linux/kern_levels.h. */
export const LOG_LEVELS = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const;

/** A printk level name (`KERN_ERR` → `'err'`). */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** One kernel log line. */
export interface LogLine {
  /** Sequence number, from 0 at boot; never reused. */
  readonly seq: number;
  /** printk level. */
  readonly level: LogLevel;
  /** The text, without trailing newline. */
  readonly text: string;
}

/**
 * The simulated kernel ring buffer (dmesg). Every expected failure's reason lands here, at the level the real
 * kernel prints it.
 */
@injectable()
export class KernelLog implements Snapshottable {
  private entries: LogLine[] = [];
  private nextSeq = 0;

  /** Appends a line (`printk`). Multi-line text is split so each line keeps its level. */
  log(level: LogLevel, text: string): void {
    for (const line of text.split('\n')) this.entries.push({ seq: this.nextSeq++, level, text: line });
  }

  /** `pr_err`. */
  err(text: string): void {
    this.log('err', text);
  }

  /** `pr_warn`. */
  warn(text: string): void {
    this.log('warning', text);
  }

  /** `pr_notice`. */
  notice(text: string): void {
    this.log('notice', text);
  }

  /** `pr_info`. */
  info(text: string): void {
    this.log('info', text);
  }

  /** `pr_debug`. */
  debug(text: string): void {
    this.log('debug', text);
  }

  /** All lines, optionally only those with `seq >= since`. */
  lines(since = 0): readonly LogLine[] {
    if (since <= 0) return this.entries;
    const first = this.entries.findIndex((l) => l.seq >= since);
    return first < 0 ? [] : this.entries.slice(first);
  }

  /** The sequence number the next line will get: a cursor for "lines logged by this call". */
  get cursor(): number {
    return this.nextSeq;
  }

  /** The buffer as `dmesg` prints it (one line per entry). */
  dmesg(since = 0): string {
    return this.lines(since)
      .map((l) => `${l.text}\n`)
      .join('');
  }

  /** `dmesg -C`. */
  clear(): void {
    this.entries = [];
  }

  /** @inheritDoc */
  snapshot(): JsonValue {
    return { nextSeq: this.nextSeq, entries: this.entries.map((l) => [l.seq, l.level, l.text]) };
  }

  /** @inheritDoc */
  restore(state: JsonValue): void {
    const o = asObject(state, 'log');
    this.nextSeq = Number(o.nextSeq);
    this.entries = asArray(o.entries, 'log.entries').map((e) => {
      const [seq, level, text] = asArray(e, 'log entry');
      return { seq: Number(seq), level: level as LogLevel, text: String(text) };
    });
  }
}
