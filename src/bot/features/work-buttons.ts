import type { InlineKeyboardButton } from 'grammy/types';
import type { AppContext } from '../../kernel/context.js';
import { actionKey, allowedKeys, type ActionKind, type Assignment, type CaseState } from '../../domain/workflow/index.js';
import { actorOf, workflowContext } from '../run-command.js';
import { approvalCallbacks, controlDateCallbacks, departmentHeadCallbacks, executorCallbacks, extensionCallbacks } from '../callbacks/index.js';
import { adminData, ADMIN_ACTION } from '../keyboards/admin.js';
import type { CardView } from '../cards/view.js';
import type { StaffRow } from '../context.js';
import { departmentExecutors } from './work-common.js';
import { peopleWithRole } from '../../kernel/staff-notices.js';

function departmentHasHead(app: AppContext, departmentId: string): boolean {
  return peopleWithRole(app.db, 'department_head', departmentId).length > 0;
}

/** Whether the person may move a misrouted case to another department, with a reason (К6, К8 · А6.2, А7.1): the workflow's answer. */
export function mayMove(app: AppContext, who: StaffRow, s: CaseState): boolean {
  return allowedKeys(s, actorOf(who), workflowContext(app)).has(actionKey('move'));
}

/**
 * The rows the executor / department head / approval half puts on a case card (registered in
 * src/bot/keyboards/card.ts). Only what the viewer can do now, in the case's current status; every
 * press is still re-checked when it arrives. Actions: `ex.*` (executor.ts), `dh.*`
 * (department-head.ts), `ap.*` (approval.ts), `ext.req` (extension.ts).
 */
export function workCardButtons(app: AppContext, view: CardView, viewer: StaffRow): InlineKeyboardButton[][] {
  const s = view.state;
  const locale = viewer.locale ?? app.org.organization.locale;
  const t = (k: string, v?: Record<string, string | number>) => app.t(locale, k, v);
  const b = (text: string, data: string) => ({ text, callback_data: data });
  const rows: InlineKeyboardButton[][] = [];
  const executors = new Map<string, StaffRow[]>();
  const executorsOf = (departmentId: string) => {
    if (!executors.has(departmentId)) executors.set(departmentId, departmentExecutors(app.db, departmentId));
    return executors.get(departmentId)!;
  };
  // What the viewer may do now comes from the workflow itself (a dry run of each candidate command).
  const allowed = allowedKeys(s, actorOf(viewer), workflowContext(app), { executorsOf: (d) => executorsOf(d).map((p) => p.id) });
  const may = (kind: ActionKind, seq?: number, executorId?: number) => allowed.has(actionKey(kind, seq, executorId));
  const active = (a: Assignment) => a.status === 'assigned' || a.status === 'accepted';

  // The executor's own assignments.
  for (const a of s.assignments.filter((x) => x.executorId === viewer.id && active(x))) {
    if (a.status === 'assigned') {
      const row = may('accept', a.seq) ? [b(t('executor-btn-accept'), executorCallbacks.encode('acc', s.id, a.seq))] : [];
      if (may('return', a.seq)) row.push(b(t('executor-btn-return'), executorCallbacks.encode('ret', s.id, a.seq)));
      if (row.length) rows.push(row);
      continue;
    }
    if (a.role === 'co_executor') {
      if (may('part', a.seq)) rows.push([b(t('executor-btn-part'), executorCallbacks.encode('part', s.id, a.seq))]);
      if (may('return', a.seq)) rows.push([b(t('executor-btn-return'), executorCallbacks.encode('ret', s.id, a.seq))]);
      continue;
    }
    if (may('draft')) {
      rows.push([b(t(s.status === 'rework' ? 'executor-btn-rework' : 'executor-btn-draft'), executorCallbacks.encode('draft', s.id))]);
      if (may('return', a.seq)) rows.push([b(t('executor-btn-return'), executorCallbacks.encode('ret', s.id, a.seq))]);
      // The executor asks; the administrator extends (А7.9): a request, not a step of his own.
      if (app.regulation.windows.maxExtension) rows.push([b(t('extension-btn-request'), extensionCallbacks.encode('req', s.id))]);
    }
    if (app.regulation.rules.publisher === 'executor' && may('publish')) rows.push([b(t('approval-btn-publish'), executorCallbacks.encode('pub', s.id))]);
  }

  // The department head designates the executor (К7); a department without a head: the administrator
  // names its executor, so no case waits for nobody.
  const designates = (viewer.roles.includes('department_head') && viewer.departmentId) || viewer.roles.includes('administrator');
  if (designates) {
    for (const a of s.assignments.filter((x) => x.executorId === null && active(x))) {
      const ownDepartment = viewer.roles.includes('department_head') && viewer.departmentId === a.departmentId;
      if (!ownDepartment && !(viewer.roles.includes('administrator') && !departmentHasHead(app, a.departmentId))) continue;
      for (const p of executorsOf(a.departmentId)) {
        if (may('designate', a.seq, p.id)) rows.push([b(t('dept-btn-designate', { name: p.name }), departmentHeadCallbacks.encode('des', s.id, [a.seq, p.id]))]);
      }
    }
  }
  // К11: the draft is agreed by the department head or the supervising deputy.
  if (may('approveAtDepartment')) rows.push(...decisionButtons(app, locale, s.id, 'department_head'));

  // The administrator: approve or return; publish when the regulation says so (А7.7).
  if (viewer.roles.includes('administrator')) {
    if (may('approve')) rows.push(...decisionButtons(app, locale, s.id, 'administrator'));
    if (app.regulation.rules.publisher === 'administrator' && may('publish')) rows.push([b(t('approval-btn-publish'), approvalCallbacks.encode('pub', s.id))]);
    // A misrouted case can be moved at any moment (admin-triage.ts); conditions instead of a date (А7.8)
    // wait for the administrator's control date (control-date.ts).
    if (may('move')) rows.push([b(t('admin-btn-move'), adminData(ADMIN_ACTION.reassign, s.id))]);
    if (may('setControlDate')) rows.push([b(t('control-date-btn'), controlDateCallbacks.encode('set', s.id))]);
  }
  return rows;
}

/**
 * The decision on a draft: the department head agrees or returns it (К11), the administrator approves or
 * sends it to rework. The same row goes on the card and under the draft itself, where the person reads it.
 */
export function decisionButtons(app: AppContext, locale: string, caseId: number, who: 'department_head' | 'administrator'): InlineKeyboardButton[][] {
  const t = (k: string) => app.t(locale, k);
  const b = (text: string, data: string) => ({ text, callback_data: data });
  return who === 'department_head'
    ? [[b(t('review-btn-approve'), departmentHeadCallbacks.encode('ok', caseId)), b(t('review-btn-return'), departmentHeadCallbacks.encode('ret', caseId))]]
    : [[b(t('approval-btn-approve'), approvalCallbacks.encode('ok', caseId)), b(t('approval-btn-rework'), approvalCallbacks.encode('rw', caseId))]];
}
