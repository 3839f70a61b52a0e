// The service as a child process for the start-up benchmarks (bench/startup.ts, bench/startup-large.ts),
// and the /proc figures of a child (also bench/storm.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serviceNodeFlags } from '../../test/support/service.js';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/otklik.js');

/** Resident memory now and at its peak (MB), and user + system CPU seconds, of process `pid` (Linux /proc). */
export function processFigures(pid: number): { rssMb: number; peakMb: number; cpuS: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024), cpuS: (Number(stat[11]) + Number(stat[12])) / 100 };
}

/** `otklik serve` started in `dir` with `env` as `npm start` starts it (the Node flags of package.json's start script). */
export function serveChild(dir: string, env: Record<string, string>) {
  const t0 = performance.now();
  const child: ChildProcess = spawn(process.execPath, [...serviceNodeFlags(), bin, 'serve'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  return {
    child,
    output: () => out,
    /** Milliseconds from the start until the log has `text`. */
    async until(text: string, timeoutMs = 600_000): Promise<number> {
      while (!out.includes(text)) {
        if (child.exitCode !== null) throw new Error(`service exited: ${out.slice(-2000)}`);
        if (performance.now() - t0 > timeoutMs) throw new Error(`no "${text}" in ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return Math.round(performance.now() - t0);
    },
    figures: () => processFigures(child.pid!),
    async stop(): Promise<void> {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}
