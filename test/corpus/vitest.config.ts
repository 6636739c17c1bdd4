import { defineConfig } from 'vitest/config';

/** The full-corpus run (`npm run test:corpus`): only test/corpus, one fork, generous timeouts. */
export default defineConfig({
  oxc: { decorator: { legacy: true } },
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/corpus/**/*.test.ts'],
    testTimeout: 900_000,
    hookTimeout: 900_000,
    pool: 'forks',
    env: { KMODSIM_CORPUS: '1' },
  },
});
