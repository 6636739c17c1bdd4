import { describe, expect, it } from 'vitest';
import { AddressSpace } from '../../../src/core/address-space.js';

describe('AddressSpace memory reuse', () => {
  it('hands out zero-filled memory again after a region was written and freed', () => {
    const a = new AddressSpace();
    const first = a.alloc(3 * 4096, 'm1');
    if (!first.ok) throw new Error('alloc failed');
    first.value.bytes.fill(0xaa);
    expect(a.free(first.value.address).ok).toBe(true);
    const again = a.alloc(5 * 4096, 'm2');
    if (!again.ok) throw new Error('alloc failed');
    // First fit: the freed range is reused, and it reads back as zeros (vzalloc).
    expect(again.value.address).toBe(first.value.address);
    expect(again.value.bytes.length).toBe(5 * 4096);
    expect(again.value.bytes.every((b) => b === 0)).toBe(true);
  });

  it('keeps live allocations apart, including ones larger than a chunk of backing memory', () => {
    const a = new AddressSpace();
    const sizes = [4096, 3 << 20, 5 << 20, 8192, 1 << 22];
    const live = sizes.map((s, i) => {
      const r = a.alloc(s, `m${i}`);
      if (!r.ok) throw new Error('alloc failed');
      r.value.bytes.fill(i + 1);
      return r.value;
    });
    live.forEach((al, i) => {
      expect(al.bytes.length).toBe(sizes[i]);
      expect(al.bytes.every((b) => b === i + 1)).toBe(true);
      expect(a.read(al.address, 4)).toMatchObject({ ok: true, value: new Uint8Array(4).fill(i + 1) });
    });
  });
});
