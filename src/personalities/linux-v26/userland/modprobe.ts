/**
 * kmod's `modprobe`: resolves a name or alias through the configuration and depmod's indexes, loads the module
 * after its `modules.dep` dependencies (and `softdep`s), or removes it (`-r`) and the dependencies that became
 * unused. `--show-depends`, `-n`, `-v`, `-q`, `-a`, `-R`, `-c`, `-i`, `-b`, `-f`, `--first-time`,
 * `--remove-holders`, `-w`, `-d`, `-S`, `-C`, `--show-modversions`, `--show-exports`.
 * Install/remove commands cannot run a shell in the simulation: `true`/`/bin/true` succeed, `false`/`/bin/false`
 * fail, anything else fails as "not found" (status 127).
 * @see tools/modprobe.c (kmod 30); libkmod/libkmod-module.c kmod_module_probe_insert_module,
 *   __kmod_module_get_probe_list
 * @module
 */
import type { ErrnoName } from '../../../abi/errno.js';
import { ok, type Result } from '../../../core/result.js';
import type { ToolResult } from '../../personality.js';
import { getoptLong, type LongOption } from './getopt.js';
import { KmodCtx, type KmodModule } from './kmod-ctx.js';
import { KmodElf } from './kmod-elf.js';
import { kmodFileOpen } from './kmod-file.js';
import { KMOD_INSERT_FORCE_MODVERSION, KMOD_INSERT_FORCE_VERMAGIC, kmodInsertModule } from './kmod-insert.js';
import { readHolders, readInitstate, readRefcnt } from './kmod-kernel.js';
import {
  KMOD_VERSION_TEXT,
  type KmodIo,
  type KmodKernelEnv,
  LOG_CRIT,
  LOG_ERR,
  LOG_INFO,
  LOG_WARNING,
  runKmodTool,
} from './kmod-tool.js';
import { KMOD_REMOVE_FORCE, KMOD_REMOVE_NOLOG, kmodRemoveModule } from './rmmod.js';
import { strerror } from './strerror.js';

const CMDOPTS = 'arw:RibfDcnC:d:S:sqvVh';
const LONGOPTS: readonly LongOption[] = [
  { name: 'all', hasArg: 'none', val: 'a' },
  { name: 'remove', hasArg: 'none', val: 'r' },
  { name: 'remove-dependencies', hasArg: 'none', val: '5' },
  { name: 'remove-holders', hasArg: 'none', val: '5' },
  { name: 'wait', hasArg: 'required', val: 'w' },
  { name: 'resolve-alias', hasArg: 'none', val: 'R' },
  { name: 'first-time', hasArg: 'none', val: '3' },
  { name: 'ignore-install', hasArg: 'none', val: 'i' },
  { name: 'ignore-remove', hasArg: 'none', val: 'i' },
  { name: 'use-blacklist', hasArg: 'none', val: 'b' },
  { name: 'force', hasArg: 'none', val: 'f' },
  { name: 'force-modversion', hasArg: 'none', val: '2' },
  { name: 'force-vermagic', hasArg: 'none', val: '1' },
  { name: 'show-depends', hasArg: 'none', val: 'D' },
  { name: 'showconfig', hasArg: 'none', val: 'c' },
  { name: 'show-config', hasArg: 'none', val: 'c' },
  { name: 'show-modversions', hasArg: 'none', val: '4' },
  { name: 'dump-modversions', hasArg: 'none', val: '4' },
  { name: 'show-exports', hasArg: 'none', val: '6' },
  { name: 'dry-run', hasArg: 'none', val: 'n' },
  { name: 'show', hasArg: 'none', val: 'n' },
  { name: 'config', hasArg: 'required', val: 'C' },
  { name: 'dirname', hasArg: 'required', val: 'd' },
  { name: 'set-version', hasArg: 'required', val: 'S' },
  { name: 'syslog', hasArg: 'none', val: 's' },
  { name: 'quiet', hasArg: 'none', val: 'q' },
  { name: 'verbose', hasArg: 'none', val: 'v' },
  { name: 'version', hasArg: 'none', val: 'V' },
  { name: 'help', hasArg: 'none', val: 'h' },
];

