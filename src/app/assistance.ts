import type { AppContext } from './context.js';
import { Assistant, type Assistance, type EarlierCase } from '../domain/assist/index.js';

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

interface DecisionRow {
  row: number;
  case_id: number;
  seq: number;
  department_id: string;
  text: string;
}

/** Learns the routing decisions stored since the last call (all of them the first time). */
export function syncModel(app: AppContext): Assistant {
  const st = stateOf(app);
  if (st.watermark < 0) {
    const last = app.database.sqlite.prepare('SELECT max(rowid) AS id FROM assignments').get() as { id: number | null };
    st.watermark = Math.max(0, (last.id ?? 0) - INITIAL_DECISIONS);
  }
  const rows = app.database.sqlite
    .prepare(
      `SELECT a.rowid AS row, a.case_id, a.seq, a.department_id, m.text FROM assignments a
       JOIN case_messages cm ON cm.case_id = a.case_id AND cm.position = 0
       JOIN messages m ON m.id = cm.message_id
       WHERE a.rowid > ? AND a.role = 'responsible' ORDER BY a.rowid`,
    )
    .all(st.watermark) as DecisionRow[];
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

interface EarlierRow {
  id: number;
  number: number;
  text: string;
  author: string | null;
  location: string | null;
  department: string | null;
  detected_at: number;
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
  const rows = app.database.sqlite
    .prepare(
      `SELECT c.id, c.number, m.text, m.author_external_id AS author, c.location, c.detected_at,
         (SELECT a.department_id FROM assignments a WHERE a.case_id = c.id AND a.role = 'responsible' ORDER BY a.seq DESC LIMIT 1) AS department
       FROM cases c
       JOIN case_messages cm ON cm.case_id = c.id AND cm.position = 0
       JOIN messages m ON m.id = cm.message_id
       WHERE c.id <> ? AND c.status NOT IN ('rejected') AND c.detected_at >= ? AND c.detected_at <= ?
       ORDER BY c.id DESC LIMIT ${RECENT_CASES}`,
    )
    .all(c.id, since, c.at) as EarlierRow[];
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
  const answer = top
    ? (app.database.sqlite
        .prepare(
          `SELECT dv.text FROM publications p JOIN draft_versions dv ON dv.case_id = p.case_id AND dv.draft_seq = p.draft_seq
           WHERE p.case_id = ? ORDER BY p.seq DESC, dv.n DESC LIMIT 1`,
        )
        .get(top.caseId) as { text: string } | undefined)
    : undefined;
  const status = top ? (app.database.sqlite.prepare('SELECT status FROM cases WHERE id = ?').get(top.caseId) as { status: string } | undefined)?.status : undefined;
  return { ...result, earlierAnswer: answer?.text ?? null, joinable: status !== undefined && JOINABLE_STATUSES.includes(status) };
}
