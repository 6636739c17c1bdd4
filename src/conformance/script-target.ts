import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { createKernel } from '../kernel.js';
import type { NeutralModuleSpec, PersonalityId } from '../personalities/personality.js';
import {
  type ConformanceOp,
  type KernelSettings,
  type Observation,
  type OpOutcome,
  opToLine,
  parseOutcome,
  type Target,
} from './target.js';

/**
 * A {@link Target} behind a line protocol, so a suite can check any implementation — a real kernel in a VM, a
 * user's own loader — through a small runner program started once with `sh -c COMMAND`.
 *
 * Protocol (one request line on the runner's stdin, one answer line on its stdout):
 * - `reset` followed by one `module NAME PATH` line per module and an `end` line → `ok`
 *   (PATH is an image built for the personality: `.ko`, `.o` or DLKM object)
 * - `load NAME [PARAMS]`, `unload NAME`, `use NAME`, `unuse NAME`, `privileged on|off`, `disable-modules`,
 *   `sysctl NAME VALUE`, `cred {JSON}`, `sys CALL {JSON args}`, `stage PATH BASE64` → `ok` or an errno name
 *   (`EBUSY`); see {@link opToLine} and docs/conformance.md for each form
 * - `observe` → one JSON line: `{"modules":[{"name","refcount","holders"}],"listed":[...],
 *   "allocationOwners":[...],"moduleSymbols":[...],"kernelSymbolsIntact":true}`
 * - `quit` → the runner exits.
 */
export class ScriptTarget implements Target {
  private child: ChildProcessWithoutNullStreams | undefined;
  private lines: Interface | undefined;
  private pending: ((line: string) => void)[] = [];
  private buffered: string[] = [];
  private readonly dir = mkdtempSync(join(tmpdir(), 'kmodsim-script-'));

  constructor(
    /** The contract to check. */
    readonly personality: PersonalityId,
    private readonly command: string,
  ) {}

  private start(): void {
    if (this.child !== undefined) return;
    const child = spawn('sh', ['-c', this.command], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    this.lines = createInterface({ input: child.stdout });
    this.lines.on('line', (line) => {
      const waiter = this.pending.shift();
      if (waiter) waiter(line);
      else this.buffered.push(line);
    });
  }

  private request(line: string): Promise<string> {
    this.start();
    this.child?.stdin.write(`${line}\n`);
    return this.answer();
  }

  private answer(): Promise<string> {
    const ready = this.buffered.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`script target: no answer from '${this.command}'`)),
        30_000,
      );
      this.pending.push((l) => {
        clearTimeout(timer);
        resolve(l);
      });
    });
  }

  /** A real system cannot be reconfigured between cases: cases that need a configuration are skipped. */
  readonly configurable = false;

  /**
   * Starts from a fresh script run with these modules available: each is built with kmodsim's builder into a
   * temporary folder and the paths are handed over.
   */
  async reset(modules: readonly NeutralModuleSpec[], _config?: KernelSettings): Promise<void> {
    const builder = createKernel({ personality: this.personality });
    this.start();
    const out: string[] = ['reset'];
    for (const spec of modules) {
      const image = builder.buildImage(spec);
      if (!image.ok) throw new Error(`cannot build ${spec.name}: ${image.error}`);
      const path = join(this.dir, spec.name);
      writeFileSync(path, image.value);
      out.push(`module ${spec.name} ${path}`);
    }
    out.push('end');
    this.child?.stdin.write(`${out.join('\n')}\n`);
    const a = await this.answer();
    if (a !== 'ok') throw new Error(`script target: reset answered '${a}'`);
  }

  /** @inheritDoc */
  async exec(op: ConformanceOp): Promise<OpOutcome> {
    const a = await this.request(opToLine(op));
    const outcome = parseOutcome(a);
    if (outcome !== undefined) return outcome;
    throw new Error(`script target: '${opToLine(op)}' answered '${a}' (expected ok or an errno name)`);
  }

  /** @inheritDoc */
  async observe(): Promise<Observation> {
    const a = await this.request('observe');
    try {
      return JSON.parse(a) as Observation;
    } catch {
      throw new Error(`script target: observe answered non-JSON '${a.slice(0, 80)}'`);
    }
  }

  /** @inheritDoc */
  async close(): Promise<void> {
    if (this.child === undefined) return;
    this.child.stdin.end('quit\n');
    this.lines?.close();
    this.child = undefined;
  }
}
