import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { depmodOnHost, modinfoOnHost } from '../../../src/cli/host-tools.js';

describe('host fast path of depmod and modinfo', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kmodsim-host-'));
  const file = join(dir, 'a.ko');
  writeFileSync(file, 'x');

  it('takes depmod to the host only for an existing base directory', () => {
    expect(depmodOnHost(['-b', dir, '-a', '6.1.0'])).toBe(true);
    expect(depmodOnHost([`-b${dir}`, '-a'])).toBe(true);
    expect(depmodOnHost([`--basedir=${dir}`])).toBe(true);
    expect(depmodOnHost(['-b', join(dir, 'missing'), '-a'])).toBe(false);
    expect(depmodOnHost(['-b', file])).toBe(false);
    expect(depmodOnHost(['-a'])).toBe(false);
  });

  it('takes modinfo to the host only when every module argument is a host file', () => {
    expect(modinfoOnHost([file])).toBe(true);
    expect(modinfoOnHost(['-F', 'vermagic', file])).toBe(true);
    expect(modinfoOnHost(['-k', '6.1.0', file, file])).toBe(true);
    expect(modinfoOnHost([file, 'vfat'])).toBe(false);
    expect(modinfoOnHost(['-F', 'vermagic'])).toBe(false);
    expect(modinfoOnHost([dir])).toBe(false);
  });
});
