/**
 * The behaviour section's JSON (fixed key order, strict parsing) and specs from JSON (unknown keys refused,
 * builder rules applied), plus readModuleSpec on images the builder did not write.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  behaviourFromJson,
  parseBehaviourSpec,
  serializeBehaviour,
} from '../../../../src/elf/builder/behaviour-spec.js';
import { buildKo } from '../../../../src/elf/builder/ko-builder.js';
import { moduleSpecFromJson } from '../../../../src/elf/builder/module-spec-json.js';
import { readModuleSpec } from '../../../../src/elf/builder/read-module-spec.js';
import { arbBehaviour } from '../../../support/arb-module-spec.js';

describe('behaviour JSON', () => {
  it('writes keys in a fixed order whatever order the object has', () => {
    expect(
      serializeBehaviour({ cleanup: [{ level: 3, log: 'x' } as never], init: [{ return: 'EBUSY' }] }),
    ).toBe('{"init":[{"return":"EBUSY"}],"cleanup":[{"log":"x","level":3}]}');
    expect(serializeBehaviour({})).toBe('{}');
  });

  it('parses what it serializes (property)', () => {
    fc.assert(
      fc.property(arbBehaviour, (b) => {
        const back = parseBehaviourSpec(serializeBehaviour(b));
        expect(back).toEqual({ ok: true, value: b });
      }),
    );
  });

  it('refuses malformed behaviours with the place of the fault', () => {
    const bad: [unknown, RegExp][] = [
      [[], /object/],
      [{ init: {} }, /init must be an array/],
      [{ init: [{ return: 1 }] }, /init\[0\].*neither 0 nor an errno/],
      [{ cleanup: [{ log: 'x', level: 8 }] }, /cleanup\[0\].*0-7/],
      [{ init: [{ get: '' }] }, /get action/],
      [{ init: [{ get: 'a', put: 'b' }] }, /get action/],
      [{ init: [{ block: false }] }, /block must be true/],
      [{ init: [{ jump: 'x' }] }, /unknown action/],
      [{ exit: [] }, /unknown key "exit"/],
    ];
    for (const [raw, message] of bad) {
      const r = behaviourFromJson(raw);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatch(message);
    }
    expect(parseBehaviourSpec('{').ok).toBe(false);
    expect(parseBehaviourSpec('{"init":[{"return":0}]}\0\0')).toEqual({
      ok: true,
      value: { init: [{ return: 0 }] },
    });
  });
});

describe('moduleSpecFromJson', () => {
  it('accepts the JSON form of a spec', () => {
    const json = JSON.parse(
      '{"name":"m","imports":["a",{"name":"b","kind":"data","module":"x"}],"exports":[{"name":"c","gpl":true}],' +
        '"params":[{"name":"p","type":"int","default":1}],"sizes":{"bss":10},"dlkm":{"type":"misc"},' +
        '"extraModinfo":[["alias","q"]],"behaviour":{"init":[{"return":"ENODEV"}]}}',
    );
    const r = moduleSpecFromJson(json);
    expect(r.ok).toBe(true);
    if (r.ok) expect(() => buildKo(r.value)).not.toThrow();
  });

  it('refuses unknown keys and invalid fields, naming them', () => {
    const bad: [unknown, RegExp][] = [
      [null, /object/],
      [{ name: 'm', licence: 'GPL' }, /unknown key "licence"/],
      [
        { name: 'm', params: [{ name: 'p', type: 'int', defualt: 1 }] },
        /params\[0\] has an unknown key "defualt"/,
      ],
      [{ name: 'm', imports: [{ name: 'a', modul: 'x' }] }, /imports\[0\] has an unknown key/],
      [{ name: 'm', exports: [3] }, /exports\[0\]/],
      [{ name: 'm', dlkm: { rev: 10 } }, /dlkm has an unknown key "rev"/],
      [{ name: 'm', sizes: { txt: 1 } }, /sizes has an unknown key/],
      [{ name: 'm', extraModinfo: [['a']] }, /extraModinfo/],
      [{ name: 'm', params: [{ name: 'p', type: 'float' }] }, /type must be one of/],
      [{ name: '' }, /name/],
    ];
    for (const [raw, message] of bad) {
      const r = moduleSpecFromJson(raw);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatch(message);
    }
  });
});

describe('readModuleSpec on foreign input', () => {
  it('returns an error value for non-ELF, other machines and damaged images, never throwing', () => {
    expect(readModuleSpec(new Uint8Array(10)).ok).toBe(false);
    const ko = buildKo({ name: 'm', params: [{ name: 'p', type: 'int' }] });
    const other = ko.slice();
    other[18] = 40; // e_machine = EM_ARM
    const r = readModuleSpec(other);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/e_machine 40/);
    fc.assert(
      fc.property(fc.nat(ko.length - 1), fc.integer({ min: 1, max: 255 }), (at, x) => {
        const m = ko.slice();
        m[at] ^= x;
        expect(() => readModuleSpec(m)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
