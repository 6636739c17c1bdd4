/**
 * Personality-neutral actions, done the HP-UX way.
 *
 * - `load(path)`: HP-UX loads modules by name along the module path, so the file's directory is prepended with
 *   `modpath(2)` unless already searched, then `modload(name)`. A module must be registered first: with
 *   `actionsRegister` (default on from 11i v2, where `kcmodule name=loaded` registers and loads in one step) an
 *   unregistered module is registered as that command would (state `loaded`, cause `explicit`; undone if the
 *   load fails); without it (the default on 11.0/11i v1, whose `kmadmin -L` never registers) the faithful
 *   answer is ENOREG. HP-UX modules take no load-time parameters (tunables are set with kctune/kmtune): a
 *   non-empty `params` is EINVAL without any call.
 * - `unload(name)`: finds the id by walking `modstat`, then `moduload(id)` (EINVAL when no module has that
 *   name, or the errno that stopped the walk). With `actionsRegister` an unprivileged caller is refused (EPERM)
 *   first, as kcmodule refuses changes. With `actionsRegister` the module is then unregistered, as `kcmodule name=unused` does (so a later
 *   load of a module depending on it sees an unregistered dependency, EINVAL); without it, it stays registered
 *   as after `kmadmin -U`.
 * - `use`/`unuse`: `open("/dev/<name>")` / `close(fd)` — a device open holds the module (and autoloads it).
 * - `list`: the `modstat` walk; the output is the era's listing (`kmadmin -s`, or `kcmodule`).
 * @module
 */
import type { ErrnoName } from '../../abi/errno.js';
import type { ActionResult, NeutralActions, Tool } from '../personality.js';
import { type DlkmCallContext, dlkmPrivileged } from './dlkm-call-context.js';
import { HpuxDlkmSys } from './hpux-dlkm-sys.js';
import { findInstalled } from './module-catalog.js';
import { moduleNameOf } from './steps/mod-lookup.js';

/** The neutral actions of `hpux-dlkm`. */
export function dlkmActions(
  c: DlkmCallContext,
  tools: Readonly<Record<string, Tool>>,
  registerOnLoad: boolean,
): NeutralActions {
  const sys = new HpuxDlkmSys(c.core.syscalls, c.core.user, c.era.v1);
  const table = c.core.syscalls;
  const done = (cursor: number, result: 'ok' | ErrnoName, output?: string): ActionResult => ({
    result,
    syscalls: table.trace(cursor),
    ...(output === undefined ? {} : { output }),
  });
  /** The id of `name` by walking modstat, or the errno that stopped the walk before the end (EPERM in 11i v1). */
  const idOf = (name: string): number | ErrnoName => {
    for (let id = 1; ; ) {
      const r = sys.modstat(id, undefined, true);
      if (r.status === undefined) return r.errno === 'EINVAL' || r.errno === undefined ? 'EINVAL' : r.errno;
      if (moduleNameOf(r.status.path) === name) return r.status.id;
      id = r.status.id + 1;
    }
  };
  return {
    load(path: string, params?: string): ActionResult {
      const cursor = table.cursor;
      if (params !== undefined && params.trim() !== '')
        return done(cursor, 'EINVAL', 'modload(2) takes no module parameters');
      const name = moduleNameOf(path);
      const dir = path.startsWith('/') ? path.slice(0, path.length - name.length - 1) || '/' : undefined;
      if (dir !== undefined && !c.dlkm.searchPath.dirs().includes(dir)) {
        const r = sys.modpath(dir);
        if (r.errno !== undefined) return done(cursor, r.errno);
      }
      const store = c.dlkm.store;
      const registered = store.isRegistered(name);
      const saved = store.get(name);
      const before =
        saved === undefined
          ? undefined
          : {
              state: saved.state,
              cause: saved.cause,
              nextState: saved.nextState,
              nextCause: saved.nextCause,
            };
      if (registerOnLoad && !registered && !store.isStatic(name)) {
        store.setState(name, 'loaded', 'explicit').info ??= findInstalled(
          c.core.vfs,
          [dir ?? ''],
          name,
        )?.info;
      }
      const r = sys.modload(name);
      if (r.errno !== undefined && registerOnLoad && !registered && !store.isStatic(name)) {
        store.setState(name, before?.state ?? 'unused', before?.cause, true);
        store.setNext(name, before?.nextState ?? 'unused', before?.nextCause);
      }
      return done(cursor, r.errno ?? 'ok');
    },
    unload(name: string): ActionResult {
      const cursor = table.cursor;
      // `kcmodule name=unused` refuses an unprivileged caller before looking at anything
      if (registerOnLoad && !dlkmPrivileged(c)) return done(cursor, 'EPERM');
      const id = idOf(name);
      if (typeof id !== 'number') return done(cursor, id);
      const r = sys.moduload(id);
      // symmetric with load: `kcmodule name=unused` unloads and unregisters
      if (r.errno === undefined && registerOnLoad) c.dlkm.store.setState(name, 'unused', 'explicit');
      return done(cursor, r.errno ?? 'ok');
    },
    use(name: string): ActionResult {
      const cursor = table.cursor;
      const r = sys.open(`/dev/${name}`);
      return done(cursor, r.errno ?? 'ok');
    },
    unuse(name: string): ActionResult {
      const cursor = table.cursor;
      const r = sys.close(c.devices.lastOf(name) ?? -1);
      return done(cursor, r.errno ?? 'ok');
    },
    list(): ActionResult {
      const cursor = table.cursor;
      if (c.era.v1) return done(cursor, 'ok', tools.kmadmin?.run(['-s']).stdout ?? '');
      sys.list();
      return done(cursor, 'ok', tools.kcmodule?.run([]).stdout ?? '');
    },
  };
}
