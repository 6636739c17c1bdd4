/**
 * A second thread that works ahead of a caller going through a list of files, as the I/O of `modprobe` processes
 * and the kernel's page allocator work beside a busy `init_module`:
 * - optionally it reads each file's `.modinfo` name and dependencies first and takes the files in dependency
 *   order (as `modprobe` orders a load), handing over each file once the files it depends on have gone before;
 * - it reads the next files into a ring of shared memory (each file contiguous, page aligned), as far ahead as
 *   the ring has room for;
 * - optionally it faults in the pages of a pool of zero-filled memory the caller uses from low to high (in this
 *   machine's virtual memory the first touch of a fresh page costs far more than a copy into it, while the
 *   kernel's vmalloc takes pages from a free list that is already there);
 * - optionally it computes the SHA-256 of each file's signed module payload, and the RSA public-key operation on
 *   its signature with a given key.
 * It changes no byte the caller sees: each file arrives exactly as read, and pool pages are touched with a
 * compare-exchange of 0 by 0, which leaves any byte the caller already wrote as it is.
 * @module
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { scanModuleDeps, scanModuleFile } from './scan-module-deps.js';

/** Control words shared with the thread. */
const FILES_READY = 0;
const FILES_DONE = 1;
const POOL_USED = 2;
const WAKE = 3;
/** Ring position (in pages, counted from the start, never wrapped) up to which the caller is done. */
const RING_DONE = 4;
/** 1 while the thread waits for {@link WAKE} to change (only then does a wake-up need a notify). */
const SLEEPING = 5;
/** 1 once the files are given (see {@link ReadAhead.begin}). */
const BEGUN = 6;
/** 1 once the thread has ended, for whatever reason (the caller then reads the files itself). */
const ENDED = 7;
/** Ordered files: how many have their place in the order (see {@link ReadAhead.taken}). */
const ORDERED = 8;
/** Ordered files: 0 while scanning, 1 once every file is ordered, 2 when they cannot be (see {@link ReadAhead.taken}). */
const ORDER_STATE = 9;
const CTRL_WORDS = 16;

const PAGE = 4096;
/** Files the thread may be ahead of the caller (whatever their size). */
const QUEUE = 1024;
/** Pages of the pool kept faulted in ahead of the caller. */
const AHEAD_PAGES = 2048;
/** Pages touched between two looks at the file queue (the files come first: the caller waits on them). */
const TOUCH_BATCH = 32;
const DIGEST_BYTES = 32;
/** Room per file for the result of the RSA operation (a 8192-bit modulus). */
const RSA_BYTES = 1024;
/** Files done after which a sleeping thread is woken (see {@link ReadAhead.done}). */
const WAKE_FILES = 64;
/** Ordered files: files scanned at a time, and how far the order is kept ahead of the files read. */
const SCAN_BATCH = 16;
const SCAN_AHEAD = 64;
/** Most files the ordering scan leaves open for their read (each saves an open and an fstat). */
const KEEP_OPEN = 1024;
/** Files read ahead before any pool page is touched. */
const URGENT_FILES = 8;
/** Milliseconds the caller waits for a thread that does not move before it gives up on it. */
const GIVE_UP_MS = 10_000;
/** Default ring size. */
const RING_BYTES = 16 << 20;

/**
 * The thread. The `i`-th file taken (path `i`, or with an order the path placed `i`-th, see `place`) goes to
 * queue entry `i % queue`: its ring position in pages (counted without wrapping) and
 * its length, -1 when it cannot be read or is larger than half the ring. A file goes where the last one ended,
 * or to the ring's start when it would not fit before the end, once the caller is done with what was there.
 * Pool: pages from where the caller has got to, up to `ahead` further. Until the files are given, the thread
 * faults in the ring and the pool's first pages. Stops when the caller sets `POOL_USED` to -1.
 */
