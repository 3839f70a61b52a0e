import type { AppContext } from '../kernel/context.js';
import type { Db } from '../db/connection.js';
import { markViolationsDigested, undigestedViolations } from '../db/repositories/violations.js';
import { staffByIds } from '../db/repositories/staff.js';
import { formatMinutes } from '../reports/render.js';
import { escapeHtml, formatInstant, sendToStaff, staffWithRole, trFor, uniqueStaff } from '../kernel/staff-notices.js';
import type { CaseStore } from '../db/repositories/deadline-store.js';

/**
 * The coordinator's daily digest of NEW violations (К21; А15): every violation not yet digested,
 * noticed before the digest's time. Nothing new: nothing is sent. Marked digested in the same
 * transaction as the messages are queued.
 */
export function violationsDigest(app: AppContext, store: CaseStore, period: string, upTo: number, late: boolean): string {
  const rows = undigestedViolations(app.db, upTo);
  if (rows.length === 0) return 'none';
  const people = new Map(staffByIds(app.db, [...new Set(rows.map((r) => r.staffId).filter((x): x is number => x !== null))]).map((s) => [s.id, s]));
  const to = uniqueStaff(app.regulation.recipients.violations.flatMap((r) => staffWithRole(app.db, r)));
  const clause = app.regulation.clauses['violations'] ?? '';
  app.db.transaction((tx) => {
    for (const s of to) {
      // А15: a deputy gets the violations of the departments he supervises (all of them: a first deputy).
      const mine = app.regulation.recipients.violations.some((r) => r !== 'deputy' && s.roles.includes(r))
        ? rows
        : rows.filter((v) => v.departmentId !== null && s.supervises.includes(v.departmentId));
      if (mine.length === 0) continue;
      const tr = trFor(app, s);
      const lines = mine.slice(0, 60).map((v) =>
        tr('violations-digest-line', {
          person: escapeHtml(v.staffId !== null ? (people.get(v.staffId)?.name ?? String(v.staffId)) : v.role ? (app.regulation.roleTitles[v.role as 'executor']?.ru ?? v.role) : '—'),
          case: tr('case-ref', { number: store.caseSummary(v.caseId)?.number ?? v.caseId }),
          step: tr(`deadline-kind-${v.kind}`),
          clause: v.clause,
          due: formatInstant(app, v.dueAt),
          overdue: formatMinutes(tr, v.overdueMinutes),
        }),
      );
      if (mine.length > 60) lines.push('…');
      let text = [tr('violations-digest-title', { count: mine.length, date: period.split('-').reverse().join('.'), clause }), ...lines].join('\n');
      if (late) text += `\n${tr('late-note')}`;
      sendToStaff(app, tx, s, text, { idempotencyKey: `digest:${period}` });
    }
    markViolationsDigested(
      tx as unknown as Db,
      rows.map((r) => r.id),
      upTo,
    );
  });
  return `${rows.length} violations to ${to.length}`;
}
