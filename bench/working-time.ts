// Benchmark: 100,000 deadline computations, each spanning 30 working days, in Europe/Moscow.
// Run: npx tsx bench/working-time.ts — prints the time; no assertion (expect well under a second).
import { DateTime } from 'luxon';
import { createWorkingTime } from '../src/domain/time/working-time.js';

const N = 100_000;
const zone = 'Europe/Moscow';
const wt = createWorkingTime({ zone, calendar: { warn: () => {} } });
const base = DateTime.fromISO('2025-01-09T09:00', { zone }).toMillis();
// Start instants spread over two years, minute precision, deterministic.
const starts = Array.from({ length: N }, (_, i) => DateTime.fromMillis(base + ((i * 7919) % (600 * 24 * 60)) * 60_000, { zone }));

function bench(label: string, fn: (from: DateTime) => DateTime) {
  fn(starts[0]!); // warm up the day plans of the first days
  const t0 = performance.now();
  let check = 0;
  for (const s of starts) check += fn(s).toMillis() % 7;
  const ms = performance.now() - t0;
  console.log(`${label.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms  (${((ms * 1000) / N).toFixed(2)} µs each; checksum ${check})`);
}

bench('add 30 working days', (s) => wt.add(s, { amount: 30, unit: 'days', basis: 'working' }));
bench('add 240 working hours (≈30 working days)', (s) => wt.add(s, { amount: 240, unit: 'hours', basis: 'working' }));
bench('subtract 240 working hours', (s) => wt.subtract(s, { amount: 240, unit: 'hours', basis: 'working' }));
const ends = starts.map((s) => s.plus({ days: 42 }));
{
  const t0 = performance.now();
  let sum = 0;
  for (let i = 0; i < N; i++) sum += wt.workingMinutesBetween(starts[i]!, ends[i]!);
  const ms = performance.now() - t0;
  console.log(`${'workingMinutesBetween over 42 calendar days'.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms  (${((ms * 1000) / N).toFixed(2)} µs each; checksum ${sum % 1000})`);
}
