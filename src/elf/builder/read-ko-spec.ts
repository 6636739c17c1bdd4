/**
 * Recovers the {@link ModuleSpec} and {@link KoOptions} of a `.ko` written by `buildKo`, through the src/elf
 * readers (`.modinfo`, `__versions`, `__ksymtab*`, `__param`) and the sections' own bytes.
 * @module
 */
import { R_X86_64_PC32, SHT_NOBITS, STT_FUNC } from '../../abi/elf.js';
import { fail, ok, type Result } from '../../core/result.js';
import { readKsymtab } from '../ksymtab.js';
import { readModinfo } from '../modinfo.js';
import { readParams } from '../params.js';
import { readVersions } from '../versions.js';
import { compact, specAuthor, specExport, specParam } from './canonical-module-spec.js';
import type { ImageView } from './image-view.js';
import { type ResolvedKoOptions, THIS_MODULE_6_1 } from './ko-builder.js';
import { DEFAULT_PARAM_PERM, type ModuleSpec, PARAM_TYPES, type ParamType } from './module-spec.js';
import { paramElementSize, readParamElement } from './param-layout.js';
import type { ResolvedParam, ResolvedValue } from './resolve-module-spec.js';

const LINUX_ELFNOTE_BUILD_SALT = 0x100;

function nonEmpty<T>(list: readonly T[]): readonly T[] | undefined {
  return list.length === 0 ? undefined : list;
}

function isParamType(t: string | undefined): t is ParamType {
  return t !== undefined && (PARAM_TYPES as readonly string[]).includes(t);
}

/** The build salt (kernel release) of `.note.Linux`. */
function buildSalt(view: ImageView): string | undefined {
  const b = view.bytes(view.section('.note.Linux'));
  if (b === undefined) return undefined;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let p = 0;
  while (p + 12 <= b.length) {
    const namesz = v.getUint32(p, true);
    const descsz = v.getUint32(p + 4, true);
    const type = v.getUint32(p + 8, true);
    const desc = p + 12 + Math.ceil(namesz / 4) * 4;
    if (desc + descsz > b.length) return undefined;
    if (type === LINUX_ELFNOTE_BUILD_SALT) {
      const raw = b.subarray(desc, desc + descsz);
      const end = raw.indexOf(0);
      return new TextDecoder().decode(end < 0 ? raw : raw.subarray(0, end));
    }
    p = desc + Math.ceil(descsz / 4) * 4;
  }
  return undefined;
}

/** Reads a `.ko`. */
export function readKoSpec(
  view: ImageView,
): Result<{ spec: ModuleSpec; options: ResolvedKoOptions }, string> {
  const { file, symbols } = view;
  const mi = readModinfo(file);
  if (!mi.ok) return fail(mi.error.message);
  const known = new Set([
    'version',
    'license',
    'description',
    'author',
    'parm',
    'parmtype',
    'import_ns',
    'srcversion',
    'depends',
    'retpoline',
    'intree',
    'name',
    'vermagic',
  ]);
  const authors: string[] = [];
  const importNs: string[] = [];
  const extra: [string, string][] = [];
  const parmDesc = new Map<string, string>();
  for (const [k, v] of mi.value.pairs()) {
    if (k === 'author') authors.push(v);
    else if (k === 'import_ns') importNs.push(v);
    else if (k === 'parm') {
      const c = v.indexOf(':');
      if (c > 0) parmDesc.set(v.slice(0, c), v.slice(c + 1));
    } else if (!known.has(k)) extra.push([k, v]);
  }
  const name = mi.value.get('name');
  if (name === undefined) return fail('no modinfo name=');
  const depends = mi.value.get('depends');

  // Exports, in the order their names were written to __ksymtab_strings.
  const ks = readKsymtab(file, symbols, view.relocations);
  if (!ks.ok) return fail(ks.error.message);
  const nameOffset = (n: string) => {
    const i = symbols.indexOf(`__kstrtab_${n}`);
    return i === undefined ? Number.MAX_SAFE_INTEGER : symbols.valueNumber(i);
  };
  const exported = [...ks.value.symbols].sort((a, b) => nameOffset(a.name ?? '') - nameOffset(b.name ?? ''));
  const crcs: Record<string, number> = {};
  const versions = readVersions(file);
  if (!versions.ok) return fail(versions.error.message);
  for (const e of versions.value?.entries ?? []) crcs[e.name] = e.crc;
  for (const e of exported) if (e.name !== undefined && e.crc !== undefined) crcs[e.name] = e.crc;

  // Imports: undefined symbols other than parameter ops; a PC32 use is a data load.
  const kinds = view.relocationTypesBySymbol('.text');
  const imports = view
    .undefinedSymbols()
    .filter((i) => {
      const n = symbols.name(i) ?? '';
      return !n.startsWith('param_ops_') && n !== 'param_array_ops';
    })
    .map((i) => {
      const n = symbols.name(i) ?? '';
      return kinds.get(i) === R_X86_64_PC32 ? { name: n, kind: 'data' as const } : n;
    });

  // Parameters.
  const params = readParams(file, symbols, view.relocations);
  if (!params.ok) return fail(params.error.message);
  const outParams = [];
  for (const p of params.value) {
    const r = readKoParam(view, p.index, p.name, p.perm, p.kind, p.type, p.array, p.string, parmDesc);
    if (typeof r === 'string') return fail(r);
    outParams.push(specParam({ param: r, perm: true, description: true, trimArrays: false }));
  }

  const behaviour = view.behaviour();
  if (!behaviour.ok) return fail(behaviour.error);
  const cleanup = symbols.indexOf('cleanup_module');
  const init = symbols.indexOf('init_module');
  const tmSection = view.section('.gnu.linkonce.this_module');
  let initOffset = THIS_MODULE_6_1.initOffset;
  let exitOffset: number | undefined;
  if (tmSection !== undefined)
    for (const r of view.relocations.sectionsFor(tmSection.index))
      for (let i = 0; i < r.count; i++) {
        if (r.symbolIndex(i) === init) initOffset = r.offset(i);
        if (r.symbolIndex(i) === cleanup) exitOffset = r.offset(i);
      }
  const tmSize = tmSection?.size ?? THIS_MODULE_6_1.size;
  exitOffset ??= initOffset + 16 <= tmSize ? initOffset + 8 : initOffset - 8;
  const modversions = view.section('__versions') !== undefined;
  const bss = view.section('.bss');
  const spec: ModuleSpec = compact({
    name,
    license: mi.value.get('license') ?? '',
    description: mi.value.get('description'),
    author: specAuthor(authors),
    version: mi.value.get('version'),
    srcversion: mi.value.get('srcversion'),
    exports: nonEmpty(exported.map((e) => specExport(e.name ?? '', e.kind === 'gpl', e.namespace))),
    imports: nonEmpty(imports),
    params: nonEmpty(outParams),
    dependencies: depends === undefined || depends === '' ? undefined : depends.split(','),
    importNs: nonEmpty(importNs),
    behaviour: behaviour.value,
    kernelRelease: buildSalt(view),
    vermagic: mi.value.get('vermagic'),
    crcs: modversions ? crcs : undefined,
    sizes: {
      text: view.sizeOf('.text'),
      data: view.sizeOf('.data'),
      bss: bss?.type === SHT_NOBITS ? bss.size : 0,
    },
    intree: mi.value.get('intree') === 'Y',
    extraModinfo: nonEmpty(extra),
    permanent: cleanup === undefined || symbols.type(cleanup) !== STT_FUNC,
  });
  return ok({
    spec,
    options: {
      modversions,
      retpoline: mi.value.get('retpoline') === 'Y',
      debugSections: view.section('.debug_info') !== undefined,
      thisModule: { size: tmSize, initOffset, exitOffset },
    },
  });
}

