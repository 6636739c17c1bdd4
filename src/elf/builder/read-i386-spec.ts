/**
 * Recovers the {@link ModuleSpec} and options of an i386 object written by `buildI386Object`. The module name
 * comes from the `STT_FILE` symbol (`<name>.c`), since the era's objects do not record it; the era from the
 * object's conventions (`.modinfo` → 2.4; otherwise the `kernel_version` string: `1.*` → 1.x, else 2.0 — the
 * 2.0 and 1.x formats are identical).
 * @module
 */
import {
  R_386_32,
  SHN_COMMON,
  SHN_UNDEF,
  SHT_NOBITS,
  STB_GLOBAL,
  STT_FILE,
  STT_FUNC,
  STT_OBJECT,
} from '../../abi/elf.js';
import { fail, ok, type Result } from '../../core/result.js';
import { readModinfo } from '../modinfo.js';
import { compact, specAuthor, specExport, specParam } from './canonical-module-spec.js';
import type { I386ObjectOptions } from './i386-object-builder.js';
import type { ImageView } from './image-view.js';
import { DEFAULT_PARAM_PERM, type ModuleSpec, type ParamType } from './module-spec.js';
import { readParamElement } from './param-layout.js';
import type { LegacyEra, ResolvedParam, ResolvedValue } from './resolve-module-spec.js';

const VERSIONED = /^(.*)_R([0-9a-f]{8})$/;
const PARM = /^(?:1-(\d+))?([bhils]|c(\d+))$/;
const LETTER_TYPE: Record<string, ParamType> = {
  b: 'byte',
  h: 'short',
  i: 'int',
  l: 'long',
  s: 'charp',
  c: 'string',
};

function nonEmpty<T>(list: readonly T[]): readonly T[] | undefined {
  return list.length === 0 ? undefined : list;
}

