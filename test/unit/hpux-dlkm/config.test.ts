/** Configuration keys and release selection. */
import { describe, expect, it } from 'vitest';
import type { Kernel } from '../../../src/kernel.js';
import { restoreKernel } from '../../../src/kernel.js';
import { dlkmEra } from '../../../src/personalities/hpux-dlkm/dlkm-era.js';
import { hpux, install } from './support/kernel.js';

describe('kernelVersion', () => {
  it.each([
    [undefined, '11.31', '11i v3', false, true],
    ['11.31', '11.31', '11i v3', false, true],
    ['B.11.23', '11.23', '11i v2', false, false],
    ['11.11', '11.11', '11i v1', true, false],
    ['11.0', '11.00', '11.0', true, false],
    ['11.22', '11.22', '11i v1', true, false],
  ])('%s → %s (%s)', (given, release, title, v1, privDlkm) => {
    expect(dlkmEra(given)).toMatchObject({ release, title, v1, privDlkm });
  });

  it.each(['6.1', '10.20', '11', 'B.11.xx', '12.00'])('rejects %s', (v) => {
    expect(() => hpux({ kernelVersion: v })).toThrow(TypeError);
  });
});

describe('config keys', () => {
  it('rejects badly typed keys', () => {
    for (const config of [
      { dlkmInitialized: 'no' },
      { kernelProfiling: 1 },
      { registeredModules: 'foo' },
      { kernelSymbols: [1] },
      { staticModules: [{ nope: 1 }] },
      { modpath: 5 },
      { actionsRegister: 'yes' },
    ]) {
      expect(() => hpux(config)).toThrow(TypeError);
    }
  });

  it('staticModules replace the default list; kernelSymbols extend the kernel', () => {
    const k = hpux({
      staticModules: ['vxfs', { name: 'lvm', desc: 'Logical Volume Manager', required: true }],
      kernelSymbols: ['printk'],
    });
    expect(k.run('kcmodule', ['-a']).stdout).toBe(
      'Module      State     Cause      Notes\nlvm         static    required\nvxfs        static    explicit\n',
    );
    expect(k.run('kcmodule', []).stdout).toBe(
      'Module      State     Cause      Notes\nvxfs        static    explicit\n',
    );
    const k2 = hpux({ registeredModules: ['p'], kernelSymbols: ['printk'] });
    install(k2, { name: 'p', imports: ['printk'] });
    expect(k2.sys.modload('p').ret).toBe(1);
    const k3 = hpux({ registeredModules: ['p'] });
    install(k3, { name: 'p', imports: ['printk'] });
    expect(k3.sys.modload('p').errno).toBe('ERELOC');
  });

  it('holds taken in one run are released in the next (saved open-file table)', () => {
    const k = hpux({ registeredModules: ['d'] });
    install(k, { name: 'd', type: 'streams_drv' });
    const fd = Number(k.sys.open('/dev/d').ret);
    const again = restoreKernel(JSON.parse(JSON.stringify(k.snapshot()))) as Kernel<'hpux-dlkm'>;
    expect(again.sys.moduload(1).errno).toBe('EBUSY');
    expect(again.sys.close(fd).ret).toBe(0);
    expect(again.sys.moduload(1).ret).toBe(0);
    expect(again.sys.modload('d').ret).toBe(1);
  });
});
