import { defineConfig } from 'vitest/config';

/**
 * Two projects, so each kind of test runs in the pool that suits it:
 * - `unit` (test/unit): in-process, no child processes: worker threads, and the module graph is shared
 *   between the files of a worker (isolate: false; 53 s → 22 s for the 34 unit files here). A unit test
 *   must therefore not leave global state behind (mocks restored, timers real, env unchanged).
 * - `service` (test/integration, test/fuzz, test/browser): each file starts the real service as child processes, so
 *   forks, and few at a time on two cores.
 * Three workers on two cores: a service test mostly waits (for the service, the fakes, the outbox), so
 * the whole run used about 40 % of the CPU with two; with three, `npm test` takes 4 min 15 s instead of 6 min 12 s
 * (docs/performance.md).
 * `npm test` runs the type-check beside vitest (scripts/test.js), not before it.
 * One project: `npx vitest run --project unit`.
 */
export default defineConfig({
  test: {
    exclude: ['test/chaos/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    maxWorkers: 3,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], pool: 'threads', isolate: false },
      },
      {
        extends: true,
        test: { name: 'service', setupFiles: ['test/support/failure-report.ts'], include: ['test/integration/**/*.test.ts', 'test/fuzz/**/*.test.ts', 'test/browser/**/*.test.ts'], pool: 'forks' },
      },
    ],
  },
});
