/**
 * `simplify_symbols`: every symbol gets its final value — defined ones their section's address (per-cpu ones
 * the per-cpu area), undefined ones the exporter's address through `resolve_symbol_wait`. Every symbol is
 * visited; the error of the last failing one is returned.
 * @see kernel/module/main.c simplify_symbols, resolve_symbol, resolve_symbol_wait, inherit_taint,
 *   verify_namespace_is_imported, ref_module
 * @module
 */

import { SHN_ABS, SHN_COMMON, SHN_UNDEF, STB_WEAK } from '../../../abi/elf.js';
import type { ErrnoName } from '../../../abi/errno.js';
import { TAINT } from '../../../abi/linux/v26.js';
import { step } from '../../../core/pipeline.js';
import { err, OK_VOID, type Result } from '../../../core/result.js';
import { KERNEL_OWNER } from '../../../core/symbol-table.js';
import type { LoadInfo } from '../load-info.js';
import { addrToNumber } from '../loaded-module.js';

const SHN_LIVEPATCH = 0xff20;
const ERRNO_NUMBER: Partial<Record<ErrnoName, number>> = { ENOENT: 2, EINVAL: 22, EBUSY: 16 };

/**
 * `resolve_symbol`: the address (a number), or the errno (`undefined`: not found). No result object: it runs for
 * every undefined symbol of every module.
 */
function resolveSymbol(info: LoadInfo, name: string): number | ErrnoName | undefined {
  const k = info.k;
  const mod = info.mod;
  if (mod === undefined) return undefined;
  const sym = k.core.symbols.lookup(name);
  const gplok = (mod.extra.taints & (1 << TAINT.PROPRIETARY_MODULE)) === 0;
  if (sym === undefined || (sym.gplOnly && !gplok)) return undefined;
  if (sym.gplOnly) info.usingGplOnly = true;
  const owner = sym.owner === KERNEL_OWNER ? undefined : k.find(sym.owner);
  if (
    owner !== undefined &&
    k.era.inheritTaint &&
    (owner.extra.taints & (1 << TAINT.PROPRIETARY_MODULE)) !== 0
  ) {
    if (info.usingGplOnly) {
      k.core.log.err(
        `${info.modName}: module using GPL-only symbols uses symbols ${name} from proprietary module ${owner.record.name}.`,
      );
      return undefined;
    }
    if ((mod.extra.taints & (1 << TAINT.PROPRIETARY_MODULE)) === 0) {
      k.core.log.warn(
        `${info.modName}: module uses symbols ${name} from proprietary module ${owner.record.name}, inheriting taint.`,
      );
      mod.extra.taints |= 1 << TAINT.PROPRIETARY_MODULE;
    }
  }
  if (!k.versions.checkVersion(info, name, sym.crc)) return 'EINVAL';
  const ns = sym.namespace;
  if (k.era.namespaces && ns !== undefined && ns !== '') {
    const imported = info.modinfo?.getAll('import_ns') ?? [];
    if (!imported.includes(ns)) {
      k.core.log.err(
        `${info.modName}: module uses symbol (${name}) from namespace ${ns}, but does not import it.`,
      );
      return 'EINVAL';
    }
  }
  if (owner !== undefined) {
    const r = k.refModule(mod, owner);
    if (!r.ok) {
      if (r.error.errno === 'EBUSY')
        k.core.log.warn(`${info.modName}: gave up waiting for init of module ${owner.record.name}.`);
      return r.error.errno;
    }
    if (r.value) info.uses.push(owner.record.name);
  }
  return sym.signedValue ?? addrToNumber(sym.value);
}

/** Runs the walk. */
export function runSimplifySymbols(info: LoadInfo): Result<void> {
  const k = info.k;
  const symtab = info.symtab;
  const secs = info.sechdrs ?? [];
  const placed = info.placed ?? [];
  if (symtab === undefined) return OK_VOID;
  const n = symtab.count;
  const values = new Float64Array(n);
  const pcpu = info.index.pcpu;
  const pcpuBase = info.mod?.extra.percpu?.[0] ?? 0;
  let ret: { errno: ErrnoName; text: string } | undefined;
  for (let i = 1; i < n; i++) {
    const shndx = symtab.shndx(i);
    if (shndx === SHN_COMMON) {
      const name = symtab.name(i) ?? '';
      if (name.startsWith('__gnu_lto')) continue;
      const text = `${info.modName}: please compile with -fno-common`;
      k.core.log.warn(text);
      ret = { errno: 'ENOEXEC', text };
    } else if (shndx === SHN_ABS) {
      values[i] = symtab.valueNumber(i);
    } else if (shndx === SHN_LIVEPATCH) {
      values[i] = symtab.valueNumber(i);
    } else if (shndx === SHN_UNDEF) {
      const name = symtab.name(i) ?? '';
      const r = resolveSymbol(info, name);
      if (typeof r === 'number') {
        values[i] = r;
        continue;
      }
      if (r === undefined && (symtab.bind(i) === STB_WEAK || name === '_GLOBAL_OFFSET_TABLE_')) continue;
      const errno = r ?? 'ENOENT';
      const text = `${info.modName}: Unknown symbol ${name} (err -${ERRNO_NUMBER[errno] ?? 0})`;
      k.core.log.warn(text);
      ret = { errno, text };
    } else {
      const base = shndx === pcpu && pcpu !== 0 ? pcpuBase : (placed[shndx]?.addr ?? 0);
      values[i] = symtab.valueNumber(i) + base;
      if (shndx >= secs.length) values[i] = symtab.valueNumber(i);
    }
  }
  info.symValues = values;
  return ret === undefined ? OK_VOID : err(ret.errno, ret.text);
}

/** The pipeline step; the references taken on other modules are dropped if a later step fails. */
export const simplifySymbols = step<LoadInfo>('simplifySymbols', (info, undo) => {
  const k = info.k;
  const mod = info.mod;
  if (mod !== undefined) undo.push('drop module references', () => k.moduleUnloadFree(mod));
  return runSimplifySymbols(info);
});
