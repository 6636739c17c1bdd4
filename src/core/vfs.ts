import { inject, injectable } from 'inversify';
import { Credentials } from './credentials.js';
import { err, OK_VOID, ok, type Result } from './result.js';
import { asObject, bytesFromJson, bytesToJson, type JsonValue, type Snapshottable } from './snapshot.js';

/** File types the simulated file system knows. */
export type FileType = 'file' | 'dir' | 'chr' | 'fifo' | 'socket';

/** What `stat` reports. */
export interface FileStat {
  /** Type of the node. */
  readonly type: FileType;
  /** Permission bits (`0o644`). */
  readonly mode: number;
  /** Owner uid. */
  readonly uid: number;
  /** Owner gid. */
  readonly gid: number;
  /** Size in bytes. */
  readonly size: number;
  /** Inode number: equal for two paths to the same node. */
  readonly ino: number;
}

/** How a file is opened. */
export interface OpenMode {
  /** Open for reading. */
  readonly read: boolean;
  /** Open for writing (counts as a writer: ETXTBSY for loaders). */
  readonly write: boolean;
}

/** An open file description. */
export interface OpenFile {
  /** Absolute, normalised path it was opened by. */
  readonly path: string;
  /** Access mode. */
  readonly mode: OpenMode;
  /** The node's inode number. */
  readonly ino: number;
}

/** Path length limits of the simulated system. */
export interface PathLimits {
  /** `PATH_MAX` (Linux 4096) / `MAXPATHLEN` (HP-UX 1024), including the NUL. */
  readonly pathMax: number;
  /** `NAME_MAX` of one component. */
  readonly nameMax: number;
}

/** Contents of a node never written: one shared empty array (its length 0 leaves nothing to mutate). */
const EMPTY = new Uint8Array(0);

/** One generated file for {@link Vfs.registerGeneratedIn}. */
export interface GeneratedFile {
  /** Name in the directory. */
  readonly name: string;
  /** Computes the contents at each read. */
  readonly generate: () => Uint8Array | string;
  /** Permission bits (default `0o444`). */
  readonly mode?: number;
}

interface Node {
  type: FileType;
  mode: number;
  uid: number;
  gid: number;
  ino: number;
  data: Uint8Array;
  children?: Map<string, Node>;
  writers: number;
  /** Contents computed on every read (procfs / sysfs). */
  generate?: () => Uint8Array | string;
  /** A directory whose contents are created when first needed (see {@link Vfs.registerLazyDir}). */
  populate?: () => void;
}

/**
 * An in-memory file system with types, permission bits, an fd table and writer counts, plus generated files for
 * `/proc` and `/sys`. Path walking checks search permission on every directory, as `link_path_walk` does.
 */
@injectable()
export class Vfs implements Snapshottable {
  private root!: Node;
  private nextIno = 1;
  private fds = new Map<number, OpenFile>();
  private inodes = new Map<number, Node>();
  private limits: PathLimits = { pathMax: 4096, nameMax: 255 };

  constructor(@inject(Credentials) private readonly creds: Credentials) {
    this.reset();
  }

  /** Empties the file system and the fd table (fds 0–2 are taken by stdio, as in a process). */
  reset(): void {
    this.inodes.clear();
    this.nextIno = 1;
    this.root = this.node('dir', 0o755);
    this.fds.clear();
  }

  /** Sets the path length limits (HP-UX `MAXPATHLEN` is 1024). */
  setLimits(limits: PathLimits): void {
    this.limits = limits;
  }

  /** Creates directories along `path` (like `mkdir -p`), owned by root. */
  mkdirp(path: string, mode = 0o755): Result<void> {
    const parts = this.split(path);
    if (!parts.ok) return parts;
    const dir = this.mkdirParts(parts.value, path, mode);
    return dir.ok ? OK_VOID : dir;
  }