function help(p: string): string {
  return (
    'Usage:\n' +
    `\t${p} [options] [-i] [-b] modulename\n` +
    `\t${p} [options] -a [-i] [-b] modulename [modulename...]\n` +
    `\t${p} [options] -r [-i] modulename\n` +
    `\t${p} [options] -r -a [-i] modulename [modulename...]\n` +
    `\t${p} [options] -c\n` +
    `\t${p} [options] --dump-modversions filename\n` +
    'Management Options:\n' +
    '\t-a, --all                   Consider every non-argument to\n' +
    '\t                            be a module name to be inserted\n' +
    '\t                            or removed (-r)\n' +
    '\t-r, --remove                Remove modules instead of inserting\n' +
    '\t    --remove-dependencies   Deprecated: use --remove-holders\n' +
    '\t    --remove-holders        Also remove module holders (use together with -r)\n' +
    '\t-w, --wait <MSEC>           When removing a module, wait up to MSEC for\n' +
    "\t                            module's refcount to become 0 so it can be\n" +
    '\t                            removed (use together with -r)\n' +
    '\t    --first-time            Fail if module already inserted or removed\n' +
    '\t-i, --ignore-install        Ignore install commands\n' +
    '\t-i, --ignore-remove         Ignore remove commands\n' +
    '\t-b, --use-blacklist         Apply blacklist to resolved alias.\n' +
    '\t-f, --force                 Force module insertion or removal.\n' +
    '\t                            implies --force-modversions and\n' +
    '\t                            --force-vermagic\n' +
    "\t    --force-modversion      Ignore module's version\n" +
    "\t    --force-vermagic        Ignore module's version magic\n" +
    '\n' +
    'Query Options:\n' +
    '\t-R, --resolve-alias         Only lookup and print alias and exit\n' +
    '\t-D, --show-depends          Only print module dependencies and exit\n' +
    '\t-c, --showconfig            Print out known configuration and exit\n' +
    '\t-c, --show-config           Same as --showconfig\n' +
    '\t    --show-modversions      Dump module symbol version and exit\n' +
    '\t    --dump-modversions      Same as --show-modversions\n' +
    '\t    --show-exports          Only print module exported symbol versions and exit\n' +
    '\n' +
    'General Options:\n' +
    '\t-n, --dry-run               Do not execute operations, just print out\n' +
    '\t-n, --show                  Same as --dry-run\n' +
    '\t-C, --config=FILE           Use FILE instead of default search paths\n' +
    '\t-d, --dirname=DIR           Use DIR as filesystem root for /lib/modules\n' +
    '\t-S, --set-version=VERSION   Use VERSION instead of `uname -r`\n' +
    '\t-s, --syslog                print to syslog, not stderr\n' +
    '\t-q, --quiet                 disable messages\n' +
    '\t-v, --verbose               enables more messages\n' +
    '\t-V, --version               show version\n' +
    '\t-h, --help                  show this help\n'
  );
}

// KMOD_PROBE_* flags. Source: libkmod/libkmod.h (kmod 30).
const KMOD_PROBE_IGNORE_COMMAND = 0x4;
const KMOD_PROBE_IGNORE_LOADED = 0x8;
const KMOD_PROBE_DRY_RUN = 0x10;
const KMOD_PROBE_FAIL_ON_LOADED = 0x20;
const KMOD_PROBE_APPLY_BLACKLIST_ALL = 0x10000;
const KMOD_PROBE_APPLY_BLACKLIST = 0x20000;
const KMOD_PROBE_APPLY_BLACKLIST_ALIAS_ONLY = 0x40000;
const LOG_EMERG = 0;
const RMMOD_FLAG_REMOVE_HOLDERS = 0x1;
const RMMOD_FLAG_IGNORE_BUILTIN = 0x2;

/** A negative errno or 0 / a positive "stopped by" flag, as libkmod returns. */
type Status = { readonly errno: ErrnoName } | { readonly value: number };
const OK0: Status = { value: 0 };
const isErr = (s: Status): s is { errno: ErrnoName } => 'errno' in s;