/** Reads an i386 object. */
export function readI386Spec(
  view: ImageView,
): Result<{ spec: ModuleSpec; options: Required<I386ObjectOptions> }, string> {
  const { file, symbols } = view;
  let name: string | undefined;
  for (let i = 1; i < symbols.count; i++)
    if (symbols.type(i) === STT_FILE) {
      name = symbols.name(i)?.replace(/\.c$/, '');
      break;
    }
  if (name === undefined) return fail('no STT_FILE symbol naming the module source');
  const modinfoSection = view.section('.modinfo');
  const mi = readModinfo(file);
  if (!mi.ok) return fail(mi.error.message);
  let era: LegacyEra;
  let release: string | undefined;
  let modversions: boolean;
  if (modinfoSection !== undefined) {
    era = '2.4';
    release = mi.value.get('kernel_version');
    modversions = mi.value.get('using_checksums') === '1';
  } else {
    const kv = symbols.indexOf('kernel_version');
    release = kv === undefined ? undefined : view.string(symbols.shndx(kv), symbols.valueNumber(kv));
    era = release?.startsWith('1.') ? '1.x' : '2.0';
    const uv = symbols.indexOf('Using_Versions');
    modversions = uv !== undefined && symbols.shndx(uv) === SHN_COMMON;
  }
  if (release === undefined) return fail('no kernel_version');
  const v24 = era === '2.4';
  const crcs: Record<string, number> = {};
  const unversion = (n: string): string => {
    if (!modversions) return n;
    const m = VERSIONED.exec(n);
    if (m === null) return n;
    crcs[m[1]] = Number.parseInt(m[2], 16);
    return m[1];
  };

  const kinds = view.relocationTypesBySymbol('.text');
  const imports = view
    .undefinedSymbols()
    .filter((i) => symbols.name(i) !== 'mod_use_count_')
    .map((i) => {
      const n = unversion(symbols.name(i) ?? '');
      return kinds.get(i) === R_386_32 ? { name: n, kind: 'data' as const } : n;
    });

  const exports = [];
  const text = view.section('.text');
  if (v24) {
    const ks = view.section('__ksymtab');
    const count = Math.floor((ks?.size ?? 0) / 8);
    for (let i = 0; ks !== undefined && i < count; i++) {
      const value = view.pointer(ks.index, i * 8, 4);
      const str = view.pointer(ks.index, i * 8 + 4, 4);
      const exported = view.string(str?.section, str?.sectionOffset);
      if (value?.symbolName === undefined || exported === undefined)
        return fail(`__ksymtab[${i}] is unreadable`);
      exports.push(specExport(unversion(value.symbolName), exported.startsWith('GPLONLY_'), undefined));
    }
  } else {
    for (let i = 1; i < symbols.count; i++) {
      const n = symbols.name(i) ?? '';
      if (
        symbols.bind(i) === STB_GLOBAL &&
        symbols.type(i) === STT_FUNC &&
        symbols.shndx(i) === text?.index &&
        n !== 'init_module' &&
        n !== 'cleanup_module'
      )
        exports.push(specExport(unversion(n), false, undefined));
    }
  }

  const params = [];
  if (v24) {
    const desc = new Map<string, string>();
    for (const [k, v] of mi.value.pairs()) if (k.startsWith('parm_desc_')) desc.set(k.slice(10), v);
    for (const [k, v] of mi.value.pairs()) {
      if (!k.startsWith('parm_') || k.startsWith('parm_desc_')) continue;
      const pname = k.slice(5);
      const m = PARM.exec(v);
      if (m === null) return fail(`unknown parm_${pname} type ${v}`);
      const type = LETTER_TYPE[m[2][0]];
      const array = m[1] === undefined ? undefined : Number(m[1]);
      const maxlen = m[3] === undefined ? undefined : Number(m[3]);
      const p = readVariable(view, pname, type, array ?? 1, maxlen);
      if (typeof p === 'string') return fail(p);
      params.push(
        specParam({
          param: {
            name: pname,
            type,
            array,
            maxlen,
            values: p,
            perm: DEFAULT_PARAM_PERM,
            description: desc.get(pname),
          },
          perm: false,
          description: true,
          trimArrays: true,
        }),
      );
    }
  } else {
    for (let i = 1; i < symbols.count; i++) {
      const n = symbols.name(i) ?? '';
      const shndx = symbols.shndx(i);
      if (symbols.bind(i) !== STB_GLOBAL || symbols.type(i) !== STT_OBJECT || n === 'kernel_version')
        continue;
      if (shndx === SHN_UNDEF || shndx === SHN_COMMON) continue;
      const size = symbols.size(i);
      const type: ParamType | undefined =
        size === 1 ? 'byte' : size === 2 ? 'short' : size === 4 ? 'int' : undefined;
      if (type === undefined) return fail(`global ${n} of ${size} bytes is not an integer variable`);
      const p = readVariable(view, n, type, 1, undefined);
      if (typeof p === 'string') return fail(p);
      const param: ResolvedParam = {
        name: n,
        type,
        array: undefined,
        maxlen: undefined,
        values: p,
        perm: DEFAULT_PARAM_PERM,
        description: undefined,
      };
      params.push(specParam({ param, perm: false, description: false, trimArrays: true }));
    }
  }

  const behaviour = view.behaviour();
  if (!behaviour.ok) return fail(behaviour.error);
  const authors = v24 ? mi.value.getAll('author') : [];
  const knownKeys = new Set(['kernel_version', 'using_checksums', 'license', 'author', 'description']);
  const extra = v24 ? mi.value.pairs().filter(([k]) => !knownKeys.has(k) && !k.startsWith('parm_')) : [];
  const bss = view.section('.bss');
  const spec: ModuleSpec = compact({
    name,
    license: v24 ? (mi.value.get('license') ?? '') : undefined,
    description: v24 ? mi.value.get('description') : undefined,
    author: specAuthor(authors),
    exports: nonEmpty(exports),
    imports: nonEmpty(imports),
    params: nonEmpty(params),
    behaviour: behaviour.value,
    kernelRelease: release,
    crcs: modversions ? crcs : undefined,
    sizes: {
      text: view.sizeOf('.text'),
      data: view.sizeOf('.data'),
      bss: bss?.type === SHT_NOBITS ? bss.size : 0,
    },
    extraModinfo: nonEmpty(extra),
    permanent: symbols.indexOf('cleanup_module') === undefined,
  });
  return ok({ spec, options: { era, modversions } });
}

/** Values of the variable `name` (elements in order; charp through its REL relocations). */
function readVariable(
  view: ImageView,
  name: string,
  type: ParamType,
  count: number,
  maxlen: number | undefined,
): ResolvedValue[] | string {
  const { symbols } = view;
  const i = symbols.indexOf(name);
  if (i === undefined) return `no variable ${name}`;
  const sec = symbols.shndx(i);
  const off = symbols.valueNumber(i);
  const bytes = view.bytes(sec);
  if (bytes === undefined) return `variable ${name} is in an unreadable section`;
  if (type === 'string') {
    const s = view.string(sec, off);
    if (s === undefined || maxlen === undefined) return `variable ${name} is unreadable`;
    return [s];
  }
  const out: ResolvedValue[] = [];
  const width = type === 'byte' ? 1 : type === 'short' ? 2 : 4;
  for (let k = 0; k < count; k++) {
    if (off + (k + 1) * width > bytes.length) return `variable ${name} lies outside its section`;
    if (type === 'charp') {
      const p = view.pointer(sec, off + k * 4, 4);
      if (p === undefined) break;
      const s = view.string(p.section, p.sectionOffset);
      if (s === undefined) return `variable ${name}: unreadable string`;
      out.push(s);
    } else out.push(readParamElement(bytes, off + k * width, type, 4, true));
  }
  return out;
}