const READ_AHEAD_WORKER = `
import { workerData, receiveMessageOnPort } from 'node:worker_threads';
import * as fs from 'node:fs';
import * as nodeCrypto from 'node:crypto';
const { port, ctrl, ring, starts, lens, pool, page, queue, ahead, batch, sums, signed, rsa, keepOpen } = workerData;
const c = new Int32Array(ctrl);
const crypto = sums === undefined ? undefined : nodeCrypto;
const buf = new Uint8Array(ring);
const ringPages = buf.length / page;
const start = new Int32Array(starts);
const len = new Int32Array(lens);
const signedLen = new Int32Array(signed);
const mem = new Uint8Array(pool);
const pages = Math.floor(mem.length / page);
const sum = sums === undefined ? undefined : new Uint8Array(sums);
const rsaKey = rsa === undefined ? undefined : crypto.createPublicKey({ key: Buffer.from(rsa.spki), format: 'der', type: 'spki' });
const rsaBytes = rsaKey === undefined ? 0 : Math.ceil(rsaKey.asymmetricKeyDetails.modulusLength / 8);
const rsaLen = rsa === undefined ? undefined : new Int32Array(rsa.lens);
const rsaAt = rsa === undefined ? undefined : new Int32Array(rsa.at);
const rsaOut = rsa === undefined ? undefined : new Uint8Array(rsa.out);
const MARKER = Buffer.from('~Module signature appended~\\n');
// The signed payload of an appended module signature (file, struct module_signature, marker), or -1.
function payloadOf(v, n) {
  const m = MARKER.length;
  if (n < m + 12 || !Buffer.from(v.buffer, v.byteOffset + n - m, m).equals(MARKER)) return -1;
  const p = n - m - 12 - new DataView(v.buffer, v.byteOffset + n - m - 4, 4).getUint32(0);
  return p > 0 ? p : -1;
}
// The RSA operation on the last modulus-length bytes of the PKCS#7 blob (where sign-file's DER ends with the
// signature): -1 when the padding is bad; left unknown (-2) when the blob is shorter.
function rsaOf(e, v, p, n) {
  rsaLen[e] = -2;
  const end = n - MARKER.length - 12;
  if (end - p < rsaBytes) return;
  rsaAt[e] = end - rsaBytes;
  try {
    const em = crypto.publicDecrypt({ key: rsaKey, padding: crypto.constants.RSA_PKCS1_PADDING }, v.subarray(end - rsaBytes, end));
    if (em.length > ${RSA_BYTES}) return;
    rsaOut.set(em, e * ${RSA_BYTES});
    rsaLen[e] = em.length;
  } catch {
    rsaLen[e] = -1;
  }
}
// By their own names, which the other's body uses (a bundler may have renamed both).
const ${scanModuleDeps.name} = ${scanModuleDeps.toString()};
const ${scanModuleFile.name} = ${scanModuleFile.toString()};
let paths = [];
let given = false;
// Ordered files: order[k] is the path index of the k-th file to read; every file comes after the files that
// provide its dependencies (by .modinfo name, '-' and '_' equal), others in path order.
let order;
let ordered = 0;
let scanned = 0;
let scanFailed = false;
const provided = new Set();
const waiting = new Map();
let missing;
const scan = { names: [], depends: [], sizes: [] };
const scratch = [];
// Files the scan left open for the read (path index → { fd, size }), at most keepOpen.
const kept = new Map();
function closeKept() {
  for (const k of kept.values()) fs.closeSync(k.fd);
  kept.clear();
}
function place(first) {
  const todo = [first];
  while (todo.length > 0) {
    const p = todo.pop();
    order[ordered++] = p;
    const key = scan.names[p].replaceAll('-', '_');
    provided.add(key);
    const w = waiting.get(key);
    if (w === undefined) continue;
    waiting.delete(key);
    for (let k = w.length - 1; k >= 0; k--) if (--missing[w[k]] === 0) todo.push(w[k]);
  }
  Atomics.store(c, ${ORDERED}, ordered);
}
function orderFailed() {
  scanFailed = true;
  Atomics.store(c, ${ORDER_STATE}, 2);
  Atomics.notify(c, ${FILES_READY});
}
// Scans the next file's name and dependencies; a file that cannot be scanned stops the ordering.
function scanNext() {
  const p = scanned++;
  let deps;
  let size = -1;
  let fd = -1;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      ({ deps, size, fd } = ${scanModuleFile.name}(fs, paths[p], scratch, kept.size < keepOpen));
    } catch (e) {
      // Out of descriptors while holding some: let them go (their files are reopened when read) and retry.
      if ((e?.code === 'EMFILE' || e?.code === 'ENFILE') && kept.size > 0) {
        closeKept();
        continue;
      }
    }
    break;
  }
  if (deps === undefined) {
    if (fd >= 0) fs.closeSync(fd);
    return orderFailed();
  }
  const depends = deps.depends.map((d) => d.replaceAll('-', '_'));
  scan.names[p] = deps.name;
  scan.depends[p] = depends;
  scan.sizes[p] = size;
  let wait = 0;
  for (const d of depends) {
    if (provided.has(d)) continue;
    wait++;
    const w = waiting.get(d);
    if (w === undefined) waiting.set(d, [p]);
    else w.push(p);
  }
  if (fd >= 0) kept.set(p, { fd, size });
  if (wait === 0) place(p);
  else missing[p] = wait;
  if (scanned < paths.length) return;
  // Every file scanned: any left unplaced waits on a missing module or a cycle, which the caller reports.
  if (ordered < paths.length) return orderFailed();
  port.postMessage(scan);
  Atomics.store(c, ${ORDER_STATE}, 1);
  Atomics.notify(c, ${ORDER_STATE});
}
function scanSome() {
  for (let k = 0; k < ${SCAN_BATCH} && scanned < paths.length && !scanFailed; k++) scanNext();
}
let next = 0;
let head = 0;
let ringTouched = 0;
// The next file, opened, with its size: it waits here while the ring has no room for it.
let pending;
function publish(i, at, got, v) {
  const e = i % queue;
  start[e] = at;
  len[e] = got;
  signedLen[e] = -1;
  if (rsaLen !== undefined) rsaLen[e] = -2;
  if (sum !== undefined && got > 0) {
    const p = payloadOf(v, got);
    if (p > 0) {
      sum.set(crypto.createHash('sha256').update(v.subarray(0, p)).digest(), e * ${DIGEST_BYTES});
      signedLen[e] = p;
      if (rsaKey !== undefined) rsaOf(e, v, p, got);
    }
  }
  Atomics.store(c, ${FILES_READY}, i + 1);
  Atomics.notify(c, ${FILES_READY});
}
// Reads the next file if the ring has room; false when it has to wait for the caller.
function readNext() {
  if (pending === undefined) {
    const p = order === undefined ? next : order[next];
    pending = kept.get(p);
    if (pending !== undefined) kept.delete(p);
    else {
      try {
        const fd = fs.openSync(paths[p], 'r');
        try {
          pending = { fd, size: fs.fstatSync(fd).size };
        } catch {
          fs.closeSync(fd);
        }
      } catch {}
    }
    if (pending === undefined || pending.size * 2 > buf.length) {
      if (pending !== undefined) fs.closeSync(pending.fd);
      pending = undefined;
      publish(next++, head, -1);
      return true;
    }
  }
  const need = Math.ceil(pending.size / page);
  let at = head;
  if ((at % ringPages) + need > ringPages) at += ringPages - (at % ringPages);
  if (at + need - Atomics.load(c, ${RING_DONE}) > ringPages) return false;
  const off = (at % ringPages) * page;
  const v = buf.subarray(off, off + pending.size);
  let got = 0;
  try {
    while (got < pending.size) {
      const n = fs.readSync(pending.fd, v, got, pending.size - got, got);
      if (n === 0) break;
      got += n;
    }
  } catch {
    got = -1;
  }
  fs.closeSync(pending.fd);
  pending = undefined;
  head = at + need;
  publish(next++, at, got, v);
  return true;
}
let touched = 0;
try {
for (;;) {
  const wake = Atomics.load(c, ${WAKE});
  if (!given && Atomics.load(c, ${BEGUN}) === 1) {
    const m = receiveMessageOnPort(port);
    if (m !== undefined) {
      paths = m.message.paths;
      if (m.message.order !== undefined) {
        order = new Int32Array(m.message.order);
        missing = new Int32Array(paths.length);
      }
      given = true;
    }
  }
  // Before the files are known: the ring's pages (the files will land there), then the pool's.
  if (!given && ringTouched < ringPages) {
    const end = Math.min(ringPages, ringTouched + batch);
    for (; ringTouched < end; ringTouched++) Atomics.compareExchange(buf, ringTouched * page, 0, 0);
    continue;
  }
  // The next few files first (the caller waits on them), the order ahead of them, then the pool, then files
  // further ahead, then the rest of the order.
  const filesAhead = next - Atomics.load(c, ${FILES_DONE});
  const known = order === undefined ? paths.length : ordered;
  const scanning = order !== undefined && scanned < paths.length && !scanFailed;
  if (next < known && filesAhead < ${URGENT_FILES} && readNext()) continue;
  if (scanning && ordered - next < ${SCAN_AHEAD}) {
    scanSome();
    continue;
  }
  const used = Atomics.load(c, ${POOL_USED});
  if (used < 0) break;
  if (touched < used) touched = used;
  const end = Math.min(pages, touched + batch, used + ahead);
  if (touched < end) {
    for (; touched < end; touched++) Atomics.compareExchange(mem, touched * page, 0, 0);
    continue;
  }
  if (next < known && filesAhead < queue && readNext()) continue;
  if (scanning) {
    scanSome();
    continue;
  }
  if (given && next >= known && touched >= pages) break;
  Atomics.store(c, ${SLEEPING}, 1);
  Atomics.wait(c, ${WAKE}, wake, 100);
  Atomics.store(c, ${SLEEPING}, 0);
}
} finally {
  closeKept();
  if (pending !== undefined) fs.closeSync(pending.fd);
  Atomics.store(c, ${ENDED}, 1);
  Atomics.notify(c, ${FILES_READY});
}
`;

