import { describe, it } from 'vitest';
import { quickPass } from './quick-pass.js';

describe('conformance kit: linux-v1', () => {
  it('holds the model suite, the robustness property and every targeted case; reaches every documented errno', async () => {
    await quickPass('linux-v1');
  });
});