/** What `system(cmd)` does in the simulation: its exit status and what the shell printed. */
export function simulatedSystem(cmd: string): { status: number; stderr: string } {
  const word = cmd.trim().split(/\s+/)[0] ?? '';
  if (word === 'true' || word === '/bin/true' || word === '/usr/bin/true' || word === ':')
    return { status: 0, stderr: '' };
  if (word === 'false' || word === '/bin/false' || word === '/usr/bin/false')
    return { status: 1, stderr: '' };
  return { status: 127, stderr: `sh: 1: ${word}: not found\n` };
}

class Modprobe {
  logPriority = LOG_CRIT;
  verbose = LOG_WARNING;
  doShow = false;
  dryRun = false;
  ignoreLoaded = false;
  lookupOnly = false;
  firstTime = false;
  ignoreCommands = false;
  useBlacklist = false;
  force = false;
  stripModversion = false;
  stripVermagic = false;
  removeHolders = false;
  waitMsec = 0;
  ctx!: KmodCtx;

  constructor(
    readonly io: KmodIo,
    readonly env: KmodKernelEnv,
  ) {}

  /** `LOG(...)`: modprobe's own messages at its `log_priority` (CRIT — fatal — unless `-a`). */
  LOG(msg: string): void {
    this.io.log(this.logPriority, msg);
  }

  /** `SHOW(...)`: printed with `--show-depends`/`-n`... only when showing or verbose. */
  SHOW(msg: string): void {
    if (!this.doShow && this.verbose <= LOG_WARNING) return;
    this.io.out(msg);
  }

  /** `module_is_inkernel`: live or built in. */
  isInkernel(m: KmodModule): boolean {
    if (m.isBuiltin()) return true;
    const s = readInitstate(this.env.fs, m.name);
    return s.ok && s.value === 'live';
  }

  /** `kmod_module_get_initstate` (built-in first). */
  initstate(m: KmodModule): Result<string, ErrnoName> {
    if (m.isBuiltin()) return ok('builtin');
    return readInitstate(this.env.fs, m.name);
  }

  softdeps(m: KmodModule): { pre: KmodModule[]; post: KmodModule[] } {
    return this.ctx.getSoftdeps(m, (depname) =>
      this.io.kmodLog(
        LOG_ERR,
        'libkmod-module.c',
        1567,
        'lookup_softdep',
        `failed to lookup soft dependency '${depname}', continuing anyway.\n`,
      ),
    );
  }

  /** `__kmod_module_fill_softdep`. */
  fillSoftdep(m: KmodModule, list: KmodModule[]): void {
    const { pre, post } = this.softdeps(m);
    for (const p of pre) this.getProbeList(p, false, false, list);
    list.push(m);
    m.ignorecmd = pre.length > 0 || post.length > 0;
    for (const p of post) this.getProbeList(p, false, false, list);
  }

  /** `__kmod_module_get_probe_list`. */
  getProbeList(m: KmodModule, required: boolean, ignorecmd: boolean, list: KmodModule[]): void {
    if (m.visited) return;
    m.visited = true;
    const deps = m.getDependencies();
    if (required) {
      m.required = true;
      for (const d of deps) d.required = true;
    }
    for (const d of deps) this.fillSoftdep(d, list);
    if (ignorecmd) {
      list.push(m);
      m.ignorecmd = true;
    } else this.fillSoftdep(m, list);
  }

  /** `print_action`. */
  printAction(m: KmodModule, install: boolean, options: string): void {
    if (install) {
      this.io.out(`install ${m.getInstallCommands() ?? ''} ${options}\n`);
      return;
    }
    const path = m.getPath();
    if (path === undefined) {
      const s = this.initstate(m);
      if (s.ok && s.value === 'builtin') this.io.out(`builtin ${m.name}\n`);
    } else this.io.out(`insmod ${path} ${options}\n`);
  }

  /** `module_do_install_commands` (libkmod's `command_do`). */
  installCommands(m: KmodModule, options: string): Status {
    const cmd = (m.getInstallCommands() ?? '').replaceAll('$CMDLINE_OPTS', options);
    const r = simulatedSystem(cmd);
    this.io.err(r.stderr);
    if (r.status !== 0) {
      this.io.kmodLog(
        LOG_ERR,
        'libkmod-module.c',
        1047,
        'command_do',
        `Error running install command '${cmd}' for module ${m.name}: retcode ${r.status}\n`,
      );
      return { errno: 'EINVAL' };
    }
    return OK0;
  }

