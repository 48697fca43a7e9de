import { defineConfig } from 'vitest/config';

// Tests that start the real Claude Code CLI are CPU-bound at start-up (about 1 s each on 2 cores),
// so files run with limited parallelism and generous timeouts; nothing here asserts on speed.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 3,
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-output/vitest.json' }]] : ['default', ['json', { outputFile: 'test-output/vitest.json' }]],
  },
});
