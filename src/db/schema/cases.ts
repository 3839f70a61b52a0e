import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, index, uniqueIndex, primaryKey } from 'drizzle-orm/sqlite-core';
import type { Duration } from '../../domain/time/duration.js';
import { CASE_STATUSES, DEADLINE_KINDS, SOURCE_KINDS } from '../../domain/workflow/model.js';
import type { Attachment, Author, Assignment, CaseState, Deadline, DraftKind, DraftStatus } from '../../domain/workflow/model.js';

/**
 * The case workflow's storage. Instants are epoch milliseconds. The tables hold the
 * current state of every case; `audit_events` holds every event (append-only, enforced by
 * triggers), and replaying a case's events rebuilds exactly what these tables hold.
 */

/** One collected post/comment/DM: immutable; `source_key` is the dedupe key; the raw payload is kept. */
export const messages = sqliteTable(
  'messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sourceKey: text('source_key').notNull().unique(),
    kind: text('kind', { enum: SOURCE_KINDS }).notNull(),
    network: text('network').notNull(),
    threadKey: text('thread_key'),
    authorExternalId: text('author_external_id'),
    authorName: text('author_name').notNull(),
    authorProfileUrl: text('author_profile_url'),
    text: text('text').notNull(),
    attachments: text('attachments', { mode: 'json' }).$type<Attachment[]>().notNull(),
    permalink: text('permalink'),
    publishedAt: integer('published_at'),
    detectedAt: integer('detected_at').notNull(),
    raw: text('raw', { mode: 'json' }).$type<unknown>(),
    createdAt: integer('created_at').notNull(),
  },
  // No index on detected_at: every period query reads cases.detected_at, none reads the message's.
  (t) => [index('messages_thread_idx').on(t.threadKey, t.authorExternalId)],
);

export const cases = sqliteTable(
  'cases',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Human-friendly sequential number. */
    number: integer('number').notNull().unique(),
    regulationId: text('regulation_id').notNull(),
    status: text('status', { enum: CASE_STATUSES }).notNull(),
    author: text('author', { mode: 'json' }).$type<Author | null>(),
    sourceKind: text('source_kind', { enum: SOURCE_KINDS }),
    network: text('network'),
    detectedAt: integer('detected_at').notNull(),
    createdAt: integer('created_at').notNull(),
    topic: text('topic'),
    location: text('location'),
    importance: text('importance').notNull(),
    triaged: integer('triaged', { mode: 'boolean' }).notNull(),
    urgent: integer('urgent', { mode: 'boolean' }).notNull(),
    repeatOf: integer('repeat_of'),
    outsideBodyId: text('outside_body_id'),
    rejectionReasonId: text('rejection_reason_id'),
    resolutionComment: text('resolution_comment'),
    extension: text('extension', { mode: 'json' }).$type<{ baseDueAt: number; until: number } | null>(),
    reworkFrom: text('rework_from').$type<CaseState['reworkFrom']>(),
    closedAt: integer('closed_at'),
    /** Number of events applied: the optimistic lock. */
    version: integer('version').notNull(),
    updatedAt: integer('updated_at').notNull(),
    // What the monthly summary groups and times by, derived from the case's rows by `summaryFacts`
    // (src/domain/workflow/summary-facts.ts) and written with them in `saveCase`.
    /** Department of the responsible assignment (the latest not returned or withdrawn, else the latest). */
    summaryDepartmentId: text('summary_department_id'),
    /** First published intermediate or final answer. */
    firstResponseAt: integer('first_response_at'),
    /** First published final answer. */
    finalAnswerAt: integer('final_answer_at'),
  },
  (t) => [
    index('cases_status_idx').on(t.status, t.updatedAt),
    // Covering: the summary's received, repeats and dynamics are counted inside this index.
    index('cases_detected_idx').on(t.detectedAt, t.summaryDepartmentId, t.repeatOf, t.topic, t.location, t.sourceKind),
    // Covering and partial (no entry until a case is answered): the summary's answer times. A first
    // response that is the final answer is read once, from the final answers' index.
    index('cases_first_response_idx')
      .on(t.firstResponseAt, t.detectedAt, t.summaryDepartmentId)
      .where(sql`first_response_at IS NOT final_answer_at`),
    index('cases_final_answer_idx')
      .on(t.finalAnswerAt, t.detectedAt, t.summaryDepartmentId, t.firstResponseAt)
      .where(sql`final_answer_at IS NOT NULL`),
  ],
);

export const caseMessages = sqliteTable(
  'case_messages',
  {
    caseId: integer('case_id')
      .notNull()
      .references(() => cases.id),
    messageId: integer('message_id')
      .notNull()
      .references(() => messages.id),
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.messageId] }), index('case_messages_message_idx').on(t.messageId)],
);

export const assignments = sqliteTable(
  'assignments',
  {
    caseId: integer('case_id')
      .notNull()
      .references(() => cases.id),
    seq: integer('seq').notNull(),
    departmentId: text('department_id').notNull(),
    executorId: integer('executor_id'),
    role: text('role').$type<Assignment['role']>().notNull(),
    order: integer('ord').notNull(),
    status: text('status').$type<Assignment['status']>().notNull(),
    assignedAt: integer('assigned_at').notNull(),
    acceptedAt: integer('accepted_at'),
    returnedAt: integer('returned_at'),
    returnReason: text('return_reason'),
    substituteFor: integer('substitute_for'),
    part: text('part', { mode: 'json' }).$type<Assignment['part']>(),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.seq] }), index('assignments_executor_idx').on(t.executorId, t.status), index('assignments_department_idx').on(t.departmentId, t.status)],
);

