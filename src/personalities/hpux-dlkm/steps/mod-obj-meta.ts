/**
 * Reads the module's metadata, its wrapper symbol and its type (hpux-dlkm.md §3.2 rows 11–12, §8.2–§8.3).
 * @module
 */
import { SHF_ALLOC, SHN_LORESERVE, SHN_UNDEF, SHT_NOBITS } from '../../../abi/elf.js';
import { MODMETA_SECTION, MODWRAPPER_SUFFIX, SIZEOF_MODWRAPPER } from '../../../abi/hpux/dlkm.js';
import { parseBehaviour } from '../../../core/behaviours.js';
import { step } from '../../../core/pipeline.js';
import { err, OK_VOID } from '../../../core/result.js';
import type { DlkmLoadInfo } from '../load-info.js';
import { isModuleType, parseModMeta } from '../modmeta.js';

/** Section carrying the module's simulated behaviour (written by the project's object builder). */
export const BEHAVIOUR_SECTION = '.kmodsim.behaviour';

/**
 * The object must carry its metadata (`.modmeta`) naming this module, and the wrapper `<name>_wrapper` must be
 * a defined object big enough for a `struct modwrapper` in an allocated section: otherwise the file is "not
 * appropriately pre-configured" (EINVAL). A malformed behaviour section is refused the same way.
 * @see hpux-dlkm.md §3.2 row 11 (SVR4.2 lineage: "Non-existent or invalid SHT_MOD section")
 */
export const modObjMeta = step<DlkmLoadInfo>('modObjMeta', (ctx) => {
  const elf = ctx.elf!;
  const name = ctx.name!;
  const metaSection = elf.sectionByName(MODMETA_SECTION);
  if (metaSection === undefined || metaSection.type === SHT_NOBITS)
    return err('EINVAL', `${name}: no ${MODMETA_SECTION} section: not configured as a loadable module`);
  const data = elf.sectionData(metaSection);
  if (!data.ok) return err('EINVAL', `${name}: ${data.error.message}`);
  const meta = parseModMeta(data.value);
  if (!meta.ok) return err('EINVAL', `${name}: invalid module metadata: ${meta.error}`);
  if (meta.value.name !== undefined && meta.value.name !== name)
    return err('EINVAL', `${name}: the metadata names module ${meta.value.name}`);
  ctx.meta = meta.value;

  const behaviourSection = elf.sectionByName(BEHAVIOUR_SECTION);
  if (behaviourSection !== undefined) {
    const raw = elf.sectionData(behaviourSection);
    if (!raw.ok) return err('EINVAL', `${name}: ${raw.error.message}`);
    const text = new TextDecoder().decode(raw.value).replace(/\0+$/, '');
    const b = parseBehaviour(text);
    if (!b.ok) return err('EINVAL', `${name}: bad ${BEHAVIOUR_SECTION}: ${b.error}`);
    ctx.behaviour = b.value;
  }

  const symtab = ctx.symtab!;
  const wrapperName = `${name}${MODWRAPPER_SUFFIX}`;
  const w = symtab.indexOf(wrapperName);
  if (w === undefined) return err('EINVAL', `${name}: no ${wrapperName} symbol`);
  const shndx = symtab.shndx(w);
  const section = shndx === SHN_UNDEF || shndx >= SHN_LORESERVE ? undefined : elf.section(shndx);
  if (section === undefined || (section.flags & SHF_ALLOC) === 0 || section.type === SHT_NOBITS)
    return err('EINVAL', `${name}: ${wrapperName} is not defined in an initialised allocated section`);
  const at = symtab.valueNumber(w);
  if (at + SIZEOF_MODWRAPPER > section.size)
    return err('EINVAL', `${name}: ${wrapperName} does not hold a struct modwrapper`);
  ctx.wrapperIndex = w;
  return OK_VOID;
});

/**
 * The module must be of a supported type (`wsio_class`, `wsio_intfc`, `wsio2_class`, `wsio2_intfc`,
 * `streams_drv`, `streams_mod`, `misc`).
 * @see hpux-dlkm.md §3.2 row 12, §9
 */
export const modCheckType = step<DlkmLoadInfo>('modCheckType', (ctx) =>
  isModuleType(ctx.meta!.type)
    ? OK_VOID
    : err('EINVAL', `${ctx.name}: unsupported module type ${ctx.meta!.type ?? '(none)'}`),
);
