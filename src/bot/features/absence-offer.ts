import type { AppContext } from '../../kernel/context.js';
import { peopleWithRole, tellStaff } from '../../kernel/staff-notices.js';
import type { Db } from '../../db/connection.js';
import { offerReassignmentOnAbsenceFromDb } from '../../db/repositories/runner.js';
import type { Absence } from '../../domain/workflow/model.js';
import { caseLinkCallbacks } from '../../kernel/case-link.js';
import type { StaffRow } from '../context.js';
import { escapeHtml } from '../format/html.js';

/** At most this many cases get a button of their own in the offer (the text names them all). */
const OFFER_BUTTONS = 20;

/**
 * А6.3: when someone goes away, the open work he holds is offered for reassignment to his department
 * head (to the administrators when the department has none): one notice naming the cases, a button
 * per case opening its card, where the reassignment buttons are. Returns the number of cases offered.
 */
export function offerOpenWorkOnAbsence(app: AppContext, tx: Db, person: StaffRow, absence: Absence, substitute: StaffRow | null): number {
  const offers = offerReassignmentOnAbsenceFromDb(tx, absence);
  if (offers.length === 0) return 0;
  const heads = person.departmentId ? peopleWithRole(tx, 'department_head', person.departmentId).filter((s) => s.id !== person.id) : [];
  const told = heads.length ? heads : peopleWithRole(tx, 'administrator').filter((s) => s.id !== person.id);
  const numbers = offers.map((o) => `№ ${o.caseNumber}`).join(', ');
  tellStaff(
    app,
    tx,
    told,
    (locale) => app.t(locale, 'staff-away-open-work', { name: escapeHtml(person.name), cases: numbers, count: offers.length, substitute: escapeHtml(substitute?.name ?? '—') }),
    {
      key: `absence:${person.id}:${absence.from}`,
      parseMode: 'HTML',
      keyboard: () => offers.slice(0, OFFER_BUTTONS).map((o) => [{ text: `№ ${o.caseNumber}`, callback_data: caseLinkCallbacks.encode('open', o.caseId) }]),
    },
  );
  return offers.length;
}
