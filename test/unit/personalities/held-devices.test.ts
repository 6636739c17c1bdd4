import { describe, expect, it } from 'vitest';
import { heldDevices, saveHeldDevices } from '../../../src/personalities/held-devices.js';

describe('heldDevices (saved Linux 1.x/2.x module devices)', () => {
  it('reads [module, name] rows in their order', () => {
    expect(
      heldDevices(
        [
          [8192, 'b'],
          [4096, 'a'],
        ],
        'd',
      ),
    ).toEqual([
      [8192, 'b'],
      [4096, 'a'],
    ]);
    expect(heldDevices(undefined, 'd')).toEqual([]);
  });

  it('reads the earlier [fd, module, name] rows in fd order', () => {
    expect(
      heldDevices(
        [
          [5, 8192, 'b'],
          [3, 4096, 'a'],
        ],
        'd',
      ),
    ).toEqual([
      [4096, 'a'],
      [8192, 'b'],
    ]);
  });

  it('saves the devices in opening order with the name each was opened by, without fds', () => {
    const devFds = new Map([
      [5, 8192],
      [3, 4096],
      [4, 4096],
    ]);
    const deviceFds = new Map([
      ['b', [5]],
      ['a', [3]],
    ]);
    expect(saveHeldDevices(devFds, deviceFds)).toEqual([
      [8192, 'b'],
      [4096, 'a'],
      [4096, ''],
    ]);
  });

  it('refuses a devices value that is not a list of rows', () => {
    expect(() => heldDevices({ x: 1 }, 'linux-v1.devices')).toThrow(/linux-v1.devices/);
  });
});