  /**
   * {@link Vfs.mkdirp} of split components, returning the directory; `path` is for the error message (default:
   * the components joined).
   */
  private mkdirParts(parts: readonly string[], path?: string, mode = 0o755): Result<Node> {
    const notDir = () => err('ENOTDIR', `${path ?? `/${parts.join('/')}`}: not a directory`);
    let cur = this.root;
    for (const name of parts) {
      const children = this.kids(cur);
      if (children === undefined) return notDir();
      let next = children.get(name);
      if (next === undefined) {
        next = this.node('dir', mode);
        children.set(name, next);
      }
      cur = next;
    }
    return cur.type === 'dir' ? ok(cur) : notDir();
  }

  /** Writes a regular file (creating parents), replacing any content. Host-side setup: no permission checks. */
  writeFile(
    path: string,
    data: Uint8Array | string,
    opts: { mode?: number; uid?: number; gid?: number } = {},
  ): Result<void> {
    const made = this.place(path, 'file', opts.mode ?? 0o644);
    if (!made.ok) return made;
    const n = made.value;
    n.data = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    n.uid = opts.uid ?? 0;
    n.gid = opts.gid ?? 0;
    return OK_VOID;
  }

  /** Creates a special node (device, fifo, socket) for experiments on file types. */
  mknod(path: string, type: Exclude<FileType, 'file' | 'dir'>, mode = 0o600): Result<void> {
    const made = this.place(path, type, mode);
    return made.ok ? OK_VOID : made;
  }

  /** Registers a generated file whose contents are computed at each read (`/proc/modules`). */
  registerGenerated(path: string, generate: () => Uint8Array | string, mode = 0o444): Result<void> {
    const made = this.place(path, 'file', mode);
    if (!made.ok) return made;
    made.value.generate = generate;
    return OK_VOID;
  }

  /**
   * {@link Vfs.registerGenerated} of several files in one directory (created as by {@link Vfs.mkdirp}), in
   * order, walking to the directory once. Stops at the first failure.
   */
  registerGeneratedIn(dir: string, files: readonly GeneratedFile[]): Result<void> {
    const parts = this.split(dir);
    if (!parts.ok) return parts;
    const d = this.mkdirParts(parts.value, dir);
    if (!d.ok) return d;
    const children = this.kids(d.value) as Map<string, Node>;
    const dirBytes = Buffer.byteLength(dir);
    for (const f of files) {
      const mode = f.mode ?? 0o444;
      const name = f.name;
      const plain =
        name !== '' &&
        name !== '.' &&
        name !== '..' &&
        !name.includes('/') &&
        name.length * 3 <= this.limits.nameMax &&
        dirBytes + name.length * 3 + 2 <= this.limits.pathMax;
      if (!plain) {
        // Anything a path walk would treat specially takes the general route.
        const r = this.registerGenerated(`${dir}/${name}`, f.generate, mode);
        if (!r.ok) return r;
        continue;
      }
      let n = children.get(name);
      if (n === undefined) {
        n = this.node('file', mode);
        children.set(name, n);
      } else if (n.type !== 'file') return err('EEXIST', `${dir}/${name} exists with another type`);
      else n.mode = mode;
      n.generate = f.generate;
    }
    return OK_VOID;
  }

  /**
   * Creates the directory `path` (as {@link Vfs.mkdirp}) whose contents `populate` creates, through this file
   * system's own calls, the first time anything looks inside it (a walk through it, a listing, a snapshot). For
   * sysfs directories most of which are never looked at; inode numbers inside are given out at that time.
   */
  registerLazyDir(path: string, populate: () => void): Result<void> {
    const parts = this.split(path);
    if (!parts.ok) return parts;
    const d = this.mkdirParts(parts.value, path);
    if (!d.ok) return d;
    d.value.populate = populate;
    return OK_VOID;
  }

  /** Whether `path` exists and nothing on the way to it or in it is still waiting to be created. */
  isPopulated(path: string): boolean {
    const parts = this.split(path);
    if (!parts.ok) return false;
    let cur: Node | undefined = this.root;
    for (const name of parts.value) {
      if (cur.populate !== undefined) return false;
      cur = cur.children?.get(name);
      if (cur === undefined) return false;
    }
    return cur.populate === undefined;
  }

