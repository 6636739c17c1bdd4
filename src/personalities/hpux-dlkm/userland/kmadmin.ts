/**
 * `kmadmin(1M)` (HP-UX 11.0 / 11i v1): load, unload and query kernel modules, change the search path.
 * Output layouts of `-s`, `-S`, `-Q`, `-q` and the messages are the reference's proposal (hpux-dlkm.md §12.1:
 * HP never published them).
 * @module
 */
import { MOD_TY_BDEV, MOD_TY_CDEV, MOD_TY_MISC, MOD_TY_STR } from '../../../abi/hpux/dlkm.js';
import type { ToolResult } from '../../personality.js';
import type { DlkmCallContext } from '../dlkm-call-context.js';
import { HpuxDlkmSys } from '../hpux-dlkm-sys.js';
import type { ModStatus } from '../modstatus.js';
import { moduleNameOf } from '../steps/mod-lookup.js';
import { getopt } from './getopt.js';
import { hpuxStrerror } from './strerror.js';

const USAGE = `usage: kmadmin -d directory_name | -D
       kmadmin -k
       kmadmin -L module_name ... | pathname ...
       kmadmin -q module_id ...
       kmadmin -Q module_name ...
       kmadmin -s | -S
       kmadmin -u module_id ...
       kmadmin -U module_name ...
`;

/** kmadmin's type word from `mss_type` (or the module type when the module is not loaded). */
function typeWord(st: ModStatus, fallback: string | undefined): string {
  const t = st.msinfo[0]?.type ?? 0;
  if (t === MOD_TY_CDEV || t === MOD_TY_BDEV) return 'WSIO';
  if (t === MOD_TY_STR) return 'STREAMS';
  if (t === MOD_TY_MISC) return 'Misc';
  if (fallback === undefined || fallback === '') return '';
  return fallback.startsWith('wsio') ? 'WSIO' : fallback.startsWith('streams') ? 'STREAMS' : 'Misc';
}

function isLoaded(st: ModStatus): boolean {
  return st.base !== 0n || st.size !== 0;
}

function row(label: string, value: string | number): string {
  return `${`${label.padEnd(24)}${value}`.trimEnd()}\n`;
}

/** The `-Q`/`-q` report of one module. */
function fullStatus(c: DlkmCallContext, st: ModStatus): string {
  const name = moduleNameOf(st.path);
  const type = typeWord(st, c.dlkm.store.get(name)?.info?.type);
  const m = st.msinfo[0];
  let out =
    row('Module Name', name) +
    row('Module ID', st.id) +
    row('Module Path', st.path) +
    row('Status', isLoaded(st) ? 'LOADED' : 'UNLOADED') +
    row('Size', st.size) +
    row('Base Address', `0x${st.base.toString(16)}`) +
    row('BSS Size', st.bssSize) +
    row('BSS Base Address', `0x${st.bss.toString(16)}`) +
    row('Hold Count', st.holdcnt) +
    row('Dependent Count', st.depcnt) +
    row('Unload Delay', `${st.unloadDelay} seconds`) +
    row('Description', m?.linkinfo ?? c.dlkm.store.get(name)?.info?.desc ?? '') +
    row('Type', type);
  if (m !== undefined && (m.type === MOD_TY_CDEV || m.type === MOD_TY_BDEV || m.type === MOD_TY_STR)) {
    out +=
      row('Block Major', m.p0[0]) +
      row('Character Major', m.p0[1]) +
      row('Flags', `0x${m.p1[0].toString(16)}`);
  }
  return out;
}

