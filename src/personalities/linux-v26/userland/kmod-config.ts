/**
 * libkmod's configuration: `modprobe.d` files (`alias`, `options`, `blacklist`, `softdep`, `install`,
 * `remove`) plus `modules.softdep` of the module directory, files ordered by name across the directories, the
 * first file of a name winning.
 * @see libkmod/libkmod-config.c (kmod 30) kmod_config_new, kmod_config_parse, conf_files_insert_sorted
 * @module
 */
import type { KmodFs } from './kmod-fs.js';

/** `default_config_paths`. Source: libkmod/libkmod.c (kmod 30, SYSCONFDIR=/etc). */
export const KMOD_CONFIG_PATHS = [
  '/etc/modprobe.d',
  '/run/modprobe.d',
  '/usr/local/lib/modprobe.d',
  '/lib/modprobe.d',
];

/** A `softdep` line. */
export interface KmodSoftdep {
  /** Module name (underscores). */
  readonly name: string;
  /** Modules to load before. */
  readonly pre: readonly string[];
  /** Modules to load after. */
  readonly post: readonly string[];
}

/** `struct kmod_config`. */
export interface KmodConfig {
  /** `alias PATTERN MODNAME`, in file order. */
  readonly aliases: readonly { readonly name: string; readonly modname: string }[];
  /** `blacklist MODNAME`. */
  readonly blacklists: readonly string[];
  /** `options MODNAME OPTS` (tabs turned into spaces). */
  readonly options: readonly { readonly modname: string; readonly options: string }[];
  /** `install MODNAME CMD`. */
  readonly installCommands: readonly { readonly modname: string; readonly command: string }[];
  /** `remove MODNAME CMD`. */
  readonly removeCommands: readonly { readonly modname: string; readonly command: string }[];
  /** `softdep MODNAME pre: ... post: ...`. */
  readonly softdeps: readonly KmodSoftdep[];
  /** Messages libkmod logs at `LOG_ERR` while parsing, with the source line of the `ERR()` call. */
  readonly errors: readonly KmodConfigError[];
}

/** A message libkmod's config parser logs. */
export interface KmodConfigError {
  /** Function that logs it. */
  readonly fn: string;
  /** Line of libkmod-config.c (kmod 30). */
  readonly line: number;
  /** Text with its newline. */
  readonly text: string;
}

/** `underscores()`: `-` → `_` outside brackets; undefined for an unmatched bracket. */
export function underscores(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '-') out += '_';
    else if (c === ']') return undefined;
    else if (c === '[') {
      const end = s.indexOf(']', i);
      if (end < 0) return undefined;
      out += s.slice(i, end + 1);
      i = end;
    } else out += c;
  }
  return out;
}

/** `freadline_wrapped`: lines with backslash-newline joined, and each line's starting number. */
function wrappedLines(text: string): { line: string; linenum: number }[] {
  const out: { line: string; linenum: number }[] = [];
  let cur = '';
  let linenum = 0;
  let n = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i++];
    if (ch === '\n') {
      n++;
      linenum += n;
      out.push({ line: cur, linenum });
      cur = '';
      n = 0;
    } else if (ch === '\\') {
      if (text[i] === '\n') {
        n++;
        i++;
        continue;
      }
      if (i < text.length) cur += text[i++];
    } else cur += ch;
  }
  if (cur.length > 0) {
    linenum += n + 1;
    out.push({ line: cur, linenum });
  }
  return out;
}

/** `strtok_r(line, "\t ")` word splitting, and the rest of the line after the first `count` words. */
function words(line: string): string[] {
  return line.split(/[\t ]+/).filter((w) => w !== '');
}

function restAfter(line: string, count: number): string | undefined {
  let i = 0;
  for (let k = 0; k < count; k++) {
    while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
    while (i < line.length && line[i] !== ' ' && line[i] !== '\t') i++;
  }
  // strtok_r skips the one delimiter that ended the previous token, then "\0" takes the rest.
  if (i < line.length) i++;
  const rest = line.slice(i);
  return rest === '' ? undefined : rest;
}

function parseSoftdep(name: string, rest: string): KmodSoftdep {
  const pre: string[] = [];
  const post: string[] = [];
  let mode: 'none' | 'pre' | 'post' = 'none';
  for (const w of rest.split(/\s+/).filter((x) => x !== '')) {
    if (w === 'pre:') mode = 'pre';
    else if (w === 'post:') mode = 'post';
    else if (mode === 'pre') pre.push(w);
    else if (mode === 'post') post.push(w);
  }
  return { name, pre, post };
}

/**
 * `kmod_config_new`: reads `<dirname>/modules.softdep` and every `.conf` (or `.alias`) file of the config
 * directories, sorted by file name.
 */
