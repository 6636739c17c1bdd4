/**
 * The module builder: personality-neutral {@link ModuleSpec}s written as the images each personality takes
 * (x86_64 `.ko`, i386 `.o` for the 2.4/2.0/1.x module tools, HP-UX DLKM objects), and read back.
 * @module
 */
export {
  BEHAVIOUR_SECTION,
  type BehaviourActionSpec,
  type BehaviourSpec,
  type BlockActionSpec,
  behaviourFromJson,
  type GetActionSpec,
  type LogActionSpec,
  type PutActionSpec,
  parseBehaviourSpec,
  type RequestActionSpec,
  type ReturnActionSpec,
  serializeBehaviour,
} from './behaviour-spec.js';
export {
  type BuildTarget,
  buildModule,
  type DlkmTarget,
  type I386Target,
  type KoTarget,
} from './build-target.js';
export { canonicalModuleSpec, impliedImports } from './canonical-module-spec.js';
export {
  buildDlkmObject,
  DEFAULT_DLKM_TYPE,
  DLKM_DEPEND_VERSION,
  dlkmOpsSymbol,
  EF_IA_64_ABI64,
  ELFOSABI_HPUX,
  modmetaText,
} from './dlkm-object-builder.js';
export {
  ElfWriter,
  type ElfWriterOptions,
  type RelocationSpec,
  type SectionSpec,
  StringTableBuilder,
  type SymbolSpec,
  type TableOrder,
  type WriterSection,
  type WriterSymbol,
  type WrittenElf,
} from './elf-writer.js';
export {
  buildI386Object,
  type I386ObjectOptions,
  type LegacyParamType,
  legacyParamType,
  legacyParmSpec,
  versionedName,
} from './i386-object-builder.js';
export {
  buildKo,
  defaultVermagic,
  type KoOptions,
  kbuildModname,
  paramOpsSymbols,
  paramTypeName,
  type ResolvedKoOptions,
  THIS_MODULE_6_1,
  THIS_MODULE_NAME_OFFSET,
  type ThisModuleLayout,
} from './ko-builder.js';
export {
  type CrcSource,
  DEFAULT_KERNEL_RELEASE,
  DEFAULT_LICENSE,
  DEFAULT_PARAM_PERM,
  type DlkmSpec,
  type ExportSpec,
  type ImportSpec,
  type ModuleSpec,
  PARAM_TYPES,
  type ParamSpec,
  type ParamType,
  type ParamValue,
  type SizesSpec,
  symbolName,
} from './module-spec.js';
export { moduleSpecFromJson } from './module-spec-json.js';
export { type ReadModuleSpec, readModuleSpec } from './read-module-spec.js';
export {
  isReservedSymbol,
  type LegacyEra,
  type ModuleFormat,
  ModuleSpecError,
  type ResolvedExport,
  type ResolvedImport,
  type ResolvedParam,
  type ResolvedSpec,
  type ResolvedValue,
  type ResolveTarget,
  resolveModuleSpec,
} from './resolve-module-spec.js';
export { crc32, defaultSymbolCrc, symbolCrc } from './symbol-crc.js';
