/**
 * `do_init_module`: runs the module's init (its behaviour); a negative return frees the module and is the
 * syscall's result; success makes it LIVE, drops the init reference and frees the init region. An init that
 * never returns leaves the module COMING and the caller interrupted (EINTR).
 * @see kernel/module/main.c do_init_module
 * @module
 */
import { step } from '../../../core/pipeline.js';
import { err, OK_VOID } from '../../../core/result.js';
import type { LoadInfo } from '../load-info.js';

/** The pipeline step. */
export const doInitModule = step<LoadInfo>('doInitModule', (info, undo) => {
  const k = info.k;
  const mod = info.mod;
  if (mod === undefined) return OK_VOID;
  const name = mod.record.name;
  if (mod.extra.hasInit) {
    const out = k.core.behaviours.resolve(name).init(k.behaviourHost(name));
    if (out.blocked) {
      info.blocked = true;
      undo.commit();
      return err('EINTR', `${name}: init did not return`);
    }
    if (out.ret !== 0) {
      k.setState(mod, 'GOING');
      k.modulePut(mod);
      return err(out.ret, `${name}: init returned ${out.ret}`);
    }
  }
  k.setState(mod, 'LIVE');
  k.moduleLive(mod);
  k.modulePut(mod);
  if (mod.init !== undefined) {
    k.core.memory.free(mod.init.address);
    mod.init = undefined;
    mod.extra.init = undefined;
    mod.extra.initSize = 0;
    mod.record.size = mod.extra.coreSize;
  }
  return OK_VOID;
});
