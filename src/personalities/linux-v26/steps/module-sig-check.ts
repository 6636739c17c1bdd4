/**
 * `module_sig_check`: the first step of `load_module`, on the raw image before any ELF parsing.
 * @see kernel/module/signing.c module_sig_check, mod_verify_sig; kernel/module_signature.c mod_check_sig
 * @module
 */
import type { ErrnoName } from '../../../abi/errno.js';
import { MODULE_SIG_STRING, MODULE_SIGNATURE_SIZE } from '../../../abi/linux/v26.js';
import { step } from '../../../core/pipeline.js';
import { OK_VOID, type Result } from '../../../core/result.js';
import { hasSignatureMarker, modCheckSig, readModuleSignatureInfo } from '../../../elf/signature/index.js';
import type { LoadInfo } from '../load-info.js';

/**
 * `mod_verify_sig`: `mod_check_sig` on the trailer (its pr_err lines), then `verify_pkcs7_signature` (its
 * pr_warn lines). `info.len` becomes the signed length before the verification, as in the kernel.
 */
function modVerifySig(info: LoadInfo): ErrnoName | undefined {
  const b = info.hdr;
  const modlen = info.len;
  if (modlen <= MODULE_SIGNATURE_SIZE) return 'EBADMSG';
  const ms = readModuleSignatureInfo(b, modlen - MODULE_SIGNATURE_SIZE);
  const log = info.k.core.log;
  const c = modCheckSig(ms, modlen, 'module');
  if (!c.ok) {
    for (const line of c.error.lines) log.err(line);
    return c.error.errno;
  }
  const payload = modlen - MODULE_SIGNATURE_SIZE - ms.sigLen;
  info.len = payload;
  const r = info.k.signatures.verify(b.subarray(0, payload), b.subarray(payload, payload + ms.sigLen));
  if (r.ok) return undefined;
  for (const line of r.error.lines) log.warn(line);
  return r.error.errno;
}

/** Runs the check; sets `info.sigOk`. */
export function runModuleSigCheck(info: LoadInfo): Result<void> {
  const k = info.k;
  if (!k.signatures.enabled) return OK_VOID;
  const policy = k.era.sig;
  let e: ErrnoName = policy.unsigned;
  if (policy.look(info.flags) && hasSignatureMarker(info.hdr, info.len)) {
    info.len -= MODULE_SIG_STRING.length;
    const v = modVerifySig(info);
    if (v === undefined) {
      info.sigOk = true;
      return OK_VOID;
    }
    e = v;
  }
  return policy.outcome(k, e);
}

/** The pipeline step. */
export const moduleSigCheck = step<LoadInfo>('moduleSigCheck', (info) => runModuleSigCheck(info));