/** What the thread's scan of ordered files found, by path index (see {@link ReadAhead.scanned}). */
export interface ScanResult {
  /** `.modinfo` `name=` of each file. */
  readonly names: readonly string[];
  /** `.modinfo` `depends=` of each file, `-` written `_`. */
  readonly depends: readonly (readonly string[])[];
  /** Size of each file in bytes. */
  readonly sizes: readonly number[];
}

/** What {@link ReadAhead} is to do. */
export interface ReadAheadOptions {
  /** The files, in the order they will be taken; absent: given later by {@link ReadAhead.begin}. */
  readonly paths?: readonly string[];
  /** Size of the ring the files are read into (default 16 MiB); a file larger than half of it is left to the caller. */
  readonly ringBytes?: number;
  /** Bytes of the zero-filled pool {@link ReadAhead.memory} hands out, faulted in ahead of its use (default 0). */
  readonly poolBytes?: number;
  /** Whether to compute the SHA-256 of each file's signed payload (see {@link ReadAhead.crypto}). */
  readonly digests?: boolean;
  /** With `digests`: an RSA public key (SPKI DER) to apply to each signed file's signature (see {@link ReadAhead.crypto}). */
  readonly rsaKey?: Uint8Array;
}

/**
 * Files (and memory) prepared ahead of a caller by a second thread; {@link ReadAhead.close} stops it. When no
 * thread can be started, every file is left to the caller and memory is fresh.
 */
