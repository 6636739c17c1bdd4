/**
 * Hostile images: mutations of a module (truncation, byte flips, header, section, symbol and relocation fields)
 * never make a syscall throw, and a refused load leaves the module area, symbols, module list and /sys as they
 * were; an accepted one unloads back to the initial state.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildKo } from '../../../src/elf/builder/ko-builder.js';
import { createKernel, type Kernel } from '../../../src/kernel.js';
import { arbMutatedImage } from '../../support/arb-mutations.js';

const BASE = buildKo({
  name: 'victim',
  license: 'GPL',
  exports: ['victim_fn', { name: 'victim_gpl', gpl: true }],
  imports: ['_printk', { name: 'kfree', kind: 'data' }],
  params: [
    { name: 'count', type: 'int', default: 1 },
    { name: 'names', type: 'charp', array: 4 },
    { name: 'label', type: 'string', maxlen: 16 },
  ],
});

function state(k: Kernel): string {
  return JSON.stringify({
    area: k.core.memory.freeList(),
    symbols: k.core.symbols.size,
    modules: k.core.modules.list().map((m) => [m.name, m.state, m.refcount]),
    proc: k.read('/proc/modules'),
    sys: k.core.vfs.readdir('/sys/module'),
  });
}

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

describe('linux-v26: mutated images', () => {
  it('the base image loads and unloads', () => {
    const k = createKernel({ personality: 'linux-v26' });
    expect(k.sys.init_module(BASE, undefined, 'count=5 names=a,b label=x').ret).toBe(0);
    expect(k.read('/sys/module/victim/parameters/names')).toBe('a,b\n');
    expect(k.sys.delete_module('victim').ret).toBe(0);
  });

  it('never throws and never leaves a half-loaded module', () => {
    // forceUnload: a mutation can drop the exit pointer, making the module permanent (rmmod -f removes it).
    fc.assert(
      fc.property(arbMutatedImage(BASE), ({ image, mutations }) => {
        const k = createKernel({ personality: 'linux-v26', config: { forceUnload: true } });
        const initial = state(k);
        const cursor = k.core.log.cursor;
        const r = k.sys.init_module(image, undefined, 'count=2');
        const bugs = k.core.log.lines(cursor).filter((l) => l.level === 'crit');
        let unload: string | undefined;
        if (r.ret === 0) {
          // Module names are bytes: pass the name back as the bytes the kernel holds.
          const name = Buffer.from(`${k.core.modules.list()[0]?.name ?? ''}\0`, 'latin1');
          unload = k.sys.delete_module(k.core.user.map(name), 'O_NONBLOCK|O_TRUNC').errno;
        }
        const after = state(k);
        if (bugs.length > 0 || unload !== undefined || after !== initial) {
          const why = JSON.stringify(mutations, (_, v) =>
            typeof v === 'bigint' ? `0x${v.toString(16)}` : v,
          );
          const log = k.core.log
            .lines(cursor)
            .map((l) => l.text)
            .join(' | ');
          expect.fail(
            `${why}: load ${r.errno ?? 'ok'}, unload ${unload ?? 'ok'}; ${log}; ${after.slice(0, 200)}`,
          );
        }
      }),
      { numRuns: RUNS },
    );
  });
});
