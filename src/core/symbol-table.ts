import { injectable } from 'inversify';
import { err, OK_VOID, type Result } from './result.js';
import { asArray, asObject, type JsonValue, type Snapshottable } from './snapshot.js';

/** The owner name used for the kernel's own (vmlinux) symbols. */
export const KERNEL_OWNER = 'vmlinux';

/** One exported symbol, of the kernel or of a module. */
export interface KernelSymbol {
  /** Symbol name as the era spells it (1.x a.out names keep their leading `_`). */
  readonly name: string;
  /** Address. */
  readonly value: bigint;
  /** Exporting module, or {@link KERNEL_OWNER}. */
  readonly owner: string;
  /** `EXPORT_SYMBOL_GPL`: usable only by GPL-compatible modules. */
  readonly gplOnly: boolean;
  /** Symbol namespace (`EXPORT_SYMBOL_NS`), if any. */
  readonly namespace?: string;
  /** modversions CRC, if the exporter has one. */
  readonly crc?: number;
  /**
   * {@link KernelSymbol.value} read as a signed 64-bit number (`signedAddress()`), as a 64-bit loader
   * computes with it; set by `kernelSymbol()`, so resolving an import converts no BigInt.
   */
  readonly signedValue?: number;
}

/**
 * A {@link KernelSymbol} with every field present (`namespace` and `crc` `undefined` when absent): symbols made
 * here share one object shape, so the loader's symbol lookups stay monomorphic.
 */
export function kernelSymbol(
  name: string,
  value: bigint,
  owner: string,
  gplOnly: boolean,
  namespace: string | undefined,
  crc: number | undefined,
): KernelSymbol {
  return { name, value, owner, gplOnly, namespace, crc, signedValue: signedAddress(value) };
}

/**
 * A 64-bit address (unsigned, as stored) as the signed number a 64-bit loader computes with: exact for kernel
 * addresses, which lie in the top 2^53.
 */
export function signedAddress(value: bigint): number {
  // asIntN(64) is the signed reading of the unsigned 64-bit value (one operation the JIT keeps unboxed).
  return Number(BigInt.asIntN(64, value));
}

/** The first-registered of a name's entries. */
function first(entry: KernelSymbol | readonly KernelSymbol[]): KernelSymbol {
  return Array.isArray(entry) ? entry[0] : (entry as KernelSymbol);
}

/**
 * The kernel's exported symbols plus every loaded module's exports. Lookup by name is O(1); enumeration follows
 * registration order per owner, and owners in the order they were added, so each era can produce its own listing
 * (e.g. `get_kernel_syms`' newest-module-first with `#name` headers) without rescanning.
 */
@injectable()
export class SymbolTable implements Snapshottable {
  /**
   * name → the symbol with that name, or all of them in registration order where an era allows duplicates (two
   * or more). The symbol itself, not a one-element array, for the common case: a lookup is one load fewer.
   */
  private byName = new Map<string, KernelSymbol | KernelSymbol[]>();
  /** owner → its symbols in export order; Map iteration order = owner registration order. */
  private byOwnerMap = new Map<string, KernelSymbol[]>();

  /**
   * Adds one symbol. Unless `allowDuplicate`, a name already exported by another owner is refused with EEXIST
   * and the reason names the current owner (personalities map it to their era's errno).
   */
  add(symbol: KernelSymbol, allowDuplicate = false): Result<void> {
    const existing = this.byName.get(symbol.name);
    if (existing !== undefined && !allowDuplicate) {
      return err('EEXIST', `exports duplicate symbol ${symbol.name} (owned by ${first(existing).owner})`);
    }
    if (existing === undefined) this.byName.set(symbol.name, symbol);
    else if (Array.isArray(existing)) existing.push(symbol);
    else this.byName.set(symbol.name, [existing, symbol]);
    let list = this.byOwnerMap.get(symbol.owner);
    if (list === undefined) {
      list = [];
      this.byOwnerMap.set(symbol.owner, list);
    }
    list.push(symbol);
    return OK_VOID;
  }