export class ReadAhead {
  private readonly ctrl = new Int32Array(new SharedArrayBuffer(4 * CTRL_WORDS));
  private paths: readonly string[] | undefined;
  /** Ordered files: path index of each file in the order the thread reads them. */
  private order: Int32Array | undefined;
  /** Ordered files: what the thread's scan found, once received. */
  private scan: ScanResult | undefined;
  private readonly port: MessagePort;
  private readonly ring: Uint8Array;
  private readonly starts = new Int32Array(new SharedArrayBuffer(4 * QUEUE));
  private readonly lens = new Int32Array(new SharedArrayBuffer(4 * QUEUE));
  private readonly signedLen = new Int32Array(new SharedArrayBuffer(4 * QUEUE));
  private readonly sums: Uint8Array | undefined;
  private readonly rsa:
    | {
        readonly key: KeyObject;
        readonly lens: Int32Array;
        readonly at: Int32Array;
        readonly out: Uint8Array;
      }
    | undefined;
  /** Keys found equal (or not) to the one the thread uses. */
  private readonly sameKey = new WeakMap<KeyObject, boolean>();
  private readonly pool: SharedArrayBuffer;
  /** Pages of the pool below the highest offset asked for. */
  private poolUsed = 0;
  /** The queue entry of the file between {@link ReadAhead.read} and {@link ReadAhead.done}, else -1. */
  private current = -1;
  private worker: Worker | undefined;
  /** Files done, ring pages done and pool pages used when the thread was last woken. */
  private readonly wokenAt = { files: 0, ring: 0, pool: 0 };