  /** Removes a file or a directory with everything under it (host side; `rm -r`). */
  removeTree(path: string): Result<void> {
    const parts = this.split(path);
    if (!parts.ok) return parts;
    const drop = (n: Node): void => {
      if (n.children !== undefined) for (const c of n.children.values()) drop(c);
      this.inodes.delete(n.ino);
    };
    const name = parts.value.pop();
    if (name === undefined) {
      // The root itself stays, as `unlink('/')` refuses.
      for (const c of this.root.children?.values() ?? []) drop(c);
      this.root.children?.clear();
      return err('EBUSY', 'cannot remove /');
    }
    const parent = this.walk(parts.value, false);
    if (!parent.ok) return parent;
    const siblings = this.kids(parent.value);
    const child = siblings?.get(name);
    if (child === undefined) return err('ENOENT', `${path}: no such file`);
    drop(child);
    siblings?.delete(name);
    return OK_VOID;
  }

  /** Removes a file or an empty directory (host side). */
  unlink(path: string): Result<void> {
    const parts = this.split(path);
    if (!parts.ok) return parts;
    const name = parts.value.pop();
    if (name === undefined) return err('EBUSY', 'cannot remove /');
    const parent = this.walk(parts.value, false);
    if (!parent.ok) return parent;
    const siblings = this.kids(parent.value);
    const child = siblings?.get(name);
    if (child === undefined) return err('ENOENT', `${path}: no such file`);
    if ((this.kids(child)?.size ?? 0) > 0) return err('ENOTEMPTY', `${path}: directory not empty`);
    siblings?.delete(name);
    this.inodes.delete(child.ino);
    return OK_VOID;
  }

  /** Changes permission bits (host side). */
  chmod(path: string, mode: number): Result<void> {
    const n = this.lookup(path, false);
    if (!n.ok) return n;
    n.value.mode = mode & 0o7777;
    return OK_VOID;
  }

  /**
   * Whether `path` names anything, looked up as the host (no permission checks; a lazy directory on the way is
   * filled, as any walk through it fills it). No error value is made for a missing name.
   */
  exists(path: string): boolean {
    const parts = this.split(path);
    if (!parts.ok) return false;
    let cur = this.root;
    for (const name of parts.value) {
      const next = this.kids(cur)?.get(name);
      if (next === undefined) return false;
      cur = next;
    }
    return true;
  }

  /** `stat(2)` as the caller: ENOENT, ENOTDIR, EACCES (search permission), ENAMETOOLONG. */
  stat(path: string): Result<FileStat> {
    const n = this.lookup(path, true);
    return n.ok ? ok(this.statOf(n.value)) : n;
  }

  /** Reads a whole file as the host (no permission checks); generated files are computed now. */
  readFile(path: string): Result<Uint8Array> {
    const n = this.lookup(path, false);
    if (!n.ok) return n;
    if (n.value.type === 'dir') return err('EISDIR', `${path}: is a directory`);
    return ok(this.contents(n.value));
  }

  /** Names in a directory, sorted. */
  readdir(path: string): Result<string[]> {
    const n = this.lookup(path, false);
    if (!n.ok) return n;
    const children = this.kids(n.value);
    if (children === undefined) return err('ENOTDIR', `${path}: not a directory`);
    return ok([...children.keys()].sort());
  }

  /**
   * `open(2)` as the caller: path walk with permission checks, read/write permission on the file, EISDIR for
   * writing a directory. Returns the lowest free fd ≥ 3.
   */
  open(path: string, mode: OpenMode): Result<number> {
    const n = this.lookup(path, true);
    if (!n.ok) return n;
    const node = n.value;
    if (node.type === 'dir' && mode.write) return err('EISDIR', `${path}: is a directory`);
    if (mode.read && !this.permits(node, 4)) return err('EACCES', `${path}: permission denied`);
    if (mode.write && !this.permits(node, 2)) return err('EACCES', `${path}: permission denied`);
    let fd = 3;
    while (this.fds.has(fd)) fd++;
    if (mode.write) node.writers++;
    this.fds.set(fd, { path: this.normalise(path), mode, ino: node.ino });
    return ok(fd);
  }