  /** `kmod_module_insert_module` for a looked-up module. */
  insertModule(m: KmodModule, flags: number, options: string): Status {
    const path = m.getPath();
    if (path === undefined) {
      this.io.kmodLog(
        LOG_ERR,
        'libkmod-module.c',
        895,
        'kmod_module_insert_module',
        `could not find module by name='${m.name}'\n`,
      );
      return { errno: 'ENOENT' };
    }
    const r = kmodInsertModule({
      fs: this.env.fs,
      kernel: this.env.kernel,
      path,
      flags: flags & (KMOD_INSERT_FORCE_MODVERSION | KMOD_INSERT_FORCE_VERMAGIC),
      args: options,
      decompress: this.env.decompress,
    });
    if (!r.ok) {
      this.io.kmodLog(
        LOG_INFO,
        'libkmod-module.c',
        949,
        'kmod_module_insert_module',
        `Failed to insert module '${path}': ${strerror(r.error)}\n`,
      );
      return { errno: r.error };
    }
    return OK0;
  }

  /** `kmod_module_probe_insert_module`. */
  probeInsert(mod: KmodModule, flags: number, extra: string | undefined, show: boolean): Status {
    if (!(flags & KMOD_PROBE_IGNORE_LOADED) && this.isInkernel(mod)) {
      return flags & KMOD_PROBE_FAIL_ON_LOADED ? { errno: 'EEXIST' } : OK0;
    }
    const blacklistFlag =
      mod.alias !== undefined && flags & KMOD_PROBE_APPLY_BLACKLIST_ALIAS_ONLY
        ? KMOD_PROBE_APPLY_BLACKLIST_ALIAS_ONLY
        : flags & KMOD_PROBE_APPLY_BLACKLIST_ALL
          ? KMOD_PROBE_APPLY_BLACKLIST_ALL
          : flags & KMOD_PROBE_APPLY_BLACKLIST
            ? KMOD_PROBE_APPLY_BLACKLIST
            : 0;
    if (blacklistFlag !== 0 && mod.isBlacklisted()) return { value: blacklistFlag };
    this.ctx.resetProbeFlags();
    let list: KmodModule[] = [];
    this.getProbeList(mod, true, (flags & KMOD_PROBE_IGNORE_COMMAND) !== 0, list);
    if (flags & KMOD_PROBE_APPLY_BLACKLIST_ALL) {
      list = list.filter((m) => !m.isBlacklisted());
      if (list.length === 0) return { value: KMOD_PROBE_APPLY_BLACKLIST_ALL };
    }
    let err: Status = OK0;
    for (const m of list) {
      if (!(flags & KMOD_PROBE_IGNORE_LOADED) && this.isInkernel(m)) {
        err = { errno: 'EEXIST' };
      } else {
        const moptions = m.getOptions();
        const x = m === mod ? extra : undefined;
        const options =
          moptions === undefined && x === undefined
            ? ''
            : moptions === undefined
              ? (x ?? '')
              : `${moptions} ${x ?? ''}`;
        const cmd = m.getInstallCommands();
        if (cmd !== undefined && !m.ignorecmd) {
          if (show) this.printAction(m, true, options);
          if (!(flags & KMOD_PROBE_DRY_RUN)) err = this.installCommands(m, options);
        } else {
          if (show) this.printAction(m, false, options);
          if (!(flags & KMOD_PROBE_DRY_RUN)) err = this.insertModule(m, flags, options);
        }
      }
      if (isErr(err) && err.errno === 'EEXIST' && m === mod && flags & KMOD_PROBE_FAIL_ON_LOADED) break;
      if ((isErr(err) && err.errno === 'EEXIST') || !m.required) err = OK0;
      else if (isErr(err)) break;
    }
    return err;
  }