  constructor(opts: ReadAheadOptions) {
    const ringBytes =
      opts.paths?.length === 0 ? PAGE : Math.ceil((opts.ringBytes ?? RING_BYTES) / PAGE) * PAGE;
    this.ring = new Uint8Array(new SharedArrayBuffer(ringBytes));
    this.sums =
      opts.digests === true ? new Uint8Array(new SharedArrayBuffer(DIGEST_BYTES * QUEUE)) : undefined;
    this.pool = new SharedArrayBuffer(Math.ceil((opts.poolBytes ?? 0) / PAGE) * PAGE);
    this.rsa =
      opts.digests === true && opts.rsaKey !== undefined
        ? {
            key: createPublicKey({ key: Buffer.from(opts.rsaKey), format: 'der', type: 'spki' }),
            lens: new Int32Array(new SharedArrayBuffer(4 * QUEUE)),
            at: new Int32Array(new SharedArrayBuffer(4 * QUEUE)),
            out: new Uint8Array(new SharedArrayBuffer(RSA_BYTES * QUEUE)),
          }
        : undefined;
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    try {
      // An ES module from a data: URL: the same kind of script whatever the parent's flags (an eval'd script's
      // kind would follow --input-type), with the parent's other options inherited.
      this.worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(READ_AHEAD_WORKER)}`), {
        transferList: [port2],
        workerData: {
          port: port2,
          ctrl: this.ctrl.buffer,
          ring: this.ring.buffer,
          starts: this.starts.buffer,
          lens: this.lens.buffer,
          pool: this.pool,
          page: PAGE,
          queue: QUEUE,
          ahead: AHEAD_PAGES,
          batch: TOUCH_BATCH,
          keepOpen: keepOpenBudget(),
          sums: this.sums?.buffer,
          signed: this.signedLen.buffer,
          rsa:
            this.rsa === undefined || opts.rsaKey === undefined
              ? undefined
              : {
                  spki: opts.rsaKey,
                  lens: this.rsa.lens.buffer,
                  at: this.rsa.at.buffer,
                  out: this.rsa.out.buffer,
                },
        },
      });
      this.worker.unref();
    } catch {
      this.worker = undefined;
    }
    if (opts.paths !== undefined) this.begin(opts.paths);
  }

  /**
   * Gives the files to a thread started without them (started early, it faults in its memory while the caller
   * finds out which files to load); `false` when it has its files already. With `order`, the thread reads each
   * file's `.modinfo` name and dependencies first ({@link scanModuleDeps}) and takes the files in an order where
   * every module comes after the modules it depends on (see {@link ReadAhead.taken}).
   */
  begin(paths: readonly string[], opts: { readonly order?: boolean } = {}): boolean {
    if (this.paths !== undefined) return false;
    this.paths = paths;
    const order = opts.order === true ? new SharedArrayBuffer(4 * Math.max(1, paths.length)) : undefined;
    this.order = order === undefined ? undefined : new Int32Array(order);
    this.port.postMessage({ paths, order });
    Atomics.store(this.ctrl, BEGUN, 1);
    this.wake();
    return true;
  }

  /**
   * The index in the paths given to {@link ReadAhead.begin} of the `i`-th file taken: `i` itself, or with
   * `order` the file placed `i`-th once it is placed, -1 when it cannot be (no thread; a file that is no
   * ELF64 little-endian module, a dependency missing from the files, a cycle: the caller then orders the rest
   * itself). Waits for the thread to place it.
   */
  taken(i: number): number {
    if (this.paths === undefined || i < 0 || i >= this.paths.length) return -1;
    if (this.order === undefined) return i;
    if (this.worker === undefined) return i < Atomics.load(this.ctrl, ORDERED) ? this.order[i] : -1;
    // The thread does not notify each placing: a short poll.
    return this.waitPast(ORDERED, i, 5) === 'ready' ? this.order[i] : -1;
  }

  /**
   * With `order`, once every file is placed: each file's `.modinfo` name, dependencies (normalised with `-` as
   * `_`) and size, by path index; `undefined` when the thread could not order them.
   */
  scanned(): ScanResult | undefined {
    if (this.scan !== undefined || this.order === undefined) return this.scan;
    const deadline = Date.now() + GIVE_UP_MS;
    while (Atomics.load(this.ctrl, ORDER_STATE) !== 2 && Date.now() <= deadline) {
      const m = receiveMessageOnPort(this.port);
      if (m !== undefined) {
        this.scan = m.message as ScanResult;
        break;
      }
      if (Atomics.load(this.ctrl, ENDED) === 1 && Atomics.load(this.ctrl, ORDER_STATE) !== 1) break;
      Atomics.wait(this.ctrl, ORDER_STATE, Atomics.load(this.ctrl, ORDER_STATE), 5);
    }
    return this.scan;
  }

  /**
   * The bytes of file `i` (files are taken in order), valid until {@link ReadAhead.done}`(i)`; `undefined` when
   * the thread could not read it (missing, unreadable, larger than half the ring, no thread): the caller reads it.
   */
  read(i: number): Uint8Array | undefined {
    if (this.worker === undefined || this.paths === undefined || i >= this.paths.length) return undefined;
    // A thread that ended without this file, or does not answer, is given up on: the caller then reads every file
    // itself. A file the thread will never place (ordered files) is left to the caller.
    const waited = this.waitPast(FILES_READY, i, 50);
    if (waited === 'ended') this.close();
    if (waited !== 'ready') return undefined;
    const e = i % QUEUE;
    const len = this.lens[e];
    if (len < 0) return undefined;
    this.current = e;
    const off = this.offsetOf(e);
    return this.ring.subarray(off, off + len);
  }

  /** File `i` is no longer needed: its place in the ring may take the next files. */
  done(i: number): void {
    const e = i % QUEUE;
    this.current = -1;
    let ringDone = Atomics.load(this.ctrl, RING_DONE);
    if (this.lens[e] >= 0) {
      ringDone = this.starts[e] + Math.ceil(this.lens[e] / PAGE);
      Atomics.store(this.ctrl, RING_DONE, ringDone);
    }
    Atomics.store(this.ctrl, FILES_DONE, i + 1);
    // A sleeping thread is woken once enough room has come free for it to do a useful stretch of work (each
    // wake-up is a system call on both sides); read() wakes it at once when the caller is about to wait.
    if (
      i + 1 - this.wokenAt.files >= WAKE_FILES ||
      ringDone - this.wokenAt.ring >= this.ring.length / PAGE / 8
    )
      this.wake();
  }

  /**
   * Zero-filled memory mirroring bytes `[offset, offset + bytes)` of the pool (the same memory for the same
   * offsets), or `undefined` beyond it. The thread faults pages in ahead of the highest offset asked for.
   */
  readonly memory = (offset: number, bytes: number): Uint8Array | undefined => {
    if (offset < 0 || offset + bytes > this.pool.byteLength) return undefined;
    const end = Math.ceil((offset + bytes) / PAGE);
    if (end > this.poolUsed) {
      this.poolUsed = end;
      Atomics.store(this.ctrl, POOL_USED, end);
      if (end - this.wokenAt.pool >= AHEAD_PAGES / 4) this.wake();
    }
    return new Uint8Array(this.pool, offset, bytes);
  };

  /**
   * With `digests`: what the thread computed for the current file (between {@link ReadAhead.read} and
   * {@link ReadAhead.done}), for the kernel's crypto to take instead of computing it:
   * - the SHA-256 of its signed payload (the file up to its `struct module_signature`), when asked for exactly
   *   those bytes (the file's own memory in the ring, from its start, that long);
   * - with `rsaKey`: the RSA operation on the signature, when asked with that key for a signature equal to the
   *   bytes the thread used (the end of the file's PKCS#7 blob).
   * Anything else is `undefined`: not known, computed by the caller.
   */
  readonly crypto = {
    digest: (hash: string, data: Uint8Array): Uint8Array | undefined => {
      const e = this.current;
      if (this.sums === undefined || e < 0 || hash !== 'sha256') return undefined;
      if (
        data.buffer !== this.ring.buffer ||
        data.byteOffset !== this.offsetOf(e) ||
        data.length !== this.signedLen[e]
      )
        return undefined;
      return this.sums.slice(e * DIGEST_BYTES, (e + 1) * DIGEST_BYTES);
    },
    rsaRecover: (key: KeyObject, sig: Uint8Array): Uint8Array | null | undefined => {
      const e = this.current;
      const r = this.rsa;
      if (r === undefined || e < 0 || r.lens[e] === -2 || !this.isThreadKey(key)) return undefined;
      const at = this.offsetOf(e) + r.at[e];
      if (sig.length !== Math.ceil((r.key.asymmetricKeyDetails?.modulusLength ?? 0) / 8)) return undefined;
      if (
        !Buffer.from(sig.buffer, sig.byteOffset, sig.length).equals(
          Buffer.from(this.ring.buffer, at, sig.length),
        )
      )
        return undefined;
      return r.lens[e] < 0 ? null : r.out.slice(e * RSA_BYTES, e * RSA_BYTES + r.lens[e]);
    },
  };

  private isThreadKey(key: KeyObject): boolean {
    let same = this.sameKey.get(key);
    if (same === undefined) {
      same = this.rsa !== undefined && key.equals(this.rsa.key);
      this.sameKey.set(key, same);
    }
    return same;
  }

  /** Stops the thread; files and memory already handed out stay valid. */
  close(): void {
    // The scan's result, when the thread has sent it, stays available.
    if (Atomics.load(this.ctrl, ORDER_STATE) === 1) this.scanned();
    Atomics.store(this.ctrl, POOL_USED, -1);
    this.wake();
    // Files the thread holds open are closed as it ends, or by Node when it is terminated (trackUnmanagedFds).
    void this.worker?.terminate();
    this.worker = undefined;
    this.port.close();
  }

  /** Byte offset in the ring of queue entry `e`'s file. */
  private offsetOf(e: number): number {
    return (this.starts[e] % (this.ring.length / PAGE)) * PAGE;
  }

  /**
   * Waits, waking the thread, until control word `word` exceeds `i`: `ready`; `ended` when the thread has ended
   * or has not moved for {@link GIVE_UP_MS}; `unordered` when, ordering the files, it will never place file `i`.
   * `pollMs` bounds each wait (for a word the thread does not notify).
   */
  private waitPast(word: number, i: number, pollMs: number): 'ready' | 'ended' | 'unordered' {
    const deadline = Date.now() + GIVE_UP_MS;
    for (let v = Atomics.load(this.ctrl, word); v <= i; v = Atomics.load(this.ctrl, word)) {
      if (Atomics.load(this.ctrl, ENDED) === 1 || Date.now() > deadline) return 'ended';
      if (
        this.order !== undefined &&
        Atomics.load(this.ctrl, ORDER_STATE) === 2 &&
        i >= Atomics.load(this.ctrl, ORDERED)
      )
        return 'unordered';
      this.wake(true);
      Atomics.wait(this.ctrl, word, v, pollMs);
    }
    return 'ready';
  }

  /** Tells the thread something changed; the notify (a system call) only when it is waiting. */
  private wake(force = false): void {
    Atomics.add(this.ctrl, WAKE, 1);
    if (Atomics.load(this.ctrl, SLEEPING) !== 1 && !force) return;
    Atomics.notify(this.ctrl, WAKE);
    this.wokenAt.files = Atomics.load(this.ctrl, FILES_DONE);
    this.wokenAt.ring = Atomics.load(this.ctrl, RING_DONE);
    this.wokenAt.pool = this.poolUsed;
  }
}

/**
 * How many files the thread may hold open: 1,024, or a quarter of the process's descriptor limit
 * when that is lower (read from `/proc/self/limits`; 256 where it cannot be read), so that the caller's own
 * opens never meet EMFILE because of the thread.
 */
export function keepOpenBudget(limits = '/proc/self/limits'): number {
  let text: string;
  try {
    text = readFileSync(limits, 'latin1');
  } catch {
    return 256;
  }
  const soft = /^Max open files\s+(\d+|unlimited)/m.exec(text)?.[1];
  if (soft === undefined) return 256;
  if (soft === 'unlimited') return KEEP_OPEN;
  return Math.min(KEEP_OPEN, Math.floor(Number(soft) / 4));
}
