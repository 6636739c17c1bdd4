/**
 * Type-specific installation through the wrapper: drivers get their major numbers (hpux-dlkm.md §3.2 row 18,
 * §2.1 load step 6).
 * @module
 */
import { MOD_TY_CDEV, MOD_TY_MISC, MOD_TY_STR, type ModuleType } from '../../../abi/hpux/dlkm.js';
import type { ModuleRegistry } from '../../../core/module-registry.js';
import { step } from '../../../core/pipeline.js';
import { err, OK_VOID } from '../../../core/result.js';
import type { DlkmLoadInfo } from '../load-info.js';

/**
 * First character major handed out to drivers that ask the kernel for one (`-1` in `$DRIVER_INSTALL`).
 * INVENTED: HP does not document its dynamic major range.
 */
export const DYNAMIC_CMAJOR_BASE = 64;

/** `mss_type` of each module type (codes INVENTED, see src/abi/hpux/dlkm.ts). */
export const MSS_TYPE: Readonly<Record<ModuleType, number>> = {
  wsio_class: MOD_TY_CDEV,
  wsio_intfc: MOD_TY_CDEV,
  wsio2_class: MOD_TY_CDEV,
  wsio2_intfc: MOD_TY_CDEV,
  streams_drv: MOD_TY_STR,
  streams_mod: MOD_TY_STR,
  misc: MOD_TY_MISC,
};

/** Whether modules of this type are device drivers (they get a character major). */
export function isDriverType(t: string): boolean {
  return t.startsWith('wsio') || t === 'streams_drv';
}

function majorsInUse(modules: ModuleRegistry, key: 'cmajor' | 'bmajor'): Set<number> {
  const used = new Set<number>();
  for (const r of modules.list()) {
    const m = r.extra[key];
    if (typeof m === 'number' && m >= 0) used.add(m);
  }
  return used;
}

/**
 * Installs the module by type. A driver asking for a fixed major another loaded driver holds cannot be
 * installed: its `_unload()` is called to undo `_load()`, and the load fails with EBUSY (INVENTED errno: HP's
 * install routines report failure to the driver, whose `_load` chooses the errno).
 * @see hpux-dlkm.md §3.2 row 18
 */
export const modConnect = step<DlkmLoadInfo>('modConnect', (ctx) => {
  const k = ctx.k;
  const name = ctx.name!;
  const type = ctx.meta!.type as ModuleType;
  let cmajor = -1;
  let bmajor = -1;
  if (isDriverType(type)) {
    const cUsed = majorsInUse(k.core.modules, 'cmajor');
    const bUsed = majorsInUse(k.core.modules, 'bmajor');
    const wantC = ctx.meta!.cmajor ?? -1;
    const wantB = type.startsWith('wsio') ? (ctx.meta!.bmajor ?? -1) : -1;
    const clash = (wantC >= 0 && cUsed.has(wantC)) || (wantB >= 0 && bUsed.has(wantB));
    if (clash) {
      k.core.behaviours.resolve(name).cleanup(k.behaviourHost(name));
      return err('EBUSY', `${name}: major number already in use by another driver`);
    }
    cmajor = wantC;
    if (cmajor < 0) {
      cmajor = DYNAMIC_CMAJOR_BASE;
      while (cUsed.has(cmajor)) cmajor++;
    }
    bmajor = wantB;
  }
  ctx.cmajor = cmajor;
  ctx.bmajor = bmajor;
  ctx.msinfo = ctx.msinfo!.map((m) => ({
    linkinfo: m.linkinfo,
    type: MSS_TYPE[type],
    p0: isDriverType(type) ? [bmajor, cmajor] : [0, 0],
    p1: [0, 0],
  }));
  return OK_VOID;
});
