import { describe, expect, it } from 'vitest';
import { compare, formatComparison, parseScenario, runScenario, SYS_FORMS } from '../../../src/index.js';

describe('experiments through the library', () => {
  it('runs a scenario and compares it without the CLI', () => {
    const parsed = parseScenario(
      [
        'name: lib',
        'personalities: [linux-v24, linux-v26, hpux-dlkm]',
        'modules:',
        '  base: { exports: [base_fn] }',
        'steps:',
        '  - load: base',
        '  - load: base',
        '    expect: { default: EEXIST, hpux-dlkm: ok }',
      ].join('\n'),
      '/',
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
    const result = runScenario(parsed.value);
    expect(result.pass).toBe(true);
    expect(result.results.map((r) => `${r.step} ${r.personality} ${r.result}`)).toEqual([
      '0 linux-v24 ok',
      '0 linux-v26 ok',
      '0 hpux-dlkm ok',
      '1 linux-v24 EEXIST',
      '1 linux-v26 EEXIST',
      '1 hpux-dlkm ok',
    ]);
    expect(result.kernels.get('linux-v26')?.core.modules.has('base')).toBe(true);
    const cmp = compare(result);
    expect(cmp.rows.map((r) => r.differs)).toEqual([false, true]);
    expect(formatComparison(cmp, 'md')).toContain('| 2 | * load base | EEXIST | EEXIST | ok |');
  });

  it('documents a sys form for every module syscall of every implemented personality', () => {
    expect(Object.keys(SYS_FORMS['linux-v26']).sort()).toEqual(
      ['close', 'delete_module', 'finit_module', 'init_module', 'open'].sort(),
    );
    expect(Object.keys(SYS_FORMS['hpux-dlkm'])).toEqual(
      expect.arrayContaining(['modload', 'moduload', 'modstat', 'modpath']),
    );
    expect(Object.keys(SYS_FORMS['linux-v24'])).toEqual(
      expect.arrayContaining([
        'create_module',
        'init_module',
        'delete_module',
        'query_module',
        'get_kernel_syms',
      ]),
    );
  });
});