  /** modprobe's `insmod(ctx, alias, extra_options)`. */
  insmod(alias: string, extra: string | undefined): Status {
    const list = this.ctx.newFromLookup(alias);
    if (!list.ok || list.value.length === 0) {
      this.LOG(`Module ${alias} not found in directory ${this.ctx.dirname}\n`);
      return { errno: 'ENOENT' };
    }
    let flags = 0;
    if (this.stripModversion || this.force) flags |= KMOD_INSERT_FORCE_MODVERSION;
    if (this.stripVermagic || this.force) flags |= KMOD_INSERT_FORCE_VERMAGIC;
    if (this.ignoreCommands) flags |= KMOD_PROBE_IGNORE_COMMAND;
    if (this.ignoreLoaded) flags |= KMOD_PROBE_IGNORE_LOADED;
    if (this.dryRun) flags |= KMOD_PROBE_DRY_RUN;
    const show = this.doShow || this.verbose > LOG_WARNING;
    flags |= KMOD_PROBE_APPLY_BLACKLIST_ALIAS_ONLY;
    if (this.useBlacklist) flags |= KMOD_PROBE_APPLY_BLACKLIST;
    if (this.firstTime) flags |= KMOD_PROBE_FAIL_ON_LOADED;
    let err: Status = OK0;
    for (const mod of list.value) {
      if (this.lookupOnly) this.io.out(`${mod.name}\n`);
      else err = this.probeInsert(mod, flags, extra, show);
      if (!isErr(err)) err = OK0;
      else if (err.errno === 'EEXIST')
        this.io.log(LOG_ERR, `could not insert '${mod.name}': Module already in kernel\n`);
      else if (err.errno === 'ENOENT')
        this.io.log(
          LOG_ERR,
          `could not insert '${mod.name}': Unknown symbol in module, or unknown parameter (see dmesg)\n`,
        );
      else this.io.log(LOG_ERR, `could not insert '${mod.name}': ${strerror(err.errno)}\n`);
    }
    return err;
  }

  /** `rmmod_do_remove_module`. */
  removeModule(m: KmodModule): Status {
    this.SHOW(`rmmod ${m.name}\n`);
    if (this.dryRun) return OK0;
    let flags = 0;
    if (this.force) flags |= KMOD_REMOVE_FORCE;
    if (this.waitMsec) flags |= KMOD_REMOVE_NOLOG;
    // Nothing else runs while the simulated process would sleep, so waiting cannot change the outcome:
    // -w retries once and gives up with the same errno.
    const r = kmodRemoveModule(this.io, this.env, m, flags);
    let err: Status = r.ok ? OK0 : { errno: r.error };
    if (isErr(err) && err.errno === 'EEXIST') {
      if (!this.firstTime) err = OK0;
      else this.LOG(`Module ${m.name} is not in kernel.\n`);
    }
    if (isErr(err) && this.waitMsec)
      this.io.log(LOG_ERR, `could not remove '${m.name}': ${strerror(err.errno)}\n`);
    return err;
  }

  /** `rmmod_do_modlist`: in reverse order. */
  removeList(list: readonly KmodModule[], stopOnErrors: boolean): Status {
    for (let i = list.length - 1; i >= 0; i--) {
      const r = this.rmmodDoModule(list[i], RMMOD_FLAG_IGNORE_BUILTIN);
      if (isErr(r) && stopOnErrors) return r;
    }
    return OK0;
  }

