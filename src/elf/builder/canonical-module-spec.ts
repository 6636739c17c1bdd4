/**
 * What of a spec survives in each format: {@link canonicalModuleSpec} is the spec a reader recovers from the
 * built image ({@link readModuleSpec} returns exactly this, plus the measured `sizes`). Fields a format has no
 * place for are dropped (a 2.0 object has no license; a DLKM object no parameters), defaults are made explicit,
 * and types collapse to what the format can express. The shaping helpers here are shared with the reader so
 * both sides produce the same shapes.
 * @module
 */

import { MODREV } from '../../abi/hpux/dlkm.js';
import type { BehaviourSpec } from './behaviour-spec.js';
import type { BuildTarget } from './build-target.js';
import { DEFAULT_DLKM_TYPE, defaultLinkInfo, dlkmOpsSymbol } from './dlkm-object-builder.js';
import { legacyImpliedImports, legacyParam } from './i386-object-builder.js';
import { defaultVermagic, kbuildModname, koUndefinedSymbols, resolveKoOptions } from './ko-builder.js';
import {
  DEFAULT_KERNEL_RELEASE,
  type DlkmSpec,
  type ExportSpec,
  type ImportSpec,
  type ModuleSpec,
  type ParamSpec,
  type ParamType,
  type ParamValue,
} from './module-spec.js';
import {
  type ResolvedExport,
  type ResolvedImport,
  type ResolvedParam,
  type ResolvedValue,
  resolveModuleSpecOrThrow,
} from './resolve-module-spec.js';

/** A resolved value in spec form: integers as numbers when exact, else bigint. */
export function specValue(v: ResolvedValue): ParamValue {
  return typeof v === 'bigint' && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(v)
    : v;
}

/** An export in canonical form (a string when plain). */
export function specExport(name: string, gpl: boolean, namespace: string | undefined): ExportSpec {
  if (!gpl && namespace === undefined) return name;
  return { name, ...(gpl ? { gpl: true } : {}), ...(namespace === undefined ? {} : { namespace }) };
}

/** An import in canonical form (a string for a call). */
export function specImport(i: ResolvedImport): ImportSpec {
  return i.kind === 'call' ? i.name : { name: i.name, kind: 'data' };
}

/** Zero value of a scalar type. */
function zeroOf(type: ParamType): ResolvedValue {
  if (type === 'bool' || type === 'invbool') return false;
  if (type === 'string') return '';
  return 0n;
}

/** Parameter fields in canonical form. */
export interface CanonicalParamFields {
  /** The parameter, as stored. */
  readonly param: ResolvedParam;
  /** Include `perm`. */
  readonly perm: boolean;
  /** Include `description`. */
  readonly description: boolean;
  /** Trim trailing zero elements of arrays (formats without an element count). */
  readonly trimArrays: boolean;
}

/** A parameter in canonical form. */
export function specParam({ param: p, perm, description, trimArrays }: CanonicalParamFields): ParamSpec {
  let values = [...p.values];
  if (p.array === undefined) {
    if (values.length === 0 && p.type !== 'charp') values = [zeroOf(p.type)];
  } else if (trimArrays) {
    while (values.length > 0 && (values[values.length - 1] === 0n || values[values.length - 1] === false))
      values.pop();
  }
  const out: {
    name: string;
    type: ParamType;
    array?: number;
    maxlen?: number;
    default?: ParamValue | ParamValue[];
    perm?: number;
    description?: string;
  } = { name: p.name, type: p.type };
  if (p.array !== undefined) out.array = p.array;
  if (p.maxlen !== undefined) out.maxlen = p.maxlen;
  if (p.array !== undefined) out.default = values.map(specValue);
  else if (values.length > 0) out.default = specValue(values[0]);
  if (perm) out.perm = p.perm;
  if (description && p.description !== undefined) out.description = p.description;
  return out;
}

/** The author field in canonical form. */
export function specAuthor(authors: readonly string[]): string | readonly string[] | undefined {
  return authors.length === 0 ? undefined : authors.length === 1 ? authors[0] : authors;
}

/** Puts only defined values into an object (canonical specs have no `undefined` members). */
export function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function nonEmpty<T>(list: readonly T[] | undefined): readonly T[] | undefined {
  return list === undefined || list.length === 0 ? undefined : list;
}

function crcMap(names: readonly string[], crc: (n: string) => number): Record<string, number> {
  return Object.fromEntries(names.map((n) => [n, crc(n)]));
}

function behaviourOf(b: BehaviourSpec | undefined): BehaviourSpec | undefined {
  return b === undefined ? undefined : JSON.parse(JSON.stringify(b));
}

