import type { InlineKeyboardButton } from 'grammy/types';
import type { AppContext } from '../../app/context.js';
import { addDuration, agreesFor, liveDeadline, type Assignment } from '../../domain/workflow/index.js';
import { actorOf } from '../run-command.js';
import { encodeCallback } from '../callbacks/codec.js';
import type { CardView } from '../cards/view.js';
import type { StaffRow } from '../context.js';
import { departmentExecutors } from './work-common.js';
import { staffWithRole } from '../effects.js';

function departmentHasHead(app: AppContext, departmentId: string): boolean {
  return staffWithRole(app.db, 'department_head', departmentId).length > 0;
}

/** Where the administrator may move a misrouted case to another department, with a reason (К6, К8 · А6.2, А7.1). */
export const MOVABLE_STATUSES: readonly string[] = ['assigned', 'in_work', 'drafting', 'rework', 'awaiting_final'];

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
  const b = (text: string, action: string, arg?: string | number) => ({ text, callback_data: encodeCallback(action, s.id, arg ?? null) });
  const rows: InlineKeyboardButton[][] = [];
  const now = app.clock.now().toMillis();
  const canReturn = (a: Assignment) => now <= addDuration(app.workingTime, a.assignedAt, app.regulation.windows.executorReturn.duration);
  const active = (a: Assignment) => a.status === 'assigned' || a.status === 'accepted';

  // The executor's own assignments.
  for (const a of s.assignments.filter((x) => x.executorId === viewer.id && active(x))) {
    if (a.status === 'assigned') {
      const row = [b(t('executor-btn-accept'), 'ex.acc', a.seq)];
      if (canReturn(a) && (a.role === 'co_executor' || s.status === 'assigned')) row.push(b(t('executor-btn-return'), 'ex.ret', a.seq));
      rows.push(row);
      continue;
    }
    if (a.role === 'co_executor') {
      rows.push([b(t('executor-btn-part'), 'ex.part', a.seq)]);
      if (canReturn(a)) rows.push([b(t('executor-btn-return'), 'ex.ret', a.seq)]);
      continue;
    }
    if (['in_work', 'drafting', 'rework', 'awaiting_final', 'awaiting_author'].includes(s.status)) {
      rows.push([b(t(s.status === 'rework' ? 'executor-btn-rework' : 'executor-btn-draft'), 'ex.draft')]);
      if (s.status === 'in_work' && canReturn(a)) rows.push([b(t('executor-btn-return'), 'ex.ret', a.seq)]);
      if (app.regulation.windows.maxExtension && s.status !== 'awaiting_author') rows.push([b(t('extension-btn-request'), 'ext.req')]);
    }
    if (s.status === 'approved' && app.regulation.rules.publisher === 'executor') rows.push([b(t('approval-btn-publish'), 'ex.pub')]);
  }

  // The department head: designate, agree the draft (К7, К11).
  if (viewer.roles.includes('department_head') && viewer.departmentId) {
    for (const a of s.assignments.filter((x) => x.departmentId === viewer.departmentId && x.executorId === null && active(x))) {
      for (const p of departmentExecutors(app.db, a.departmentId)) rows.push([b(t('dept-btn-designate', { name: p.name }), 'dh.des', `${a.seq}.${p.id}`)]);
    }
  }
  // A department without a head: the administrator names its executor, so no case waits for nobody (К7).
  if (viewer.roles.includes('administrator')) {
    for (const a of s.assignments.filter((x) => x.executorId === null && active(x) && !departmentHasHead(app, x.departmentId))) {
      for (const p of departmentExecutors(app.db, a.departmentId)) rows.push([b(t('dept-btn-designate', { name: p.name }), 'dh.des', `${a.seq}.${p.id}`)]);
    }
  }
  // К11: the draft is agreed by the department head or the supervising deputy.
  const resp = s.assignments.find((x) => x.role === 'responsible' && active(x));
  if (s.status === 'dept_review' && resp && agreesFor(actorOf(viewer), resp.departmentId)) {
    rows.push(...decisionButtons(app, locale, s.id, 'department_head'));
  }

  // The administrator: approve or return; publish when the regulation says so (А7.7).
  if (viewer.roles.includes('administrator')) {
    if (s.status === 'on_approval') rows.push(...decisionButtons(app, locale, s.id, 'administrator'));
    if (s.status === 'approved' && app.regulation.rules.publisher === 'administrator') rows.push([b(t('approval-btn-publish'), 'ap.pub')]);
    // A misrouted case can be moved at any moment (admin-triage.ts); conditions instead of a date (А7.8)
    // wait for the administrator's control date (control-date.ts).
    if (MOVABLE_STATUSES.includes(s.status)) rows.push([b(t('admin-btn-move'), 'adm.rea')]);
    if (s.status === 'awaiting_final' && !liveDeadline(s, 'final_answer')) rows.push([b(t('control-date-btn'), 'cd.set')]);
  }
  return rows;
}

/**
 * The decision on a draft: the department head agrees or returns it (К11), the administrator approves or
 * sends it to rework. The same row goes on the card and under the draft itself, where the person reads it.
 */
export function decisionButtons(app: AppContext, locale: string, caseId: number, who: 'department_head' | 'administrator'): InlineKeyboardButton[][] {
  const t = (k: string) => app.t(locale, k);
  const b = (text: string, action: string) => ({ text, callback_data: encodeCallback(action, caseId) });
  return who === 'department_head'
    ? [[b(t('review-btn-approve'), 'dh.ok'), b(t('review-btn-return'), 'dh.ret')]]
    : [[b(t('approval-btn-approve'), 'ap.ok'), b(t('approval-btn-rework'), 'ap.rw')]];
}
