import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import { batchValue, insertRows, lastCaseIdentity, prepared, setBatchValue } from './fast.js';
import type { Role } from '../../domain/regulation/schema.js';
import type { Assignment, CaseState, Deadline, JoinedCase, Message, WorkflowEvent } from '../../domain/workflow/index.js';
import { summaryFacts, type SummaryFacts } from '../../domain/workflow/summary-facts.js';
import { assignments, auditEvents, bans, caseMessages, cases, deadlines, draftComments, draftVersions, drafts, messages, publications } from '../schema/cases.js';

/** A database or a transaction (better-sqlite3, synchronous). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Conn = BaseSQLiteDatabase<'sync', any, any>;

// ---------------------------------------------------------------------------------------------
// Read
// ---------------------------------------------------------------------------------------------

/** Loads a case's current state from the tables (null when absent). */
export function loadCase(conn: Conn, caseId: number): CaseState | null {
  const c = conn.select().from(cases).where(eq(cases.id, caseId)).get();
  if (!c) return null;
  const msgs = conn.select().from(caseMessages).where(eq(caseMessages.caseId, caseId)).orderBy(asc(caseMessages.position)).all();
  const as = conn.select().from(assignments).where(eq(assignments.caseId, caseId)).orderBy(asc(assignments.seq)).all();
  const ds = conn.select().from(drafts).where(eq(drafts.caseId, caseId)).orderBy(asc(drafts.seq)).all();
  const vs = conn.select().from(draftVersions).where(eq(draftVersions.caseId, caseId)).orderBy(asc(draftVersions.draftSeq), asc(draftVersions.n)).all();
  const cs = conn.select().from(draftComments).where(eq(draftComments.caseId, caseId)).orderBy(asc(draftComments.draftSeq), asc(draftComments.position)).all();
  const ps = conn.select().from(publications).where(eq(publications.caseId, caseId)).orderBy(asc(publications.seq)).all();
  const bs = conn.select().from(bans).where(eq(bans.caseId, caseId)).orderBy(asc(bans.seq)).all();
  const dls = conn.select().from(deadlines).where(eq(deadlines.caseId, caseId)).orderBy(asc(deadlines.seq)).all();
  const joined = joinedCases(conn, caseId);
  return {
    id: c.id,
    number: c.number,
    regulationId: c.regulationId,
    status: c.status,
    messageIds: msgs.map((m) => m.messageId),
    author: c.author ?? null,
    sourceKind: c.sourceKind ?? null,
    network: c.network,
    detectedAt: c.detectedAt,
    createdAt: c.createdAt,
    topic: c.topic,
    location: c.location,
    importance: c.importance,
    triaged: c.triaged,
    urgent: c.urgent,
    repeatOf: c.repeatOf,
    outsideBodyId: c.outsideBodyId,
    rejectionReasonId: c.rejectionReasonId,
    resolutionComment: c.resolutionComment,
    extension: c.extension ?? null,
    reworkFrom: c.reworkFrom,
    assignments: as.map((a): Assignment => ({
      seq: a.seq,
      departmentId: a.departmentId,
      executorId: a.executorId,
      role: a.role,
      order: a.order,
      status: a.status,
      assignedAt: a.assignedAt,
      acceptedAt: a.acceptedAt,
      returnedAt: a.returnedAt,
      returnReason: a.returnReason,
      substituteFor: a.substituteFor,
      part: a.part ?? null,
    })),
    drafts: ds.map((d) => ({
      seq: d.seq,
      kind: d.kind,
      status: d.status,
      versions: vs.filter((v) => v.draftSeq === d.seq).map((v) => ({ n: v.n, text: v.text, attachments: v.attachments, at: v.at, by: v.by })),
      comments: cs
        .filter((x) => x.draftSeq === d.seq)
        .map((x) => ({
          at: x.at,
          by: x.by,
          byName: x.byName,
          stage: x.stage,
          verdict: x.verdict,
          text: x.text,
        })),
      promisedBy: d.promisedBy,
      promisedConditions: d.promisedConditions,
      measures: d.measures,
    })),
    publications: ps.map((p) => ({
      seq: p.seq,
      draftSeq: p.draftSeq,
      kind: p.kind,
      at: p.at,
      by: p.by,
      externalId: p.externalId,
      permalink: p.permalink,
    })),
    bans: bs.map((b) => ({
      seq: b.seq,
      authorExternalId: b.authorExternalId,
      network: b.network,
      reasonId: b.reasonId,
      comment: b.comment,
      until: b.until,
      at: b.at,
      by: b.by,
    })),
    deadlines: dls.map((d): Deadline => ({
      seq: d.seq,
      kind: d.kind,
      clause: d.clause,
      role: d.role as Role | null,
      staffId: d.staffId,
      departmentId: d.departmentId,
      assignmentSeq: d.assignmentSeq,
      startsAt: d.startsAt,
      dueAt: d.dueAt,
      duration: d.duration ?? null,
      status: d.status,
      closedAt: d.closedAt,
      pausedAt: d.pausedAt,
      pausedMinutes: d.pausedMinutes,
    })),
    closedAt: c.closedAt,
    version: c.version,
    updatedAt: c.updatedAt,
    ...(joined.length ? { joined } : {}),
  };
}

