import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/chaos/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests start the real service as child processes; two cores, so keep forks modest.
    pool: 'forks',
    maxWorkers: 2,
  },
});
