import { defineConfig } from 'vitest/config';

/**
 * A test's time limit. `FUZZ_RUNS` (npm run conform:long: 100,000) replaces the fuzz and property tests' run
 * counts (300–2,000 by default), so their limit grows with it: 2 minutes per 300 runs.
 */
const fuzzRuns = Number(process.env.FUZZ_RUNS ?? 0);
const testTimeout = Math.max(120_000, Math.ceil(fuzzRuns / 300) * 120_000);

export default defineConfig({
  // inversify 8 uses TypeScript's legacy (experimental) decorators, parameter decorators included.
  oxc: { decorator: { legacy: true } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
