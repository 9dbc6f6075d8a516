import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // The JSON report feeds the one summary line CI prints (scripts/test-summary.mjs).
    reporters: ['default', ['json', { outputFile: 'test-output/vitest.json' }]],
  },
});
