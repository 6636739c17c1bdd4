/**
 * `kmmodreg(1M)` (HP-UX 11i v1): registers loadable modules with the running kernel (`-M`), unregisters them
 * (`-U`), or registers every module listed in `mod_register` (no arguments). Messages are INVENTED
 * (hpux-dlkm.md §12.2: undocumented).
 * @module
 */
import type { ToolResult } from '../../personality.js';
import { type DlkmCallContext, dlkmPrivileged } from '../dlkm-call-context.js';
import { HpuxDlkmSys } from '../hpux-dlkm-sys.js';
import { findInstalled } from '../module-catalog.js';
import { getopt } from './getopt.js';
import { hpuxStrerror } from './strerror.js';

const USAGE = 'usage: kmmodreg [-M module_name] [-U module_name] [-r mod_register_root] [-c mod_reg_root]\n';

/** Default location of `mod_register`. Source: kmmodreg(1M) ("under /stand/dlkm"). */
export const MOD_REGISTER = '/stand/dlkm/mod_register';

/** The `kmmodreg` command. */
export function kmmodreg(c: DlkmCallContext, argv: readonly string[]): ToolResult {
  const parsed = getopt(argv, 'M:U:r:c:');
  if ('error' in parsed) return { exitCode: 2, stdout: '', stderr: `kmmodreg: ${parsed.error}\n${USAGE}` };
  if (parsed.operands.length > 0) return { exitCode: 2, stdout: '', stderr: USAGE };
  if (!dlkmPrivileged(c))
    return { exitCode: 1, stdout: '', stderr: 'kmmodreg: must be superuser to register modules\n' };
  const store = c.dlkm.store;
  let root = MOD_REGISTER;
  const register: string[] = [];
  const unregister: string[] = [];
  for (const o of parsed.options) {
    if (o.flag === 'M') register.push(o.value ?? '');
    else if (o.flag === 'U') unregister.push(o.value ?? '');
    else if (o.flag === 'r') root = `${o.value ?? ''}/mod_register`;
  }
  let stderr = '';
  if (register.length === 0 && unregister.length === 0) {
    const list = c.core.vfs.readFile(root);
    if (!list.ok) return { exitCode: 1, stdout: '', stderr: `kmmodreg: cannot open ${root}\n` };
    for (const line of new TextDecoder().decode(list.value).split('\n')) {
      const name = line.trim().split(/\s+/)[0];
      if (name !== undefined && name !== '' && !name.startsWith('#')) register.push(name);
    }
  }
  for (const name of register) {
    if (store.isStatic(name)) {
      stderr += `kmmodreg: ${name} is statically configured\n`;
      continue;
    }
    const inst = findInstalled(c.core.vfs, c.dlkm.searchPath.dirs(), name);
    if (inst === undefined) {
      stderr += `kmmodreg: cannot find loadable module ${name}\n`;
      continue;
    }
    if (!store.isRegistered(name)) store.setState(name, 'auto', 'explicit').info = inst.info;
  }
  const sys = new HpuxDlkmSys(c.core.syscalls, c.core.user, c.era.v1);
  for (const name of unregister) {
    if (!store.isRegistered(name)) {
      stderr += `kmmodreg: ${name} is not registered\n`;
      continue;
    }
    if (c.core.modules.has(name)) {
      const r = sys.moduload(store.idOf(name) ?? -1);
      if (r.errno !== undefined) {
        stderr += `kmmodreg: cannot unregister ${name}: it is loaded and cannot be unloaded: ${hpuxStrerror(r.errno)}\n`;
        continue;
      }
    }
    store.setState(name, 'unused', 'explicit');
  }
  return { exitCode: stderr === '' ? 0 : 1, stdout: '', stderr };
}