  /** `rmmod_do_module`. */
  rmmodDoModule(mod: KmodModule, flags: number): Status {
    let pre: KmodModule[] = [];
    let post: KmodModule[] = [];
    let cmd: string | undefined;
    if (!this.ignoreCommands) {
      ({ pre, post } = this.softdeps(mod));
      cmd = mod.getRemoveCommands();
    }
    if (cmd === undefined && !this.ignoreLoaded) {
      const state = this.initstate(mod);
      if (!state.ok) {
        if (this.firstTime) {
          this.LOG(`Module ${mod.name} is not in kernel.\n`);
          return { errno: 'ENOENT' };
        }
        return OK0;
      }
      if (state.value === 'builtin') {
        if (flags & RMMOD_FLAG_IGNORE_BUILTIN) return OK0;
        this.LOG(`Module ${mod.name} is builtin.\n`);
        return { errno: 'ENOENT' };
      }
    }
    this.removeList(post, false);
    if (flags & RMMOD_FLAG_REMOVE_HOLDERS) {
      const holders = readHolders(this.env.fs, mod.name);
      const list = holders.ok ? holders.value.map((h) => this.ctx.newFromName(h)) : [];
      if (!holders.ok) {
        this.io.kmodLog(
          LOG_ERR,
          'libkmod-module.c',
          1998,
          'kmod_module_get_holders',
          `could not open '/sys/module/${mod.name}/holders': ${strerror(holders.error)}\n`,
        );
      }
      const r = this.removeList(list, true);
      if (isErr(r)) return r;
    }
    if (cmd === undefined && !this.ignoreLoaded && !this.waitMsec) {
      const usage = readRefcnt(this.env.fs, mod.name);
      if (usage.ok && usage.value > 0) {
        this.LOG(`Module ${mod.name} is in use.\n`);
        return { errno: 'EBUSY' };
      }
    }
    let err: Status;
    if (cmd === undefined) err = this.removeModule(mod);
    else {
      this.SHOW(`remove ${cmd}\n`);
      err = OK0;
      if (!this.dryRun) {
        const r = simulatedSystem(cmd);
        this.io.err(r.stderr);
        if (r.status !== 0) {
          this.LOG(`Error running remove command for ${mod.name}\n`);
          err = { errno: 'EINVAL' };
        }
      }
    }
    if (isErr(err)) return err;
    if (cmd === undefined) {
      for (const dep of mod.getDependencies()) {
        const rc = readRefcnt(this.env.fs, dep.name);
        if (rc.ok && rc.value === 0) this.removeModule(dep);
      }
    }
    this.removeList(pre, false);
    return err;
  }

  /** modprobe's `rmmod(ctx, alias)`. */
  rmmod(alias: string): Status {
    const list = this.ctx.newFromLookup(alias);
    if (!list.ok) return { errno: list.error };
    let err: Status = OK0;
    if (list.value.length === 0) {
      this.LOG(`Module ${alias} not found.\n`);
      err = { errno: 'ENOENT' };
    }
    for (const mod of list.value) {
      err = this.rmmodDoModule(mod, this.removeHolders ? RMMOD_FLAG_REMOVE_HOLDERS : 0);
      if (isErr(err)) break;
    }
    return err;
  }

  /** `show_config`. */
  showConfig(): void {
    const c = this.ctx.config;
    let out = '';
    for (const b of c.blacklists) out += `blacklist ${b}\n`;
    for (const i of c.installCommands) out += `install ${i.modname} ${i.command}\n`;
    for (const r of c.removeCommands) out += `remove ${r.modname} ${r.command}\n`;
    for (const a of c.aliases) out += `alias ${a.name} ${a.modname}\n`;
    for (const o of c.options) out += `options ${o.modname} ${o.options}\n`;
    for (const s of c.softdeps) {
      // softdep_to_char: kmod 30 puts no space between the pre list and "post:".
      const pre = s.pre.length > 0 ? `pre: ${s.pre.join(' ')}` : '';
      const post = s.post.length > 0 ? `post: ${s.post.join(' ')}` : '';
      out += `softdep ${s.name} ${pre}${post}\n`;
    }
    out += '\n# End of configuration files. Dumping indexes now:\n\n';
    out += this.ctx.dumpIndex('modules.alias');
    out += this.ctx.dumpIndex('modules.symbols');
    this.io.out(out);
  }

  /** `show_modversions` / `show_exports`. */
  showVersions(filename: string, exports: boolean): Status {
    const mod = this.ctx.newFromPath(filename);
    if (!mod.ok) {
      this.LOG(`Module ${filename} not found.\n`);
      return { errno: mod.error };
    }
    const file = kmodFileOpen(this.env.fs, mod.value.getPath() ?? filename, this.env.decompress);
    const elf = file.ok ? KmodElf.open(file.value.memory) : file;
    const list = elf.ok ? (exports ? elf.value.symbols() : elf.value.modversions()) : elf;
    if (!list.ok) {
      this.LOG(
        `could not get ${exports ? 'symbols' : 'modversions'} of ${filename}: ${strerror(list.error)}\n`,
      );
      return { errno: list.error };
    }
    for (const v of list.value) this.io.out(`0x${v.crc.toString(16).padStart(8, '0')}\t${v.symbol}\n`);
    return OK0;
  }
}

