/**
 * Ending the command as soon as its work is done. Left to itself, Node ends a process by tearing down its V8 heap
 * region by region; after a whole-tree load that is a few hundred munmaps, 20–50 ms on this project's bench
 * machine (docs/performance.md). Exiting at once is safe only when nothing is still under way, so the command
 * checks what is still open first.
 * @module
 */

/**
 * The kinds of open resource (`process.getActiveResourcesInfo()`) that a finished command may still have: its own
 * stdout and stderr (pipes or terminals) and handles already closing (the read-ahead thread's message port). Any
 * other — a child process, a timer, a pending file operation, a socket — is work that a fast exit would cut off.
 */
const IDLE_RESOURCES: ReadonlySet<string> = new Set(['PipeWrap', 'TTYWrap', 'CloseReq', 'MessagePort']);

/**
 * Whether the process may exit now: every open resource is one of the kinds above, and no output is still queued
 * (`writableLength` of stdout and stderr; asynchronous pipes and terminals, as on macOS, may hold some).
 */
export function idleEnoughToExit(resources: readonly string[], queuedOutputBytes: number): boolean {
  return queuedOutputBytes === 0 && resources.every((r) => IDLE_RESOURCES.has(r));
}

/** Exits with `code` now if {@link idleEnoughToExit} says so; otherwise sets it and lets Node end as usual. */
export function exitWhenIdle(code: number): void {
  process.exitCode = code;
  const queued = process.stdout.writableLength + process.stderr.writableLength;
  if (idleEnoughToExit(process.getActiveResourcesInfo(), queued)) process.exit(code);
}