/** The cases joined to this one, from its audit log (the events are the record; no table of their own). */
function joinedCases(conn: Conn, caseId: number): JoinedCase[] {
  return conn
    .select({ payload: auditEvents.payload })
    .from(auditEvents)
    .where(and(eq(auditEvents.caseId, caseId), eq(auditEvents.type, 'case_joined')))
    .orderBy(asc(auditEvents.version))
    .all()
    .map((r) => {
      const d = (r.payload as unknown as Extract<WorkflowEvent, { type: 'case_joined' }>).data;
      return { caseId: d.caseId, number: d.number, messageId: d.messageId };
    });
}

/** A case's events in order (its audit log). */
export function loadEvents(conn: Conn, caseId: number): WorkflowEvent[] {
  return conn
    .select({ payload: auditEvents.payload })
    .from(auditEvents)
    .where(eq(auditEvents.caseId, caseId))
    .orderBy(asc(auditEvents.version))
    .all()
    .map((r) => r.payload as unknown as WorkflowEvent);
}

/** Who produced the first event after `version` (for «already done by …»). */
export function firstActorAfter(conn: Conn, caseId: number, version: number): { name: string; staffId: number | null; type: string } | null {
  const r = conn
    .select({ name: auditEvents.actorName, staffId: auditEvents.actorId, type: auditEvents.type })
    .from(auditEvents)
    .where(and(eq(auditEvents.caseId, caseId), gt(auditEvents.version, version)))
    .orderBy(asc(auditEvents.version))
    .get();
  return r ?? null;
}

export function loadMessage(conn: Conn, id: number): Message | null {
  const m = prepared(conn, 'repositories.loadMessage', () =>
    conn
      .select()
      .from(messages)
      .where(eq(messages.id, sql.placeholder('id')))
      .prepare(),
  ).get({ id });
  if (!m) return null;
  return {
    id: m.id,
    sourceKey: m.sourceKey,
    kind: m.kind,
    network: m.network,
    threadKey: m.threadKey,
    author: { externalId: m.authorExternalId, name: m.authorName, profileUrl: m.authorProfileUrl },
    text: m.text,
    attachments: m.attachments,
    permalink: m.permalink,
    publishedAt: m.publishedAt,
    detectedAt: m.detectedAt,
    raw: m.raw,
  };
}

// ---------------------------------------------------------------------------------------------
// Write
// ---------------------------------------------------------------------------------------------

function caseRow(s: CaseState, facts: SummaryFacts) {
  return {
    id: s.id,
    number: s.number,
    regulationId: s.regulationId,
    status: s.status,
    author: s.author,
    sourceKind: s.sourceKind,
    network: s.network,
    detectedAt: s.detectedAt,
    createdAt: s.createdAt,
    topic: s.topic,
    location: s.location,
    importance: s.importance,
    triaged: s.triaged,
    urgent: s.urgent,
    repeatOf: s.repeatOf,
    outsideBodyId: s.outsideBodyId,
    rejectionReasonId: s.rejectionReasonId,
    resolutionComment: s.resolutionComment,
    extension: s.extension,
    reworkFrom: s.reworkFrom,
    closedAt: s.closedAt,
    version: s.version,
    updatedAt: s.updatedAt,
    // The summary's department and answer times, in the same write as the rows they derive from.
    ...facts,
  };
}

/** The last case's id and number, held for a batch of ingest once read (`saveCase` moves it on). */
const LAST_CASE = 'cases.last';

