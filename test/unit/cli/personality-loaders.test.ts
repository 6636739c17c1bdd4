import { describe, expect, it } from 'vitest';
import { createKernel, restoreKernel } from '../../../src/kernel.js';
import {
  assembleKernel,
  readKernelState,
  reassembleKernel,
} from '../../../src/personalities/assemble-kernel.js';
import { PERSONALITIES } from '../../../src/personalities/index.js';
import { PERSONALITY_IDS } from '../../../src/personalities/personality.js';
import { loadPersonality, PERSONALITY_LOADERS } from '../../../src/personalities/personality-loaders.js';

describe('lazy personality loaders (the CLI path)', () => {
  it('cover every personality and load the same definition as the eager registry', async () => {
    expect(Object.keys(PERSONALITY_LOADERS).sort()).toEqual([...PERSONALITY_IDS].sort());
    for (const id of PERSONALITY_IDS) expect(await loadPersonality(id)).toBe(PERSONALITIES[id]);
  });

  it('assemble the same kernel as createKernel, and restore the same state as restoreKernel', async () => {
    for (const id of PERSONALITY_IDS) {
      const eager = createKernel({ personality: id });
      const lazy = assembleKernel(await loadPersonality(id), { personality: id, config: {} });
      expect(lazy.tools).toEqual(eager.tools);
      expect(lazy.snapshot()).toEqual(eager.snapshot());
      const saved = readKernelState(eager.snapshot());
      expect(saved.personality).toBe(id);
      expect(reassembleKernel(await loadPersonality(id), saved).snapshot()).toEqual(
        restoreKernel(eager.snapshot()).snapshot(),
      );
    }
  });

  it('reject a state of another format or an unknown personality', () => {
    expect(() => readKernelState({ format: 'other' })).toThrow(/state: not a kmodsim-state\/1 file/);
    expect(() => readKernelState({ format: 'kmodsim-state/1', personality: 'toString', config: {} })).toThrow(
      /state: unknown personality toString/,
    );
  });
});
