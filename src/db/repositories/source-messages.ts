import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { assignments, cases, messages, publications } from '../schema/cases.js';
import { staff } from '../schema/org.js';
import { messageRevisions } from '../schema/sources.js';
import { TERMINAL_STATUSES, type Assignment, type Author, type Message } from '../../domain/workflow/index.js';
import { clientOf, messageIdBySourceKey } from './fast.js';
import { loadMessage } from './case-store.js';

/**
 * What the sources read of the case storage over the caller's transaction: stored messages and their
 * revisions, a message's case, an author's cases in a thread, publications, who holds a case.
 */
export interface StoredMessage {
  id: number;
  caseId: number | null;
  sourceKey: string;
  kind: string;
  network: string;
  threadKey: string | null;
  author: Author;
  text: string;
  permalink: string | null;
}

export function caseOfMessage(tx: Db, messageId: number): number | null {
  const row = handle(tx).prepare('SELECT case_id AS caseId FROM case_messages WHERE message_id = ? ORDER BY case_id DESC LIMIT 1').get(messageId) as { caseId: number } | undefined;
  return row?.caseId ?? null;
}

/**
 * Every case holding the message: its own, and the case it was joined into (a joined case's first
 * message becomes part of the earlier case, К17 · А7.11).
 */
export function casesOfMessage(tx: Db, messageId: number): number[] {
  return (handle(tx).prepare('SELECT case_id AS caseId FROM case_messages WHERE message_id = ?').all(messageId) as { caseId: number }[]).map((r) => r.caseId);
}

const toStored = (tx: Db, m: Message | null): StoredMessage | null =>
  m
    ? {
        id: m.id,
        caseId: caseOfMessage(tx, m.id),
        sourceKey: m.sourceKey,
        kind: m.kind,
        network: m.network,
        threadKey: m.threadKey,
        author: m.author,
        text: m.text,
        permalink: m.permalink,
      }
    : null;

export function messageById(tx: Db, id: number): StoredMessage | null {
  return toStored(tx, loadMessage(tx, id));
}

export function messageBySourceKey(tx: Db, key: string): StoredMessage | null {
  // Asked for every event: the id through plain SQL, the message only when there is one.
  const id = messageIdBySourceKey(tx, key);
  return id === null ? null : toStored(tx, loadMessage(tx, id));
}

export function caseNumber(tx: Db, caseId: number): number | null {
  return tx.select({ n: cases.number }).from(cases).where(eq(cases.id, caseId)).get()?.n ?? null;
}

export function caseStatus(tx: Db, caseId: number): string | null {
  return tx.select({ s: cases.status }).from(cases).where(eq(cases.id, caseId)).get()?.s ?? null;
}

/** External ids (comment ids) of what Otklik published on a case. */
export function publishedIds(tx: Db, caseId: number): string[] {
  return tx
    .select({ id: publications.externalId })
    .from(publications)
    .where(eq(publications.caseId, caseId))
    .all()
    .flatMap((r) => (r.id ? [r.id] : []));
}

/**
 * The open cases (not rejected/not competent/closed) of this author in this thread, newest first.
 * Used for follow-ups: the author's reply under our answer or in the same private dialogue.
 */
export function openCasesOfAuthorInThread(tx: Db, threadKey: string, authorId: string, network: string): { caseId: number; status: string }[] {
  // Asked for every new message: plain SQL on the handle (drizzle's mapping was most of its cost).
  return handle(tx)
    .prepare(
      `SELECT DISTINCT c.id AS caseId, c.status AS status FROM messages m JOIN case_messages cm ON cm.message_id = m.id JOIN cases c ON c.id = cm.case_id
        WHERE m.thread_key = ? AND m.author_external_id = ? AND m.network = ? AND c.status NOT IN (${TERMINAL_SQL}) ORDER BY c.id DESC`,
    )
    .all(threadKey, authorId, network) as { caseId: number; status: string }[];
}

