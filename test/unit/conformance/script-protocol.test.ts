/** The script target's text op list: every op writes as one line and reads back as the same op. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ConformanceOp, lineToOp, opToLine, parseOutcome } from '../../../src/conformance/target.js';

const word = fc.stringMatching(/^[A-Za-z0-9_./-]{1,20}$/);
const json: fc.Arbitrary<{ [k: string]: string | number | boolean | null | string[] }> = fc.dictionary(
  fc.string({ maxLength: 8 }),
  fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  ),
  { maxKeys: 4 },
);
const arbOp: fc.Arbitrary<ConformanceOp> = fc.oneof(
  fc.record({ op: fc.constant('load' as const), module: word }),
  fc.record({ op: fc.constant('load' as const), module: word, params: fc.stringMatching(/^[^\n\r]+$/) }),
  fc.record({ op: fc.constantFrom('unload' as const, 'use' as const, 'unuse' as const), module: word }),
  fc.record({ op: fc.constant('privileged' as const), on: fc.boolean() }),
  fc.constant({ op: 'disable-modules' as const }),
  fc.record({ op: fc.constant('sysctl' as const), name: word, value: fc.integer() }),
  fc.record({ op: fc.constant('cred' as const), cred: json }),
  fc.record({ op: fc.constant('sys' as const), call: word, args: json }),
  fc.record({ op: fc.constant('stage' as const), path: word, bytes: fc.uint8Array({ maxLength: 64 }) }),
);

describe('script protocol op list', () => {
  it('round-trips every op through one line', () => {
    fc.assert(
      fc.property(arbOp, (op) => {
        const line = opToLine(op);
        expect(line).not.toMatch(/[\n\r]/);
        expect(lineToOp(line)).toEqual(op);
      }),
      { numRuns: 500 },
    );
  });

  it('reads the documented forms', () => {
    expect(lineToOp('load cf_solo level=3 x=a b')).toEqual({
      op: 'load',
      module: 'cf_solo',
      params: 'level=3 x=a b',
    });
    expect(lineToOp('sys delete_module {"name":"cf_base","flags":["O_NONBLOCK"]}')).toEqual({
      op: 'sys',
      call: 'delete_module',
      args: { name: 'cf_base', flags: ['O_NONBLOCK'] },
    });
    expect(lineToOp('stage /tmp/x AAEC')).toEqual({
      op: 'stage',
      path: '/tmp/x',
      bytes: new Uint8Array([0, 1, 2]),
    });
    for (const bad of ['', 'frob x', 'privileged maybe', 'sys init_module [1]', 'sysctl a b', 'unload'])
      expect(lineToOp(bad)).toBeUndefined();
    expect(parseOutcome('EWOULDBLOCK\n')).toBe('EWOULDBLOCK');
    expect(parseOutcome('ok')).toBe('ok');
    expect(parseOutcome('EBOGUS')).toBeUndefined();
  });
});