  /** `close(2)`: EBADF for an fd that is not open. */
  close(fd: number): Result<void> {
    const f = this.fds.get(fd);
    if (f === undefined) return err('EBADF', `fd ${fd} is not open`);
    const node = this.inodes.get(f.ino);
    if (node !== undefined && f.mode.write) node.writers--;
    this.fds.delete(fd);
    return OK_VOID;
  }

  /** The fds open on `path` (normalised), lowest first: a saved kernel keeps them, so callers need no own map. */
  fdsOpenOn(path: string): number[] {
    const want = this.normalise(path);
    const out: number[] = [];
    for (const [fd, f] of this.fds) if (f.path === want) out.push(fd);
    return out.sort((a, b) => a - b);
  }

  /** The open file behind an fd, if any. */
  file(fd: number): OpenFile | undefined {
    return this.fds.get(fd);
  }

  /** `fstat(2)`: EBADF for an fd that is not open. */
  fstat(fd: number): Result<FileStat> {
    const node = this.fdNode(fd);
    return node.ok ? ok(this.statOf(node.value)) : node;
  }

  /** Reads the whole content behind an fd (`kernel_read_file`); EBADF when not open for reading. */
  readFd(fd: number): Result<Uint8Array> {
    const f = this.fds.get(fd);
    if (f === undefined || !f.mode.read) return err('EBADF', `fd ${fd} is not open for reading`);
    const node = this.fdNode(fd);
    if (!node.ok) return node;
    if (node.value.type === 'dir') return err('EISDIR', `fd ${fd} is a directory`);
    return ok(this.contents(node.value));
  }

  /** Number of open-for-writing descriptions of the node behind `fd` (`i_writecount`). */
  writers(fd: number): number {
    const node = this.fdNode(fd);
    return node.ok ? node.value.writers : 0;
  }

  /** @inheritDoc */
  snapshot(): JsonValue {
    const walk = (n: Node): JsonValue => {
      const children = this.kids(n);
      return {
        type: n.type,
        mode: n.mode,
        uid: n.uid,
        gid: n.gid,
        ...(n.generate === undefined ? { data: bytesToJson(n.data) } : { generated: true }),
        ...(children === undefined
          ? {}
          : {
              children: Object.fromEntries(
                [...children]
                  .filter(([, c]) => c.generate === undefined || c.children)
                  .map(([k, c]) => [k, walk(c)]),
              ),
            }),
      };
    };
    return { root: walk(this.root) };
  }

  /**
   * Restores files saved by {@link Vfs.snapshot}. Generated files are not saved: the personality registers them again when it is created. Open fds are not
   * saved: a state file holds a kernel, not a process.
   */
  restore(state: JsonValue): void {
    const build = (raw: JsonValue, into: Node): void => {
      const o = asObject(raw, 'vfs node');
      into.mode = Number(o.mode);
      into.uid = Number(o.uid);
      into.gid = Number(o.gid);
      if (o.data !== undefined) into.data = bytesFromJson(o.data);
      if (o.children !== undefined) {
        for (const [name, child] of Object.entries(asObject(o.children, 'vfs children'))) {
          const type = String(asObject(child, 'vfs node').type) as FileType;
          const siblings = this.kids(into);
          let existing = siblings?.get(name);
          if (existing === undefined) {
            existing = this.node(type, 0);
            siblings?.set(name, existing);
          }
          build(child, existing);
        }
      }
    };
    build(asObject(state, 'vfs').root, this.root);
  }

  /** A directory's children, a lazy directory's created first; `undefined` for anything but a directory. */
  private kids(n: Node): Map<string, Node> | undefined {
    const populate = n.populate;
    if (populate !== undefined) {
      n.populate = undefined;
      populate();
    }
    return n.children;
  }

