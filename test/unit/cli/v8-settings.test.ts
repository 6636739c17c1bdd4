/** v8Settings: the V8 options the command sets for itself, unless node's own flags name them. */
import { describe, expect, it } from 'vitest';
import { v8Settings } from '../../../src/cli/v8-settings.js';

describe('v8Settings', () => {
  it('sets the inlining limit and single-threaded young-generation collection by default', () => {
    expect(v8Settings([])).toEqual(['--max-inlined-bytecode-size=100', '--no-parallel-scavenge']);
    expect(v8Settings(['--enable-source-maps', '--max-old-space-size=4096'])).toEqual([
      '--max-inlined-bytecode-size=100',
      '--no-parallel-scavenge',
    ]);
  });

  it('leaves an option a node flag names, in either spelling, on or off', () => {
    expect(v8Settings(['--max-inlined-bytecode-size=460'])).toEqual(['--no-parallel-scavenge']);
    expect(v8Settings(['--max_inlined_bytecode_size=460'])).toEqual(['--no-parallel-scavenge']);
    expect(v8Settings(['--parallel-scavenge'])).toEqual(['--max-inlined-bytecode-size=100']);
    expect(v8Settings(['--no-parallel_scavenge'])).toEqual(['--max-inlined-bytecode-size=100']);
    expect(v8Settings(['--parallel-scavenge', '--max-inlined-bytecode-size=50'])).toEqual([]);
    // A longer option that merely starts with the name is another option.
    expect(v8Settings(['--parallel-scavenge-task-trace'])).toEqual([
      '--max-inlined-bytecode-size=100',
      '--no-parallel-scavenge',
    ]);
  });
});
