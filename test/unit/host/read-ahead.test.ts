import { spawnSync } from 'node:child_process';
import { constants, createHash, publicDecrypt } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AddressSpace } from '../../../src/core/address-space.js';
import { buildKo } from '../../../src/elf/builder/ko-builder.js';
import { generateSigningKey, signModule } from '../../../src/elf/signature/index.js';
import { keepOpenBudget, ReadAhead } from '../../../src/host/read-ahead.js';

describe('ReadAhead', () => {
  it('hands over every file exactly as read, in order, more files than the ring holds at once; leaves a missing or too large file to the caller', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kmodsim-ahead-'));
    const paths = Array.from({ length: 70 }, (_, i) => {
      const p = join(dir, `f${i}.ko`);
      writeFileSync(p, Buffer.alloc(100 + i * 73, i & 0xff));
      return p;
    });
    const ahead = new ReadAhead({
      paths: [...paths, join(dir, 'missing.ko')],
      ringBytes: 8192,
    });
    try {
      for (let i = 0; i < paths.length; i++) {
        const got = ahead.read(i);
        // A file larger than half the ring is left to the caller; the ring holds one or two files at a time.
        if ((100 + i * 73) * 2 > 8192) expect(got).toBeUndefined();
        else expect(Buffer.from(got ?? []).equals(readFileSync(paths[i]))).toBe(true);
        ahead.done(i);
      }
      expect(ahead.read(paths.length)).toBeUndefined();
    } finally {
      ahead.close();
    }
  });

  it('gives the module area zero-filled memory that keeps what the loader writes while the thread runs ahead', () => {
    const ahead = new ReadAhead({ paths: [], poolBytes: 32 << 20 });
    const space = new AddressSpace();
    space.useMemorySource(ahead.memory);
    try {
      const regions = [];
      for (let i = 0; i < 40; i++) {
        const r = space.alloc(300_000 + i * 4096, `m${i}`);
        if (!r.ok) throw new Error('alloc failed');
        expect(r.value.bytes.every((b) => b === 0)).toBe(true);
        // Every page's first byte, which is the byte the thread touches.
        for (let at = 0; at < r.value.size; at += 4096) r.value.bytes[at] = (i % 250) + 1;
        regions.push(r.value);
      }
      // Give the thread time to pass over the pages written above.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
      regions.forEach((r, i) => {
        for (let at = 0; at < r.size; at += 4096) expect(r.bytes[at]).toBe((i % 250) + 1);
      });
    } finally {
      ahead.close();
      space.useMemorySource(undefined);
    }
  });

  it('mirrors the pool: the same memory for the same offsets, nothing beyond it', () => {
    const ahead = new ReadAhead({ paths: [], poolBytes: 1 << 20 });
    try {
      const a = ahead.memory(4096, 100);
      const b = ahead.memory(4096 + 50, 10);
      if (a === undefined || b === undefined) throw new Error('no pool memory');
      a[55] = 7;
      expect(b[5]).toBe(7);
      expect(ahead.memory((1 << 20) - 10, 11)).toBeUndefined();
      expect(ahead.memory(-1, 1)).toBeUndefined();
    } finally {
      ahead.close();
    }
  });

  it('backs the module area, which zeroes memory it hands out again after a free', () => {
    const ahead = new ReadAhead({ paths: [], poolBytes: 1 << 20 });
    const space = new AddressSpace();
    space.useMemorySource(ahead.memory);
    try {
      const first = space.alloc(3 * 4096, 'm1');
      if (!first.ok) throw new Error('alloc failed');
      expect(first.value.bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
      first.value.bytes.fill(0xaa);
      expect(space.free(first.value.address).ok).toBe(true);
      const again = space.alloc(5 * 4096, 'm2');
      if (!again.ok) throw new Error('alloc failed');
      expect(again.value.address).toBe(first.value.address);
      expect(again.value.bytes.every((x) => x === 0)).toBe(true);
      // Beyond the pool the area's own memory serves.
      const big = space.alloc(2 << 20, 'big');
      if (!big.ok) throw new Error('alloc failed');
      expect(big.value.bytes.buffer).toBeInstanceOf(ArrayBuffer);
    } finally {
      ahead.close();
      space.useMemorySource(undefined);
    }
  });

  it("answers the SHA-256 of the current signed file's payload, and only for exactly those bytes", () => {
    const dir = mkdtempSync(join(tmpdir(), 'kmodsim-ahead-sig-'));
    const key = generateSigningKey();
    const payloads = [0, 1, 2].map((i) => new Uint8Array(5000 + i).fill(i + 1));
    const paths = payloads.map((p, i) => {
      const path = join(dir, `s${i}.ko`);
      writeFileSync(path, i === 2 ? p : signModule(p, key));
      return path;
    });
    const ahead = new ReadAhead({ paths, digests: true });
    try {
      for (let i = 0; i < 3; i++) {
        const bytes = ahead.read(i) ?? new Uint8Array(0);
        const n = payloads[i].length;
        const answer = ahead.crypto.digest('sha256', bytes.subarray(0, n));
        if (i === 2) expect(answer).toBeUndefined();
        else
          expect(Buffer.from(answer ?? []).toString('hex')).toBe(
            createHash('sha256').update(payloads[i]).digest('hex'),
          );
        expect(ahead.crypto.digest('sha256', bytes.subarray(0, n - 1))).toBeUndefined();
        expect(ahead.crypto.digest('sha512', bytes.subarray(0, n))).toBeUndefined();
        expect(ahead.crypto.digest('sha256', bytes.slice(0, n))).toBeUndefined();
        ahead.done(i);
        expect(ahead.crypto.digest('sha256', bytes.subarray(0, n))).toBeUndefined();
      }
    } finally {
      ahead.close();
    }
  });

  it("answers the RSA operation on the current file's signature for the thread's key and those bytes only", () => {
    const dir = mkdtempSync(join(tmpdir(), 'kmodsim-ahead-rsa-'));
    const key = generateSigningKey();
    const other = generateSigningKey();
    const payload = new Uint8Array(3000).fill(9);
    const path = join(dir, 'r.ko');
    writeFileSync(path, signModule(payload, key));
    const pub = key.cert.x509.publicKey;
    const ahead = new ReadAhead({
      paths: [path],
      digests: true,
      rsaKey: pub.export({ type: 'spki', format: 'der' }),
    });
    try {
      const bytes = ahead.read(0) ?? new Uint8Array(0);
      const modLen = (pub.asymmetricKeyDetails?.modulusLength ?? 0) / 8;
      const end = bytes.length - 28 - 12;
      const sig = bytes.subarray(end - modLen, end);
      const expected = publicDecrypt({ key: pub, padding: constants.RSA_PKCS1_PADDING }, sig);
      expect(Buffer.from(ahead.crypto.rsaRecover(pub, sig) ?? []).equals(expected)).toBe(true);
      // Equal bytes held anywhere are answered; another key or other bytes are not known.
      expect(Buffer.from(ahead.crypto.rsaRecover(pub, sig.slice()) ?? []).equals(expected)).toBe(true);
      expect(ahead.crypto.rsaRecover(other.cert.x509.publicKey, sig)).toBeUndefined();
      const changed = sig.slice();
      changed[5] ^= 1;
      expect(ahead.crypto.rsaRecover(pub, changed)).toBeUndefined();
      ahead.done(0);
      expect(ahead.crypto.rsaRecover(pub, sig)).toBeUndefined();
    } finally {
      ahead.close();
    }
  });
});