export const drafts = sqliteTable(
  'drafts',
  {
    caseId: integer('case_id')
      .notNull()
      .references(() => cases.id),
    seq: integer('seq').notNull(),
    kind: text('kind').$type<DraftKind>().notNull(),
    status: text('status').$type<DraftStatus>().notNull(),
    promisedBy: integer('promised_by'),
    promisedConditions: text('promised_conditions'),
    measures: text('measures'),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.seq] })],
);

export const draftVersions = sqliteTable(
  'draft_versions',
  {
    caseId: integer('case_id')
      .notNull()
      .references(() => cases.id),
    draftSeq: integer('draft_seq').notNull(),
    n: integer('n').notNull(),
    text: text('text').notNull(),
    attachments: text('attachments', { mode: 'json' }).$type<Attachment[]>().notNull(),
    at: integer('at').notNull(),
    by: integer('by'),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.draftSeq, t.n] })],
);

export const draftComments = sqliteTable(
  'draft_comments',
  {
    caseId: integer('case_id')
      .notNull()
      .references(() => cases.id),
    draftSeq: integer('draft_seq').notNull(),
    position: integer('position').notNull(),
    at: integer('at').notNull(),
    by: integer('by'),
    byName: text('by_name').notNull(),
    stage: text('stage').$type<'department_head' | 'administrator'>().notNull(),
    verdict: text('verdict').$type<'approved' | 'returned'>().notNull(),
    text: text('text'),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.draftSeq, t.position] })],
);

/** Who must act, by when, under which clause: the single source for reminders, escalation and reports. */
export const deadlines = sqliteTable(
  'deadlines',
  {
    caseId: integer('case_id')
      .notNull()
      .references(() => cases.id),
    seq: integer('seq').notNull(),
    kind: text('kind', { enum: DEADLINE_KINDS }).notNull(),
    clause: text('clause').notNull(),
    role: text('role'),
    staffId: integer('staff_id'),
    departmentId: text('department_id'),
    assignmentSeq: integer('assignment_seq'),
    startsAt: integer('starts_at').notNull(),
    dueAt: integer('due_at').notNull(),
    duration: text('duration', { mode: 'json' }).$type<Duration | null>(),
    /** open | paused | met | cancelled */
    status: text('status').$type<Deadline['status']>().notNull(),
    closedAt: integer('closed_at'),
    pausedAt: integer('paused_at'),
    pausedMinutes: integer('paused_minutes').notNull(),
    /** The case's `summary_department_id`, copied by `saveCase` (which rewrites a case's deadlines at every save): the summary reads deadlines without joining cases. */
    caseDepartmentId: text('case_department_id'),
  },
  (t) => [
    primaryKey({ columns: [t.caseId, t.seq] }),
    // The watcher reads `WHERE status = 'open' AND due_at < ?` and never scans cases.
    index('deadlines_due_idx').on(t.status, t.dueAt),
    // Partial: a new case's deadlines name no person, so registering one writes no entry here.
    index('deadlines_staff_idx')
      .on(t.staffId, t.status)
      .where(sql`staff_id IS NOT NULL`),
    // The summary's answered deadlines of a period and the ones closed late (partial: small).
    // Covering for the ones met by their due (counted inside the index).
    index('deadlines_answered_idx')
      .on(t.closedAt, t.dueAt, t.caseDepartmentId, t.departmentId)
      .where(sql`kind = 'answer' AND status = 'met'`),
    index('deadlines_closed_late_idx')
      .on(t.dueAt)
      .where(sql`status IN ('met', 'cancelled') AND closed_at > due_at`),
  ],
);

/** Every event of every case (who, when, from, to, clause, comment, full payload). Append-only. */
export const auditEvents = sqliteTable(
  'audit_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    caseId: integer('case_id')
      .notNull()
      .references(() => cases.id),
    /** The case version this event produced (1 = registered). */
    version: integer('version').notNull(),
    type: text('type').notNull(),
    at: integer('at').notNull(),
    actorId: integer('actor_id'),
    actorName: text('actor_name').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    clause: text('clause'),
    comment: text('comment'),
    payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  },
  (t) => [
    uniqueIndex('audit_events_case_version_uq').on(t.caseId, t.version),
    // The monthly summary's events of a kind in a period (reworks, returns, intermediate answers); every
    // period query names the types, so there is no index on `at` alone.
    index('audit_events_type_at_idx').on(t.type, t.at),
  ],
);

export const publications = sqliteTable(
  'publications',
  {
    caseId: integer('case_id')
      .notNull()
      .references(() => cases.id),
    seq: integer('seq').notNull(),
    draftSeq: integer('draft_seq').notNull(),
    kind: text('kind').$type<DraftKind>().notNull(),
    at: integer('at').notNull(),
    by: integer('by'),
    externalId: text('external_id'),
    permalink: text('permalink'),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.seq] }), index('publications_at_idx').on(t.at)],
);

export const bans = sqliteTable(
  'bans',
  {
    caseId: integer('case_id')
      .notNull()
      .references(() => cases.id),
    seq: integer('seq').notNull(),
    authorExternalId: text('author_external_id').notNull(),
    network: text('network').notNull(),
    reasonId: text('reason_id').notNull(),
    comment: text('comment'),
    until: integer('until'),
    at: integer('at').notNull(),
    by: integer('by'),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.seq] }), index('bans_author_idx').on(t.network, t.authorExternalId)],
);