const TERMINAL_SQL = TERMINAL_STATUSES.map((st) => `'${st}'`).join(', ');
function handle(tx: Db) {
  const client = clientOf(tx);
  if (!client) throw new Error('source-messages: not a better-sqlite3 connection');
  return client;
}

/** A case holding a message of the author in the thread (`casesOfAuthorInThread`). */
export interface AuthorThreadCase {
  caseId: number;
  status: string;
  number: number;
  closedAt: number | null;
  /** The network of the author's message in it. */
  network: string;
  /** The case it was joined into, when the author's message is in that case too (К17 · А7.11); else null. */
  joinedInto: number | null;
}

/**
 * Case `c` was joined into another (К17 · А7.11): `c.repeat_of` holds its message `m` too (a case marked
 * as a repeat does not). The first test skips the look-up for the many cases without `repeat_of`.
 */
const JOINED_INTO = 'c.repeat_of IS NOT NULL AND EXISTS (SELECT 1 FROM case_messages j WHERE j.case_id = c.repeat_of AND j.message_id = m.id)';

/**
 * Every case holding a message of this author in this thread, newest first: one read from which a new
 * message's follow-up, reply and repeat checks are answered (sources/threads.ts) — each of
 * `openCasesOfAuthorInThread`, `caseAwaitingAuthor` and `closedCasesOfAuthor` in a thread is a filter of it.
 */
export function casesOfAuthorInThread(tx: Db, threadKey: string, authorId: string): AuthorThreadCase[] {
  // Without DISTINCT / ORDER BY in SQL (two temporary b-trees for a handful of rows): deduplicated and
  // sorted here. Asked for every new message.
  const rows = handle(tx)
    .prepare(
      `SELECT c.id AS caseId, c.status AS status, c.number AS number, c.closed_at AS closedAt, m.network AS network,
              CASE WHEN ${JOINED_INTO} THEN c.repeat_of END AS joinedInto
         FROM messages m JOIN case_messages cm ON cm.message_id = m.id JOIN cases c ON c.id = cm.case_id
        WHERE m.thread_key = ? AND m.author_external_id = ?`,
    )
    .all(threadKey, authorId) as AuthorThreadCase[];
  if (rows.length < 2) return rows;
  const seen = new Set<string>();
  return rows
    .filter((r) => {
      const k = `${r.caseId}\u0000${r.network}`;
      return seen.has(k) ? false : (seen.add(k), true);
    })
    .sort((a, b) => b.caseId - a.caseId);
}

/** The newest of `openCasesOfAuthorInThread`, or null. */
export function openCaseOfAuthorInThread(tx: Db, threadKey: string, authorId: string, network: string): { caseId: number; status: string } | null {
  return openCasesOfAuthorInThread(tx, threadKey, authorId, network)[0] ?? null;
}

/**
 * Closed cases of the same author (newest first, at most `limit`), except `exceptCaseId`: closed at
 * or after `closedSince`, and — with `threadKey` — only those with a message of the author in that
 * thread (the same post, the same dialogue). A case joined into another is left out: that one is offered.
 */
export function closedCasesOfAuthor(
  tx: Db,
  network: string,
  authorId: string,
  exceptCaseId: number,
  opts: { closedSince: number; threadKey?: string | null; limit?: number },
): { caseId: number; number: number }[] {
  const inThread = !!opts.threadKey;
  // Asked for every new case: plain SQL on the handle, like openCasesOfAuthorInThread.
  const rows = handle(tx)
    .prepare(
      `SELECT DISTINCT c.id AS caseId, c.number AS number FROM messages m JOIN case_messages cm ON cm.message_id = m.id JOIN cases c ON c.id = cm.case_id
        WHERE m.network = ? AND m.author_external_id = ? AND c.status = 'closed' AND c.closed_at >= ?${inThread ? ' AND m.thread_key = ?' : ''}
          -- a case joined into another is not offered: the other one is
          AND NOT (${JOINED_INTO})
        ORDER BY c.id DESC`,
    )
    .all(...(inThread ? [network, authorId, opts.closedSince, opts.threadKey] : [network, authorId, opts.closedSince])) as { caseId: number; number: number }[];
  const limit = opts.limit ?? 3;
  const out: { caseId: number; number: number }[] = [];
  for (const r of rows) {
    if (r.caseId === exceptCaseId || out.some((o) => o.caseId === r.caseId)) continue;
    out.push({ caseId: r.caseId, number: r.number });
    if (out.length >= limit) break;
  }
  return out;
}

