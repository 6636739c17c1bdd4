/**
 * `kcmodule(1M)` (HP-UX 11i v2/v3): query and change kernel module states; changes to the running system go
 * through the kernel (`modload`/`moduload`).
 *
 * Formats: the default v2 table (`Module  State  Cause`), `-d`, `-v` and `-P` follow kcmodule(1M) and the HP
 * guides (hpux-dlkm.md §12.3). INVENTED where HP is silent (§14 item 9): the v3 `Notes` column wording, the
 * `(now)`/`(next boot)`/`(before)` rows, the cause phrases of `-v`, and every message text. Saved
 * configurations (`-c`) and the backup question (`-b`, `-B`, `-K`) are accepted but not simulated: changes
 * always act on the running configuration and no backup is made.
 * @module
 */
import type { KcCause, KcState } from '../../../abi/hpux/dlkm.js';
import type { ToolResult } from '../../personality.js';
import { type DlkmCallContext, dlkmPrivileged } from '../dlkm-call-context.js';
import { HpuxDlkmSys } from '../hpux-dlkm-sys.js';
import { interfaceName } from '../steps/mod-dep-load.js';
import { getopt } from './getopt.js';
import {
  KCMODULE_FIELDS,
  type KcField,
  type KcRow,
  notes,
  parsable,
  queryRows,
  table,
  verbose,
} from './kcmodule-format.js';
import { type KnownModule, knownModule, knownModules } from './known-modules.js';
import { hpuxStrerror } from './strerror.js';

const STATES: readonly string[] = ['unused', 'static', 'loaded', 'auto'];

function usage(v2: boolean): string {
  return v2
    ? 'usage: kcmodule [-adhvBDKS] [-c config] [-C comment] [-P fields]\n' +
        '                [module[=[unused|static|loaded|auto|best|uninstall]]] ...\n'
    : 'usage: kcmodule [-adhvDS] [-b behavior] [-c config] [-C comment] [-P fields]\n' +
        '                [module[=[unused|static|loaded|auto|best]]] ...\n';
}

interface Assignment {
  readonly module: KnownModule;
  readonly state: KcState;
  readonly cause: KcCause;
}

/** The `kcmodule` command. */
export function kcmodule(c: DlkmCallContext, argv: readonly string[]): ToolResult {
  const v2 = !c.era.privDlkm;
  const parsed = getopt(argv, v2 ? 'adhvBDKSc:C:P:' : 'adhvDSb:c:C:P:');
  if ('error' in parsed)
    return { exitCode: 2, stdout: '', stderr: `kcmodule: ${parsed.error}\n${usage(v2)}` };
  const flag = (f: string) => parsed.options.some((o) => o.flag === f);
  const all = flag('a');
  const onlyDiffering = flag('D');
  const onlyExplicit = flag('S');
  if (all && (onlyDiffering || onlyExplicit)) return { exitCode: 2, stdout: '', stderr: usage(v2) };
  if (flag('c'))
    return { exitCode: 1, stdout: '', stderr: 'ERROR:   Saved kernel configurations are not simulated.\n' };
  let fields: KcField[] | undefined;
  const p = parsed.options.find((o) => o.flag === 'P');
  if (p !== undefined) {
    fields = [];
    for (const f of (p.value ?? '').split(',')) {
      if (f === 'ALL') fields.push(...KCMODULE_FIELDS);
      else if ((KCMODULE_FIELDS as readonly string[]).includes(f)) fields.push(f as KcField);
      else return { exitCode: 1, stdout: '', stderr: `ERROR:   '${f}' is not a valid field name.\n` };
    }
  }
  const v3 = !v2;
  const assignments: Assignment[] = [];
  const queried: KnownModule[] = [];
  for (const op of parsed.operands) {
    const eq = op.indexOf('=');
    const name = eq < 0 ? op : op.slice(0, eq);
    const m = knownModule(c, name);
    if (m === undefined)
      return { exitCode: 1, stdout: '', stderr: `ERROR:   There is no module named '${name}'.\n` };
    if (eq < 0) {
      queried.push(m);
      continue;
    }
    const want = op.slice(eq + 1);
    let state: KcState;
    let cause: KcCause = 'explicit';
    if (want === '' || want === 'best') {
      state = m.info?.best ?? 'auto';
      cause = 'best';
    } else if (want === 'uninstall' && v2) state = 'unused';
    else if (STATES.includes(want)) state = want as KcState;
    else return { exitCode: 1, stdout: '', stderr: `ERROR:   '${want}' is not a valid module state.\n` };
    if (m.info !== undefined && !m.info.capable.includes(state))
      return {
        exitCode: 1,
        stdout: '',
        stderr: `ERROR:   Module '${name}' cannot be put in the '${state}' state.\n`,
      };
    assignments.push({ module: m, state, cause });
  }
  if (assignments.length === 0) {
    let list = queried;
    if (parsed.operands.length === 0) {
      list = knownModules(c).filter((m) => {
        if (onlyDiffering) return m.nextState !== m.state || m.nextCause !== m.cause;
        if (onlyExplicit) return m.cause === 'explicit' || m.nextCause === 'explicit';
        return all || !(m.info?.required ?? false);
      });
    }
    let stdout: string;
    if (fields !== undefined) stdout = list.map((m) => parsable(m, fields)).join('\n');
    else if (flag('v')) stdout = list.map((m) => verbose(m)).join('\n');
    else
      stdout = table(
        list.flatMap((m) => queryRows(m, v3)),
        v3,
        flag('d'),
      );
    return { exitCode: 0, stdout, stderr: '' };
  }
  if (!dlkmPrivileged(c))
    return {
      exitCode: 1,
      stdout: '',
      stderr: 'ERROR:   Only users with appropriate privileges can make changes to kernel modules.\n',
    };
  return applyChanges(c, assignments, {
    hold: flag('h') || assignments.some((a) => (a.module.state === 'static') !== (a.state === 'static')),
    fields,
    verbose: flag('v'),
    v3,
    desc: flag('d'),
  });
}

