/**
 * fast-check arbitraries of {@link ModuleSpec}s the builder accepts for a given format: random names, licences,
 * exports (plain/GPL/namespaced), imports (call/data, with modules and namespaces), parameters of every type
 * the format can express (arrays, strings, defaults, permissions), dependencies, behaviours, CRC sources,
 * sizes and DLKM fields.
 */
import fc from 'fast-check';
import { MODULE_TYPES } from '../../src/abi/hpux/dlkm.js';
import type { BehaviourActionSpec, BehaviourSpec } from '../../src/elf/builder/behaviour-spec.js';
import type { BuildTarget } from '../../src/elf/builder/build-target.js';
import {
  type ModuleSpec,
  PARAM_TYPES,
  type ParamSpec,
  type ParamType,
  type ParamValue,
} from '../../src/elf/builder/module-spec.js';
import {
  integerRange,
  isReservedSymbol,
  resolveModuleSpec,
} from '../../src/elf/builder/resolve-module-spec.js';
import { defaultSymbolCrc } from '../../src/elf/builder/symbol-crc.js';

const chars = (from: string, to: string) =>
  Array.from({ length: to.charCodeAt(0) - from.charCodeAt(0) + 1 }, (_, i) =>
    String.fromCharCode(from.charCodeAt(0) + i),
  );
const LOWER = chars('a', 'z');
const UPPER = chars('A', 'Z');
const DIGITS = chars('0', '9');
const ASCII = chars(' ', '~');
const PRINTABLE = [...ASCII, ...ASCII, 'é', 'ß', '→', '€'];

/** A word over an alphabet, `first` giving the first character's alphabet. */
const word = (first: readonly string[], rest: readonly string[], maxRest: number): fc.Arbitrary<string> =>
  fc
    .tuple(fc.constantFrom(...first), fc.string({ unit: fc.constantFrom(...rest), maxLength: maxRest }))
    .map(([a, b]) => a + b);

/** Printable text, with a few non-ASCII characters (readelf prints UTF-8 bytes raw). */
export const arbText = (maxLength = 24): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...PRINTABLE), maxLength });

/** Module names (letters, digits, `_`, `-`). */
export const arbModuleName: fc.Arbitrary<string> = word(LOWER, [...LOWER, ...DIGITS, '_', '-'], 14);

/** C identifiers that are not names the builder reserves. */
export const arbIdentifier: fc.Arbitrary<string> = word(
  [...LOWER, '_'],
  [...LOWER, ...DIGITS, '_'],
  20,
).filter((n) => !isReservedSymbol(n));

const arbNamespace = word(UPPER, [...UPPER, ...DIGITS, '_'], 10);

const arbInterface = fc
  .tuple(word(LOWER, LOWER, 7), fc.nat(9), fc.nat(9))
  .map(([n, a, b]) => `${n}:${a}.${b}`);

const arbAction: fc.Arbitrary<BehaviourActionSpec> = fc.oneof(
  fc.constantFrom<BehaviourActionSpec>(
    { return: 0 },
    { return: 'ENODEV' },
    { return: 'EBUSY' },
    { return: 'ENOMEM' },
  ),
  arbModuleName.map((m) => ({ get: m })),
  arbModuleName.map((m) => ({ put: m })),
  arbModuleName.map((m) => ({ request: m })),
  fc.record({ log: arbText(), level: fc.integer({ min: 0, max: 7 }) }, { requiredKeys: ['log'] }),
  fc.constant<BehaviourActionSpec>({ block: true }),
);

/** Behaviours. */
export const arbBehaviour: fc.Arbitrary<BehaviourSpec> = fc.record(
  { init: fc.array(arbAction, { maxLength: 4 }), cleanup: fc.array(arbAction, { maxLength: 3 }) },
  { requiredKeys: [] },
);

function arbValue(type: ParamType, longBits: 32 | 64, maxlen: number): fc.Arbitrary<ParamValue> {
  const range = integerRange(type, longBits);
  if (range !== undefined) {
    const big = fc.bigInt({ min: range[0], max: range[1] });
    return fc.oneof(
      big.map((b) =>
        b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b,
      ),
      fc.constantFrom(0, Number(range[1] > 100n ? 100n : range[1])),
    );
  }
  if (type === 'bool' || type === 'invbool') return fc.boolean();
  if (type === 'string')
    return fc.string({ unit: fc.constantFrom(...ASCII), maxLength: Math.max(0, maxlen - 1) });
  return arbText(16);
}

function arbParam(
  name: string,
  format: BuildTarget['format'],
  era: string | undefined,
): fc.Arbitrary<ParamSpec> {
  const old = format === 'i386' && era !== '2.4';
  const types = old ? PARAM_TYPES.filter((t) => t !== 'charp' && t !== 'string') : PARAM_TYPES;
  const longBits = format === 'i386' ? 32 : 64;
  return fc.constantFrom(...types).chain((type) => {
    const arrayArb =
      type === 'string' || old
        ? fc.constant(undefined)
        : fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined });
    const maxlenArb = type === 'string' ? fc.integer({ min: 1, max: 20 }) : fc.constant(undefined);
    return fc.tuple(arrayArb, maxlenArb).chain(([array, maxlen]) => {
      const one = arbValue(type, longBits, maxlen ?? 0);
      const def: fc.Arbitrary<ParamValue | ParamValue[] | undefined> =
        array === undefined
          ? fc.option(one, { nil: undefined })
          : fc.option(fc.array(one, { maxLength: array }), { nil: undefined });
      return fc
        .record({
          default: def,
          perm: fc.option(fc.integer({ min: 0, max: 0o777 }), { nil: undefined }),
          description: fc.option(arbText(), { nil: undefined }),
        })
        .map((r): ParamSpec => {
          const p: { -readonly [K in keyof ParamSpec]: ParamSpec[K] } = { name, type };
          if (array !== undefined) p.array = array;
          if (maxlen !== undefined) p.maxlen = maxlen;
          if (r.default !== undefined) p.default = r.default;
          if (r.perm !== undefined) p.perm = r.perm;
          if (r.description !== undefined) p.description = r.description;
          return p;
        });
    });
  });
}