  private node(type: FileType, mode: number): Node {
    const n: Node = { type, mode, uid: 0, gid: 0, ino: this.nextIno++, data: EMPTY, writers: 0 };
    if (type === 'dir') n.children = new Map();
    this.inodes.set(n.ino, n);
    return n;
  }

  private contents(n: Node): Uint8Array {
    if (n.generate === undefined) return n.data;
    const g = n.generate();
    return typeof g === 'string' ? new TextEncoder().encode(g) : g;
  }

  private statOf(n: Node): FileStat {
    return { type: n.type, mode: n.mode, uid: n.uid, gid: n.gid, size: this.contents(n).length, ino: n.ino };
  }

  private fdNode(fd: number): Result<Node> {
    const f = this.fds.get(fd);
    const node = f === undefined ? undefined : this.inodes.get(f.ino);
    return node === undefined ? err('EBADF', `fd ${fd} is not open`) : ok(node);
  }

  private normalise(path: string): string {
    return `/${path
      .split('/')
      .filter((p) => p !== '' && p !== '.')
      .join('/')}`;
  }

  /** Splits an absolute path, enforcing the length limits (ENAMETOOLONG) and rejecting relative paths (ENOENT). */
  private split(path: string): Result<string[]> {
    // A UTF-16 unit is at most 3 UTF-8 bytes: short strings need no byte count.
    const { pathMax, nameMax } = this.limits;
    if (path.length * 3 + 1 > pathMax && Buffer.byteLength(path) + 1 > pathMax)
      return err('ENAMETOOLONG', 'path too long');
    if (path === '') return err('ENOENT', 'empty path');
    if (path.charCodeAt(0) !== 47) return err('ENOENT', `${path}: relative paths are not supported here`);
    const parts: string[] = [];
    for (const p of path.split('/')) {
      if (p === '' || p === '.') continue;
      if (p.length * 3 > nameMax && Buffer.byteLength(p) > nameMax)
        return err('ENAMETOOLONG', `component ${p.slice(0, 16)}… too long`);
      if (p === '..') parts.pop();
      else parts.push(p);
    }
    return ok(parts);
  }

  private walk(parts: readonly string[], checkAccess: boolean): Result<Node> {
    let cur = this.root;
    for (const name of parts) {
      const children = this.kids(cur);
      if (children === undefined) return err('ENOTDIR', 'not a directory');
      if (checkAccess && !this.permits(cur, 1)) return err('EACCES', 'search permission denied');
      const next = children.get(name);
      if (next === undefined) return err('ENOENT', `${name}: no such file or directory`);
      cur = next;
    }
    return ok(cur);
  }

  private lookup(path: string, checkAccess: boolean): Result<Node> {
    const parts = this.split(path);
    return parts.ok ? this.walk(parts.value, checkAccess) : parts;
  }

  private place(path: string, type: FileType, mode: number): Result<Node> {
    const parts = this.split(path);
    if (!parts.ok) return parts;
    const name = parts.value.pop();
    if (name === undefined) return err('EEXIST', '/ exists');
    const parent = this.mkdirParts(parts.value);
    if (!parent.ok) return parent;
    const siblings = this.kids(parent.value);
    const existing = siblings?.get(name);
    if (existing !== undefined) {
      if (existing.type !== type) return err('EEXIST', `${path} exists with another type`);
      existing.mode = mode;
      return ok(existing);
    }
    const n = this.node(type, mode);
    siblings?.set(name, n);
    return ok(n);
  }

  /** Unix permission check for `want` (4 read, 2 write, 1 exec/search); root passes except exec without any x bit. */
  private permits(n: Node, want: 4 | 2 | 1): boolean {
    const c = this.creds.current;
    if (c.euid === 0 || c.capabilities.has('CAP_DAC_OVERRIDE')) {
      return want !== 1 || n.type === 'dir' || (n.mode & 0o111) !== 0;
    }
    const shift = c.euid === n.uid ? 6 : c.gid === n.gid ? 3 : 0;
    return ((n.mode >> shift) & want) === want;
  }
}
