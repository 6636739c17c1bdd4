/**
 * A second thread that works ahead of a loader going through a list of module files, as the I/O of `modprobe`
 * processes and the kernel's page allocator work beside a busy `init_module`: it reads the next files into slots
 * of shared memory, and faults in the pages of a pool of zero-filled memory the module area takes its backing
 * from. In this machine's virtual memory the first touch of a fresh page costs far more than the copy into it,
 * while the kernel's vmalloc takes pages from a free list that is already there. The thread changes no byte the
 * loader sees: each file arrives exactly as read, and pool pages are touched with a compare-exchange of 0 by 0,
 * which leaves any byte the loader already wrote as it is.
 * @module
 */
import { Worker } from 'node:worker_threads';
import type { MemorySource } from '../core/address-space.js';
import type { DigestSource } from '../core/digests.js';
import { FileReader } from './file-reader.js';

/** Control words shared with the thread. */
const FILES_READY = 0;
const FILES_DONE = 1;
const POOL_USED = 2;
const WAKE = 3;

const PAGE = 4096;
/** Pages of the pool kept faulted in ahead of the loader. */
const AHEAD_PAGES = 8192;
/** Pages touched between two looks at the file queue (the files come first: the loader waits on them). */
const TOUCH_BATCH = 32;

/**
 * The thread. Files: file `i` into slot `i % slots` once the loader is done with file `i - slots`; length -1
 * when it cannot be read or outgrew its slot (the loader then reads it itself). Pool: pages from where the
 * loader has got to, up to {@link AHEAD_PAGES} further. Stops when the loader sets `POOL_USED` to -1.
 */
const LOAD_AHEAD_WORKER = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const crypto = require('node:crypto');
const { paths, ctrl, slots, lens, pool, page, ahead, batch, sums, signed } = workerData;
const c = new Int32Array(ctrl);
const len = new Int32Array(lens);
const views = slots.map((s) => new Uint8Array(s));
const mem = new Uint8Array(pool);
const sum = sums === undefined ? undefined : new Uint8Array(sums);
const signedLen = new Int32Array(signed);
const MARKER = Buffer.from('~Module signature appended~\\n');
// The signed payload of an appended module signature (file, struct module_signature, marker), or -1.
function payloadOf(v, n) {
  const m = MARKER.length;
  if (n < m + 12 || !Buffer.from(v.buffer, n - m, m).equals(MARKER)) return -1;
  const p = n - m - 12 - new DataView(v.buffer, n - m - 4, 4).getUint32(0);
  return p > 0 ? p : -1;
}
const pages = Math.floor(mem.length / page);
function readFile(i) {
  const v = views[i % views.length];
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
  len[i % views.length] = got;
  signedLen[i % views.length] = -1;
  if (sum !== undefined && got > 0) {
    const p = payloadOf(v, got);
    if (p > 0) {
      sum.set(crypto.createHash('sha256').update(v.subarray(0, p)).digest(), (i % views.length) * 32);
      signedLen[i % views.length] = p;
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

/**
 * Files and module-area memory prepared ahead of a loader by a second thread; {@link LoadAhead.close} stops
 * it. Without a thread (one cannot be started) everything is done on the caller's thread, unchanged.
 */
export class LoadAhead {
  private readonly ctrl = new Int32Array(new SharedArrayBuffer(16));
  private readonly lens: Int32Array;
  private readonly slots: Uint8Array[];
  private readonly pool: SharedArrayBuffer;
  private readonly sums: Uint8Array | undefined;
  private readonly signedLen: Int32Array;
  /** The slot of the file between {@link LoadAhead.read} and {@link LoadAhead.done}, else -1. */
  private current = -1;
  private poolUsed = 0;
  private worker: Worker | undefined;
  private readonly local = new FileReader();

  /**
   * @param paths - the files, in the order they will be taken
   * @param maxSize - size of the largest file (each slot is that large; a slot's unused pages are never touched)
   * @param poolBytes - size of the memory pool (its pages are faulted in only as the loader gets near them)
   * @param digests - whether to compute the SHA-256 of each file's signed payload (see {@link LoadAhead.digestSource})
   */
  constructor(
    private readonly paths: readonly string[],
    maxSize: number,
    poolBytes: number,
    digests = false,
  ) {
    const n = 32;
    this.lens = new Int32Array(new SharedArrayBuffer(4 * n));
    this.sums = digests ? new Uint8Array(new SharedArrayBuffer(32 * n)) : undefined;
    this.signedLen = new Int32Array(new SharedArrayBuffer(4 * n));
    this.slots = Array.from({ length: n }, () => new Uint8Array(new SharedArrayBuffer(Math.max(maxSize, 1))));
    this.pool = new SharedArrayBuffer(Math.ceil(poolBytes / PAGE) * PAGE);
    try {
      this.worker = new Worker(LOAD_AHEAD_WORKER, {
        eval: true,
        workerData: {
          paths,
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

  /** The bytes of file `i` (files are taken in order), valid until {@link LoadAhead.done}`(i)`. */
  read(i: number): Uint8Array {
    if (this.worker === undefined) return this.local.read(this.paths[i]);
    for (
      let ready = Atomics.load(this.ctrl, FILES_READY);
      ready <= i;
      ready = Atomics.load(this.ctrl, FILES_READY)
    ) {
      // A thread that never answers is given up on; the files are then read here.
      if (Atomics.wait(this.ctrl, FILES_READY, ready, 10_000) === 'timed-out') {
        this.close();
        return this.local.read(this.paths[i]);
      }
    }
    const slot = i % this.slots.length;
    const len = this.lens[slot];
    if (len < 0) return this.local.read(this.paths[i]);
    this.current = slot;
    return this.slots[slot].subarray(0, len);
  }

  /** File `i` is no longer needed: its slot may take the next file. */
  done(i: number): void {
    this.current = -1;
    Atomics.store(this.ctrl, FILES_DONE, i + 1);
    this.wake();
  }

  /** Zero-filled memory for the module area: the next pages of the pool while it lasts, then fresh arrays. */
  readonly source: MemorySource = (bytes) => {
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
   * long) while the file is current; `undefined` for anything else, which is then computed as usual.
   */
  readonly digestSource: DigestSource = (hash, data) => {
    const slot = this.current;
    if (this.sums === undefined || slot < 0 || hash !== 'sha256') return undefined;
    const mine = this.slots[slot];
    if (data.buffer !== mine.buffer || data.byteOffset !== 0 || data.length !== this.signedLen[slot])
      return undefined;
    return this.sums.slice(slot * 32, slot * 32 + 32);
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