/**
 * The spec a reader recovers from `buildModule(target, spec)`, sizes excepted (see the module notes). Throws
 * `ModuleSpecError` for a spec the target cannot build.
 */
export function canonicalModuleSpec(spec: ModuleSpec, target: BuildTarget): ModuleSpec {
  switch (target.format) {
    case 'ko': {
      const s = resolveModuleSpecOrThrow(spec, { format: 'ko' });
      const opts = resolveKoOptions(target.options);
      const release = s.kernelRelease ?? DEFAULT_KERNEL_RELEASE.ko;
      return compact({
        name: kbuildModname(s.name),
        license: s.license,
        description: s.description,
        author: specAuthor(s.authors),
        version: s.version,
        srcversion: s.srcversion,
        exports: nonEmpty(s.exports.map((e: ResolvedExport) => specExport(e.name, e.gpl, e.namespace))),
        imports: nonEmpty(s.imports.map(specImport)),
        params: nonEmpty(
          s.params.map((param) => specParam({ param, perm: true, description: true, trimArrays: false })),
        ),
        dependencies: nonEmpty(s.dependencies),
        importNs: nonEmpty(s.importNs),
        behaviour: behaviourOf(s.behaviour),
        kernelRelease: release,
        vermagic: s.vermagic ?? defaultVermagic(release, opts.modversions),
        crcs: opts.modversions
          ? crcMap([...koUndefinedSymbols(s), 'module_layout', ...s.exports.map((e) => e.name)], s.crc)
          : undefined,
        intree: s.intree,
        extraModinfo: nonEmpty(s.extraModinfo),
        permanent: s.permanent,
      });
    }
    case 'i386': {
      const era = target.options.era;
      const s = resolveModuleSpecOrThrow(spec, { format: 'i386', era });
      const v24 = era === '2.4';
      const modversions = target.options.modversions === true;
      return compact({
        name: s.name,
        license: v24 ? s.license : undefined,
        description: v24 ? s.description : undefined,
        author: v24 ? specAuthor(s.authors) : undefined,
        exports: nonEmpty(s.exports.map((e) => specExport(e.name, v24 && e.gpl, undefined))),
        imports: nonEmpty(s.imports.map(specImport)),
        params: nonEmpty(
          s.params.map((p) =>
            specParam({ param: legacyParam(p, era), perm: false, description: v24, trimArrays: true }),
          ),
        ),
        behaviour: behaviourOf(s.behaviour),
        kernelRelease: s.kernelRelease ?? DEFAULT_KERNEL_RELEASE[era],
        crcs: modversions
          ? crcMap([...s.imports.map((i) => i.name), ...s.exports.map((e) => e.name)], s.crc)
          : undefined,
        extraModinfo: v24 ? nonEmpty(s.extraModinfo) : undefined,
        permanent: s.permanent,
      });
    }
    case 'dlkm': {
      const s = resolveModuleSpecOrThrow(spec, { format: 'dlkm' });
      const type = s.dlkm.type ?? DEFAULT_DLKM_TYPE;
      const dlkm: DlkmSpec = compact({
        type,
        wrapperRevision: s.dlkm.wrapperRevision ?? MODREV,
        linkInfo: s.dlkm.linkInfo ?? defaultLinkInfo(s.name, type),
        dependsInterface: nonEmpty(s.dlkm.dependsInterface),
        exportsInterface: nonEmpty(s.dlkm.exportsInterface),
        capable: nonEmpty(s.dlkm.capable),
        best: s.dlkm.best,
      });
      return compact({
        name: s.name,
        description: s.description,
        version: s.version,
        exports: nonEmpty(s.exports.map((e) => specExport(e.name, false, undefined))),
        imports: nonEmpty(s.imports.map(specImport)),
        dependencies: nonEmpty(s.dependencies),
        behaviour: behaviourOf(s.behaviour),
        permanent: s.permanent,
        dlkm,
      });
    }
  }
}

/** Undefined symbols a format adds on its own (parameter ops, the use count, the type's operations). */
export function impliedImports(target: BuildTarget, spec: ModuleSpec): string[] {
  if (target.format === 'i386') return legacyImpliedImports(target.options.era);
  if (target.format === 'ko') {
    const s = resolveModuleSpecOrThrow(spec, { format: 'ko' });
    return koUndefinedSymbols(s).slice(s.imports.length);
  }
  return [dlkmOpsSymbol(spec.dlkm?.type ?? DEFAULT_DLKM_TYPE)];
}
