/**
 * `parse_args(mod->name, mod->args, mod->kp, …, unknown_module_param_cb)`: the values go into the module's
 * variables; a failing value fails the load (the last error since 5.x, the first before).
 * @see kernel/module/main.c load_module; kernel/params.c parse_args
 * @module
 */
import { TAINT } from '../../../abi/linux/v26.js';
import { step } from '../../../core/pipeline.js';
import { err, OK_VOID } from '../../../core/result.js';
import type { LoadInfo } from '../load-info.js';
import { parseArgs as parse } from '../params/parse-args.js';
import { addTaint } from '../taint.js';

/** The pipeline step. */
export const parseArgs = step<LoadInfo>('parseArgs', (info) => {
  const k = info.k;
  const mod = info.mod;
  if (mod === undefined) return OK_VOID;
  const log = k.core.log;
  const name = info.modName;
  const r = parse(name, info.args, info.params, {
    mem: k.paramMemory(mod),
    unknownIsError: k.era.unknownParamIsError,
    continueAfterError: k.era.parseArgsContinues,
    lockedDown: k.config.lockdown !== 'none',
    warn: (t) => log.warn(t),
    unsafe: (p) => {
      log.notice(`Setting dangerous option ${p} - tainting kernel`);
      addTaint(k.core.sysctl, TAINT.USER);
    },
  });
  if (r.error !== undefined) {
    k.setState(mod, 'GOING');
    return err(r.error, `${name}: parameter parsing failed`);
  }
  if (r.afterDashes !== undefined) log.warn(`${name}: parameters '${r.afterDashes}' after \`--' ignored`);
  return OK_VOID;
});
