/**
 * `mod->args = strndup_user(uargs, ~0UL >> 1)`: the parameter string is copied only now, after relocation, so a
 * bad module reports its own error first; NULL or unmapped → EFAULT.
 * @see kernel/module/main.c load_module; mm/util.c strndup_user
 * @module
 */
import { step } from '../../../core/pipeline.js';
import { err, OK_VOID } from '../../../core/result.js';
import type { LoadInfo } from '../load-info.js';

/** The pipeline step. */
export const strndupUserArgs = step<LoadInfo>('strndupUser', (info) => {
  const user = info.k.core.user;
  const s = user.strncpyFromUser(info.uargs, Number.MAX_SAFE_INTEGER);
  if (!s.ok || s.value.truncated) return err('EFAULT', `${info.modName}: cannot copy module parameters`);
  info.args = s.value.value;
  if (info.mod !== undefined) info.mod.extra.args = info.args;
  return OK_VOID;
});
