import { and, desc, eq, inArray, ne } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { caseMessages, cases, messages } from '../schema/cases.js';
import { searchCaseIds } from '../search-index.js';

/** Cases listed with their first message's text: earlier cases offered as repeats (К17, А7.11) and the search. */

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