/** When the case's last answer was published (ms), or null when nothing was published yet. */
export function lastPublicationAt(tx: Db, caseId: number): number | null {
  return tx.select({ at: publications.at }).from(publications).where(eq(publications.caseId, caseId)).orderBy(desc(publications.at)).get()?.at ?? null;
}

// ------------------------------------------------------------------ edits, deletions, restorations

export type RevisionAction = 'edit' | 'delete' | 'restore';

/**
 * Keeps an edit/delete/restore of a stored message as a new revision: the message row (and its raw
 * payload as first collected) stays as it was; the revision holds the new text, attachments and raw
 * event. Returns the revision number (1, 2, …).
 */
export function storeRevision(tx: Db, m: { messageId: number; sourceKey: string; action: RevisionAction; text: string | null; attachments: unknown[] | null; raw: unknown; at: number }): number {
  const last = tx.select({ n: messageRevisions.n }).from(messageRevisions).where(eq(messageRevisions.messageId, m.messageId)).orderBy(desc(messageRevisions.n)).get();
  const n = (last?.n ?? 0) + 1;
  tx.insert(messageRevisions).values({ messageId: m.messageId, n, sourceKey: m.sourceKey, action: m.action, text: m.text, attachments: m.attachments, raw: m.raw, at: m.at }).run();
  return n;
}

/** The message as it reads now: the last revision's text (or the original), and whether it is deleted. */
export function currentText(tx: Db, messageId: number): { text: string; deleted: boolean; revision: number } | null {
  const m = tx.select({ text: messages.text }).from(messages).where(eq(messages.id, messageId)).get();
  if (!m) return null;
  const revs = tx.select().from(messageRevisions).where(eq(messageRevisions.messageId, messageId)).orderBy(desc(messageRevisions.n)).all();
  const lastText = revs.find((r) => r.text !== null && r.action !== 'delete');
  return { text: lastText?.text ?? m.text, deleted: revs[0]?.action === 'delete', revision: revs[0]?.n ?? 0 };
}

// ------------------------------------------------------------------ who holds a case

const OPEN_ASSIGNMENT: Assignment['status'][] = ['assigned', 'accepted', 'part_submitted'];

/**
 * The people who hold a case now: the executors of its open assignments (for an assignment whose
 * executor is not designated yet, the department's heads), or — when nobody is assigned (a new
 * case, or the administrator's turn) — the active administrators.
 */
export function caseHolders(tx: Db, caseId: number): { telegramId: number; locale: string | null; role: 'executor' | 'department_head' | 'administrator' }[] {
  const open = tx
    .select({ executorId: assignments.executorId, departmentId: assignments.departmentId })
    .from(assignments)
    .where(and(eq(assignments.caseId, caseId), inArray(assignments.status, OPEN_ASSIGNMENT)))
    .all();
  const active = tx.select().from(staff).where(eq(staff.active, true)).all();
  const out = new Map<number, { telegramId: number; locale: string | null; role: 'executor' | 'department_head' | 'administrator' }>();
  for (const a of open) {
    if (a.executorId !== null) {
      const s = active.find((x) => x.id === a.executorId);
      if (s) out.set(s.telegramId, { telegramId: s.telegramId, locale: s.locale, role: 'executor' });
    } else {
      for (const s of active.filter((x) => x.departmentId === a.departmentId && x.roles.includes('department_head'))) {
        out.set(s.telegramId, { telegramId: s.telegramId, locale: s.locale, role: 'department_head' });
      }
    }
  }
  if (out.size) return [...out.values()];
  return active.filter((s) => s.roles.includes('administrator')).map((s) => ({ telegramId: s.telegramId, locale: s.locale, role: 'administrator' as const }));
}
