/**
 * A second thread that works ahead of a caller going through a list of files, as the I/O of `modprobe` processes
 * and the kernel's page allocator work beside a busy `init_module`, or readahead beside depmod:
 * - it reads the next files into slots of shared memory;
 * - optionally it faults in the pages of a pool of zero-filled memory the caller takes from in order (in this
 *   machine's virtual memory the first touch of a fresh page costs far more than a copy into it, while the
 *   kernel's vmalloc takes pages from a free list that is already there);
 * - optionally it computes the SHA-256 of each file's signed module payload.
 * It changes no byte the caller sees: each file arrives exactly as read, and pool pages are touched with a
 * compare-exchange of 0 by 0, which leaves any byte the caller already wrote as it is.
 * @module
 */
import { Worker } from 'node:worker_threads';

/** Control words shared with the thread. */
const FILES_READY = 0;
const FILES_DONE = 1;
const POOL_USED = 2;
const WAKE = 3;

const PAGE = 4096;
/** Files read ahead (each in its own slot). */
const SLOTS = 32;
/** Pages of the pool kept faulted in ahead of the caller. */
const AHEAD_PAGES = 8192;
/** Pages touched between two looks at the file queue (the files come first: the caller waits on them). */
const TOUCH_BATCH = 32;
const DIGEST_BYTES = 32;

/**
 * The thread. Files: file `i` into slot `i % slots` once the caller is done with file `i - slots`; length -1
 * when it cannot be read or outgrew its slot. Pool: pages from where the caller has got to, up to `ahead`
 * further. Stops when the caller sets `POOL_USED` to -1.
 */
