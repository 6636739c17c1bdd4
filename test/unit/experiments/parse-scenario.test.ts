import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/experiments/parse-scenario.js';
import { expectationFor } from '../../../src/experiments/scenario.js';

const GOOD = `
name: unload-while-used
personalities: [linux-v24, linux-v26]
kernel:
  release: 6.1.0-50-amd64
  linux-v26: { kernelVersion: "6.1", symvers: ./Module.symvers }
modules:
  base: { exports: [base_fn], params: { count: int } }
  user: { imports: [base_fn] }
files:
  /tmp/x.txt: { content: hello }
steps:
  - load: base
    params: "count=3"
  - unload: base
    expect: { default: EBUSY, linux-v26: EWOULDBLOCK, log: in use }
  - sys: delete_module
    args: { name: base, flags: [O_NONBLOCK] }
    on: [linux-v26]
    expect: EWOULDBLOCK
  - read: /proc/modules
    expect: { content: base }
`;

describe('parseScenario', () => {
  it('accepts the documented format and resolves expectations per personality', () => {
    const r = parseScenario(GOOD, '/scenarios');
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    const s = r.value;
    expect(s.personalities).toEqual(['linux-v24', 'linux-v26']);
    expect(s.steps.map((x) => x.action)).toEqual(['load', 'unload', 'sys', 'read']);
    expect(s.steps[0].params).toBe('count=3');
    expect(expectationFor(s.steps[1], 'linux-v24')).toBe('EBUSY');
    expect(expectationFor(s.steps[1], 'linux-v26')).toBe('EWOULDBLOCK');
    expect(s.steps[1].expect?.log).toBe('in use');
    expect(s.steps[2].on).toEqual(['linux-v26']);
    expect(s.steps[2].args).toEqual({ name: 'base', flags: ['O_NONBLOCK'] });
    expect(expectationFor(s.steps[0], 'linux-v26')).toBeUndefined();
    expect(s.files['/tmp/x.txt']).toEqual({ content: 'hello' });
  });

  it('reads JSON too and defaults to every personality', () => {
    const r = parseScenario('{"name":"j","steps":[{"list":{}}]}', '/');
    expect(r.ok && r.value.personalities).toEqual(['linux-v1', 'linux-v24', 'linux-v26', 'hpux-dlkm']);
  });

  it('reports every bad field with its path and line', () => {
    const bad = [
      'name: x',
      'personalities: [linux-v26, solaris]',
      'steps:',
      '  - load: a',
      '    expect: EBOGUS',
      '  - frob: 1',
      '  - unload: a',
      '    params: 3',
    ].join('\n');
    const r = parseScenario(bad, '/');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byPath = Object.fromEntries(r.error.map((i) => [i.path, i]));
    expect(byPath['personalities[1]']).toMatchObject({ line: 2 });
    expect(byPath['personalities[1]'].message).toContain('solaris');
    expect(byPath['steps[0].expect']).toMatchObject({ line: 5 });
    expect(byPath['steps[1].frob']).toMatchObject({ line: 6 });
    expect(byPath['steps[2].params']).toMatchObject({ line: 8 });
  });

  it('rejects syntax errors, missing steps, relative file paths and unknown spec references', () => {
    expect(parseScenario('name: [', '/')).toMatchObject({ ok: false });
    const r = parseScenario('name: x\nfiles:\n  rel/x: { module: nosuch }\nsteps: []', '/');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.map((i) => i.path).sort()).toEqual(['files.rel/x', 'files.rel/x.module', 'steps']);
  });
});
