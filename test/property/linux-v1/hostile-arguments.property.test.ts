/**
 * Hostile arguments to every linux-v1 call — random names (long, empty, unterminated), sizes, codesizes with
 * stray high bits, routines and symbol tables of random bytes or with tampered headers, wild pointers — always
 * answer an errno the era can give, never an internal error, and a refused `create_module` leaves the kernel as
 * it was. `FUZZ_RUNS` overrides the run count (`npm run conform:long` uses 100k).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeSymbolTable } from '../../../src/personalities/linux-v1/linux-v1-sys.js';
import { create, digest, kernel, ROUTINES, v1 } from '../../unit/linux-v1/support.js';

const ERRNOS = new Set(['EPERM', 'EINVAL', 'E2BIG', 'EEXIST', 'ENOMEM', 'ENOENT', 'EFAULT', 'EBUSY']);

const pointerArb = fc.oneof(fc.constant(0), fc.constant(0x7000_0000), fc.nat(0xffffffff));
const nameArb = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.constantFrom('a', 'b', '', 'x'.repeat(63), 'x'.repeat(64)),
  pointerArb,
);
const tableArb = fc.oneof(
  fc.uint8Array({ maxLength: 96 }),
  fc
    .record({
      size: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
      n: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
      r: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
      pick: fc.nat(2),
    })
    .map(({ size, n, r, pick }) => {
      const t = encodeSymbolTable({ symbols: [{ addr: 1, name: 'sym' }], refs: [] });
      const dv = new DataView(t.buffer);
      if (pick === 0) dv.setInt32(0, size, true);
      if (pick === 1) dv.setInt32(4, n, true);
      if (pick === 2) dv.setInt32(8, r, true);
      return t;
    }),
  pointerArb,
  fc.constant(null),
);

describe('linux-v1 hostile arguments', () => {
  for (const version of ['1.2.13', '1.3.89', '2.0.40']) {
    it(`${version}: every call answers a documented errno and never an internal error`, () => {
      fc.assert(
        fc.property(
          fc.array(
            fc.oneof(
              fc.record({ call: fc.constant('create' as const), name: nameArb, size: fc.nat(0xffffffff) }),
              fc.record({
                call: fc.constant('init' as const),
                name: nameArb,
                code: fc.oneof(fc.uint8Array({ maxLength: 64 }), pointerArb),
                codesize: fc.nat(0xffffffff),
                routines: fc.oneof(fc.constant(ROUTINES), pointerArb),
                symtab: tableArb,
              }),
              fc.record({ call: fc.constant('delete' as const), name: fc.oneof(nameArb, fc.constant(null)) }),
              fc.record({ call: fc.constant('syms' as const), table: pointerArb }),
            ),
            { maxLength: 12 },
          ),
          (calls) => {
            const k = v1({ kernelVersion: version, memory: 8 * 1024 * 1024 });
            create(k, 'a', 3000);
            for (const c of calls) {
              const before = digest(k);
              let errno: string | undefined;
              if (c.call === 'create') errno = k.sys.create_module(c.name, c.size).errno;
              else if (c.call === 'init')
                errno = k.sys.init_module(c.name, c.code, c.codesize, c.routines, c.symtab).errno;
              else if (c.call === 'delete') errno = k.sys.delete_module(c.name).errno;
              else errno = k.sys.get_kernel_syms(c.table).errno;
              if (errno !== undefined) expect(ERRNOS.has(errno)).toBe(true);
              if (c.call === 'create' && errno !== undefined) expect(digest(k)).toBe(before);
            }
            expect(k.dmesg()).not.toContain('BUG:');
            for (const m of kernel(k).modules) expect(kernel(k).useWord(m)).toBeDefined();
          },
        ),
        { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
      );
    });
  }
});