export function kmodConfigNew(
  fs: KmodFs,
  dirname: string,
  paths: readonly string[] = KMOD_CONFIG_PATHS,
): KmodConfig {
  const files: { name: string; path: string }[] = [];
  const insert = (name: string, path: string): void => {
    let k = 0;
    while (k < files.length && name > files[k].name) k++;
    if (k < files.length && files[k].name === name) return;
    files.splice(k, 0, { name, path });
  };
  insert('modules.softdep', `${dirname}/modules.softdep`);
  for (const dir of paths) {
    const st = fs.stat(dir);
    if (!st.ok) continue;
    if (st.value.type !== 'dir') {
      insert(dir.slice(dir.lastIndexOf('/') + 1), dir);
      continue;
    }
    const ents = fs.readdir(dir);
    if (!ents.ok) continue;
    for (const e of ents.value) {
      const fn = e.name;
      if (fn.startsWith('.')) continue;
      if (fn.length < 6 || (!fn.endsWith('.conf') && !fn.endsWith('.alias'))) continue;
      const sub = fs.stat(`${dir}/${fn}`);
      if (sub.ok && sub.value.type === 'dir') continue;
      insert(fn, `${dir}/${fn}`);
    }
  }
  const config = {
    aliases: [] as { name: string; modname: string }[],
    blacklists: [] as string[],
    options: [] as { modname: string; options: string }[],
    installCommands: [] as { modname: string; command: string }[],
    removeCommands: [] as { modname: string; command: string }[],
    softdeps: [] as KmodSoftdep[],
    errors: [] as KmodConfigError[],
  };
  for (const f of files) {
    const data = fs.readFile(f.path);
    if (!data.ok) continue;
    const text = new TextDecoder().decode(data.value);
    for (const { line, linenum } of wrappedLines(text)) {
      if (line === '' || line.startsWith('#')) continue;
      const w = words(line);
      const cmd = w[0];
      if (cmd === undefined) continue;
      const bad = (): void => {
        config.errors.push({
          fn: 'kmod_config_parse',
          line: 712,
          text: `${f.path} line ${linenum}: ignoring bad line starting with '${cmd}'\n`,
        });
      };
      if (cmd === 'alias') {
        const alias = underscores(w[1]);
        const modname = underscores(w[2]);
        if (alias === undefined || modname === undefined) bad();
        else config.aliases.push({ name: alias, modname });
      } else if (cmd === 'blacklist') {
        const modname = underscores(w[1]);
        if (modname === undefined) bad();
        else config.blacklists.push(modname);
      } else if (cmd === 'options' || cmd === 'install' || cmd === 'remove' || cmd === 'softdep') {
        const modname = underscores(w[1]);
        const rest = restAfter(line, 2);
        if (modname === undefined || rest === undefined) {
          bad();
          continue;
        }
        if (cmd === 'options') config.options.push({ modname, options: rest.replaceAll('\t', ' ') });
        else if (cmd === 'install') config.installCommands.push({ modname, command: rest });
        else if (cmd === 'remove') config.removeCommands.push({ modname, command: rest });
        else config.softdeps.push(parseSoftdep(modname, rest));
      } else if (cmd === 'include' || cmd === 'config') {
        config.errors.push({
          fn: 'kmod_config_parse',
          line: 708,
          text: `${f.path}: command ${cmd} is deprecated and not parsed anymore\n`,
        });
      } else bad();
    }
  }
  const cmdline = fs.readFile('/proc/cmdline');
  if (cmdline.ok) {
    parseKcmdline(
      new TextDecoder().decode(cmdline.value.subarray(0, KCMD_LINE_SIZE - 1)),
      (modname, param, value) => {
        if (modname === 'modprobe' && param.startsWith('blacklist=')) {
          for (const t of value.split(',')) config.blacklists.push(t);
          return;
        }
        const m = underscores(modname);
        if (m === undefined) {
          config.errors.push({
            fn: 'kcmdline_parse_result',
            line: 489,
            text: `Ignoring bad option on kernel command line while parsing module name: '${modname}'\n`,
          });
        } else config.options.push({ modname: m, options: param.replaceAll('\t', ' ') });
      },
    );
  }
  return config;
}

/** `KCMD_LINE_SIZE`. Source: libkmod/libkmod-config.c. */
const KCMD_LINE_SIZE = 4096;

/**
 * `kmod_config_parse_kcmdline`'s state machine over `/proc/cmdline`: `modname.param[=value]` words, a value may
 * be double-quoted (a fully quoted option is re-quoted around its value, as grub passes it).
 */
export function parseKcmdline(
  buf: string,
  result: (modname: string, param: string, value: string) => void,
): void {
  type State = 'ignore' | 'modname' | 'param' | 'value' | 'complete';
  let state: State = 'modname';
  let isQuoted = false;
  let modname = 0;
  let param = -1;
  let value = -1;
  let quoteStart = -1;
  const text = `${buf}\0`;
  for (let p = 0; p < text.length; p++) {
    const c = text[p];
    if (c === '"') {
      isQuoted = !isQuoted;
      if (isQuoted && state === 'modname' && p === modname) {
        quoteStart = p;
        modname = p + 1;
      } else if (state !== 'value') state = 'ignore';
    } else if (
      c === '\0' ||
      c === ' ' ||
      c === '\n' ||
      c === '\t' ||
      c === '\v' ||
      c === '\f' ||
      c === '\r'
    ) {
      if (isQuoted && state === 'value') {
        // a space inside a quoted value
      } else if (isQuoted) state = 'ignore';
      else if (state === 'value' || state === 'param') {
        const name = text.slice(modname, param - 1);
        let opt = text.slice(param, p);
        if (quoteStart >= 0 && quoteStart < modname && value >= 0) {
          opt = `${text.slice(param, value)}"${text.slice(value, p)}`;
        }
        result(name, opt, value >= 0 ? text.slice(value, p) : '');
        state = 'complete';
      } else {
        modname = p + 1;
        state = 'modname';
        quoteStart = -1;
      }
    } else if (c === '.') {
      if (state === 'modname') {
        param = p + 1;
        state = 'param';
      } else if (state === 'param') state = 'ignore';
    } else if (c === '=') {
      if (state === 'param') {
        value = p + 1;
        state = 'value';
      } else if (state === 'modname') state = 'ignore';
    }
    if (state === 'complete') {
      modname = p + 1;
      state = 'modname';
      quoteStart = -1;
      param = -1;
      value = -1;
    }
  }
}
