import { defineConfig } from 'vitest/config';

export default defineConfig({
  // inversify 8 uses TypeScript's legacy (experimental) decorators, parameter decorators included.
  oxc: { decorator: { legacy: true } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