export class VersionConflict extends Error {
  constructor(
    readonly caseId: number,
    readonly expected: number,
  ) {
    super(`case ${caseId} changed since version ${expected}`);
  }
}

/**
 * Writes a case's state. `expectedVersion`: the version the decision was made on — the write fails
 * with VersionConflict when somebody else committed in between (null: a new case).
 */
export function saveCase(conn: Conn, s: CaseState, expectedVersion: number | null): void {
  const facts = summaryFacts(s);
  const row = caseRow(s, facts);
  if (expectedVersion === null) {
    insertRows(conn, cases, [row]);
    const last = batchValue<{ id: number; number: number }>(conn, LAST_CASE)?.value;
    if (last) setBatchValue(conn, LAST_CASE, { id: Math.max(last.id, s.id), number: Math.max(last.number, s.number) });
  } else {
    const { id: _id, number: _n, ...rest } = row;
    const r = conn
      .update(cases)
      .set(rest)
      .where(and(eq(cases.id, s.id), eq(cases.version, expectedVersion)))
      .run();
    if (r.changes !== 1) throw new VersionConflict(s.id, expectedVersion);
  }
  const id = s.id;
  // A new case has no rows in the child tables yet (they reference it): nothing to delete.
  if (expectedVersion !== null) {
    for (const t of [caseMessages, assignments, draftVersions, draftComments, drafts, publications, bans, deadlines]) {
      conn.delete(t).where(eq(t.caseId, id)).run();
    }
  }
  if (s.messageIds.length)
    insertRows(
      conn,
      caseMessages,
      s.messageIds.map((messageId, position) => ({ caseId: id, messageId, position })),
    );
  if (s.assignments.length)
    insertRows(
      conn,
      assignments,
      s.assignments.map((a) => ({ ...a, caseId: id })),
    );
  if (s.drafts.length) {
    insertRows(
      conn,
      drafts,
      s.drafts.map((d) => ({ caseId: id, seq: d.seq, kind: d.kind, status: d.status, promisedBy: d.promisedBy, promisedConditions: d.promisedConditions, measures: d.measures })),
    );
    const vs = s.drafts.flatMap((d) => d.versions.map((v) => ({ caseId: id, draftSeq: d.seq, ...v })));
    if (vs.length) insertRows(conn, draftVersions, vs);
    const cs = s.drafts.flatMap((d) => d.comments.map((c, position) => ({ caseId: id, draftSeq: d.seq, position, ...c })));
    if (cs.length) insertRows(conn, draftComments, cs);
  }
  if (s.publications.length)
    insertRows(
      conn,
      publications,
      s.publications.map((p) => ({ ...p, caseId: id })),
    );
  if (s.bans.length)
    insertRows(
      conn,
      bans,
      s.bans.map((b) => ({ ...b, caseId: id })),
    );
  if (s.deadlines.length)
    insertRows(
      conn,
      deadlines,
      s.deadlines.map((d) => ({ ...d, caseId: id, caseDepartmentId: facts.summaryDepartmentId })),
    );
}

/** Appends events to the audit log; versions continue from `fromVersion`. */
export function appendEvents(conn: Conn, caseId: number, events: readonly WorkflowEvent[], fromVersion: number): void {
  insertRows(
    conn,
    auditEvents,
    events.map((e, i) => ({
      caseId,
      version: fromVersion + i + 1,
      type: e.type,
      at: e.at,
      actorId: e.actor.staffId,
      actorName: e.actor.name,
      fromStatus: e.from,
      toStatus: e.to,
      clause: e.clause,
      comment: e.comment,
      payload: e as unknown as Record<string, unknown>,
    })),
  );
}

export function nextCaseIdentity(conn: Conn): { id: number; number: number } {
  let last = batchValue<{ id: number; number: number }>(conn, LAST_CASE)?.value;
  if (!last) setBatchValue(conn, LAST_CASE, (last = lastCaseIdentity(conn)));
  return { id: last.id + 1, number: last.number + 1 };
}

/** The number of a case (null when absent); prepared once per connection (every notice asks it). */
export function caseNumberOf(db: Conn, caseId: number): number | null {
  return (
    prepared(db, 'bot.caseNumber', () =>
      db
        .select({ number: cases.number })
        .from(cases)
        .where(eq(cases.id, sql.placeholder('id')))
        .prepare(),
    ).get({ id: caseId })?.number ?? null
  );
}
