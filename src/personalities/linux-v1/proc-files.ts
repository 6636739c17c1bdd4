/**
 * `/proc/modules` (`get_module_list`) and `/proc/ksyms` (`get_ksyms_list`) of 1.x/2.0: the list walk stops
 * before the tail element (1.2 prints `kernel_module` and pseudo modules with an empty name when resident tables
 * were registered; 1.3+ skips elements with no name, no size and no referrers); each line is the name padded
 * to 20 columns with the size in pages, the state suffix, the referrers (`\t[a b]`; 2.0 always prints the tab),
 * and from 1.3 the count with the flag bits masked plus ` (autoclean)`. Both files stop near 4 KiB in 1.2.
 * @see kernel/module.c get_module_list, get_ksyms_list (1.2.13, 1.3.89, 2.0.40); linux-legacy.md §A.9
 * @module
 */
import { MOD_AUTOCLEAN, MOD_DELETED, MOD_RUNNING, MOD_UNINITIALIZED } from '../../abi/linux/v1.js';
import { hex8 } from '../linux-v24/kernel-memory.js';
import type { LinuxV1Kernel } from './linux-v1-kernel.js';

/** Where the 4 KiB page of the era stops accepting lines (`p - buf > 4096 - 100`). */
const PAGE_LIMIT = 4096 - 100;

function stateSuffix(state: number): string {
  if (state === MOD_UNINITIALIZED) return '  (uninitialized)';
  if (state === MOD_RUNNING) return '';
  if (state === MOD_DELETED) return '  (deleted)';
  return '  (bad state)';
}

/** `/proc/modules`. */
export function procModules(k: LinuxV1Kernel): string {
  const list = k.list();
  let out = '';
  for (let i = 0; i + 1 < list.length; i++) {
    const m = list[i];
    if (out.length > PAGE_LIMIT) break;
    if (k.era.procSkipsResident && m.name === '' && m.pages === 0 && m.referrers.length === 0) continue;
    const size = String(m.pages);
    const pad = Math.max(1, 20 - m.name.length - size.length);
    out += `${m.name}${' '.repeat(pad)}${size}${stateSuffix(m.state)}`;
    if (k.era.procAlwaysTab) out += '\t';
    if (m.referrers.length > 0)
      out += `${k.era.procAlwaysTab ? '' : '\t'}[${m.referrers.map((r) => r.name).join(' ')}]`;
    if (k.era.autoclean && m.state === MOD_RUNNING) {
      out += `\t${k.useCount(m)}`;
      if (k.useWord(m) & MOD_AUTOCLEAN) out += ' (autoclean)';
    }
    out += '\n';
  }
  return out;
}

/** `/proc/ksyms`: the symbols of running modules newest first, then the kernel's and the pseudo modules'. */
export function procKsyms(k: LinuxV1Kernel): string {
  let out = '';
  for (const m of k.list()) {
    if (m.state !== MOD_RUNNING || m.symtab === undefined) continue;
    for (const s of m.symtab.symbols) {
      if (!k.era.ksymsPaged && out.length > PAGE_LIMIT) return `${out}...\n`;
      out += m.name === '' ? `${hex8(s.addr)} ${s.name}\n` : `${hex8(s.addr)} ${s.name}\t[${m.name}]\n`;
    }
  }
  return out;
}
