import Database from 'better-sqlite3';
const db = new Database(process.argv[2]! + '/otklik.db', { readonly: true });
const from = Date.parse('2026-09-30T21:00:00Z'), cur = Date.parse('2026-10-31T21:00:00Z'), to = Date.parse('2026-11-30T21:00:00Z'), asOf = to + 9 * 3600e3;
const qs: [string, string, unknown[]][] = [
  ['received', `SELECT min(detected_at), summary_department_id, repeat_of IS NOT NULL, topic, location, source_kind, count(*) FROM cases INDEXED BY cases_detected_idx WHERE detected_at >= ? AND detected_at < ? GROUP BY detected_at >= ?, summary_department_id, repeat_of IS NOT NULL, topic, location, source_kind`, [from, to, cur]],
  ['first', `SELECT first_response_at, detected_at, summary_department_id FROM cases INDEXED BY cases_first_response_idx WHERE first_response_at >= ? AND first_response_at < ?`, [from, to]],
  ['answered', `SELECT d.case_id, d.due_at, d.closed_at, c.summary_department_id FROM deadlines d INDEXED BY deadlines_answered_idx CROSS JOIN cases c ON c.id = d.case_id WHERE d.kind = 'answer' AND d.status = 'met' AND d.closed_at >= ? AND d.closed_at < ?`, [from, to]],
  ['answeredNoJoin', `SELECT d.case_id, d.due_at, d.closed_at FROM deadlines d INDEXED BY deadlines_answered_idx WHERE d.kind = 'answer' AND d.status = 'met' AND d.closed_at >= ? AND d.closed_at < ?`, [from, to]],
  ['missedOpen', `SELECT d.case_id, c.summary_department_id FROM deadlines d INDEXED BY deadlines_due_idx CROSS JOIN cases c ON c.id = d.case_id WHERE d.status = 'open' AND d.due_at >= ? AND d.due_at < ? AND d.due_at < ?`, [from, to, asOf]],
  ['missedClosed', `SELECT d.case_id, c.summary_department_id FROM deadlines d INDEXED BY deadlines_closed_late_idx CROSS JOIN cases c ON c.id = d.case_id WHERE d.status IN ('met', 'cancelled') AND d.closed_at > d.due_at AND d.due_at >= ? AND d.due_at < ?`, [from, to]],
  ['events', `SELECT e.case_id, e.type, e.at, e.payload, c.summary_department_id FROM audit_events e INDEXED BY audit_events_type_at_idx CROSS JOIN cases c ON c.id = e.case_id WHERE e.type IN ('sent_to_rework', 'department_returned', 'returned', 'published') AND e.at >= ? AND e.at < ? AND (e.type <> 'published' OR e.payload LIKE '%"intermediate"%')`, [from, to]],
];
for (const [name, sql, args] of qs) {
  const st = db.prepare(sql);
  const plan = db.prepare('EXPLAIN QUERY PLAN ' + sql).all(...args).map((r: any) => r.detail).join(' | ');
  const t0 = performance.now(); const c0 = process.cpuUsage(); let n = 0;
  for (const _ of st.raw().iterate(...args)) n++;
  { const c = process.cpuUsage(c0); console.log(name, n, Math.round(performance.now() - t0), "ms wall", Math.round((c.user + c.system) / 1000), "ms cpu"); }
}
