/**
 * The V8 options the `kmodsim` command sets for itself before any of its code is hot (docs/performance.md,
 * Method). Programs that import the library run with their own settings.
 * @module
 */

/** Each option the command sets (without `--`) and the setting it uses. */
export const V8_SETTINGS: readonly (readonly [option: string, setting: string])[] = [
  // TurboFan inlines callees of up to 460 bytes of bytecode by default; the loader's many mid-sized functions
  // then make large graphs, ~0.8 s of compile time over a whole-tree load. At 100 the small helpers are still
  // inlined and a load takes ~0.3 s less CPU.
  ['max-inlined-bytecode-size', '--max-inlined-bytecode-size=100'],
  // Young-generation collections are shared out to helper threads by default. Beside the busy read-ahead thread
  // on a two-core machine the main thread then waits for helpers that get no core; the collections find few
  // survivors, and one thread does them at once: a whole-tree load takes ~0.15 s and ~0.3 s of CPU less.
  ['parallel-scavenge', '--no-parallel-scavenge'],
];

/** The settings to apply given node's own flags (`process.execArgv`): a flag naming an option wins over ours. */
export function v8Settings(execArgv: readonly string[]): string[] {
  return V8_SETTINGS.filter(([option]) => {
    // V8 reads `_` and `-` in option names alike.
    const names = (a: string) => {
      const flag = a.replaceAll('_', '-');
      return flag === `--${option}` || flag === `--no-${option}` || flag.startsWith(`--${option}=`);
    };
    return !execArgv.some(names);
  }).map(([, setting]) => setting);
}
