import { defineConfig } from 'vitest/config';

/**
 * The integrations that install Archlint the way its users do, which takes minutes (npm installs
 * the repository with its dev dependencies, then builds it): `npm run test:ci`, run by .ci/run
 * beside `npm test`. One file at a time, so two installs do not share the two cores.
 */
export default defineConfig({
  test: {
    include: ['test/ci/**/*.integration.ts'],
    testTimeout: 1_800_000,
    hookTimeout: 1_800_000,
    fileParallelism: false,
    reporters: ['default', ['json', { outputFile: 'test-output/ci.json' }]],
  },
});
