/**
 * `init_module(name, image)`: the 2.x load path as named steps in the kernel's order. A failing step before the
 * init unwinds to `err2`/`err3` (the header restored from `mod_tmp`); the init's own failure leaves the module
 * listed and uninitialized, as the kernel does, for `insmod` to delete.
 * @see kernel/module.c sys_init_module (2.2.1, 2.4.0, 2.4.27); linux-legacy.md §B.5
 * @module
 */
import { type PipelineTrace, runPipeline, type Step } from '../../core/pipeline.js';
import type { Result } from '../../core/result.js';
import { type InitContext, initContext } from './init-context.js';
import type { V24Era } from './linux-v24-era.js';
import type { LinuxV24Kernel } from './linux-v24-kernel.js';
import {
  capableCheck,
  checkHeaderSize,
  copyHeader,
  findModuleStep,
  getModNameStep,
  getUserSizeOfStruct,
  saveHeader,
} from './steps/init-header.js';
import { checkName, copyBody, linkDependencies, moduleArchInit, runInit } from './steps/init-link.js';
import {
  boundArchdata,
  boundCanUnload,
  boundCleanup,
  boundDeps,
  boundInit,
  boundKallsyms,
  boundName,
  boundSyms,
  checkExTable,
  checkFlags,
  checkKernelData,
  checkModuleSize,
} from './steps/init-sanity.js';

/** The steps of an era, in order. */
export function initModuleSteps(era: V24Era): Step<InitContext>[] {
  return [
    capableCheck,
    getModNameStep,
    findModuleStep,
    getUserSizeOfStruct,
    checkHeaderSize,
    saveHeader,
    copyHeader,
    checkModuleSize,
    boundName,
    boundSyms,
    boundDeps,
    boundInit,
    boundCleanup,
    checkExTable,
    checkFlags,
    boundCanUnload,
    ...(era.checksKallsyms ? [boundKallsyms, boundArchdata, checkKernelData] : []),
    checkName,
    copyBody,
    ...(era.line === '2.4' ? [moduleArchInit] : []),
    linkDependencies,
    runInit,
  ];
}

/** The syscall body. */
export function initModule(
  k: LinuxV24Kernel,
  namePtr: number,
  imagePtr: number,
  trace: PipelineTrace,
): Result<number> {
  const r = runPipeline(initContext(k, namePtr, imagePtr), initModuleSteps(k.era), trace);
  return r.ok ? { ok: true, value: 0 } : r;
}
