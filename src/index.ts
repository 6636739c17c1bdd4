/**
 * kmodsim: simulates how operating-system kernels load, link, track and unload kernel modules, with one common
 * kernel core and four API personalities (`linux-v1`, `linux-v24`, `linux-v26`, `hpux-dlkm`).
 * @module
 */
export type { HpuxPrivilege, LinuxCapability } from './abi/capabilities.js';
export { HPUX_PRIVILEGES, LINUX_CAPABILITIES } from './abi/capabilities.js';
export type { ErrnoName, ErrnoTable } from './abi/errno.js';
export { ERRNO_NAMES, isErrnoName } from './abi/errno.js';
export { HPUX_ERRNO } from './abi/hpux/errno.js';
export { LINUX_ERRNO } from './abi/linux/errno.js';
export type { CaseList, CaseOptions, CasesReport, ContractCase } from './conformance/cases.js';
export { CONTRACT_CASES, runCases } from './conformance/cases.js';
export type { CoverageRow } from './conformance/coverage.js';
export { CoverageRecorder, coverageTable, formatCoverage } from './conformance/coverage.js';
export type { DocumentedCall, DocumentedCalls, DocumentedErrno } from './conformance/documented-errnos.js';
export { DOCUMENTED_ERRNOS, documentedCalls, isDocumented } from './conformance/documented-errnos.js';
export type { EraExpectations, LoadCheck, UnloadCheck } from './conformance/expectations.js';
export { ERA_EXPECTATIONS } from './conformance/expectations.js';
export { KmodsimTarget } from './conformance/kmodsim-target.js';
export type { Replay, ReplayFile, ReplayInfo, ReplayStep } from './conformance/replay.js';
export type { RobustnessCase, RobustnessOptions, RobustnessSpec } from './conformance/robustness.js';
export { ROBUSTNESS, runRobustness } from './conformance/robustness.js';
export type { ConformanceOptions, ConformanceReport, PropertyName } from './conformance/run-conformance.js';
export { hasConformanceSuite, PROPERTIES, runConformance } from './conformance/run-conformance.js';
export { ScriptTarget } from './conformance/script-target.js';
export type { PropertyOptions, PropertyReport, SuiteOptions, SuiteReport } from './conformance/suite.js';
export { runModelSuite } from './conformance/suite.js';
export type {
  ConformanceOp,
  KernelSettings,
  Observation,
  ObservedModule,
  OpOutcome,
  SysOpArgs,
  Target,
} from './conformance/target.js';
export { lineToOp, opToLine, parseOutcome } from './conformance/target.js';
export type { AddressSpaceConfig, Allocation, MemorySource, Span } from './core/address-space.js';
export { AddressSpace, I386_VMALLOC_AREA, X86_64_MODULE_AREA } from './core/address-space.js';
export type {
  BehaviourAction,
  BehaviourCallback,
  BehaviourCallbacks,
  BehaviourHost,
  BehaviourOutcome,
  BlockAction,
  GetAction,
  LogAction,
  ModuleBehaviour,
  PutAction,
  RequestAction,
  ResolvedBehaviour,
  ReturnAction,
} from './core/behaviours.js';
export { Behaviours, parseBehaviour, runActions } from './core/behaviours.js';
export type { CredentialsState } from './core/credentials.js';
export { ALL_CAPABILITIES, Credentials } from './core/credentials.js';
export type { CredentialsConfig, KernelConfig } from './core/kernel-config.js';
export { KernelCore } from './core/kernel-core.js';
export { type CryptoSource, KernelCrypto } from './core/kernel-crypto.js';
export type { KernelError } from './core/kernel-error.js';
export { KmodsimError, kernelError } from './core/kernel-error.js';
export type { LogLevel, LogLine } from './core/kernel-log.js';
export { KernelLog, LOG_LEVELS } from './core/kernel-log.js';
export type { ModuleRecord, NameNormaliser } from './core/module-registry.js';
export { DASH_UNDERSCORE_NAMES, EXACT_NAMES, ModuleRegistry } from './core/module-registry.js';
export type { PipelineTrace, Step } from './core/pipeline.js';
export { runPipeline, step, UndoStack } from './core/pipeline.js';
export type { Fail, Ok, Result } from './core/result.js';
export { err, fail, OK_VOID, ok } from './core/result.js';
export type { JsonValue, Snapshottable } from './core/snapshot.js';
export type { KernelSymbol } from './core/symbol-table.js';
export { KERNEL_OWNER, SymbolTable } from './core/symbol-table.js';
export type {
  SyscallArg,
  SyscallArgs,
  SyscallEntry,
  SyscallRecord,
  SyscallReturn,
} from './core/syscall-table.js';
export { SyscallTable } from './core/syscall-table.js';
export type { LatchKind, SwitchDefinition } from './core/sysctl.js';
export { SYSCTL, Sysctl } from './core/sysctl.js';
export type { UserArg, UserPtr, UserString } from './core/user-memory.js';
export { NULL_PTR, UserMemory } from './core/user-memory.js';
export type { FileStat, FileType, GeneratedFile, OpenFile, OpenMode, PathLimits } from './core/vfs.js';
export { Vfs } from './core/vfs.js';
export type { CompareFormat, CompareRow, Comparison } from './experiments/compare.js';
export { cellText, compare, formatComparison } from './experiments/compare.js';
export { dependencySvg, htmlReport, memoryMapSvg } from './experiments/html-report.js';
export { formatIssues, loadScenario } from './experiments/load-scenario.js';
export type { ScenarioIssue } from './experiments/parse-scenario.js';
export { parseScenario } from './experiments/parse-scenario.js';
export type { RunOptions, ScenarioResult, StepResult } from './experiments/run-scenario.js';
export { configFor, neutralSpec, runScenario, runStep, stage } from './experiments/run-scenario.js';
export type {
  Expectation,
  FileBehaviour,
  Outcome,
  Scenario,
  ScenarioFile,
  ScenarioStep,
  StepAction,
} from './experiments/scenario.js';
export { expectationFor, STEP_ACTIONS } from './experiments/scenario.js';
export type { HandlerArgs, PreparedCall, SysForm, SysState, SysStepArgs } from './experiments/sys-args.js';
export { newSysState, prepareSys, SYS_FORMS } from './experiments/sys-args.js';
export { formatSyscall, formatTrace } from './experiments/trace.js';
export type { CreateKernelOptions } from './kernel.js';
export { createKernel, Kernel, restoreKernel, STATE_FORMAT } from './kernel.js';
export type { HpuxDlkmSys, ModstatReturn } from './personalities/hpux-dlkm/hpux-dlkm-sys.js';
export type { ModSpecificStat, ModStatus } from './personalities/hpux-dlkm/modstatus.js';
export type { PersonalitySys } from './personalities/index.js';
export { PERSONALITIES } from './personalities/index.js';
export type {
  KernelSymEntry,
  LinuxV1Sys,
  SymbolTableEntry,
  SymbolTableSpec,
} from './personalities/linux-v1/linux-v1-sys.js';
export {
  decodeKernelSyms,
  encodeRoutines,
  encodeSymbolTable,
} from './personalities/linux-v1/linux-v1-sys.js';
export type { LinuxV24Sys, ModuleInfo, SymbolEntry } from './personalities/linux-v24/linux-v24-sys.js';
export type { FlagsArg, LinuxV26Sys } from './personalities/linux-v26/linux-v26-sys.js';
export type {
  ActionResult,
  ErrnoFamily,
  NeutralActions,
  NeutralModuleSpec,
  Personality,
  PersonalityDefinition,
  PersonalityId,
  Tool,
  ToolResult,
} from './personalities/personality.js';
export {
  errnoNumber,
  isPersonalityId,
  PERSONALITY_IDS,
  toSyscallReturn,
} from './personalities/personality.js';
