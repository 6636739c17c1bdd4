/**
 * `complete_formation`: `verify_exported_symbols` (a name the kernel or another module already exports →
 * ENOEXEC), then the exports become visible and the module COMING.
 * @see kernel/module/main.c complete_formation, verify_exported_symbols
 * @module
 */
import { step } from '../../../core/pipeline.js';
import { err, OK_VOID } from '../../../core/result.js';
import { KERNEL_OWNER, type KernelSymbol, kernelSymbol } from '../../../core/symbol-table.js';
import type { LoadInfo } from '../load-info.js';
import { numberToAddr } from '../loaded-module.js';

/** The pipeline step. */
export const completeFormation = step<LoadInfo>('completeFormation', (info, undo) => {
  const k = info.k;
  const mod = info.mod;
  if (mod === undefined) return OK_VOID;
  const symbols = k.core.symbols;
  for (const e of info.exports) {
    const other = symbols.lookup(e.name);
    if (other !== undefined) {
      const owner = other.owner === KERNEL_OWNER ? 'kernel' : other.owner;
      const text = `${info.modName}: exports duplicate symbol ${e.name} (owned by ${owner})`;
      k.core.log.err(text);
      return err('ENOEXEC', text);
    }
  }
  const owner = mod.record.name;
  const list: KernelSymbol[] = info.exports.map((e) =>
    kernelSymbol(e.name, numberToAddr(e.addr), owner, e.gpl, e.ns, e.crc),
  );
  symbols.addAll(list, true);
  undo.push('remove exported symbols', () => symbols.removeOwner(owner));
  k.setState(mod, 'COMING');
  return OK_VOID;
});