describe('keepOpenBudget', () => {
  it('holds at most a quarter of the soft descriptor limit, 1,024 at most, 256 when the limit is unknown', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kmodsim-limits-'));
    const limits = (soft: string) => {
      const p = join(dir, `limits-${soft}`);
      writeFileSync(
        p,
        `Limit                     Soft Limit           Hard Limit           Units\nMax open files            ${soft}                 1048576              files\n`,
      );
      return p;
    };
    expect(keepOpenBudget(limits('1024'))).toBe(256);
    expect(keepOpenBudget(limits('20000'))).toBe(1024);
    expect(keepOpenBudget(limits('unlimited'))).toBe(1024);
    expect(keepOpenBudget(limits('64'))).toBe(16);
    expect(keepOpenBudget(join(dir, 'missing'))).toBe(256);
    const other = join(dir, 'other');
    writeFileSync(other, 'Max processes 100\n');
    expect(keepOpenBudget(other)).toBe(256);
  });
});

describe('ReadAhead with order', () => {
  /** Builder-made modules written to a directory; `deps` by name, dashes where the tree has them. */
  function modules(specs: readonly { name: string; deps?: string[] }[]): string[] {
    const dir = mkdtempSync(join(tmpdir(), 'kmodsim-order-'));
    return specs.map((s) => {
      const p = join(dir, `${s.name}.ko`);
      writeFileSync(p, buildKo({ name: s.name, license: 'GPL', dependencies: s.deps ?? [] }));
      return p;
    });
  }

  function takeAll(ahead: ReadAhead, paths: readonly string[]): number[] {
    const order: number[] = [];
    for (let i = 0; i < paths.length; i++) {
      const bytes = ahead.read(i);
      const p = ahead.taken(i);
      if (p < 0) break;
      if (bytes !== undefined) expect(Buffer.from(bytes).equals(readFileSync(paths[p]))).toBe(true);
      order.push(p);
      ahead.done(i);
    }
    return order;
  }

  it('hands every file over after the files its .modinfo depends on, the others in path order', () => {
    // c depends on a (written a-b style), a on d, which comes last in the list.
    const paths = modules([
      { name: 'c_mod', deps: ['a-mod'] },
      { name: 'b_mod' },
      { name: 'a_mod', deps: ['d_mod'] },
      { name: 'd_mod' },
    ]);
    const ahead = new ReadAhead({ ringBytes: 1 << 20 });
    try {
      expect(ahead.begin(paths, { order: true })).toBe(true);
      expect(takeAll(ahead, paths)).toEqual([1, 3, 2, 0]);
      expect(ahead.scanned()).toEqual({
        names: ['c_mod', 'b_mod', 'a_mod', 'd_mod'],
        depends: [['a_mod'], [], ['d_mod'], []],
        sizes: paths.map((p) => readFileSync(p).length),
      });
    } finally {
      ahead.close();
    }
  });

  it('stops placing files at a missing dependency, a cycle or a file it cannot scan, and says so', () => {
    const cases: [string, { name: string; deps?: string[] }[]][] = [
      ['missing', [{ name: 'x' }, { name: 'y', deps: ['nowhere'] }]],
      ['cycle', [{ name: 'p', deps: ['q'] }, { name: 'q', deps: ['p'] }, { name: 'r' }]],
    ];
    for (const [what, specs] of cases) {
      const paths = modules(specs);
      const ahead = new ReadAhead({ ringBytes: 1 << 20 });
      try {
        ahead.begin(paths, { order: true });
        const got = takeAll(ahead, paths);
        expect(got.length, what).toBeLessThan(paths.length);
        expect(ahead.taken(got.length), what).toBe(-1);
        expect(ahead.read(got.length), what).toBeUndefined();
        expect(ahead.scanned(), what).toBeUndefined();
      } finally {
        ahead.close();
      }
    }
    const paths = modules([{ name: 'ok' }]);
    const notElf = join(mkdtempSync(join(tmpdir(), 'kmodsim-order-')), 'text.ko');
    writeFileSync(notElf, 'not an ELF file');
    const ahead = new ReadAhead({ ringBytes: 1 << 20 });
    try {
      ahead.begin([...paths, notElf], { order: true });
      expect(takeAll(ahead, [...paths, notElf])).toEqual([0]);
      expect(ahead.scanned()).toBeUndefined();
    } finally {
      ahead.close();
    }
  });

  it('leaves a file larger than half the ring to the caller and goes on reading the files after it', () => {
    // The scan keeps each file open for its read; a file too large for the ring must still be skipped.
    const dir = mkdtempSync(join(tmpdir(), 'kmodsim-order-'));
    const big = join(dir, 'big.ko');
    // Bytes after the section table leave the module as the scan reads it.
    const ko = buildKo({ name: 'big', license: 'GPL', dependencies: [] });
    writeFileSync(big, Buffer.concat([ko, Buffer.alloc(20_000)]));
    const small = modules([{ name: 'after1', deps: ['big'] }, { name: 'after2' }]);
    const paths = [big, ...small];
    const ringBytes = 16384;
    expect(readFileSync(big).length * 2).toBeGreaterThan(ringBytes);
    for (const p of small) expect(readFileSync(p).length * 2).toBeLessThanOrEqual(ringBytes);
    const ahead = new ReadAhead({ ringBytes });
    try {
      ahead.begin(paths, { order: true });
      expect(ahead.taken(0)).toBe(0);
      expect(ahead.read(0)).toBeUndefined();
      ahead.done(0);
      for (let i = 1; i < paths.length; i++) {
        const bytes = ahead.read(i);
        const p = ahead.taken(i);
        // Each small file comes from the ring (a stalled thread would have been given up: undefined).
        expect(p).toBeGreaterThan(0);
        expect(Buffer.from(bytes ?? []).equals(readFileSync(paths[p]))).toBe(true);
        ahead.done(i);
      }
    } finally {
      ahead.close();
    }
  });

  it('holds scanned files open for their read, and closes every one when closed early', () => {
    const paths = modules(Array.from({ length: 40 }, (_, i) => ({ name: `m${i}` })));
    const dir = paths[0].slice(0, paths[0].lastIndexOf('/'));
    const openHere = () =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`).startsWith(dir);
        } catch {
          return false;
        }
      }).length;
    // A ring of two files: the scan holds the others open, waiting for room.
    const ahead = new ReadAhead({ ringBytes: 16384 });
    try {
      ahead.begin(paths, { order: true });
      expect(ahead.read(0)).toBeDefined();
      ahead.taken(0);
      // Let the scan run ahead of the reads, holding files open.
      const deadline = Date.now() + 5000;
      while (openHere() < 10 && Date.now() < deadline)
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
      expect(openHere()).toBeGreaterThanOrEqual(10);
    } finally {
      ahead.close();
    }
    // The thread closes them as it ends, which close() does not wait for.
    const deadline = Date.now() + 5000;
    while (openHere() > 0 && Date.now() < deadline)
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    expect(openHere()).toBe(0);
  });

  it('runs under a parent started with --input-type=module and a V8 flag (the built library)', () => {
    const paths = modules([{ name: 'top', deps: ['low'] }, { name: 'low' }]);
    const lib = new URL('../../../dist/host/read-ahead.js', import.meta.url).href;
    const script = `const { ReadAhead } = await import(${JSON.stringify(lib)});
const paths = ${JSON.stringify(paths)};
const ahead = new ReadAhead({ ringBytes: 1 << 20 });
ahead.begin(paths, { order: true });
const got = [];
for (let i = 0; i < paths.length; i++) { ahead.read(i); got.push(ahead.taken(i)); ahead.done(i); }
ahead.close();
console.log(JSON.stringify(got));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '--no-turbo-inlining', '-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([1, 0]);
  });
});
