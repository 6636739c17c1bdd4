/**
 * Recovers the {@link ModuleSpec} of an HP-UX DLKM object written by `buildDlkmObject`: `.modmeta`, the wrapper
 * and its `modlink`, the import pointers and the exported functions.
 * @module
 */
import { R_IA64_DIR64MSB, SHT_NOBITS, STB_GLOBAL, STT_FUNC } from '../../abi/elf.js';
import {
  MOD_TYPE_DATA,
  MODLINK,
  MODMETA_SECTION,
  MODWRAPPER,
  MODWRAPPER_SUFFIX,
} from '../../abi/hpux/dlkm.js';
import { fail, ok, type Result } from '../../core/result.js';
import { compact, specExport } from './canonical-module-spec.js';
import type { ImageView } from './image-view.js';
import type { DlkmSpec, ModuleSpec } from './module-spec.js';

const OPS = new Set(['mod_misc_ops', 'gio_mod_ops', 'str_drv_ops', 'str_mod_ops']);

function nonEmpty<T>(list: readonly T[]): readonly T[] | undefined {
  return list.length === 0 ? undefined : list;
}

/** Reads a DLKM object. */
export function readDlkmSpec(view: ImageView): Result<{ spec: ModuleSpec }, string> {
  const { symbols } = view;
  const metaBytes = view.bytes(view.section(MODMETA_SECTION));
  if (metaBytes === undefined) return fail(`no ${MODMETA_SECTION}`);
  const meta = new Map<string, string>();
  const depends: string[] = [];
  const dependsInterface: string[] = [];
  const exportsInterface: string[] = [];
  let capable: string[] = [];
  for (const line of new TextDecoder().decode(metaBytes).split('\n')) {
    if (line === '') continue;
    const sp = line.indexOf(' ');
    const key = sp < 0 ? line : line.slice(0, sp);
    const value = sp < 0 ? '' : line.slice(sp + 1);
    if (key === 'depend') {
      const [kind, nv] = value.split(' ');
      if (kind === 'module') depends.push(nv.slice(0, nv.lastIndexOf(':')));
      else dependsInterface.push(nv);
    } else if (key === 'exports') exportsInterface.push(value);
    else if (key === 'capable') capable = value.split(' ');
    else meta.set(key, value);
  }
  const name = meta.get('name');
  if (name === undefined) return fail(`${MODMETA_SECTION} has no name`);
  const wrapper = symbols.indexOf(`${name}${MODWRAPPER_SUFFIX}`);
  if (wrapper === undefined) return fail(`no ${name}${MODWRAPPER_SUFFIX}`);
  const dataIndex = symbols.shndx(wrapper);
  const data = view.bytes(dataIndex);
  const w = symbols.valueNumber(wrapper);
  if (data === undefined || w + 48 > data.length) return fail('the wrapper lies outside its section');
  const rev = new DataView(data.buffer, data.byteOffset, data.byteLength).getInt32(
    w + MODWRAPPER.mw_rev,
    false,
  );
  const modlink = view.pointer(dataIndex, w + MODWRAPPER.mw_modlink, 8);
  const typeData =
    modlink?.section === undefined
      ? undefined
      : view.pointer(modlink.section, (modlink.sectionOffset ?? 0) + MODLINK.ml_type_data, 8);
  const info =
    typeData?.section === undefined
      ? undefined
      : view.pointer(typeData.section, (typeData.sectionOffset ?? 0) + MOD_TYPE_DATA.mtd_info, 8);
  const linkInfo = view.string(info?.section, info?.sectionOffset);
  if (linkInfo === undefined) return fail('the modlink has no mtd_info string');
  const unload = view.pointer(dataIndex, w + MODWRAPPER.mw_unload, 8);

  const kinds = view.relocationTypesBySymbol('.data');
  const imports = view
    .undefinedSymbols()
    .filter((i) => !OPS.has(symbols.name(i) ?? ''))
    .map((i) => {
      const n = symbols.name(i) ?? '';
      return kinds.get(i) === R_IA64_DIR64MSB ? { name: n, kind: 'data' as const } : n;
    });
  const text = view.section('.text');
  const exports = [];
  for (let i = 1; i < symbols.count; i++)
    if (symbols.bind(i) === STB_GLOBAL && symbols.type(i) === STT_FUNC && symbols.shndx(i) === text?.index)
      exports.push(specExport(symbols.name(i) ?? '', false, undefined));

  const behaviour = view.behaviour();
  if (!behaviour.ok) return fail(behaviour.error);
  const bss = view.section('.bss');
  const dlkm: DlkmSpec = compact({
    type: meta.get('type'),
    wrapperRevision: rev,
    linkInfo,
    dependsInterface: nonEmpty(dependsInterface),
    exportsInterface: nonEmpty(exportsInterface),
    capable: nonEmpty(capable),
    best: meta.get('best'),
  });
  const spec: ModuleSpec = compact({
    name,
    description: meta.get('desc'),
    version: meta.get('version'),
    exports: nonEmpty(exports),
    imports: nonEmpty(imports),
    dependencies: nonEmpty(depends),
    behaviour: behaviour.value,
    sizes: {
      text: view.sizeOf('.text'),
      data: view.sizeOf('.data'),
      bss: bss?.type === SHT_NOBITS ? bss.size : 0,
    },
    permanent: unload === undefined,
    dlkm,
  });
  return ok({ spec });
}
