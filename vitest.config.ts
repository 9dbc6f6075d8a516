import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    // Bounds for a hang, not speed checks (performance is `npm run bench`'s): generous enough that
    // a busy machine (CI beside other jobs: the property tests and Chromium take several times
    // longer at a load of 2 per core) never fails a right result.
    testTimeout: 180_000,
    hookTimeout: 300_000,
    // The JSON report feeds the one summary line CI prints (scripts/test-summary.mjs).
    reporters: ['default', ['json', { outputFile: 'test-output/vitest.json' }]],
  },
});
