// Benchmark 3 — the monthly summary over 100,000 and 1,000,000 stored messages: time and peak memory.
//   npx tsx bench/report.ts build <dir> <messages>   builds the database (this process)
//   npx tsx bench/report.ts measure <dir>            builds the report in a FRESH process: its VmHWM
//                                                    (peak resident memory) is the report's alone
// Data: a sample of 1,000 VK comments registered through the real repositories (ingestMessage: message,
// case, audit event, route and answer deadlines) over one day; 80 % of them are then routed (a responsible
// assignment), 70 % answered (answer deadline met 1–3 days later, a final publication) and 5 % of the
// met answers late — set with SQL on the sample, then the whole sample is bulk-copied (INSERT … SELECT,
// new ids, source keys and numbers) ten times into the same day and then doubled back in time, so the
// history has a region's density: 10,000 messages a day ending with the reported month.
// With 1,000,000 messages that is 100 days: the reported month and the one before hold ~610,000 cases.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { ingestMessage } from '../src/db/repositories/index.js';
import { buildMonthlyReport, writeReportFiles } from '../src/reports/index.js';
import { emit, log, makeWorld, peakRssMb, round, ZONE } from './lib/world.js';

const MONTH = '2026-11';
const END = DateTime.fromISO('2026-12-01T00:00', { zone: ZONE }); // history ends with the reported month
const AS_OF = DateTime.fromISO('2026-12-01T09:00', { zone: ZONE }).toMillis();
const PER_DAY = 10_000;
const SAMPLE = 1_000;
const DAY = 86_400_000;

const [mode, dirArg, nArg] = process.argv.slice(2);

/** The backfill statements of the migration that added the summary's facts to `cases` and `deadlines`. */
function summaryFactsBackfill(): string {
  const sql = readFileSync(new URL('../migrations/0013_summary_facts.sql', import.meta.url), 'utf8');
  const updates = sql.split('--> statement-breakpoint').filter((s) => s.trim().startsWith('UPDATE'));
  if (updates.length !== 2) throw new Error('backfill statements not found in migration 0013');
  return updates.join('\n');
}

