/**
 * The host file system's mapped files (kmod's mmap of a module): only the faulted ranges are read, they hold the
 * file's bytes, and a module read through a mapping gives kmod's tools the same answers as one read whole.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HostKmodFs } from '../../../../src/personalities/linux-v26/userland/host-fs.js';
import { KmodElf } from '../../../../src/personalities/linux-v26/userland/kmod-elf.js';
import { kmodFileMap, kmodFileOpen } from '../../../../src/personalities/linux-v26/userland/kmod-file.js';
import { kmodModuleGetInfo } from '../../../../src/personalities/linux-v26/userland/kmod-module-info.js';
import { miniModule } from './support/mini-elf.js';

const dir = mkdtempSync(join(tmpdir(), 'kmodsim-host-fs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('HostKmodFs.mapFile', () => {
  it('reads the faulted ranges only, with the file’s bytes', () => {
    // Larger than what is read whole at mapping time.
    const size = 300_000;
    const data = new Uint8Array(size);
    for (let i = 0; i < size; i++) data[i] = (i * 7 + 3) & 0xff;
    const path = join(dir, 'pattern.bin');
    writeFileSync(path, data);
    const fs = new HostKmodFs(dir, true);
    // Leave recognisable garbage in the scratch buffer, then map the file over it.
    const junk = join(dir, 'junk.bin');
    writeFileSync(junk, new Uint8Array(size).fill(0xee));
    const first = fs.mapFile(junk);
    expect(first.ok).toBe(true);
    if (first.ok) first.value.fault(0, size);
    const m = fs.mapFile(path);
    expect(m.ok).toBe(true);
    if (!m.ok) return;
    expect(m.value.memory.length).toBe(size);
    m.value.fault(170_000, 10);
    expect([...m.value.memory.subarray(170_000, 170_010)]).toEqual([...data.subarray(170_000, 170_010)]);
    // Nothing near the start was faulted: it still holds the previous file's bytes.
    expect(m.value.memory[0]).toBe(0xee);
    m.value.fault(-5, 10);
    expect(m.value.memory[0]).toBe(data[0]);
    m.value.fault(size - 1, 100);
    expect(m.value.memory[size - 1]).toBe(data[size - 1]);
    m.value.release();
  });

  it('reads a small file whole when it is mapped, as readahead would', () => {
    const data = new Uint8Array(20_000).map((_, i) => (i * 13 + 1) & 0xff);
    const path = join(dir, 'small.bin');
    writeFileSync(path, data);
    const fs = new HostKmodFs(dir, true);
    const junk = join(dir, 'junk-small.bin');
    writeFileSync(junk, new Uint8Array(20_000).fill(0xee));
    const first = fs.mapFile(junk);
    if (first.ok) first.value.release();
    const m = fs.mapFile(path);
    if (!m.ok) throw new Error('map failed');
    // No fault asked for, yet every byte is the file's.
    expect(Buffer.from(m.value.memory).equals(Buffer.from(data))).toBe(true);
    m.value.release();
  });

  it('fails like readFile for a missing path and a directory', () => {
    const fs = new HostKmodFs(dir, true);
    const missing = fs.mapFile(join(dir, 'nope.ko'));
    expect(!missing.ok && missing.error).toBe('ENOENT');
    const sub = join(dir, 'sub');
    mkdirSync(sub, { recursive: true });
    const d = fs.mapFile(sub);
    const r = fs.readFile(sub);
    expect(!d.ok && d.error).toBe(!r.ok && r.error);
  });

  it('gives kmod the same .modinfo, exports and dependency symbols as a whole read', () => {
    const image = miniModule({
      modinfo: ['license=GPL', 'alias=pci:v0000abcd*', 'depends=', 'vermagic=6.1.0 SMP mod_unload '],
      exports: ['mapped_fn'],
      imports: ['printk', 'kfree'],
      versions: [
        [0x1234, 'module_layout'],
        [0x5678, 'kfree'],
      ],
    });
    const path = join(dir, 'mapped.ko');
    writeFileSync(path, image);
    const fs = new HostKmodFs(dir, true);
    const whole = kmodFileOpen(fs, path);
    const mapped = kmodFileMap(fs, path);
    expect(whole.ok && mapped.ok).toBe(true);
    if (!whole.ok || !mapped.ok) return;
    const a = KmodElf.open(whole.value.memory, 'latin1');
    const b = KmodElf.open(mapped.value.memory, 'latin1', mapped.value.fault);
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(b.value.strings('.modinfo')).toEqual(a.value.strings('.modinfo'));
    expect(b.value.symbols()).toEqual(a.value.symbols());
    const deps = b.value.dependencySymbols();
    expect(deps).toEqual(a.value.dependencySymbols());
    expect(deps.ok && deps.value.map((s) => [s.symbol, s.crc])).toEqual([
      ['printk', 0n],
      ['kfree', 0x5678n],
      ['module_layout', 0x1234n],
    ]);
    expect(kmodModuleGetInfo(mapped.value)).toEqual(kmodModuleGetInfo(whole.value));
    mapped.value.release();
  });
});