  /**
   * Adds all of `symbols` or none: the first duplicate fails the whole batch and nothing is left behind.
   * @see kernel/module/main.c `verify_exported_symbols`
   */
  addAll(symbols: readonly KernelSymbol[], allowDuplicate = false): Result<void> {
    if (!allowDuplicate) {
      const seen = new Set<string>();
      for (const s of symbols) {
        const owner = this.lookup(s.name)?.owner ?? (seen.has(s.name) ? s.owner : undefined);
        if (owner !== undefined)
          return err('EEXIST', `exports duplicate symbol ${s.name} (owned by ${owner})`);
        seen.add(s.name);
      }
    }
    for (const s of symbols) this.add(s, true);
    return OK_VOID;
  }

  /** Declares an owner with no symbols yet, so it keeps its place in owner order (legacy module lists). */
  declareOwner(owner: string): void {
    if (!this.byOwnerMap.has(owner)) this.byOwnerMap.set(owner, []);
  }

  /** The first-registered symbol with this name. */
  lookup(name: string): KernelSymbol | undefined {
    const found = this.byName.get(name);
    return found === undefined || !Array.isArray(found) ? found : found[0];
  }

  /** Every symbol with this name, in registration order. */
  lookupAll(name: string): readonly KernelSymbol[] {
    const found = this.byName.get(name);
    return found === undefined ? [] : Array.isArray(found) ? found : [found];
  }

  /** Removes every symbol of `owner` (module unload), and the owner itself. */
  removeOwner(owner: string): void {
    const list = this.byOwnerMap.get(owner);
    if (list === undefined) return;
    for (const s of list) {
      const same = this.byName.get(s.name);
      if (same === undefined) continue;
      if (!Array.isArray(same)) {
        if (same === s) this.byName.delete(s.name);
        continue;
      }
      const rest = same.filter((x) => x !== s);
      if (rest.length === 0) this.byName.delete(s.name);
      else this.byName.set(s.name, rest.length === 1 ? rest[0] : rest);
    }
    this.byOwnerMap.delete(owner);
  }

  /** Symbols of one owner in export order. */
  exportsOf(owner: string): readonly KernelSymbol[] {
    return this.byOwnerMap.get(owner) ?? [];
  }

  /** Owners in registration order (the kernel first when its symbols were added first). */
  owners(): string[] {
    return [...this.byOwnerMap.keys()];
  }

  /** Number of symbols. */
  get size(): number {
    let n = 0;
    for (const list of this.byOwnerMap.values()) n += list.length;
    return n;
  }

  /** Every symbol, owners in registration order. */
  *all(): IterableIterator<KernelSymbol> {
    for (const list of this.byOwnerMap.values()) yield* list;
  }

  /** @inheritDoc */
  snapshot(): JsonValue {
    return [...this.byOwnerMap].map(([owner, list]) => ({
      owner,
      symbols: list.map((s) => {
        const row: JsonValue[] = [
          s.name,
          `0x${s.value.toString(16)}`,
          s.gplOnly ? 1 : 0,
          s.namespace ?? '',
          s.crc ?? -1,
        ];
        return row;
      }),
    }));
  }

  /** @inheritDoc */
  restore(state: JsonValue): void {
    this.byName.clear();
    this.byOwnerMap.clear();
    for (const raw of asArray(state, 'symbols')) {
      const o = asObject(raw, 'symbol owner');
      const owner = String(o.owner);
      this.declareOwner(owner);
      for (const row of asArray(o.symbols, 'symbols')) {
        const [name, value, gpl, ns, crc] = asArray(row, 'symbol');
        this.add(
          kernelSymbol(
            String(name),
            BigInt(String(value)),
            owner,
            gpl === 1,
            ns === '' ? undefined : String(ns),
            crc === -1 ? undefined : Number(crc),
          ),
          true,
        );
      }
    }
  }
}