function readKoParam(
  view: ImageView,
  index: number,
  name: string | undefined,
  perm: number,
  kind: string,
  type: string | undefined,
  array: { max: number; elemType: string | undefined } | undefined,
  string: { maxlen: number } | undefined,
  descriptions: ReadonlyMap<string, string>,
): ResolvedParam | string {
  const param = view.section('__param');
  if (name === undefined || param === undefined) return `__param[${index}] has no readable name`;
  const elemType = kind === 'array' ? array?.elemType : type;
  if (!isParamType(elemType)) return `parameter ${name} has type ${type ?? 'custom ops'}`;
  const arg = view.pointer(param.index, index * 40 + 32, 8);
  if (arg?.section === undefined || arg.sectionOffset === undefined)
    return `parameter ${name} has no argument`;
  const readElements = (sec: number, off: number, count: number): ResolvedValue[] | string => {
    const bytes = view.bytes(sec);
    if (bytes === undefined) return `parameter ${name}: unreadable section`;
    const out: ResolvedValue[] = [];
    for (let i = 0; i < count; i++) {
      if (elemType === 'charp') {
        const p = view.pointer(sec, off + i * 8, 8);
        if (p === undefined) break;
        const s = view.string(p.section, p.sectionOffset);
        if (s === undefined) return `parameter ${name}: unreadable string`;
        out.push(s);
      } else {
        const width = paramElementSize(elemType, 8);
        if (off + (i + 1) * width > bytes.length) return `parameter ${name}: value outside its section`;
        out.push(readParamElement(bytes, off + i * width, elemType, 8, true));
      }
    }
    return out;
  };
  let values: ResolvedValue[] | string;
  let arrayMax: number | undefined;
  let maxlen: number | undefined;
  if (kind === 'array') {
    arrayMax = array?.max;
    const num = view.pointer(arg.section, arg.sectionOffset + 8, 8);
    const elem = view.pointer(arg.section, arg.sectionOffset + 24, 8);
    if (num?.section === undefined || elem?.section === undefined)
      return `parameter ${name}: bad kparam_array`;
    const numBytes = view.bytes(num.section);
    const at = num.sectionOffset ?? -1;
    if (numBytes === undefined || at < 0 || at + 4 > numBytes.length) return `parameter ${name}: bad count`;
    const count = new DataView(numBytes.buffer, numBytes.byteOffset, numBytes.byteLength).getUint32(at, true);
    values = readElements(elem.section, elem.sectionOffset ?? 0, Math.min(count, arrayMax ?? 0));
  } else if (elemType === 'string') {
    maxlen = string?.maxlen;
    const buf = view.pointer(arg.section, arg.sectionOffset + 8, 8);
    const s = view.string(buf?.section, buf?.sectionOffset);
    if (s === undefined) return `parameter ${name}: bad kparam_string`;
    values = [s];
  } else {
    values = readElements(arg.section, arg.sectionOffset, 1);
  }
  if (typeof values === 'string') return values;
  return {
    name,
    type: elemType,
    array: arrayMax,
    maxlen,
    values,
    perm: perm ?? DEFAULT_PARAM_PERM,
    description: descriptions.get(name),
  };
}
