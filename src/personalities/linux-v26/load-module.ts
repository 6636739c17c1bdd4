/**
 * `load_module`: the steps in the kernel's order for the configured era, run by the core pipeline (whose undo
 * stack is the kernel's goto ladder: any failure leaves the kernel as it was, taints and log lines aside).
 * @see kernel/module/main.c load_module
 * @module
 */
import { type PipelineTrace, runPipeline, type Step } from '../../core/pipeline.js';
import type { Result } from '../../core/result.js';
import type { LinuxV26Era } from './linux-v26-era.js';
import type { LinuxV26Kernel } from './linux-v26-kernel.js';
import type { LoadInfo } from './load-info.js';
import { addUnformedModule } from './steps/add-unformed-module.js';
import { applyRelocations } from './steps/apply-relocations.js';
import { blacklisted } from './steps/blacklisted.js';
import { checkExportSymbolVersions } from './steps/check-export-symbol-versions.js';
import { checkModinfo, checkModinfoWithTaints } from './steps/check-modinfo.js';
import { checkModstructVersion } from './steps/check-modstruct-version.js';
import { completeFormation } from './steps/complete-formation.js';
import { doInitModule } from './steps/do-init-module.js';
import { elfValidityCacheCopy } from './steps/elf-validity-cache-copy.js';
import { elfValidityCheck, setupLoadInfo } from './steps/elf-validity-check.js';
import { findModuleSections } from './steps/find-module-sections.js';
import { layoutAndAllocate } from './steps/layout-and-allocate.js';
import { modSysfsSetup } from './steps/mod-sysfs-setup.js';
import { moduleAugmentKernelTaints, moduleSigTaint } from './steps/module-augment-kernel-taints.js';
import { modulePatientCheckExists } from './steps/module-patient-check-exists.js';
import { moduleSigCheck } from './steps/module-sig-check.js';
import { moduleUnloadInit } from './steps/module-unload-init.js';
import { parseArgs } from './steps/parse-args.js';
import { percpuModalloc } from './steps/percpu-modalloc.js';
import { postRelocation } from './steps/post-relocation.js';
import { prepareComingModule } from './steps/prepare-coming-module.js';
import { rewriteSectionHeaders } from './steps/rewrite-section-headers.js';
import { setupModinfo } from './steps/setup-modinfo.js';
import { simplifySymbols } from './steps/simplify-symbols.js';
import { strndupUserArgs } from './steps/strndup-user-args.js';

const TAIL: readonly Step<LoadInfo>[] = [
  percpuModalloc,
  moduleUnloadInit,
  findModuleSections,
  checkExportSymbolVersions,
  setupModinfo,
  simplifySymbols,
  applyRelocations,
  postRelocation,
  strndupUserArgs,
  completeFormation,
  prepareComingModule,
  parseArgs,
  modSysfsSetup,
  doInitModule,
];

/** Mainline (6.4+): `early_mod_check` before allocation, taints once on the list. */
const MAINLINE: readonly Step<LoadInfo>[] = [
  moduleSigCheck,
  elfValidityCacheCopy,
  blacklisted,
  rewriteSectionHeaders,
  checkModstructVersion,
  checkModinfo,
  modulePatientCheckExists,
  layoutAndAllocate,
  addUnformedModule,
  moduleAugmentKernelTaints,
  ...TAIL,
];

/** 4.10 – 6.3: `elf_validity_check` + `setup_load_info`; `check_modinfo` (with the modinfo taints) opens `layout_and_allocate`. */
const CLASSIC: readonly Step<LoadInfo>[] = [
  moduleSigCheck,
  elfValidityCheck,
  setupLoadInfo,
  blacklisted,
  rewriteSectionHeaders,
  checkModstructVersion,
  checkModinfoWithTaints,
  layoutAndAllocate,
  addUnformedModule,
  moduleSigTaint,
  ...TAIL,
];

/** The step list of an era. */
export function loadModuleSteps(era: LinuxV26Era): readonly Step<LoadInfo>[] {
  if (era.earlyModCheck) return MAINLINE;
  return era.blacklist ? CLASSIC : CLASSIC.filter((s) => s !== blacklisted);
}

/**
 * A fresh `struct load_info` for an image already in kernel memory. Every field is present from the start, in one
 * order, whichever steps a load reaches: every load's object then has the same shape, and code the JIT optimised
 * for it is not thrown away when a later module first sets a field the earlier ones never reached.
 */
export function newLoadInfo(k: LinuxV26Kernel, hdr: Uint8Array, uargs: number, flags: number): LoadInfo {
  return {
    k,
    flags,
    uargs,
    hdr,
    len: hdr.length,
    sigOk: false,
    elf: undefined,
    sechdrs: undefined,
    index: { sym: 0, str: 0, mod: 0, info: 0, vers: 0, pcpu: 0 },
    name: '',
    modName: '',
    modinfo: undefined,
    versions: undefined,
    extVersions: undefined,
    symtab: undefined,
    alloc: undefined,
    placement: undefined,
    coreSize: 0,
    initSize: 0,
    placed: undefined,
    mod: undefined,
    symValues: undefined,
    uses: [],
    usingGplOnly: false,
    params: [],
    args: '',
    exports: [],
    relocations: { count: 0 },
    blocked: false,
    pendingTaints: 0,
    regions: undefined,
  };
}

/** `load_module(info, uargs, flags)`. */
export function loadModule(info: LoadInfo, trace: PipelineTrace): Result<void> {
  const r = runPipeline(info, loadModuleSteps(info.k.era), trace);
  info.k.stats.relocations += info.relocations.count;
  if (r.ok) info.k.stats.loaded++;
  return r;
}
