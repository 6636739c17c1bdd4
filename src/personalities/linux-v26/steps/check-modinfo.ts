/**
 * `check_modinfo`: vermagic and livepatch checks (and, before 6.4, the modinfo taints, applied before the
 * duplicate check — so a load refused with EEXIST has still tainted the kernel).
 * @see kernel/module/main.c check_modinfo, check_modinfo_livepatch; kernel/module/version.c same_magic
 * @module
 */
import { MODULE_INIT_IGNORE_VERMAGIC } from '../../../abi/linux/v26.js';
import { step } from '../../../core/pipeline.js';
import { err, OK_VOID, type Result } from '../../../core/result.js';
import { tryToForceLoad } from '../check-version.js';
import type { LoadInfo } from '../load-info.js';
import { modinfoTaints } from './module-augment-kernel-taints.js';

/** `same_magic`: with CRCs only what follows the release is compared. */
export function sameMagic(amagic: string, bmagic: string, hasCrcs: boolean): boolean {
  if (hasCrcs) {
    const a = amagic.indexOf(' ');
    const b = bmagic.indexOf(' ');
    return amagic.slice(a < 0 ? amagic.length : a) === bmagic.slice(b < 0 ? bmagic.length : b);
  }
  return amagic === bmagic;
}

function check(info: LoadInfo, withTaints: boolean): Result<void> {
  const k = info.k;
  const modmagic =
    (info.flags & MODULE_INIT_IGNORE_VERMAGIC) !== 0 ? undefined : info.modinfo?.get('vermagic');
  if (modmagic === undefined) {
    if (!tryToForceLoad(info, 'bad vermagic')) return err('ENOEXEC', `${info.name}: bad vermagic`);
  } else if (!sameMagic(modmagic, k.config.vermagic, k.versions.enabled && info.index.vers !== 0)) {
    const text = `${info.name}: version magic '${modmagic}' should be '${k.config.vermagic}'`;
    k.core.log.err(text);
    return err('ENOEXEC', text);
  }
  if (withTaints) modinfoTaints(info);
  if (info.modinfo?.get('livepatch') !== undefined && !k.config.livepatch) {
    const text = `${info.name}: module is marked as livepatch module, but livepatch support is disabled`;
    k.core.log.err(text);
    return err('ENOEXEC', text);
  }
  return OK_VOID;
}

/** Mainline (6.4+): inside `early_mod_check`, no taints. */
export const checkModinfo = step<LoadInfo>('checkModinfo', (info) => check(info, false));

/** 2.6 – 6.3: first thing of `layout_and_allocate`, with the out-of-tree, staging and licence taints. */
export const checkModinfoWithTaints = step<LoadInfo>('checkModinfo', (info) => check(info, true));
