import type { KernelError } from './kernel-error.js';
import { OK_VOID, type Result } from './result.js';

/** Inverse actions registered by steps, run newest first when a later step fails (the kernel's goto ladder). */
export class UndoStack {
  private actions: { name: string; undo: () => void }[] = [];

  /** Registers the inverse of something just acquired. */
  push(name: string, undo: () => void): void {
    this.actions.push({ name, undo });
  }

  /** Runs every inverse, newest first, and empties the stack. Returns the names run, in order. */
  unwind(): string[] {
    const ran: string[] = [];
    for (let a = this.actions.pop(); a !== undefined; a = this.actions.pop()) {
      a.undo();
      ran.push(a.name);
    }
    return ran;
  }

  /** Forgets every inverse (success: the acquisitions now belong to the loaded module). */
  commit(): void {
    this.actions = [];
  }

  /** Number of pending inverses. */
  get depth(): number {
    return this.actions.length;
  }
}

/** One named step of a load pipeline, named after the kernel function it mirrors. */
export interface Step<C> {
  /** Kernel function name in camelCase (`moduleSigCheck`). */
  readonly name: string;
  /** Does the work; pushes the inverse of anything it acquires onto `undo` at once. */
  run(ctx: C, undo: UndoStack): Result<void>;
}

/** What a pipeline run reports besides its result. */
export interface PipelineTrace {
  /** Names of the steps that ran, in order (the failing one last). */
  readonly steps: string[];
  /** Names of the undo actions run after a failure, in order. */
  readonly undone: string[];
}

/**
 * Runs `steps` in order over `ctx`. On the first failure every inverse pushed so far runs, newest first, so the
 * kernel is back in its state before the call; the error carries the failing step's name.
 */
export function runPipeline<C>(
  ctx: C,
  steps: readonly Step<C>[],
  trace: PipelineTrace = { steps: [], undone: [] },
): Result<void> {
  const undo = new UndoStack();
  for (const step of steps) {
    trace.steps.push(step.name);
    const r = step.run(ctx, undo);
    if (!r.ok) {
      trace.undone.push(...undo.unwind());
      const error: KernelError = r.error.step === undefined ? { ...r.error, step: step.name } : r.error;
      return { ok: false, error };
    }
  }
  undo.commit();
  return OK_VOID;
}

/** Builds a {@link Step} from a name and a function. */
export function step<C>(name: string, run: (ctx: C, undo: UndoStack) => Result<void>): Step<C> {
  return { name, run };
}
