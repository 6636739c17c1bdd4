/**
 * Reading a module tree's files with their `.modinfo` name and `depends=`, and a dependency-first load order.
 * @module
 */
import { readFileSync } from 'node:fs';
import { ElfFile } from '../../src/elf/elf-file.js';
import { readModinfo } from '../../src/elf/modinfo.js';
import { readModuleSignature } from '../../src/elf/module-signature.js';

/** One module file of the tree. */
export interface CorpusModule {
  readonly path: string;
  readonly name: string;
  readonly depends: readonly string[];
  readonly bytes: Uint8Array;
}

/** Module names compare with - and _ equal. */
export const key = (n: string) => n.replaceAll('-', '_');

/** Reads a module file and its modinfo name and dependencies. */
export function readCorpusModule(path: string): CorpusModule {
  const b = readFileSync(path);
  const bytes = new Uint8Array(b.buffer, b.byteOffset, b.length);
  const sig = readModuleSignature(bytes);
  const payload = sig.ok && sig.value !== undefined ? bytes.subarray(0, sig.value.payloadLength) : bytes;
  const elf = ElfFile.parse(payload);
  if (!elf.ok) throw new Error(`${path}: ${elf.error.message}`);
  const mi = readModinfo(elf.value);
  if (!mi.ok) throw new Error(`${path}: no modinfo`);
  const name = mi.value.get('name') ?? '';
  const dep = mi.value.get('depends') ?? '';
  return { path, name, depends: dep === '' ? [] : dep.split(',').map(key), bytes };
}

/** Dependencies first; ties in path order. */
export function loadOrder(mods: readonly CorpusModule[]): CorpusModule[] {
  const byName = new Map(mods.map((m) => [key(m.name), m]));
  const out: CorpusModule[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (m: CorpusModule) => {
    const k = key(m.name);
    if (state.get(k) === 'done') return;
    if (state.get(k) === 'visiting') throw new Error(`dependency cycle at ${m.name}`);
    state.set(k, 'visiting');
    for (const d of m.depends) {
      const dm = byName.get(d);
      if (dm === undefined) throw new Error(`${m.name}: depends on missing ${d}`);
      visit(dm);
    }
    state.set(k, 'done');
    out.push(m);
  };
  for (const m of mods) visit(m);
  return out;
}
