import { liveDeadline } from '../deadlines.js';
import type { Draft } from '../model.js';
import { agreesFor, refuse, requireText, type Handlers, type Session } from '../session.js';
import { requestPublication } from './publication.js';

/** The draft is agreed by the department (К11) and approved or sent back by the administrator (К12, К13 · А7.5, А7.6). */
export const approvalHandlers: Pick<Handlers, 'approveAtDepartment' | 'returnAtDepartment' | 'approve' | 'sendToRework'> = {
  approveAtDepartment(h, cmd) {
    const d = reviewTarget(h, 'dept_review');
    h.close(d.kind === 'final' ? ['dept_review', 'draft_submission', 'rework', 'final_answer'] : ['dept_review', 'draft_submission', 'rework'], 'met');
    h.open('approval', { clause: h.reg.windows.approval.clause, role: 'administrator', duration: h.reg.windows.approval.duration });
    h.emit('department_approved', 'on_approval', { draftSeq: d.seq }, cmd.comment);
    h.notify({ role: 'administrator', departmentId: null }, 'draft_for_approval');
  },

  returnAtDepartment(h, cmd) {
    const d = reviewTarget(h, 'dept_review');
    const comment = requireText(cmd.comment, 'comment');
    h.close('dept_review', 'met');
    if (!liveDeadline(h.s, 'rework')) openRework(h);
    h.emit('department_returned', 'rework', { draftSeq: d.seq }, comment);
    const r = h.responsible();
    if (r) h.notify(h.executorRecipient(r), 'draft_returned');
  },

  approve(h, cmd) {
    const d = reviewTarget(h, 'on_approval');
    const reg = h.reg;
    const r = h.responsible();
    h.close('approval', 'met');
    const publisher = reg.rules.publisher;
    h.open('publish', {
      clause: reg.windows.publish.clause,
      role: publisher === 'executor' ? 'executor' : 'administrator',
      staffId: publisher === 'executor' ? (r?.executorId ?? null) : null,
      departmentId: publisher === 'executor' ? (r?.departmentId ?? null) : null,
      duration: reg.windows.publish.duration,
    });
    h.emit('approved', 'approved', { draftSeq: d.seq }, cmd.comment);
    if (r) h.notify(h.executorRecipient(r), publisher === 'executor' ? 'to_publish' : 'draft_approved');
    if (publisher === 'administrator') h.notify({ role: 'administrator', departmentId: null }, 'to_publish');
    if (publisher === 'on_approval') requestPublication(h, d);
  },

  sendToRework(h, cmd) {
    const d = reviewTarget(h, 'on_approval');
    const comment = requireText(cmd.comment, 'comment');
    h.close('approval', 'met');
    openRework(h);
    h.emit('sent_to_rework', 'rework', { draftSeq: d.seq }, comment);
    const r = h.responsible();
    if (r) h.notify(h.executorRecipient(r), 'draft_returned');
  },
};

function openRework(h: Session): void {
  const r = h.responsible();
  h.open('rework', {
    clause: h.reg.windows.rework.clause,
    role: 'executor',
    staffId: r?.executorId ?? null,
    departmentId: r?.departmentId ?? null,
    duration: h.reg.windows.rework.duration,
  });
}

function reviewTarget(h: Session, status: 'dept_review' | 'on_approval'): Draft {
  const d = h.currentDraft();
  if (!d || d.status !== status) refuse('wrong_state', 'no draft waiting for this review', {});
  if (status === 'dept_review') {
    const r = h.responsible();
    if (!r || !agreesFor(h.actor, r.departmentId)) {
      refuse('wrong_department', 'the head of the responsible department or its supervising deputy approves (К11)', { departmentId: r?.departmentId ?? null });
    }
  }
  return d;
}
