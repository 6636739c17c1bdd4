/**
 * `module_augment_kernel_taints`: taints from `.modinfo` (out-of-tree `O`, staging `C`, livepatch `K`,
 * licence `P`, test `N`), the signature (`E`, `F` before 3.15) and the known-bad names.
 * @see kernel/module/main.c module_augment_kernel_taints, check_modinfo_retpoline, module_license_taint_check
 * @module
 */
import { GPL_COMPATIBLE_LICENSES, TAINT } from '../../../abi/linux/v26.js';
import { step } from '../../../core/pipeline.js';
import { OK_VOID } from '../../../core/result.js';
import type { LoadInfo } from '../load-info.js';
import { addTaint, testTaint } from '../taint.js';

/** The modinfo part (`check_modinfo` did this before 6.4). */
export function modinfoTaints(info: LoadInfo): void {
  const k = info.k;
  const log = k.core.log;
  const sysctl = k.core.sysctl;
  const mi = info.modinfo;
  const name = info.modName;
  if (mi?.get('intree') === undefined) {
    if (!testTaint(sysctl, TAINT.OOT_MODULE)) log.warn(`${name}: loading out-of-tree module taints kernel.`);
    k.taintPending(info, TAINT.OOT_MODULE);
  }
  if (k.config.retpoline && mi?.get('retpoline') === undefined)
    log.warn(`${name}: loading module not compiled with retpoline compiler.`);
  if (mi?.get('staging') !== undefined) {
    k.taintPending(info, TAINT.CRAP);
    log.warn(`${name}: module is from the staging directory, the quality is unknown, you have been warned.`);
  }
  if (mi?.get('livepatch') !== undefined && k.config.livepatch) {
    k.taintPending(info, TAINT.LIVEPATCH);
    k.noticeOnce('livepatch', `${name}: tainting kernel with TAINT_LIVEPATCH`);
  }
  const license = mi?.get('license') ?? 'unspecified';
  if (!GPL_COMPATIBLE_LICENSES.includes(license)) {
    if (!testTaint(sysctl, TAINT.PROPRIETARY_MODULE))
      log.warn(`${name}: module license '${license}' taints kernel.`);
    k.taintPending(info, TAINT.PROPRIETARY_MODULE);
  }
  if (mi?.get('test') !== undefined) {
    if (!testTaint(sysctl, TAINT.TEST)) log.warn(`${name}: loading test module taints kernel.`);
    k.taintPending(info, TAINT.TEST);
  }
}

/** The signature and known-names part. */
export function signatureTaints(info: LoadInfo): void {
  const k = info.k;
  const name = info.modName;
  const prev = testTaint(k.core.sysctl, TAINT.PROPRIETARY_MODULE);
  if (k.signatures.enabled) {
    const x = info.mod?.extra;
    if (x !== undefined) x.sigOk = info.sigOk;
    if (!info.sigOk) {
      k.noticeOnce(
        'unsigned',
        `${name}: module verification failed: signature and/or required key missing - tainting kernel`,
      );
      k.taintPending(info, k.era.unsignedTaint === 'E' ? TAINT.UNSIGNED_MODULE : TAINT.FORCED_MODULE);
    }
  }
  if (name === 'ndiswrapper') addTaint(k.core.sysctl, TAINT.PROPRIETARY_MODULE);
  if (name === 'driverloader' || name === 'lve') k.taintPending(info, TAINT.PROPRIETARY_MODULE);
  if (!prev && testTaint(k.core.sysctl, TAINT.PROPRIETARY_MODULE))
    k.core.log.warn(`${name}: module license taints kernel.`);
}

/** Mainline: every taint, once the module is on the list. */
export const moduleAugmentKernelTaints = step<LoadInfo>('moduleAugmentKernelTaints', (info) => {
  modinfoTaints(info);
  signatureTaints(info);
  return OK_VOID;
});

/** Before 6.4: only the signature taint remains to be applied after `add_unformed_module`. */
export const moduleSigTaint = step<LoadInfo>('moduleAugmentKernelTaints', (info) => {
  signatureTaints(info);
  return OK_VOID;
});
