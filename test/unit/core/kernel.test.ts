import { describe, expect, it } from 'vitest';
import { createKernel, restoreKernel } from '../../../src/kernel.js';
import { PERSONALITY_IDS } from '../../../src/personalities/personality.js';

describe('createKernel', () => {
  it.each(PERSONALITY_IDS)('builds and boots %s in its own container', (id) => {
    const a = createKernel({ personality: id });
    const b = createKernel({ personality: id });
    expect(a.personality).toBe(id);
    expect(a.core).not.toBe(b.core);
    expect(a.core.modules.size).toBe(0);
  });

  it('applies credentials and modules_disabled from the config', () => {
    const k = createKernel({
      personality: 'linux-v26',
      config: { credentials: { euid: 1000, uid: 1000 }, modulesDisabled: true },
    });
    expect(k.core.creds.capable('CAP_SYS_MODULE')).toBe(false);
    expect(k.core.sysctl.get('kernel.modules_disabled')).toBe(1);
  });

  it('round-trips a kernel through its snapshot', () => {
    const k = createKernel({ personality: 'linux-v24' });
    k.vfs.writeFile('/tmp/x', 'hello');
    k.core.log.err('boom');
    const copy = restoreKernel(JSON.parse(JSON.stringify(k.snapshot())));
    expect(copy.read('/tmp/x')).toBe('hello');
    expect(copy.snapshot()).toEqual(k.snapshot());
  });

  it('answers an unknown tool like a shell', () => {
    expect(createKernel({ personality: 'hpux-dlkm' }).run('nosuch').exitCode).toBe(127);
  });
});
