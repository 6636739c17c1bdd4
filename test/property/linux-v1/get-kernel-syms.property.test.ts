/**
 * Properties of `get_kernel_syms` over random histories of the era's tools (insmod with and without -k, rmmod,
 * rmmod -a, device use) on builder-made modules that use each other's exports:
 * - with every listed module running, the NULL count equals the number of entries the call writes;
 * - with modules created but not initialised, the count exceeds the entries written by exactly what those
 *   modules would contribute (the 1.x quirk);
 * - every `#name` entry precedes that module's symbols, modules newest first, the kernel's `#` last among them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KERNEL_SYM_V1, MOD_RUNNING } from '../../../src/abi/linux/v1.js';
import { decodeKernelSyms } from '../../../src/personalities/linux-v1/linux-v1-sys.js';
import type { NeutralModuleSpec } from '../../../src/personalities/personality.js';
import { kernel, stage, v1 } from '../../unit/linux-v1/support.js';

const SPECS: NeutralModuleSpec[] = [
  { name: 'm0', exports: ['s0a', 's0b'] },
  { name: 'm1', exports: ['s1'], imports: ['s0a'] },
  { name: 'm2', imports: ['s1', 's0b'] },
  { name: 'm3', exports: ['s3'] },
];

type Op =
  | { kind: 'insmod'; m: number; autoclean: boolean }
  | { kind: 'rmmod'; m: number }
  | { kind: 'reap' }
  | { kind: 'use'; m: number }
  | { kind: 'unuse'; m: number }
  | { kind: 'create'; name: string };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('insmod' as const), m: fc.nat(3), autoclean: fc.boolean() }),
  fc.record({ kind: fc.constant('rmmod' as const), m: fc.nat(3) }),
  fc.record({ kind: fc.constant('reap' as const) }),
  fc.record({ kind: fc.constant('use' as const), m: fc.nat(3) }),
  fc.record({ kind: fc.constant('unuse' as const), m: fc.nat(3) }),
  fc.record({ kind: fc.constant('create' as const), name: fc.constantFrom('c0', 'c1') }),
);

/** The entries the call wrote (the buffer is pre-filled with a pattern no entry can have). */
function written(k: ReturnType<typeof v1>): { count: number; entries: { value: number; name: string }[] } {
  const count = Number(k.sys.get_kernel_syms(null).ret);
  const table = k.core.user.map(new Uint8Array(count * KERNEL_SYM_V1.size).fill(0xff));
  const ret = Number(k.sys.get_kernel_syms(table).ret);
  expect(ret).toBe(count);
  const bytes = k.core.user.read(table, count * KERNEL_SYM_V1.size);
  k.core.user.unmap(table);
  if (!bytes.ok) throw new Error('unmapped');
  let n = 0;
  while (n < count && bytes.value[n * KERNEL_SYM_V1.size + KERNEL_SYM_V1.name] !== 0xff) n++;
  return { count, entries: decodeKernelSyms(bytes.value, n) };
}

describe('linux-v1 get_kernel_syms properties', () => {
  for (const version of ['1.2.13', '2.0.40']) {
    it(`${version}: count vs entries written, and #name entries before their symbols`, () => {
      fc.assert(
        fc.property(fc.array(opArb, { maxLength: 14 }), (ops) => {
          const k = v1({ kernelVersion: version });
          const paths = SPECS.map((s) => stage(k, s));
          for (const op of ops) {
            if (op.kind === 'insmod') k.run('insmod', op.autoclean ? ['-k', paths[op.m]] : [paths[op.m]]);
            else if (op.kind === 'rmmod') k.run('rmmod', [SPECS[op.m].name]);
            else if (op.kind === 'reap') k.run('rmmod', ['-a']);
            else if (op.kind === 'use') k.actions.use(SPECS[op.m].name);
            else if (op.kind === 'unuse') k.actions.unuse(SPECS[op.m].name);
            else k.sys.create_module(op.name, 100);
          }
          const kk = kernel(k);
          const { count, entries } = written(k);
          const skipped = kk
            .list()
            .filter((m) => m.state !== MOD_RUNNING)
            .reduce((n, m) => n + (m.symtab?.symbols.length ? m.symtab.symbols.length + 1 : 1), 0);
          expect(entries.length).toBe(count - skipped);
          if (kk.list().every((m) => m.state === MOD_RUNNING)) expect(entries.length).toBe(count);
          // Each running module: its #name entry, then exactly its own symbols, in list order.
          const running = kk.modules.filter((m) => m.state === MOD_RUNNING);
          let at = 0;
          for (const m of running) {
            expect(entries[at]).toEqual({ value: m.struct, name: `#${m.name}` });
            const own = (m.symtab?.symbols ?? []).map((s) => s.name.slice(0, 60));
            expect(entries.slice(at + 1, at + 1 + own.length).map((e) => e.name)).toEqual(own);
            at += 1 + own.length;
          }
          expect(entries[at]?.name).toBe('#');
        }),
        { numRuns: 60 },
      );
    });
  }
});