/** `options_from_array`: the arguments after the module name, a value with spaces quoted. */
function optionsFromArray(args: readonly string[]): string | undefined {
  if (args.length <= 1) return undefined;
  return args
    .slice(1)
    .map((a) => {
      const eq = a.indexOf('=');
      if (eq < 0) return a;
      const value = a.slice(eq + 1);
      if (value[0] !== '"' && value[0] !== "'" && value.includes(' '))
        return `${a.slice(0, eq + 1)}"${value}"`;
      return a;
    })
    .join(' ');
}

/** Runs `modprobe argv...` (without the program name). */
export function modprobe(argv: readonly string[], env: KmodKernelEnv): ToolResult {
  return runKmodTool('modprobe', (io) => {
    const m = new Modprobe(io, env);
    let useAll = false;
    let doRemove = false;
    let doShowConfig = false;
    let doShowModversions = false;
    let doShowExports = false;
    const configPaths: string[] = [];
    let root: string | undefined;
    let kversion: string | undefined;
    const parsed = getoptLong('modprobe', argv, CMDOPTS, LONGOPTS);
    for (const o of parsed.options) {
      switch (o.opt) {
        case 'a':
          m.logPriority = LOG_WARNING;
          useAll = true;
          break;
        case 'r':
          doRemove = true;
          break;
        case '5':
          m.removeHolders = true;
          break;
        case 'w': {
          const arg = o.arg ?? '';
          const n = /^\s*[+-]?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.exec(arg);
          if (arg === '' || n === null) {
            io.log(LOG_ERR, `unexpected wait value '${arg}'.\n`);
            return 1;
          }
          m.waitMsec = Number.parseInt(
            n[1],
            n[1].startsWith('0x') || n[1].startsWith('0X') ? 16 : n[1].startsWith('0') ? 8 : 10,
          );
          break;
        }
        case '3':
          m.firstTime = true;
          break;
        case 'i':
          m.ignoreCommands = true;
          break;
        case 'b':
          m.useBlacklist = true;
          break;
        case 'f':
          m.force = true;
          break;
        case '2':
          m.stripModversion = true;
          break;
        case '1':
          m.stripVermagic = true;
          break;
        case 'D':
          m.ignoreLoaded = true;
          m.dryRun = true;
          m.doShow = true;
          break;
        case 'R':
          m.lookupOnly = true;
          break;
        case 'c':
          doShowConfig = true;
          break;
        case '4':
          doShowModversions = true;
          break;
        case '6':
          doShowExports = true;
          break;
        case 'n':
          m.dryRun = true;
          break;
        case 'C':
          configPaths.push(o.arg ?? '');
          break;
        case 'd':
          root = o.arg;
          break;
        case 'S':
          kversion = o.arg;
          break;
        case 's':
          break;
        case 'q':
          m.verbose = LOG_EMERG;
          break;
        case 'v':
          m.verbose++;
          break;
        case 'V':
          io.out(KMOD_VERSION_TEXT);
          return 0;
        case 'h':
          io.out(help('modprobe'));
          return 0;
        default:
          io.err(o.error ?? '');
          return 1;
      }
    }
    const args = parsed.operands;
    if (!doShowConfig && args.length === 0) {
      io.log(LOG_ERR, 'missing parameters. See -h.\n');
      return 1;
    }
    const dirname =
      root !== undefined || kversion !== undefined
        ? `${root ?? ''}/lib/modules/${kversion ?? env.release}`
        : undefined;
    m.ctx = new KmodCtx({
      fs: env.fs,
      release: env.release,
      dirname,
      decompress: env.decompress,
      ...(configPaths.length > 0 ? { configPaths } : {}),
      log: (prio, file, line, fn, msg) => io.kmodLog(prio, file, line, fn, msg),
    });
    io.setupKmodLog(m.verbose);
    let err: Status = OK0;
    if (doShowConfig) m.showConfig();
    else if (doShowModversions) err = m.showVersions(args[0], false);
    else if (doShowExports) err = m.showVersions(args[0], true);
    else if (doRemove) {
      for (const a of args) {
        const r = m.rmmod(a);
        if (isErr(r)) err = r;
      }
    } else if (useAll) {
      for (const a of args) {
        const r = m.insmod(a, undefined);
        if (isErr(r)) err = r;
      }
    } else err = m.insmod(args[0], optionsFromArray(args));
    return isErr(err) ? 1 : 0;
  });
}
