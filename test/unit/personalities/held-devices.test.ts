import { describe, expect, it } from 'vitest';
import { heldDevices } from '../../../src/personalities/held-devices.js';

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

  it('refuses a devices value that is not a list of rows', () => {
    expect(() => heldDevices({ x: 1 }, 'linux-v1.devices')).toThrow(/linux-v1.devices/);
  });
});
