import type { AppContext } from './context.js';
import { Assistant, type Assistance, type EarlierCase } from '../domain/assist/index.js';
import { earlierCasesForRepeats, lastAssignmentRowId, publishedAnswerText, routingDecisionsAfter } from '../db/repositories/assistance.js';
import { caseStatus } from '../db/repositories/source-messages.js';

/**
 * The assistance (src/domain/assist) fed from the database: the department classifier learns from
 * every routing decision stored (the responsible department of each case; a reassignment replaces
 * the earlier example — a correction), catching up incrementally before each suggestion (by the assignments' rowid), and starts
 * cold from the organization file. Earlier cases for repeats are the recent ones not rejected.
 * Suggestions are computed, never applied: the card shows them as buttons.
 */

interface ModelState {
  assistant: Assistant;
  /** What each case taught: its department and text, to take back when the routing is corrected. */
  learned: Map<number, { departmentId: string; seq: number; text: string }>;
  /** The last assignments rowid learned (new rows only ever get higher ones: a reassignment inserts). */
  watermark: number;
}

const models = new WeakMap<AppContext, ModelState>();
const RECENT_CASES = 300;
/** At the first suggestion the model learns the most recent decisions only: they matter most, and a
 * large database would otherwise hold the bot for seconds. */
const INITIAL_DECISIONS = 5000;
const RECENT_DAYS = 90;

function stateOf(app: AppContext): ModelState {
  let st = models.get(app);
  if (!st) {
    const o = app.org;
    st = { assistant: new Assistant({ departments: o.departments, topics: o.topics, locations: o.locations }), learned: new Map(), watermark: -1 };
    models.set(app, st);
  }
  return st;
}

/** Learns the routing decisions stored since the last call (all of them the first time). */
export function syncModel(app: AppContext): Assistant {
  const st = stateOf(app);
  if (st.watermark < 0) {
    st.watermark = Math.max(0, (lastAssignmentRowId(app.database.sqlite) ?? 0) - INITIAL_DECISIONS);
  }
  const rows = routingDecisionsAfter(app.database.sqlite, st.watermark);
  for (const r of rows) {
    st.watermark = r.row;
    const before = st.learned.get(r.case_id);
    if (before && before.seq >= r.seq) continue;
    if (before) st.assistant.classifier.unlearn(before.text, before.departmentId);
    st.assistant.classifier.learn(r.text, r.department_id);
    st.learned.set(r.case_id, { departmentId: r.department_id, seq: r.seq, text: r.text });
  }
  return st.assistant;
}

export interface CaseAssistance extends Assistance {
  /** The published answer of the best repeat candidate, if it has one. */
  earlierAnswer: string | null;
  /** The best repeat candidate is still open, its final answer not yet published: this case may be joined to it. */
  joinable: boolean;
}

/** Statuses of an earlier case that can still take a joined one (the answer is still to come). */
export const JOINABLE_STATUSES = ['new', 'assigned', 'returned', 'in_work', 'drafting', 'dept_review', 'on_approval', 'rework', 'approved', 'awaiting_final', 'awaiting_author'];

/** Suggestions for one case: its first message against the model and the recent cases. */
export function assistCase(app: AppContext, c: { id: number; text: string; authorId: string | null; at: number }): CaseAssistance {
  const assistant = syncModel(app);
  const since = c.at - RECENT_DAYS * 24 * 3600_000;
  const rows = earlierCasesForRepeats(app.database.sqlite, c.id, since, c.at, RECENT_CASES);
  const earlier: EarlierCase[] = rows.map((r) => ({
    caseId: r.id,
    number: r.number,
    text: r.text,
    authorId: r.author,
    location: r.location ?? assistant.location(r.text)?.location ?? null,
    departmentId: r.department,
    at: r.detected_at,
  }));
  const result = assistant.suggest({ text: c.text, authorId: c.authorId, at: c.at, earlier });
  const top = result.repeats[0];
  const answer = top ? publishedAnswerText(app.database.sqlite, top.caseId) : null;
  const status = top ? caseStatus(app.db, top.caseId) : null;
  return { ...result, earlierAnswer: answer, joinable: status !== null && JOINABLE_STATUSES.includes(status) };
}
