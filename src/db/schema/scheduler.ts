import { sqliteTable, text, integer, index, uniqueIndex, primaryKey } from 'drizzle-orm/sqlite-core';

/**
 * Scheduler: what the deadline watch, the digests, the spike detector and the monthly
 * summary have already done, so a restart neither repeats nor skips anything. Instants are epoch ms.
 * Case and deadline references are plain integers (no foreign keys), so these tables never block
 * a case's own storage.
 */

/**
 * A breached deadline (К21; А12, А13, А15): who was to act, on which case, under which clause, by
 * when, when the breach was noticed and how late the step finally was (working minutes).
 */
export const violations = sqliteTable(
  'violations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    caseId: integer('case_id').notNull(),
    /** The deadline's sequence number within the case. */
    deadlineSeq: integer('deadline_seq').notNull(),
    /** The deadline's kind: answer, approval, publish, … */
    kind: text('kind').notNull(),
    clause: text('clause').notNull(),
    role: text('role'),
    staffId: integer('staff_id'),
    departmentId: text('department_id'),
    dueAt: integer('due_at').notNull(),
    /** When the watch noticed the breach (after a downtime: later than dueAt + 1 minute). */
    breachedAt: integer('breached_at').notNull(),
    /** Working minutes past due: as of the last check while open, final once the step is done. */
    overdueMinutes: integer('overdue_minutes').notNull().default(0),
    /** When the late step was finally done (met) or dropped (cancelled); null while still open. */
    resolvedAt: integer('resolved_at'),
    /** When it went out in the coordinator's daily digest; null: not yet. */
    digestedAt: integer('digested_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('violations_deadline_uq').on(t.caseId, t.deadlineSeq, t.dueAt),
    index('violations_breached_idx').on(t.breachedAt),
    index('violations_open_idx').on(t.resolvedAt),
    index('violations_digest_idx').on(t.digestedAt),
  ],
);

/**
 * A reminder threshold already sent for one deadline window, so each fires once. `dueAt` is part of
 * the key: an extension or a resumption after a pause moves the due and starts a fresh set.
 */
export const reminderMarks = sqliteTable(
  'reminder_marks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    caseId: integer('case_id').notNull(),
    deadlineSeq: integer('deadline_seq').notNull(),
    dueAt: integer('due_at').notNull(),
    /** `share:0.5`, `left`, `breach`. */
    threshold: text('threshold').notNull(),
    /** When the threshold was reached; `sentAt` later than that by more than a tick: sent late (catch-up). */
    dueToSendAt: integer('due_to_send_at').notNull(),
    sentAt: integer('sent_at').notNull(),
    late: integer('late', { mode: 'boolean' }).notNull().default(false),
    recipients: integer('recipients').notNull().default(0),
  },
  (t) => [uniqueIndex('reminder_marks_uq').on(t.caseId, t.deadlineSeq, t.dueAt, t.threshold)],
);

/**
 * Runs of the periodic jobs, one row per job and period (`monthly-summary` / `2026-10`,
 * `violations-digest` / `2026-11-02`, `backup` / `2026-11-02`): a period with no `done` row is
 * caught up at start.
 */
export const jobRuns = sqliteTable(
  'job_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    job: text('job').notNull(),
    period: text('period').notNull(),
    status: text('status', { enum: ['running', 'done', 'failed'] }).notNull(),
    /** When the run was due by the schedule. */
    scheduledFor: integer('scheduled_for').notNull(),
    startedAt: integer('started_at').notNull(),
    finishedAt: integer('finished_at'),
    /** Run after its time because the service was down. */
    late: integer('late', { mode: 'boolean' }).notNull().default(false),
    attempts: integer('attempts').notNull().default(1),
    note: text('note'),
  },
  (t) => [uniqueIndex('job_runs_uq').on(t.job, t.period)],
);

/**
 * One alert per spike (А17 «повышенная социальная активность»): while a spike on a topic or
 * location is open (`endedAt` null) no second alert goes out for it.
 */
export const spikeAlerts = sqliteTable(
  'spike_alerts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** topic | location */
    dimension: text('dimension').notNull(),
    value: text('value').notNull(),
    /** Messages in the last hour when the alert went out. */
    count: integer('count').notNull(),
    /** Average messages an hour over the previous 7 days, times 1000. */
    baselineMilli: integer('baseline_milli').notNull(),
    caseIds: text('case_ids', { mode: 'json' }).$type<number[]>().notNull(),
    startedAt: integer('started_at').notNull(),
    /** When the hourly count fell back under the threshold. */
    endedAt: integer('ended_at'),
  },
  (t) => [index('spike_alerts_open_idx').on(t.dimension, t.value, t.endedAt)],
);

/**
 * The deadline watch's plan: for every open deadline window, the instant the watch must next
 * look at it — its first reminder point not yet handled. A tick reads only the rows whose `next_at` has
 * come (index), so its cost follows the due deadlines, not the open cases, also on the first tick after
 * a start. Kept in step with the deadlines through the audit log (every change of a case's deadlines is
 * committed with an audit event; the last audit id planned and the working-time fingerprint the plan
 * was computed with are in `kv`). A row whose window is finished (breach handled) is deleted.
 */
export const watchPlan = sqliteTable(
  'watch_plan',
  {
    caseId: integer('case_id').notNull(),
    deadlineSeq: integer('deadline_seq').notNull(),
    /** The window's due instant when planned (an extension or resumption re-plans the row). */
    dueAt: integer('due_at').notNull(),
    /** When the watch must next look at this window (epoch ms). */
    nextAt: integer('next_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.deadlineSeq] }), index('watch_plan_next_idx').on(t.nextAt)],
);
