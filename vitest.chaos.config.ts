import { defineConfig } from 'vitest/config';

/** `npm run test:chaos`: the full crash suite (CHAOS_EVENTS, default 500; CHAOS_SEED). */
export default defineConfig({
  test: {
    include: ['test/chaos/**/*.test.ts'],
    testTimeout: 30 * 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
