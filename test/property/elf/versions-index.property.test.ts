/**
 * `__versions` lookups by name against `check_version`'s own linear scan (the first entry whose name equals, as
 * `strcmp` compares): any mix of repeated, empty, unterminated and non-ASCII names, in both ELF classes, and
 * queries that are entry names, their prefixes or extensions, or anything else.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { SHT_PROGBITS } from '../../../src/abi/elf.js';
import { ElfFile } from '../../../src/elf/elf-file.js';
import { MODVERSION_INFO_SIZE, readVersions } from '../../../src/elf/versions.js';
import { buildTinyElf } from '../../unit/elf/fixtures/tiny-elf.js';

/** A name field's bytes: a short pool of names so that repeats are common. */
const nameBytes = fc.oneof(
  fc
    .constantFrom('module_layout', 'printk', 'kfree', '', 'caf\u00e9', 'kmalloc_caches')
    .map((s) => Buffer.from(s)),
  fc.uint8Array({ minLength: 0, maxLength: 60 }),
);

describe('ModuleVersions.indexOf', () => {
  test.prop([
    fc.boolean(),
    fc.array(fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), nameBytes), { maxLength: 40 }),
    fc.array(
      fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('module_layout', 'printk', 'caf\u00e9', '')),
      {
        maxLength: 10,
      },
    ),
  ])('finds what a scan from the first entry finds', (is64, entries, extra) => {
    const field = is64 ? 56 : 60;
    const data = new Uint8Array(entries.length * MODVERSION_INFO_SIZE);
    const v = new DataView(data.buffer);
    entries.forEach(([crc, name], i) => {
      v.setUint32(i * MODVERSION_INFO_SIZE, crc, true);
      data.set(name.subarray(0, field), i * MODVERSION_INFO_SIZE + MODVERSION_INFO_SIZE - field);
    });
    const f = ElfFile.parse(
      buildTinyElf({ is64, sections: [{ name: '__versions', type: SHT_PROGBITS, data }] }),
    );
    if (!f.ok) throw new Error(f.error.message);
    const r = readVersions(f.value);
    if (!r.ok || r.value === undefined) throw new Error('no versions');
    const vers = r.value;
    const names = vers.entries.map((e) => e.name);
    const queries = [...names, ...names.map((n) => n.slice(0, -1)), ...names.map((n) => `${n}x`), ...extra];
    for (const q of queries) {
      expect(vers.indexOf(q), JSON.stringify(q)).toBe(names.indexOf(q));
      expect(vers.find(q)?.crc).toBe(names.indexOf(q) < 0 ? undefined : entries[names.indexOf(q)][0]);
    }
  });
});