/** Options of {@link arbModuleSpec}. */
export interface ArbModuleSpecOptions {
  /** The target the spec must be buildable for. */
  readonly target: BuildTarget;
  /** Most symbols (imports + exports + params). */
  readonly maxSymbols?: number;
}

/** Specs `buildModule(target, spec)` accepts. */
export function arbModuleSpec({ target, maxSymbols = 10 }: ArbModuleSpecOptions): fc.Arbitrary<ModuleSpec> {
  const era = target.format === 'i386' ? target.options.era : undefined;
  const symbols = fc.uniqueArray(arbIdentifier, { maxLength: maxSymbols });
  return fc
    .tuple(arbModuleName, symbols, fc.nat(), fc.nat())
    .chain(([name, syms, a, b]) => {
      const nImports = syms.length === 0 ? 0 : a % (syms.length + 1);
      const nExports = syms.length - nImports === 0 ? 0 : b % (syms.length - nImports + 1);
      const importNames = syms.slice(0, nImports);
      const exportNames = syms.slice(nImports, nImports + nExports);
      const paramNames = syms.slice(nImports + nExports);
      const imports = fc.tuple(
        ...importNames.map((n) =>
          fc.oneof(
            fc.constant(n),
            fc.record(
              {
                name: fc.constant(n),
                kind: fc.constantFrom<'call' | 'data'>('call', 'data'),
                module: arbModuleName,
                namespace: arbNamespace,
              },
              { requiredKeys: ['name'] },
            ),
          ),
        ),
      );
      const exports = fc.tuple(
        ...exportNames.map((n) =>
          fc.oneof(
            fc.constant(n),
            fc.record(
              { name: fc.constant(n), gpl: fc.boolean(), namespace: arbNamespace },
              { requiredKeys: ['name'] },
            ),
          ),
        ),
      );
      const params = fc.tuple(...paramNames.map((n) => arbParam(n, target.format, era)));
      const allNames = [...importNames, ...exportNames, 'module_layout'];
      const crcs = fc.oneof(
        fc.constant(undefined),
        fc.dictionary(fc.constantFrom(...allNames), fc.integer({ min: 0, max: 0xffffffff }), { maxKeys: 4 }),
        fc.integer({ min: 1, max: 0xffffffff }).map((k) => (s: string) => (defaultSymbolCrc(s) ^ k) >>> 0),
      );
      return fc.record(
        {
          name: fc.constant(name),
          license: fc.constantFrom('GPL', 'GPL v2', 'Dual MIT/GPL', 'Proprietary', ''),
          description: arbText(40),
          author: fc.oneof(arbText(), fc.array(arbText(), { minLength: 1, maxLength: 3 })),
          version: arbText(8),
          srcversion: fc.string({
            unit: fc.constantFrom(...DIGITS, ...chars('A', 'F')),
            minLength: 23,
            maxLength: 23,
          }),
          exports,
          imports,
          params,
          dependencies: fc.uniqueArray(arbModuleName, { maxLength: 3 }),
          importNs: fc.uniqueArray(arbNamespace, { maxLength: 2 }),
          behaviour: arbBehaviour,
          kernelRelease: fc
            .tuple(
              fc.integer({ min: 1, max: 6 }),
              fc.nat(20),
              fc.nat(99),
              fc.option(word(LOWER, [...LOWER, ...DIGITS], 5)),
            )
            .map(([a, b, c, d]) => `${a}.${b}.${c}${d === null ? '' : `-${d}`}`),
          vermagic: arbText(40),
          crcs,
          sizes: fc.record({ text: fc.nat(512), data: fc.nat(512), bss: fc.nat(4096) }, { requiredKeys: [] }),
          intree: fc.boolean(),
          permanent: fc.boolean(),
          extraModinfo: fc.array(
            fc.tuple(fc.constantFrom('alias', 'softdep', 'firmware', 'staging', 'test'), arbText(20)),
            { maxLength: 3 },
          ),
          dlkm: fc.record(
            {
              type: fc.constantFrom(...MODULE_TYPES),
              wrapperRevision: fc.oneof(fc.constant(10), fc.integer({ min: -5, max: 20 })),
              linkInfo: arbText(30),
              dependsInterface: fc.array(arbInterface, { maxLength: 2 }),
              exportsInterface: fc.array(arbInterface, { maxLength: 2 }),
              capable: fc.subarray(['unused', 'static', 'loaded', 'auto']),
              best: fc.constantFrom('unused', 'static', 'loaded', 'auto'),
            },
            { requiredKeys: [] },
          ),
        },
        { requiredKeys: ['name'] },
      ) as fc.Arbitrary<ModuleSpec>;
    })
    .filter((spec) => resolveModuleSpec(spec, { format: target.format, era }).ok);
}
