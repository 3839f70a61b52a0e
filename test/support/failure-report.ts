import { afterEach } from 'vitest';
import { ServiceProcess } from './service.js';

/**
 * Setup file of the service project: when a test fails, each service process still alive prints its
 * warnings and errors (and the last lines of its log), so a failure on CI explains itself without a re-run.
 */
afterEach((ctx) => {
  if (ctx.task.result?.state !== 'fail') return;
  for (const service of ServiceProcess.live) {
    const lines = service.logs.split('\n');
    const problems = lines.filter((l) => /"level":(40|50|60)/.test(l)).slice(-30);
    process.stderr.write(`\n── service ${service.dir}: warnings and errors (last ${problems.length}) ──\n${problems.join('\n')}\n── last log lines ──\n${lines.slice(-25).join('\n')}\n`);
  }
});