const READ_AHEAD_WORKER = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { ctrl, slots, lens, pool, page, ahead, batch, sums, signed, paths } = workerData;
const c = new Int32Array(ctrl);
const crypto = sums === undefined ? undefined : require('node:crypto');
const len = new Int32Array(lens);
const signedLen = new Int32Array(signed);
const views = slots.map((s) => new Uint8Array(s));
const mem = new Uint8Array(pool);
const pages = Math.floor(mem.length / page);
const sum = sums === undefined ? undefined : new Uint8Array(sums);
const MARKER = Buffer.from('~Module signature appended~\\n');
// The signed payload of an appended module signature (file, struct module_signature, marker), or -1.
function payloadOf(v, n) {
  const m = MARKER.length;
  if (n < m + 12 || !Buffer.from(v.buffer, n - m, m).equals(MARKER)) return -1;
  const p = n - m - 12 - new DataView(v.buffer, n - m - 4, 4).getUint32(0);
  return p > 0 ? p : -1;
}
function readFile(i) {
  const s = i % views.length;
  const v = views[s];
  let got = -1;
  try {
    const fd = fs.openSync(paths[i], 'r');
    try {
      const size = fs.fstatSync(fd).size;
      if (size <= v.length) {
        got = 0;
        while (got < size) {
          const n = fs.readSync(fd, v, got, size - got, got);
          if (n === 0) break;
          got += n;
        }
      }
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    got = -1;
  }
  len[s] = got;
  signedLen[s] = -1;
  if (sum !== undefined && got > 0) {
    const p = payloadOf(v, got);
    if (p > 0) {
      sum.set(crypto.createHash('sha256').update(v.subarray(0, p)).digest(), s * ${DIGEST_BYTES});
      signedLen[s] = p;
    }
  }
  Atomics.store(c, ${FILES_READY}, i + 1);
  Atomics.notify(c, ${FILES_READY});
}
let next = 0;
let touched = 0;
for (;;) {
  const wake = Atomics.load(c, ${WAKE});
  if (next < paths.length && next - Atomics.load(c, ${FILES_DONE}) < views.length) {
    readFile(next++);
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
  if (next >= paths.length && touched >= pages) break;
  Atomics.wait(c, ${WAKE}, wake, 100);
}
`;

/** What {@link ReadAhead} is to do. */
export interface ReadAheadOptions {
  /** The files, in the order they will be taken. */
  readonly paths: readonly string[];
  /** Size of each slot: larger files are left to the caller (a slot's unused pages are never touched). */
  readonly slotBytes: number;
  /** Bytes of zero-filled memory handed out by {@link ReadAhead.memory} and faulted in ahead of it (default 0). */
  readonly poolBytes?: number;
  /** Whether to compute the SHA-256 of each file's signed payload (see {@link ReadAhead.digest}). */
  readonly digests?: boolean;
}

/**
 * Files (and memory) prepared ahead of a caller by a second thread; {@link ReadAhead.close} stops it. When no
 * thread can be started, every file is left to the caller and memory is fresh.
 */
export class ReadAhead {
  private readonly ctrl = new Int32Array(new SharedArrayBuffer(16));
  private readonly paths: readonly string[];
  private readonly lens: Int32Array;
  private readonly slots: Uint8Array[];
  private readonly pool: SharedArrayBuffer;
  private readonly sums: Uint8Array | undefined;
  private readonly signedLen: Int32Array;
  private poolUsed = 0;
  /** The slot of the file between {@link ReadAhead.read} and {@link ReadAhead.done}, else -1. */
  private current = -1;
  private worker: Worker | undefined;

  constructor(opts: ReadAheadOptions) {
    this.lens = new Int32Array(new SharedArrayBuffer(4 * SLOTS));
    this.signedLen = new Int32Array(new SharedArrayBuffer(4 * SLOTS));
    this.paths = opts.paths;
    const slotBytes = opts.paths.length === 0 ? 1 : Math.max(opts.slotBytes, 1);
    this.slots = Array.from({ length: SLOTS }, () => new Uint8Array(new SharedArrayBuffer(slotBytes)));
    this.sums =
      opts.digests === true ? new Uint8Array(new SharedArrayBuffer(DIGEST_BYTES * SLOTS)) : undefined;
    this.pool = new SharedArrayBuffer(Math.ceil((opts.poolBytes ?? 0) / PAGE) * PAGE);
    try {
      this.worker = new Worker(READ_AHEAD_WORKER, {
        eval: true,
        workerData: {
          paths: opts.paths,
          ctrl: this.ctrl.buffer,
          slots: this.slots.map((s) => s.buffer),
          lens: this.lens.buffer,
          pool: this.pool,
          page: PAGE,
          ahead: AHEAD_PAGES,
          batch: TOUCH_BATCH,
          sums: this.sums?.buffer,
          signed: this.signedLen.buffer,
        },
      });
      this.worker.unref();
    } catch {
      this.worker = undefined;
    }
  }

  /**
   * The bytes of file `i` (files are taken in order), valid until {@link ReadAhead.done}`(i)`; `undefined` when
   * the thread could not read it (missing, unreadable, larger than a slot, no thread): the caller reads it.
   */
  read(i: number): Uint8Array | undefined {
    if (this.worker === undefined || i >= this.paths.length) return undefined;
    for (
      let ready = Atomics.load(this.ctrl, FILES_READY);
      ready <= i;
      ready = Atomics.load(this.ctrl, FILES_READY)
    ) {
      // A thread that never answers is given up on; the caller then reads every file.
      if (Atomics.wait(this.ctrl, FILES_READY, ready, 10_000) === 'timed-out') {
        this.close();
        return undefined;
      }
    }
    const slot = i % SLOTS;
    const len = this.lens[slot];
    if (len < 0) return undefined;
    this.current = slot;
    return this.slots[slot].subarray(0, len);
  }

  /** File `i` is no longer needed: its slot may take the next file. */
  done(i: number): void {
    this.current = -1;
    Atomics.store(this.ctrl, FILES_DONE, i + 1);
    this.wake();
  }

  /** Zero-filled memory: the next pages of the pool while it lasts, then fresh arrays. */
  readonly memory = (bytes: number): Uint8Array => {
    const start = this.poolUsed;
    if (start + bytes > this.pool.byteLength) return new Uint8Array(bytes);
    this.poolUsed = start + Math.ceil(bytes / PAGE) * PAGE;
    Atomics.store(this.ctrl, POOL_USED, this.poolUsed / PAGE);
    this.wake();
    return new Uint8Array(this.pool, start, bytes);
  };

  /**
   * With `digests`: the SHA-256 the thread computed of the current file's signed payload (the file up to its
   * `struct module_signature`), when asked for exactly those bytes (the slot's own memory, from offset 0, that
   * long) while the file is current; `undefined` for anything else, which the caller then computes.
   */
  readonly digest = (hash: string, data: Uint8Array): Uint8Array | undefined => {
    const slot = this.current;
    if (this.sums === undefined || slot < 0 || hash !== 'sha256') return undefined;
    if (
      data.buffer !== this.slots[slot].buffer ||
      data.byteOffset !== 0 ||
      data.length !== this.signedLen[slot]
    )
      return undefined;
    return this.sums.slice(slot * DIGEST_BYTES, (slot + 1) * DIGEST_BYTES);
  };

  /** Stops the thread; files and memory already handed out stay valid. */
  close(): void {
    Atomics.store(this.ctrl, POOL_USED, -1);
    this.wake();
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private wake(): void {
    Atomics.add(this.ctrl, WAKE, 1);
    Atomics.notify(this.ctrl, WAKE);
  }
}