/** The `kmadmin` command. */
export function kmadmin(c: DlkmCallContext, argv: readonly string[]): ToolResult {
  const sys = new HpuxDlkmSys(c.core.syscalls, c.core.user, c.era.v1);
  const parsed = getopt(argv, 'd:DkLqQsSuU');
  if ('error' in parsed) return { exitCode: 2, stdout: '', stderr: `kmadmin: ${parsed.error}\n${USAGE}` };
  const ops = parsed.options;
  const args = parsed.operands;
  if (ops.length !== 1) return { exitCode: 2, stdout: '', stderr: USAGE };
  const op = ops[0].flag;
  let stdout = '';
  let stderr = '';
  let exitCode = 0;
  const failed = (what: string, who: string | number, errno: Parameters<typeof hpuxStrerror>[0]) => {
    stderr += `kmadmin: ${what} failed for ${who}: ${hpuxStrerror(errno)}\n`;
    exitCode = 1;
  };
  const byName = (name: string): ModStatus | undefined =>
    sys.list().find((s) => moduleNameOf(s.path) === name);
  const needsArgs = 'LqQuU'.includes(op);
  if (needsArgs && args.length === 0) return { exitCode: 2, stdout: '', stderr: USAGE };
  if (!needsArgs && args.length > 0) return { exitCode: 2, stdout: '', stderr: USAGE };
  switch (op) {
    case 'd': {
      const r = sys.modpath(ops[0].value ?? '');
      if (r.errno !== undefined) failed('modpath', ops[0].value ?? '', r.errno);
      break;
    }
    case 'D': {
      const r = sys.modpath(undefined);
      if (r.errno !== undefined) failed('modpath', 'default path', r.errno);
      break;
    }
    case 'k':
      for (const e of c.dlkm.store.list()) if (e.state === 'static') stdout += `${e.name}\n`;
      break;
    case 'L':
      for (const a of args) {
        const r = sys.modload(a);
        if (r.errno !== undefined) failed('load', a, r.errno);
        else stdout += `kmadmin: Module ${moduleNameOf(a)} loaded, ID = ${r.ret}\n`;
      }
      break;
    case 'U':
      for (const a of args) {
        const st = byName(a);
        const r = st === undefined ? undefined : sys.moduload(st.id);
        if (r === undefined) failed('unload', a, 'EINVAL');
        else if (r.errno !== undefined) failed('unload', a, r.errno);
        else stdout += `kmadmin: Module ${a} unloaded\n`;
      }
      break;
    case 'u':
      for (const a of args) {
        const id = Number(a);
        const r = sys.moduload(Number.isInteger(id) ? id : -1);
        if (r.errno !== undefined) failed('unload', a, r.errno);
        else stdout += `kmadmin: Module ${a} unloaded\n`;
      }
      break;
    case 'q':
    case 'Q':
      for (const a of args) {
        let st: ModStatus | undefined;
        if (op === 'Q') st = byName(a);
        else {
          const r = sys.modstat(Number.isInteger(Number(a)) ? Number(a) : -1);
          if (r.errno !== undefined && r.errno !== 'EINVAL') {
            failed('query', a, r.errno);
            continue;
          }
          st = r.status;
        }
        if (st === undefined) failed('query', a, 'EINVAL');
        else stdout += `${stdout === '' ? '' : '\n'}${fullStatus(c, st)}`;
      }
      break;
    case 's':
    case 'S': {
      const first = sys.modstat(1, undefined, true);
      if (first.errno !== undefined && first.errno !== 'EINVAL') {
        failed('status', 'all modules', first.errno);
        break;
      }
      const all = sys.list();
      if (op === 'S') {
        stdout = all.map((st) => fullStatus(c, st)).join('\n');
        break;
      }
      stdout = `${'Name'.padEnd(16)}${'ID'.padEnd(8)}${'Status'.padEnd(16)}Type\n${'='.repeat(53)}\n`;
      for (const st of all) {
        const name = moduleNameOf(st.path);
        stdout += `${name.padEnd(16)}${String(st.id).padEnd(8)}${(isLoaded(st) ? 'LOADED' : 'UNLOADED').padEnd(16)}${typeWord(st, c.dlkm.store.get(name)?.info?.type)}\n`;
      }
      break;
    }
  }
  return { exitCode, stdout, stderr };
}
