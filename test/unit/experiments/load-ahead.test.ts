import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AddressSpace } from '../../../src/core/address-space.js';
import { generateSigningKey, signModule } from '../../../src/elf/signature/index.js';
import { LoadAhead } from '../../../src/experiments/load-ahead.js';

describe('LoadAhead', () => {
  it('hands over every file exactly as read, in order, more files than slots, and a missing one read here', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kmodsim-ahead-'));
    const paths = Array.from({ length: 70 }, (_, i) => {
      const p = join(dir, `f${i}.ko`);
      writeFileSync(p, Buffer.alloc(100 + i * 37, i & 0xff));
      return p;
    });
    const ahead = new LoadAhead(paths, 100 + 69 * 37, 1 << 20);
    try {
      for (let i = 0; i < paths.length; i++) {
        expect(Buffer.from(ahead.read(i)).equals(readFileSync(paths[i]))).toBe(true);
        ahead.done(i);
      }
    } finally {
      ahead.close();
    }
  });

  it('gives the module area zero-filled memory that keeps what the loader writes while the thread runs ahead', () => {
    const ahead = new LoadAhead([], 1, 8 * AddressSpace.chunkBytes);
    const space = new AddressSpace();
    space.useMemorySource(ahead.source);
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

  it('falls back to fresh memory once the pool is used up', () => {
    const ahead = new LoadAhead([], 1, AddressSpace.chunkBytes);
    try {
      const a = ahead.source(AddressSpace.chunkBytes);
      const b = ahead.source(AddressSpace.chunkBytes);
      expect(a.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(b.buffer).toBeInstanceOf(ArrayBuffer);
      expect(b.every((x) => x === 0)).toBe(true);
    } finally {
      ahead.close();
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
    const ahead = new LoadAhead(paths, 6000 + 4096, 1 << 20, true);
    try {
      for (let i = 0; i < 3; i++) {
        const bytes = ahead.read(i);
        const n = payloads[i].length;
        const answer = ahead.digestSource('sha256', bytes.subarray(0, n));
        if (i === 2) expect(answer).toBeUndefined();
        else
          expect(Buffer.from(answer ?? []).toString('hex')).toBe(
            createHash('sha256').update(payloads[i]).digest('hex'),
          );
        expect(ahead.digestSource('sha256', bytes.subarray(0, n - 1))).toBeUndefined();
        expect(ahead.digestSource('sha512', bytes.subarray(0, n))).toBeUndefined();
        expect(ahead.digestSource('sha256', bytes.slice(0, n))).toBeUndefined();
        ahead.done(i);
        expect(ahead.digestSource('sha256', bytes.subarray(0, n))).toBeUndefined();
      }
    } finally {
      ahead.close();
    }
  });
});