interface ChangeOptions {
  readonly hold: boolean;
  readonly fields: readonly KcField[] | undefined;
  readonly verbose: boolean;
  readonly v3: boolean;
  readonly desc: boolean;
}

/**
 * Registers every module `name` needs, transitively, that is not registered yet (cause `depend`), recording
 * what it changed in `touched` so a failed load can put it back.
 */
function registerDependencies(
  c: DlkmCallContext,
  name: string,
  touched: Map<
    string,
    { state: KcState; cause: KcCause | undefined; nextState: KcState; nextCause: KcCause | undefined }
  >,
  visited: Set<string> = new Set([name]),
): void {
  const store = c.dlkm.store;
  const m = knownModule(c, name);
  for (const d of m?.info?.depends ?? []) {
    let dep: string | undefined = d.kind === 'module' ? d.name : undefined;
    if (dep === undefined) {
      if (c.dlkm.kernelInterfaces.has(d.name)) continue;
      dep = knownModules(c).find((k) =>
        (k.info?.exports ?? []).some((e) => interfaceName(e) === d.name),
      )?.name;
    }
    if (dep === undefined || visited.has(dep) || store.isStatic(dep)) continue;
    visited.add(dep);
    const k = knownModule(c, dep);
    if (k === undefined) continue;
    if (!store.isRegistered(dep)) {
      const e = store.ensure(dep, k.info);
      touched.set(dep, { state: e.state, cause: e.cause, nextState: e.nextState, nextCause: e.nextCause });
      store.setState(dep, k.info?.capable.includes('auto') === false ? 'loaded' : 'auto', 'depend');
    }
    registerDependencies(c, dep, touched, visited);
  }
}

function applyChanges(c: DlkmCallContext, assignments: readonly Assignment[], o: ChangeOptions): ToolResult {
  const store = c.dlkm.store;
  const sys = new HpuxDlkmSys(c.core.syscalls, c.core.user, c.era.v1);
  let stderr = '';
  let busy = false;
  let applied = false;
  const before = new Map<string, { state: KcState; cause: KcCause | undefined }>();
  for (const a of assignments) {
    const name = a.module.name;
    const e = store.ensure(name, a.module.info);
    before.set(name, { state: e.state, cause: e.cause });
    if (o.hold) {
      store.setNext(name, a.state, a.cause);
      continue;
    }
    const loaded = c.core.modules.has(name);
    if (a.state === 'loaded' || a.state === 'auto') {
      const touched = new Map<
        string,
        { state: KcState; cause: KcCause | undefined; nextState: KcState; nextCause: KcCause | undefined }
      >();
      const self = { state: e.state, cause: e.cause, nextState: e.nextState, nextCause: e.nextCause };
      registerDependencies(c, name, touched);
      if (a.state === 'auto' && loaded) {
        store.setNext(name, 'auto', a.cause);
        applied = true;
        continue;
      }
      store.setState(name, a.state, a.cause);
      if (a.state === 'loaded' && !loaded) {
        const r = sys.modload(name);
        if (r.errno !== undefined) {
          for (const [n, s] of [...touched, [name, self] as const]) {
            store.setState(n, s.state, s.cause, true);
            store.setNext(n, s.nextState, s.nextCause);
          }
          stderr += `ERROR:   The module '${name}' could not be loaded: ${hpuxStrerror(r.errno)}.\n`;
          continue;
        }
        store.setState(name, 'loaded', a.cause);
      }
      applied = true;
      continue;
    }
    // unused
    if (loaded) {
      const r = sys.moduload(store.idOf(name) ?? -1);
      if (r.errno === 'EBUSY') {
        store.setNext(name, 'unused', a.cause);
        busy = true;
        continue;
      }
      if (r.errno !== undefined) {
        stderr += `ERROR:   The module '${name}' could not be unloaded: ${hpuxStrerror(r.errno)}.\n`;
        continue;
      }
    }
    store.setState(name, 'unused', a.cause);
    applied = true;
  }
  let stdout = '';
  if (applied)
    stdout += '   * The requested changes have been applied to the currently\n     running system.\n';
  if (o.hold)
    stdout += '   * The requested changes have been saved, and will take effect at\n     next boot.\n';
  if (busy)
    stdout +=
      'NOTE:    The requested changes could not all be applied to the currently\n' +
      '         running system. They are held and will take effect at next boot.\n';
  const after = assignments.map((a) => knownModule(c, a.module.name)!);
  if (o.fields !== undefined)
    stdout += after.map((m) => parsable(m, o.fields!, before.get(m.name))).join('\n');
  else if (o.verbose) stdout += after.map((m) => verbose(m, before.get(m.name))).join('\n');
  else {
    const rows: KcRow[] = [];
    for (const m of after) {
      const b = before.get(m.name)!;
      const base = { notes: o.v3 ? notes(m) : '', desc: m.info?.desc ?? '' };
      rows.push({ name: m.name, marker: '(before)', state: b.state, cause: b.cause ?? '', ...base });
      rows.push({ name: '', marker: '(now)', state: m.state, cause: m.cause ?? '', notes: '', desc: '' });
      rows.push({
        name: '',
        marker: '(next boot)',
        state: m.nextState,
        cause: m.nextCause ?? '',
        notes: '',
        desc: '',
      });
    }
    stdout += table(rows, o.v3, o.desc);
  }
  return { exitCode: stderr === '' ? 0 : 1, stdout, stderr };
}
