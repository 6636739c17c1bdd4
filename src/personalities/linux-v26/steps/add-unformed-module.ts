/**
 * `add_unformed_module`: the duplicate check again (now under the lock), then the module goes on the list in
 * state UNFORMED (invisible to `find_module`, `/proc/modules` and symbol lookups).
 * @see kernel/module/main.c add_unformed_module
 * @module
 */
import { step } from '../../../core/pipeline.js';
import { err, OK_VOID } from '../../../core/result.js';
import type { LoadInfo } from '../load-info.js';
import { type LoadedModule, type ModuleExtra, setModuleExtra } from '../loaded-module.js';
import { checkExists } from './module-patient-check-exists.js';

/** The pipeline step. */
export const addUnformedModule = step<LoadInfo>('addUnformedModule', (info, undo) => {
  const k = info.k;
  const exists = checkExists(info);
  if (!exists.ok) return exists;
  const core = info.regions?.core;
  const init = info.regions?.init;
  const extra: ModuleExtra = {
    taints: info.pendingTaints,
    hasInit: false,
    hasExit: false,
    core: core === undefined ? undefined : [core.address.toString(16), core.size],
    init: init === undefined ? undefined : [init.address.toString(16), init.size],
    coreSize: info.coreSize,
    initSize: info.initSize,
    version: undefined,
    srcversion: undefined,
    args: '',
    params: [],
    paramValues: {},
    sectionNames: [],
    sectionAddrs: [],
    percpu: undefined,
    sigOk: info.sigOk,
  };
  const added = k.core.modules.add(info.modName, {
    state: k.era.unformed ? 'UNFORMED' : 'COMING',
    address: core?.address ?? 0n,
    size: info.coreSize + info.initSize,
  });
  if (!added.ok) return err('EEXIST', `module ${info.modName} already loaded`);
  const record = added.value;
  setModuleExtra(record, extra);
  const mod: LoadedModule = { record, extra, core, init };
  k.attach(mod);
  info.mod = mod;
  undo.push('remove from module list', () => k.detach(mod));
  return OK_VOID;
});