if (mode === 'build') {
  const target = Number(nArg);
  process.env.BENCH_KEEP = '1';
  const world = makeWorld(END.minus({ days: 1 }).toISO()!);
  const { app, clock } = world;
  const sqlite = app.database.sqlite;
  const ctx = { regulation: app.regulation, workingTime: app.workingTime, clock };
  const t0 = performance.now();
  const day0 = END.minus({ days: 1 }).set({ hour: 0 });
  for (let i = 0; i < SAMPLE; i++) {
    const at = day0.plus({ milliseconds: Math.floor((i * DAY) / SAMPLE) });
    clock.set(at);
    ingestMessage(
      app.db,
      {
        sourceKey: `vk:wall:-1_${i % 40}_${i}`,
        kind: 'vk_comment',
        network: 'vk',
        threadKey: `vk:wall:-1_${i % 40}`,
        author: { externalId: String(7000 + i), name: `Житель ${i}`, profileUrl: `https://vk.com/id${7000 + i}` },
        text: `Сообщение ${i}: ${['яма на дороге', 'не вывозят мусор', 'не горит фонарь', 'течёт крыша'][i % 4]} по адресу ул. Ленина, ${i % 90}`,
        attachments: [],
        permalink: `https://vk.com/wall-1_${i % 40}?reply=${i}`,
        publishedAt: at.toMillis(),
        detectedAt: at.toMillis(),
        raw: { id: i, from_id: 7000 + i, text: 'Сообщение', post_id: i % 40, owner_id: -1, date: Math.floor(at.toMillis() / 1000) },
      },
      ctx,
      { onEffects: (tx, effects) => app.applyEffects(tx as never, effects) },
    );
  }
  const realMs = performance.now() - t0;
  const topics = ['Дороги', 'ЖКХ', 'Благоустройство', 'Транспорт', 'Другое'];
  sqlite.exec(`
    UPDATE cases SET topic = CASE id % 5 ${topics.map((t, i) => `WHEN ${i} THEN '${t}'`).join(' ')} END,
                     location = CASE WHEN id % 3 = 0 THEN 'ул. Ленина' WHEN id % 3 = 1 THEN 'мкр. Восточный' ELSE NULL END,
                     triaged = 1, status = CASE WHEN id % 10 < 7 THEN 'closed' WHEN id % 10 < 8 THEN 'in_work' ELSE status END;
    INSERT INTO assignments (case_id, seq, department_id, executor_id, role, ord, status, assigned_at, accepted_at)
      SELECT id, 1, CASE WHEN id % 2 = 0 THEN 'zhkh' ELSE 'roads' END, NULL, 'responsible', 0, 'accepted', detected_at + 3600000, detected_at + 7200000
        FROM cases WHERE id % 10 < 8;
    UPDATE deadlines SET status = 'met', closed_at = CASE WHEN case_id % 20 = 0 THEN due_at + 3600000 ELSE due_at - 3600000 END
      WHERE kind = 'answer' AND case_id % 10 < 7;
    UPDATE deadlines SET status = 'met', closed_at = starts_at + 1800000 WHERE kind = 'route' AND case_id % 10 < 8;
    INSERT INTO publications (case_id, seq, draft_seq, kind, at, by, external_id, permalink)
      SELECT case_id, 1, 1, 'final', closed_at, NULL, NULL, NULL FROM deadlines WHERE kind = 'answer' AND status = 'met';
  `);
  // The rows above bypass saveCase: derive the summary's facts on the case rows as the migration does.
  sqlite.exec(summaryFactsBackfill());
  const cols = (t: string) => (sqlite.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map((c) => c.name);
  const count = (t: string) => (sqlite.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
  // Copies every case with id in [lo, hi] (and its rows) shifted by `shift` ms, at most `limit` cases.
  function copy(lo: number, hi: number, shift: number, limit: number): void {
    const base = sqlite.prepare(`SELECT max(id) AS id, max(number) AS num FROM cases`).get() as { id: number; num: number };
    const mBase = (sqlite.prepare(`SELECT max(id) AS id FROM messages`).get() as { id: number }).id;
    const last = Math.min(hi, lo + limit - 1);
    const off = base.id + 1 - lo; // new case id = id + off
    const moff = mBase + 1 - lo; // messages: one per case, same order as cases (case_messages maps them)
    const tag = `~${base.id}`;
    const sel = (t: string, map: Record<string, string>) => {
      const c = cols(t);
      return `INSERT INTO ${t} (${c.join(', ')}) SELECT ${c.map((x) => map[x] ?? x).join(', ')} FROM ${t}`;
    };
    sqlite.transaction(() => {
      sqlite.exec(`${sel('messages', { id: `id + ${moff}`, source_key: `source_key || '${tag}'`, detected_at: `detected_at + ${shift}`, published_at: `published_at + ${shift}`, created_at: `created_at + ${shift}` })}
        WHERE id IN (SELECT message_id FROM case_messages WHERE case_id BETWEEN ${lo} AND ${last})`);
      sqlite.exec(
        `${sel('cases', { id: `id + ${off}`, number: `number - ${lo} + ${base.num + 1}`, detected_at: `detected_at + ${shift}`, created_at: `created_at + ${shift}`, updated_at: `updated_at + ${shift}`, closed_at: `closed_at + ${shift}`, first_response_at: `first_response_at + ${shift}`, final_answer_at: `final_answer_at + ${shift}` })} WHERE id BETWEEN ${lo} AND ${last}`,
      );
      sqlite.exec(`${sel('case_messages', { case_id: `case_id + ${off}`, message_id: `message_id + ${moff}` })} WHERE case_id BETWEEN ${lo} AND ${last}`);
      for (const [t, times] of [
        ['deadlines', ['starts_at', 'due_at', 'closed_at', 'paused_at']],
        ['assignments', ['assigned_at', 'accepted_at', 'returned_at']],
        ['publications', ['at']],
      ] as const)
        sqlite.exec(`${sel(t, { case_id: `case_id + ${off}`, ...Object.fromEntries(times.map((x) => [x, `${x} + ${shift}`])) })} WHERE case_id BETWEEN ${lo} AND ${last}`);
      sqlite.exec(`${sel('audit_events', { id: 'NULL', case_id: `case_id + ${off}`, at: `at + ${shift}` })} WHERE case_id BETWEEN ${lo} AND ${last}`);
    })();
  }
  // 1) fill the first day up to 10,000 (same times, new ids).
  const idRange = () => sqlite.prepare(`SELECT min(id) AS lo, max(id) AS hi FROM cases`).get() as { lo: number; hi: number };
  while (count('cases') < Math.min(PER_DAY, target)) {
    const { lo } = idRange();
    copy(lo, lo + SAMPLE - 1, 0, Math.min(SAMPLE, target - count('cases')));
  }
  // 2) double back in time: everything so far, shifted by the span it covers.
  let days = 1;
  while (count('cases') < target) {
    const { lo, hi } = idRange();
    copy(lo, hi, -days * DAY, target - count('cases'));
    days *= 2;
  }
  sqlite.exec('ANALYZE');
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  const sizeMb = Math.round(((sqlite.prepare('PRAGMA page_count').get() as { page_count: number }).page_count * 4096) / 1048576);
  const span = sqlite.prepare(`SELECT min(detected_at) AS a, max(detected_at) AS b FROM messages`).get() as { a: number; b: number };
  const info = {
    messages: count('messages'),
    cases: count('cases'),
    deadlines: count('deadlines'),
    auditEvents: count('audit_events'),
    publications: count('publications'),
    days: Math.round((span.b - span.a) / DAY),
    dbMb: sizeMb,
    sampleThroughRepositoriesMs: round(realMs, 0),
    buildMs: round(performance.now() - t0, 0),
  };
  world.app.database.close();
  process.stdout.write(`BENCH_DB ${JSON.stringify({ dir: world.dir, dbPath: world.dbPath, ...info })}\n`);
} else if (mode === 'measure') {
  // A fresh process: open the database, build the month's report (load + compute), render it.
  const dir = dirArg!;
  const { openDatabase } = await import('../src/db/connection.js');
  const baseline = peakRssMb();
  process.env.BENCH_KEEP = '1';
  const world = makeWorld(DateTime.fromMillis(AS_OF, { zone: ZONE }).toISO()!);
  // point the world at the built database
  world.app.database.close();
  const handle = openDatabase(path.join(dir, 'otklik.db'));
  Object.assign(world.app, { database: handle, db: handle.db });
  const afterOpen = peakRssMb();
  let sampled = 0;
  const timer = setInterval(() => (sampled = Math.max(sampled, process.memoryUsage().rss)), 20);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const report = buildMonthlyReport(world.app, MONTH, AS_OF);
  const buildMs = performance.now() - t0;
  const t1 = performance.now();
  const files = await writeReportFiles(world.app, report, path.join(world.dir, 'reports'), 'ru');
  const renderMs = performance.now() - t1;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(timer);
  const peakBeforeWorker = peakRssMb(); // the worker below adds its own isolate and page cache
  const xlsxKb = Math.round(readFileSync(files.xlsx).length / 1024);
  // The same month in the worker thread (what /report and the scheduler do): how late a 10 ms timer on
  // the main thread fires meanwhile is the delay a button press would see.
  Object.assign(world.app, { env: { ...world.app.env, DATABASE_PATH: path.join(dir, 'otklik.db') } });
  const { buildMonthlyReportInWorker } = await import('../src/reports/thread.js');
  let lagMax = 0;
  let expected = performance.now() + 10;
  const probe = setInterval(() => {
    lagMax = Math.max(lagMax, performance.now() - expected);
    expected = performance.now() + 10;
  }, 10);
  const tw = performance.now();
  const threaded = await buildMonthlyReportInWorker(world.app, MONTH, AS_OF);
  const workerMs = performance.now() - tw;
  clearInterval(probe);
  emit('report-measure', {
    workerMs: round(workerMs, 0),
    mainThreadLagMaxMs: round(lagMax, 0),
    workerEqual: JSON.stringify(threaded) === JSON.stringify(report),
    month: MONTH,
    received: report.headline.received,
    answered: report.headline.answered,
    onTimePct: report.headline.onTimePct,
    buildMs: round(buildMs, 0),
    renderMs: round(renderMs, 0),
    totalMs: round(buildMs + renderMs, 0),
    cpuMs: round((cpu.user + cpu.system) / 1000, 0),
    peakRssMb: peakBeforeWorker,
    peakRssWithWorkerMb: peakRssMb(),
    rssAtStartMb: baseline,
    rssAfterOpenMb: afterOpen,
    sampledRssPeakMb: Math.round(sampled / 1048576),
    xlsxKb,
  });
  handle.close();
} else if (mode === 'verify') {
  // The summary as delivered (buildMonthlyReport: index ranges over the case rows' summary facts) against
  // the reference computation over every record of the two months (loadReportRecords + computeMonthlyReport)
  // on the same database: they must be deep-equal. Not part of `npm run bench` (the reference holds everything).
  const { openDatabase } = await import('../src/db/connection.js');
  const { monthlyReportFromRecords, reportOptions, reportSettings } = await import('../src/reports/index.js');
  const { MonthlyReportBuilder } = await import('../src/reports/compute.js');
  const { streamReportRecords } = await import('../src/db/repositories/report-records.js');
  const { departments, staff } = await import('../src/db/schema/org.js');
  process.env.BENCH_KEEP = '1';
  const world = makeWorld(DateTime.fromMillis(AS_OF, { zone: ZONE }).toISO()!);
  world.app.database.close();
  const handle = openDatabase(path.join(dirArg!, 'otklik.db'));
  const app = Object.assign(world.app, { database: handle, db: handle.db });
  const src = { ...reportSettings(app), workingTime: app.workingTime, db: app.db, sqlite: handle.sqlite };
  const timed = <T>(f: () => T): { result: T; ms: number; cpuMs: number } => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const result = f();
    const c = process.cpuUsage(c0);
    return { result, ms: round(performance.now() - t0, 0), cpuMs: round((c.user + c.system) / 1000, 0) };
  };
  const fast = timed(() => buildMonthlyReport(app, MONTH, AS_OF));
  // The loader this replaced (every case of the two months joined to its assignments, publications and
  // deadlines, streamed through the same builder): the «before» of docs/performance.md, same run, same file.
  const streamed = timed(() => {
    const o = { ...reportOptions(src, MONTH, AS_OF) };
    const b = new MonthlyReportBuilder(o, {
      staff: app.db
        .select()
        .from(staff)
        .all()
        .map((x) => ({ id: x.id, name: x.name, departmentId: x.departmentId })),
      roleTitles: src.roleTitles,
    });
    streamReportRecords(handle.sqlite, o.period, o.previous, AS_OF, b);
    return b.finish(
      app.db
        .select()
        .from(departments)
        .all()
        .filter((d) => d.active || b.caseDepartments.has(d.id)),
    );
  });
  const reference = timed(() => monthlyReportFromRecords(src, MONTH, AS_OF));
  const same = JSON.stringify(fast.result) === JSON.stringify(reference.result);
  emit('report-verify', {
    same,
    previousLoaderSame: JSON.stringify(streamed.result) === JSON.stringify(reference.result),
    fast: { ms: fast.ms, cpuMs: fast.cpuMs },
    previousLoader: { ms: streamed.ms, cpuMs: streamed.cpuMs },
    reference: { ms: reference.ms, cpuMs: reference.cpuMs },
    received: fast.result.headline.received,
    answered: fast.result.headline.answered,
    overdue: fast.result.headline.overdue,
  });
  handle.close();
} else {
  log('usage: report.ts build <messages> | measure <dir> | verify <dir>');
  process.exit(2);
}
