/**
 * No JavaScript exception escapes `modload` on a damaged object, and whatever the outcome the kernel stays
 * consistent: a failed load changes nothing; a successful one can be unloaded back to the initial state.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDlkmObject as buildSharedDlkm } from '../../../src/elf/builder/dlkm-object-builder.js';
import { arbMutatedImage } from '../../support/arb-mutations.js';
import { buildDlkmObject } from './support/dlkm-object.js';
import { hpux } from './support/kernel.js';

const BASE = buildDlkmObject({
  name: 'fz',
  imports: ['printf', 'kmalloc'],
  exports: ['fz_entry'],
  bss: 64,
  desc: 'fuzz target',
  behaviour: { init: [{ log: 'fz loaded' }] },
});

const mutation = fc.oneof(
  fc.record({
    kind: fc.constant('flip' as const),
    at: fc.nat(BASE.length - 1),
    value: fc.integer({ min: 0, max: 255 }),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(BASE.length) }),
  fc.record({
    kind: fc.constant('word' as const),
    // the ELF header and the section header table hold the fields that steer the reader
    at: fc.oneof(fc.nat(56), fc.integer({ min: BASE.length - 64 * 11, max: BASE.length - 8 })),
    value: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(bytes: Uint8Array, ms: readonly Mutation[]): Uint8Array {
  let out = new Uint8Array(bytes);
  for (const m of ms) {
    if (m.kind === 'flip') out[m.at % out.length] = m.value;
    else if (m.kind === 'truncate') out = out.slice(0, Math.min(m.at, out.length));
    else if (m.at + 8 <= out.length) new DataView(out.buffer).setBigUint64(m.at, m.value, false);
  }
  return out;
}

function state(k: ReturnType<typeof hpux>): string {
  return JSON.stringify({
    modules: k.core.modules.list().map((m) => m.name),
    free: k.core.memory.freeList(),
    symbols: k.core.symbols.size,
    list: k.sys.list().map((s) => [s.id, s.base.toString()]),
  });
}

describe('modload on damaged objects', () => {
  it('never throws and never leaves a partial load behind', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (ms) => {
        const k = hpux({ registeredModules: ['fz'] });
        k.vfs.writeFile('/usr/conf/mod/fz', mutate(BASE, ms));
        const before = state(k);
        const r = k.sys.modload('fz');
        if (r.errno !== undefined) {
          expect(r.ret).toBe(-1);
          expect(state(k)).toBe(before);
        } else if (k.core.modules.get('fz')?.extra.permanent === true) {
          // a damaged mw_unload pointer can read as NULL: a module that can never be unloaded
          expect(k.sys.moduload(Number(r.ret)).errno).toBe('EBUSY');
        } else {
          expect(k.sys.moduload(Number(r.ret)).ret).toBe(0);
          expect(state(k)).toBe(before);
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('modload on structure-aware mutations of a shared-builder object', () => {
  const base = buildSharedDlkm({
    name: 'fz',
    exports: ['fz_entry'],
    imports: ['printf', { name: 'kmalloc', kind: 'data' }],
    sizes: { bss: 64 },
    behaviour: { init: [{ log: 'fz loaded' }] },
  });

  it('never throws and never leaves a partial load behind', () => {
    fc.assert(
      fc.property(arbMutatedImage(base, { maxMutations: 4 }), ({ image }) => {
        const k = hpux({ registeredModules: ['fz'] });
        k.vfs.writeFile('/usr/conf/mod/fz', image);
        const before = state(k);
        const r = k.sys.modload('fz');
        if (r.errno !== undefined) {
          expect(r.ret).toBe(-1);
          expect(state(k)).toBe(before);
        } else if (k.core.modules.get('fz')?.extra.permanent !== true) {
          expect(k.sys.moduload(Number(r.ret)).ret).toBe(0);
          expect(state(k)).toBe(before);
        }
      }),
      { numRuns: 300 },
    );
  });
});
