import type Database from 'better-sqlite3';
import { and, desc, eq, inArray, ne } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { caseMessages, cases, messages } from '../schema/cases.js';
import { searchCaseIds } from '../search-index.js';

/**
 * Cases listed with their first message's text: earlier cases offered as repeats (К17, А7.11), the search,
 * the new cases the significance watch reads and the cases of a storm summary.
 */

export interface CaseWithText {
  id: number;
  number: number;
  text: string;
}

/** The author's latest cases other than `exceptCaseId`. */
export function casesOfAuthor(db: Db, authorExternalId: string, exceptCaseId: number, limit: number): CaseWithText[] {
  return db
    .selectDistinct({ id: cases.id, number: cases.number, text: messages.text })
    .from(cases)
    .innerJoin(caseMessages, eq(caseMessages.caseId, cases.id))
    .innerJoin(messages, eq(messages.id, caseMessages.messageId))
    .where(and(eq(messages.authorExternalId, authorExternalId), ne(cases.id, exceptCaseId)))
    .orderBy(desc(cases.id))
    .limit(limit)
    .all();
}

/** The latest cases other than `exceptCaseId`, with their first message. */
export function recentCases(db: Db, exceptCaseId: number, limit: number): CaseWithText[] {
  return db
    .select({ id: cases.id, number: cases.number, text: messages.text })
    .from(cases)
    .innerJoin(caseMessages, and(eq(caseMessages.caseId, cases.id), eq(caseMessages.position, 0)))
    .innerJoin(messages, eq(messages.id, caseMessages.messageId))
    .where(ne(cases.id, exceptCaseId))
    .orderBy(desc(cases.id))
    .limit(limit)
    .all();
}

/**
 * Cases by number («42», «№ 42») or by words of their messages, the author's name, the topic or the
 * location, with Russian morphology («ям» finds «яма», «ямы»), best match first (search-index.ts).
 */
export function searchCasesWithText(db: Db, sqlite: Parameters<typeof searchCaseIds>[0], query: string, exceptCaseId: number, limit: number): (CaseWithText & { status: string })[] {
  const q = query.trim();
  const num = /^(?:№\s*)?(\d{1,9})$/.exec(q);
  const base = db
    .select({ id: cases.id, number: cases.number, text: messages.text, status: cases.status })
    .from(cases)
    .innerJoin(caseMessages, and(eq(caseMessages.caseId, cases.id), eq(caseMessages.position, 0)))
    .innerJoin(messages, eq(messages.id, caseMessages.messageId));
  if (num) return base.where(and(eq(cases.number, Number(num[1])), ne(cases.id, exceptCaseId))).all();
  const { ids } = searchCaseIds(sqlite, q, 0, limit + 1);
  const found = ids.filter((id) => id !== exceptCaseId).slice(0, limit);
  if (!found.length) return [];
  const rows = new Map(
    base
      .where(inArray(cases.id, found))
      .all()
      .map((r) => [r.id, r]),
  );
  return found.map((id) => rows.get(id)).filter((r): r is NonNullable<typeof r> => !!r);
}

/** Cases after id `afterId`, by id, with their first message's text, urgency and status (the significance watch, А17). */
export function casesAfterWithText(sqlite: Database.Database, afterId: number, limit: number): (CaseWithText & { urgent: number; status: string })[] {
  return sqlite
    .prepare(
      `SELECT c.id AS id, c.number AS number, c.urgent AS urgent, c.status AS status, m.text AS text
         FROM cases c JOIN case_messages cm ON cm.case_id = c.id AND cm.position = 0 JOIN messages m ON m.id = cm.message_id
        WHERE c.id > ? ORDER BY c.id LIMIT ?`,
    )
    .all(afterId, limit) as (CaseWithText & { urgent: number; status: string })[];
}

/** The cases with ids in [first, last] that have no card in the chat yet, by number (a storm summary). */
export function casesWithoutCardIn(sqlite: Database.Database, chatId: number, first: number, last: number): CaseWithText[] {
  return sqlite
    .prepare(
      `SELECT c.id, c.number, m.text FROM cases c
       JOIN case_messages cm ON cm.case_id = c.id AND cm.position = 0
       JOIN messages m ON m.id = cm.message_id
       WHERE c.id BETWEEN ? AND ? AND NOT EXISTS (SELECT 1 FROM case_cards cc WHERE cc.case_id = c.id AND cc.chat_id = ?)
       ORDER BY c.number`,
    )
    .all(first, last, chatId) as CaseWithText[];
}
